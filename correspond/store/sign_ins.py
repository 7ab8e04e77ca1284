"""Failed sign-ins, counted per name and address, in the database.

A wrong password is recorded with the name typed and the address it came from. Ten in a
quarter of an hour for one name from one address stop that address trying that name
(the real person, elsewhere, is not locked out) until the quarter has passed or an
administrator clears them; many for one name from anywhere only slow the answers to
wrong passwords. Kept in the database so every desk process counts the same attempts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from correspond.domain.clock import as_utc, utc_now
from correspond.store.database import Database

WINDOW = timedelta(minutes=15)
FAILURES_PER_NAME_AND_ADDRESS = 10
# Past this many failures for one name (from anywhere), wrong answers come slowly.
FAILURES_BEFORE_SLOWING = 10
SLOW_ANSWER_SECONDS = 2.0


@dataclass(frozen=True)
class Standing:
    refused_for: timedelta | None  # how long until this address may try this name again
    slow: bool  # answer a wrong password slowly


def name_key(name: str) -> str:
    return name.strip().casefold()[:64]


def standing(db: Database, name: str, address: str) -> Standing:
    table = db.table("sign_in_failures")
    since = utc_now() - WINDOW
    key = name_key(name)
    with db.reading() as connection:
        from_here = connection.execute(
            sa.select(table.c.at).where(table.c.name_key == key, table.c.address == address,
                                        table.c.at > since)
            .order_by(table.c.at)).scalars().all()
        anywhere = connection.execute(
            sa.select(sa.func.count()).select_from(table)
            .where(table.c.name_key == key, table.c.at > since)).scalar_one()
    refused_for = None
    if len(from_here) >= FAILURES_PER_NAME_AND_ADDRESS:
        # Free again when the oldest failure that counts leaves the window.
        oldest = as_utc(from_here[-FAILURES_PER_NAME_AND_ADDRESS])
        refused_for = max(oldest + WINDOW - utc_now(), timedelta(seconds=1))
    return Standing(refused_for, anywhere >= FAILURES_BEFORE_SLOWING)


def record_failure(db: Database, name: str, address: str) -> None:
    table = db.table("sign_in_failures")
    now = utc_now()
    with db.writing() as connection:
        connection.execute(table.delete().where(table.c.at <= now - WINDOW))
        connection.execute(table.insert().values(name_key=name_key(name), address=address,
                                                 at=now))


def clear(db: Database, name: str, address: str | None = None) -> int:
    """Forget failed sign-ins for a name (from one address, or all); returns how many."""
    table = db.table("sign_in_failures")
    condition = table.c.name_key == name_key(name)
    if address is not None:
        condition = condition & (table.c.address == address)
    with db.writing() as connection:
        return connection.execute(table.delete().where(condition)).rowcount


def recent_failures(db: Database) -> dict[str, int]:
    """Failed sign-ins in the window, by name (as casefolded), for the Users page."""
    table = db.table("sign_in_failures")
    with db.reading() as connection:
        rows = connection.execute(
            sa.select(table.c.name_key, sa.func.count()).where(table.c.at > utc_now() - WINDOW)
            .group_by(table.c.name_key)).all()
    return dict(rows)
