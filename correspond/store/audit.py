"""The audit trail: who viewed, edited, matched, approved or rejected what, and when.

Append-only: the database refuses updates and deletions (see migration 0004). A detail
names what was acted on (a field, a letter, a case id), never the values typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.domain.clock import utc_now
from correspond.store.database import Database


@dataclass(frozen=True)
class AuditEvent:
    at: datetime
    user_name: str
    action: str
    referral_id: int | None
    detail: str | None
    reference: str | None = None  # the referral's council reference, when there is one


@dataclass(frozen=True)
class AuditFilter:
    user: str | None = None
    action: str | None = None
    reference: str | None = None
    since: datetime | None = None  # from this moment
    before: datetime | None = None  # up to, not including, this moment


def record(db: Database, connection: Connection, *, user: str, action: str,
           referral_id: int | None = None, detail: str | None = None,
           at: datetime | None = None) -> None:
    """Add an event inside the caller's write, so it is kept only if the action is.
    `at` is now, except when a history is made up for tests (tools/liaison_history.py)."""
    connection.execute(db.table("audit_events").insert().values(
        at=at or utc_now(), user_name=user, action=action, referral_id=referral_id,
        detail=detail))


def record_alone(db: Database, *, user: str, action: str, referral_id: int | None = None,
                 detail: str | None = None) -> None:
    with db.writing() as connection:
        record(db, connection, user=user, action=action, referral_id=referral_id,
               detail=detail)


def events(db: Database, *, referral_id: int | None = None,
           chosen: AuditFilter = AuditFilter(), limit: int = 200) -> list[AuditEvent]:
    """The newest `limit` events, filtered."""
    table, referrals = db.table("audit_events"), db.table("referrals")
    query = (sa.select(table, referrals.c.reference)
             .outerjoin(referrals, referrals.c.id == table.c.referral_id)
             .order_by(table.c.id.desc()).limit(limit))
    conditions = [
        table.c.referral_id == referral_id if referral_id is not None else None,
        table.c.user_name == chosen.user if chosen.user else None,
        table.c.action == chosen.action if chosen.action else None,
        referrals.c.reference == chosen.reference.strip().upper()
        if chosen.reference else None,
        table.c.at >= chosen.since if chosen.since else None,
        table.c.at < chosen.before if chosen.before else None,
    ]
    query = query.where(*(condition for condition in conditions if condition is not None))
    with db.reading() as connection:
        rows = connection.execute(query).all()
    return [AuditEvent(row.at, row.user_name, row.action, row.referral_id, row.detail,
                       row.reference) for row in rows]


def actions(db: Database) -> list[str]:
    """The kinds of event recorded so far, for a filter's choices."""
    table = db.table("audit_events")
    with db.reading() as connection:
        return list(connection.execute(
            sa.select(table.c.action).distinct().order_by(table.c.action)).scalars())
