"""The desk's emails sent (or being sent): one row per kind, recipient and day, claimed
before sending so that no email goes twice."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from correspond.domain.clock import utc_now
from correspond.store.database import Database


def claim(db: Database, kind: str, recipient: str, day: date) -> bool:
    """True if this email is now ours to send; False if it was claimed already."""
    table = db.table("reminders_sent")
    try:
        with db.writing() as connection:
            connection.execute(table.insert().values(kind=kind, recipient=recipient, day=day,
                                                     claimed_at=utc_now()))
    except IntegrityError:
        return False
    return True


def release(db: Database, kind: str, recipient: str, day: date) -> None:
    """An email that could not be sent: free to be tried again."""
    table = db.table("reminders_sent")
    with db.writing() as connection:
        connection.execute(table.delete().where(
            table.c.kind == kind, table.c.recipient == recipient, table.c.day == day,
            table.c.sent_at.is_(None)))


def mark_sent(db: Database, kind: str, recipient: str, day: date) -> None:
    table = db.table("reminders_sent")
    with db.writing() as connection:
        connection.execute(table.update().where(
            table.c.kind == kind, table.c.recipient == recipient, table.c.day == day,
        ).values(sent_at=utc_now()))


def urgent_since(db: Database, since: datetime) -> list[tuple[int, str]]:
    """(id, reference) of urgent referrals received since `since`."""
    referrals = db.table("referrals")
    with db.reading() as connection:
        return [(row.id, row.reference) for row in connection.execute(
            sa.select(referrals.c.id, referrals.c.reference)
            .where(referrals.c.urgent.is_(True), referrals.c.received_at >= since))]
