"""The audit trail: who viewed, edited, matched, approved or rejected what, and when.

Append-only: the database refuses updates and deletions (see migration 0004). A detail
names what was acted on (a field, a letter, a case id), never the values typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.store.database import Database
from correspond.timekeeping import utc_now


@dataclass(frozen=True)
class AuditEvent:
    at: datetime
    user_name: str
    action: str
    referral_id: int | None
    detail: str | None


def record(db: Database, connection: Connection, *, user: str, action: str,
           referral_id: int | None = None, detail: str | None = None) -> None:
    """Add an event inside the caller's write, so it is kept only if the action is."""
    connection.execute(db.table("audit_events").insert().values(
        at=utc_now(), user_name=user, action=action, referral_id=referral_id, detail=detail))


def record_alone(db: Database, *, user: str, action: str, referral_id: int | None = None,
                 detail: str | None = None) -> None:
    with db.writing() as connection:
        record(db, connection, user=user, action=action, referral_id=referral_id,
               detail=detail)


def events(db: Database, *, referral_id: int | None = None,
           limit: int = 200) -> list[AuditEvent]:
    table = db.table("audit_events")
    query = sa.select(table).order_by(table.c.id.desc()).limit(limit)
    if referral_id is not None:
        query = query.where(table.c.referral_id == referral_id)
    with db.reading() as connection:
        rows = connection.execute(query).all()
    return [AuditEvent(row.at, row.user_name, row.action, row.referral_id, row.detail)
            for row in rows]
