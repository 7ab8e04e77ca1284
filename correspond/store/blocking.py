"""Candidate records for one child, by blocking: only records sharing an indexed key with
what the letter says are read, so a query never scans every record."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.records import CaseRecord
from correspond.store.cases import record_from_row
from correspond.store.database import Database

# Far above what any real key brings back (about 150 records share a birthday in a
# million); a bound so that a degenerate letter cannot read the whole table.
_LIMIT = 2000


@dataclass(frozen=True)
class BlockingKeys:
    dates_of_birth: Sequence[date] = ()  # as written, and day and month swapped
    first_name_keys: Sequence[str] = ()  # as written, and its known-as equivalents
    last_name_keys: Sequence[str] = ()   # as written, and each part of a double-barrel
    postcode: str | None = None
    # Earliest and latest plausible birthday, from the date or age the letter gives.
    born_between: tuple[date, date] | None = None


def find_candidates(db: Database, connection: Connection,
                    keys: BlockingKeys) -> list[CaseRecord]:
    """Records agreeing with the letter on any one blocking rule (Splink's OR of rules):
    the date of birth (as written or day and month swapped) with a name or the postcode;
    surname and first name (or a known-as equivalent); surname and known-as name; the
    postcode. A slip in one field is caught by another rule."""
    cases = db.table("cases")
    lasts, firsts = list(keys.last_name_keys), list(keys.first_name_keys)
    rules = []
    if keys.dates_of_birth:
        # The birthday with any one other thing agreeing; about 150 records in a million
        # share a birthday, and SQLite sifts them without handing them all back.
        born = cases.c.date_of_birth.in_(list(keys.dates_of_birth))
        alike: list[sa.ColumnElement[bool]] = [
            cases.c.last_name_key.in_(lasts), cases.c.first_name_key.in_(firsts),
            cases.c.known_as_key.in_(firsts)]
        if keys.postcode:
            alike.append(cases.c.postcode == keys.postcode)
        rules.append(sa.and_(born, sa.or_(*alike)) if lasts or firsts or keys.postcode
                     else born)
    if lasts and firsts:
        names = [cases.c.last_name_key.in_(lasts), cases.c.first_name_key.in_(firsts)]
        if keys.born_between:  # a slip in the date keeps it within a year or so
            names.append(cases.c.date_of_birth.between(*keys.born_between))
        rules.append(sa.and_(*names))
        rules.append(sa.and_(cases.c.known_as_key.in_(firsts),
                             cases.c.last_name_key.in_(lasts)))
    if keys.postcode:
        rules.append(cases.c.postcode == keys.postcode)
    if not rules:
        return []
    rows = connection.execute(sa.select(cases).where(sa.or_(*rules)).limit(_LIMIT))
    return [record_from_row(row) for row in rows]


@dataclass(frozen=True)
class NameCounts:
    total: int
    first: dict[str, int]
    last: dict[str, int]


def name_counts(db: Database, connection: Connection, first_keys: Sequence[str],
                last_keys: Sequence[str]) -> NameCounts:
    """How many records carry each of these names, and how many records there are."""
    frequencies = db.table("name_frequencies")
    kind, key = frequencies.c.kind, frequencies.c.key
    rows = connection.execute(
        sa.select(kind, key, frequencies.c.count).where(sa.or_(
            sa.and_(kind == "first", key.in_([k for k in first_keys if k])),
            sa.and_(kind == "last", key.in_([k for k in last_keys if k])),
            sa.and_(kind == "total", key == ""),
        ))
    ).all()
    found: dict[str, dict[str, int]] = {"first": {}, "last": {}, "total": {}}
    for row_kind, row_key, count in rows:
        found[row_kind][row_key] = count
    return NameCounts(found["total"].get("", 0), found["first"], found["last"])
