"""The queue: the referrals that still need something done, and what its filters offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.review import OPEN_REFERRAL_STATUSES
from correspond.store import assignments, redirects
from correspond.store.database import Database


@dataclass(frozen=True)
class QueueFilter:
    status: str | None = None  # None: the referrals still needing something done
    caseworker: str | None = None
    mp: str | None = None
    concern: str | None = None
    assignee: str | None = None  # the desk user who owns the referral
    # These referrals whatever their status (search results), instead of the open ones.
    ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class QueueRow:
    id: int
    reference: str
    status: str
    received_date: date
    acknowledgement_due: date
    reply_due: date
    acknowledged_at: datetime | None
    replied_at: datetime | None
    urgent: bool
    mp_name: str | None
    children: tuple[str, ...]
    caseworkers: tuple[str, ...]
    concerns: tuple[str, ...]
    returned_reason: str | None
    assignee: str | None = None
    passed_to: str | None = None  # not about SEND: the service it is passed to


def queue(db: Database, connection: Connection, chosen: QueueFilter) -> list[QueueRow]:
    referrals, children = db.table("referrals"), db.table("referral_children")
    concerns, cases = db.table("referral_concerns"), db.table("cases")
    query = sa.select(referrals)
    if chosen.ids is not None:
        query = query.where(referrals.c.id.in_(chosen.ids))
    if chosen.status:
        query = query.where(referrals.c.status == chosen.status)
    elif chosen.ids is None:
        query = query.where(referrals.c.status.in_(OPEN_REFERRAL_STATUSES))
    if chosen.mp:
        query = query.where(referrals.c.mp_name == chosen.mp)
    if chosen.concern:
        query = query.where(sa.exists().where(concerns.c.referral_id == referrals.c.id,
                                              concerns.c.category == chosen.concern))
    if chosen.assignee:
        owned, users = db.table("assignments"), db.table("users")
        query = query.where(sa.exists().where(
            owned.c.referral_id == referrals.c.id, owned.c.user_id == users.c.id,
            users.c.name == chosen.assignee))
    if chosen.caseworker:
        query = query.where(sa.exists().where(
            children.c.referral_id == referrals.c.id, children.c.case_id == cases.c.case_id,
            cases.c.caseworker == chosen.caseworker))
    rows = connection.execute(query).all()
    ids = [row.id for row in rows]
    names = _children_names(db, connection, ids)
    workers = _caseworkers(db, connection, ids)
    categories = _concerns(db, connection, ids)
    owners = assignments.assignees(db, connection, ids)
    services = redirects.passed_to(db, connection, ids)
    return [QueueRow(
        id=row.id, reference=row.reference, status=row.status,
        received_date=row.received_date, acknowledgement_due=row.acknowledgement_due,
        reply_due=row.reply_due, acknowledged_at=row.acknowledged_at,
        replied_at=row.replied_at, urgent=row.urgent, mp_name=row.mp_name,
        children=tuple(names.get(row.id, ())), caseworkers=tuple(workers.get(row.id, ())),
        concerns=tuple(categories.get(row.id, ())), returned_reason=row.returned_reason,
        assignee=owners.get(row.id), passed_to=services.get(row.id),
    ) for row in rows]


def _children_names(db: Database, connection: Connection,
                    ids: list[int]) -> dict[int, list[str]]:
    children = db.table("referral_children")
    found: dict[int, list[str]] = {}
    for row in connection.execute(
        sa.select(children.c.referral_id, children.c.first_name, children.c.last_name)
        .where(children.c.referral_id.in_(ids), children.c.removed_at.is_(None))
        .order_by(children.c.position)
    ):
        name = " ".join(part for part in (row.first_name, row.last_name) if part)
        found.setdefault(row.referral_id, []).append(name or "Name not found")
    return found


def _caseworkers(db: Database, connection: Connection,
                 ids: list[int]) -> dict[int, list[str]]:
    children, cases = db.table("referral_children"), db.table("cases")
    found: dict[int, list[str]] = {}
    for referral_id, caseworker in connection.execute(
        sa.select(children.c.referral_id, cases.c.caseworker).distinct()
        .join(cases, cases.c.case_id == children.c.case_id)
        .where(children.c.referral_id.in_(ids), cases.c.caseworker.is_not(None),
               children.c.removed_at.is_(None))
    ):
        found.setdefault(referral_id, []).append(caseworker)
    return found


def _concerns(db: Database, connection: Connection, ids: list[int]) -> dict[int, list[str]]:
    concerns = db.table("referral_concerns")
    found: dict[int, list[str]] = {}
    for referral_id, category in connection.execute(
        sa.select(concerns.c.referral_id, concerns.c.category)
        .where(concerns.c.referral_id.in_(ids)).order_by(concerns.c.position)
    ):
        found.setdefault(referral_id, []).append(category)
    return found


def filter_choices(db: Database, connection: Connection) -> dict[str, list[str]]:
    """The values the queue's filters offer: those present in the data."""
    referrals, cases = db.table("referrals"), db.table("cases")
    concerns = db.table("referral_concerns")
    return {
        "assignee": [name for _, name in assignments.caseworker_users(db, connection)],
        "mp": _distinct(connection, referrals.c.mp_name),
        "caseworker": _distinct(connection, cases.c.caseworker),
        "concern": _distinct(connection, concerns.c.category),
    }


def _distinct(connection: Connection, column: sa.Column) -> list[str]:
    return list(connection.execute(
        sa.select(column).distinct().where(column.is_not(None)).order_by(column)
    ).scalars())
