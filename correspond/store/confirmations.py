"""Caseworkers' match decisions, and the cases an earlier referral was linked to."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.domain.clock import utc_now
from correspond.store.database import Database
from correspond.store.referrals import update_child


@dataclass(frozen=True)
class Confirmation:
    case_id: str
    confirmed_by: str
    confirmed_at: datetime


@dataclass(frozen=True)
class StoredChild:
    """A child of a recorded referral, as the letter gave it, with its constituent."""

    referral_id: int
    position: int
    first_name: str | None
    last_name: str | None
    date_of_birth: Any
    constituent: dict[str, Any]


def latest_confirmation(db: Database, connection: Connection,
                        family_key: str) -> Confirmation | None:
    table = db.table("match_confirmations")
    row = connection.execute(
        sa.select(table.c.case_id, table.c.confirmed_by, table.c.confirmed_at)
        .where(table.c.family_key == family_key)
        .order_by(table.c.id.desc()).limit(1)
    ).first()
    return Confirmation(row.case_id, row.confirmed_by, row.confirmed_at) if row else None


def stored_child(db: Database, connection: Connection, referral_id: int,
                 position: int) -> StoredChild | None:
    children, referrals = db.table("referral_children"), db.table("referrals")
    row = connection.execute(
        sa.select(children.c.first_name, children.c.last_name, children.c.date_of_birth,
                  referrals.c.extraction_json)
        .join(referrals, referrals.c.id == children.c.referral_id)
        .where(children.c.referral_id == referral_id, children.c.position == position)
    ).first()
    if row is None:
        return None
    constituent = json.loads(row.extraction_json).get("constituent") or {}
    return StoredChild(referral_id, position, row.first_name, row.last_name,
                       row.date_of_birth, constituent)


def record_confirmation(db: Database, connection: Connection, *, family_key: str,
                        case_id: str, referral_id: int, position: int, user: str) -> None:
    """Store the decision, and show it on the referral's child: linked to `case_id`."""
    connection.execute(db.table("match_confirmations").insert().values(
        family_key=family_key, case_id=case_id, referral_id=referral_id,
        child_position=position, confirmed_by=user, confirmed_at=utc_now(),
    ))
    update_child(db, connection, referral_id, position, match_status="matched",
                 case_id=case_id)


@dataclass(frozen=True)
class LinkedChild:
    """A child a quoted reference is about, as that letter (or the record) names them."""

    case_id: str
    first_name: str | None
    known_as: str | None
    date_of_birth: Any


def cases_linked_to(db: Database, connection: Connection,
                    reference: str) -> list[LinkedChild]:
    """The children a quoted council reference points at: those of the referral with that
    reference (MP-2026-0001) that are linked to a case, or the case whose id it is."""
    referrals, children = db.table("referrals"), db.table("referral_children")
    rows = connection.execute(
        sa.select(children.c.case_id, children.c.first_name, children.c.date_of_birth)
        .join(referrals, referrals.c.id == children.c.referral_id)
        .where(referrals.c.reference == reference.upper(),
               children.c.match_status == "matched", children.c.case_id.is_not(None))
        .order_by(children.c.position)
    ).all()
    if rows:
        return [LinkedChild(row.case_id, row.first_name, None, row.date_of_birth)
                for row in rows]
    cases = db.table("cases")
    case = connection.execute(
        sa.select(cases.c.case_id, cases.c.child_first_name, cases.c.known_as,
                  cases.c.date_of_birth).where(cases.c.case_id == reference)
    ).first()
    return [LinkedChild(*case)] if case else []


def referral_id_for(db: Database, connection: Connection, reference: str) -> int | None:
    referrals = db.table("referrals")
    return connection.execute(
        sa.select(referrals.c.id).where(referrals.c.reference == reference.upper())
    ).scalar_one_or_none()
