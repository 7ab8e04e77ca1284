"""Case records: saving imports (keeping history) and looking up candidates for matching."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from itertools import islice

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from correspond.model import CaseRecord
from correspond.normalise import name_key
from correspond.store.database import Database
from correspond.timekeeping import utc_now

_BATCH = 2000


@dataclass(frozen=True)
class SaveReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def save_cases(db: Database, records: Iterable[CaseRecord]) -> SaveReport:
    """Insert new cases, update changed ones (keeping what they were), skip the same."""
    added = updated = unchanged = 0
    iterator = iter(records)
    while batch := list(islice(iterator, _BATCH)):
        with db.writing() as connection:
            result = _save_batch(db, connection, batch)
        added += result.added
        updated += result.updated
        unchanged += result.unchanged
    return SaveReport(added, updated, unchanged)


def _save_batch(db: Database, connection: Connection, batch: list[CaseRecord]) -> SaveReport:
    cases = db.table("cases")
    # The last row wins where an export repeats a case id.
    by_id = {record.case_id: record for record in batch}
    existing = {
        row.case_id: row
        for row in connection.execute(
            sa.select(cases).where(cases.c.case_id.in_(list(by_id)))
        )
    }
    now = utc_now()
    inserts, updates, history = [], [], []
    for case_id, record in by_id.items():
        values = _row_values(record)
        previous = existing.get(case_id)
        if previous is None:
            inserts.append({**values, "imported_at": now, "updated_at": now})
        elif previous.row_hash != values["row_hash"]:
            updates.append({**values, "updated_at": now, "key": case_id})
            history.append({"case_id": case_id, "changed_at": now,
                            "previous_json": json.dumps(_history_values(previous))})
    if inserts:
        connection.execute(cases.insert(), inserts)
    if updates:
        statement = (
            cases.update()
            .where(cases.c.case_id == sa.bindparam("key"))
            .values({name: sa.bindparam(name) for name in updates[0] if name != "key"})
        )
        connection.execute(statement, updates)
        connection.execute(db.table("case_history").insert(), history)
    return SaveReport(len(inserts), len(updates), len(by_id) - len(inserts) - len(updates))


def _row_values(record: CaseRecord) -> dict[str, object]:
    values = asdict(record)
    values["parent_names"] = "; ".join(record.parent_names) or None
    values["first_name_key"] = name_key(record.child_first_name)
    values["last_name_key"] = name_key(record.child_last_name)
    fingerprint = json.dumps(values, sort_keys=True, default=str)
    values["row_hash"] = hashlib.sha256(fingerprint.encode()).hexdigest()
    return values


def _history_values(row: Row) -> dict[str, object]:
    skip = {"row_hash", "first_name_key", "last_name_key", "imported_at"}
    return {key: (str(value) if isinstance(value, date) else value)
            for key, value in row._mapping.items() if key not in skip}


def _to_record(row: Row) -> CaseRecord:
    return CaseRecord(
        case_id=row.case_id,
        child_first_name=row.child_first_name,
        child_last_name=row.child_last_name,
        date_of_birth=row.date_of_birth,
        known_as=row.known_as,
        school=row.school,
        school_urn=row.school_urn,
        parent_names=tuple(
            name.strip() for name in (row.parent_names or "").split(";") if name.strip()
        ),
        address=row.address,
        postcode=row.postcode,
        caseworker=row.caseworker,
        caseworker_email=row.caseworker_email,
        ehcp_status=row.ehcp_status,
        ehcp_issued=row.ehcp_issued,
        next_review_due=row.next_review_due,
    )


def find_candidates(
    db: Database,
    connection: Connection,
    *,
    dates_of_birth: Sequence[date] = (),
    last_name_keys: Sequence[str] = (),
    first_name_keys: Sequence[str] = (),
    postcodes: Sequence[str] = (),
    limit: int = 200,
) -> list[CaseRecord]:
    """Cases sharing at least one blocking key with the child (each key is indexed)."""
    cases = db.table("cases")
    conditions = []
    if dates_of_birth:
        conditions.append(cases.c.date_of_birth.in_(list(dates_of_birth)))
    if last_name_keys:
        conditions.append(cases.c.last_name_key.in_(list(last_name_keys)))
    if first_name_keys and postcodes:
        conditions.append(sa.and_(cases.c.first_name_key.in_(list(first_name_keys)),
                                  cases.c.postcode.in_(list(postcodes))))
    if not conditions:
        return []
    rows = connection.execute(sa.select(cases).where(sa.or_(*conditions)).limit(limit))
    return [_to_record(row) for row in rows]


def case_by_id(db: Database, connection: Connection, case_id: str) -> CaseRecord | None:
    cases = db.table("cases")
    row = connection.execute(sa.select(cases).where(cases.c.case_id == case_id)).first()
    return _to_record(row) if row else None


def count_cases(db: Database, connection: Connection) -> int:
    return connection.execute(
        sa.select(sa.func.count()).select_from(db.table("cases"))
    ).scalar_one()
