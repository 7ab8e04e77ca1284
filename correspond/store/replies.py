"""What a caseworker writes and chooses for a referral's letters (reply_inputs), and the
confirmations that another child a letter names may be disclosed."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.domain.clock import utc_now
from correspond.records import ReplyInputs
from correspond.store.database import Database


def reply_inputs(db: Database, connection: Connection, referral_id: int) -> ReplyInputs:
    """What has been written and chosen for this referral; empty when nothing yet."""
    table = db.table("reply_inputs")
    row = connection.execute(
        sa.select(table).where(table.c.referral_id == referral_id)).first()
    if row is None:
        return ReplyInputs()
    return ReplyInputs(
        what_found=row.what_found, what_next=row.what_next,
        paragraphs=tuple(json.loads(row.paragraphs_json)),
        confirmed_clocks=tuple(json.loads(row.clocks_json)),
        holding_reply_due=row.holding_reply_due, holding_reason=row.holding_reason)


def save_reply_inputs(db: Database, connection: Connection, referral_id: int,
                      inputs: ReplyInputs, user: str) -> None:
    """Replace what is kept for this referral with `inputs`, inside the caller's write."""
    table = db.table("reply_inputs")
    values = dict(
        what_found=inputs.what_found, what_next=inputs.what_next,
        paragraphs_json=json.dumps(list(inputs.paragraphs), ensure_ascii=False),
        clocks_json=json.dumps(list(inputs.confirmed_clocks)),
        holding_reply_due=inputs.holding_reply_due, holding_reason=inputs.holding_reason,
        updated_by=user, updated_at=utc_now())
    updated = connection.execute(
        table.update().where(table.c.referral_id == referral_id).values(values))
    if updated.rowcount == 0:
        connection.execute(table.insert().values(referral_id=referral_id, **values))


def disclosed_cases(db: Database, connection: Connection, referral_id: int) -> set[str]:
    """The other children's cases a caseworker has said this referral's letters may name."""
    table = db.table("disclosure_confirmations")
    return set(connection.execute(
        sa.select(table.c.case_id).where(table.c.referral_id == referral_id)).scalars())


def confirm_disclosure(db: Database, connection: Connection, referral_id: int,
                       case_id: str, user: str) -> bool:
    """Record that case `case_id` may be named in this referral's letters; False when it
    already was."""
    if case_id in disclosed_cases(db, connection, referral_id):
        return False
    connection.execute(db.table("disclosure_confirmations").insert().values(
        referral_id=referral_id, case_id=case_id, confirmed_by=user, confirmed_at=utc_now()))
    return True
