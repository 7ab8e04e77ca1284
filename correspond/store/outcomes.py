"""What happened in the end: a referral's outcome and the changes for the family, recorded
when it is closed (inside the closing transaction, desk/actions.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.domain.clock import utc_now
from correspond.store.database import Database


@dataclass(frozen=True)
class Outcome:
    outcome: str
    changes: tuple[tuple[str, str], ...]  # (concern, change), in the order ticked
    notes: str | None
    closed_by: str
    closed_at: datetime


def record_outcome(db: Database, connection: Connection, referral_id: int, outcome: str,
                   changes: Iterable[tuple[str, str]], notes: str | None, user: str,
                   at: datetime | None = None) -> None:
    """Call inside the write that closes the referral."""
    connection.execute(db.table("referral_outcomes").insert().values(
        referral_id=referral_id, outcome=outcome, notes=notes or None, closed_by=user,
        closed_at=at or utc_now()))
    rows = [dict(referral_id=referral_id, concern=concern, change=change)
            for concern, change in dict.fromkeys(changes)]
    if rows:
        connection.execute(db.table("referral_outcome_changes").insert(), rows)


def outcome_of(db: Database, connection: Connection, referral_id: int) -> Outcome | None:
    outcomes, changes = db.table("referral_outcomes"), db.table("referral_outcome_changes")
    row = connection.execute(
        sa.select(outcomes).where(outcomes.c.referral_id == referral_id)).first()
    if row is None:
        return None
    ticked = connection.execute(
        sa.select(changes.c.concern, changes.c.change)
        .where(changes.c.referral_id == referral_id)).all()
    return Outcome(row.outcome, tuple((concern, change) for concern, change in ticked),
                   row.notes, row.closed_by, row.closed_at)


__all__ = ["Outcome", "outcome_of", "record_outcome"]
