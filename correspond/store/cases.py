"""Case records: saving imports (keeping history) and counting names for matching."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from correspond.domain.clock import utc_now
from correspond.domain.text import name_key
from correspond.records import CaseRecord, SaveReport
from correspond.store.database import Database

_BATCH = 5000
# SQLite page cache for an import, in KiB: the indexes of a million records stay in memory
# instead of being re-read for each batch.
_IMPORT_CACHE_KIB = 256 * 1024


def save_cases(db: Database, records: Iterable[CaseRecord]) -> SaveReport:
    """Insert new cases, update changed ones (keeping what they were), skip the same;
    then recount the names, for matching."""
    iterator = iter(records)
    with db.writing() as connection:
        _use_a_large_cache(connection)
        first_import = connection.execute(
            sa.select(db.table("cases").c.case_id).limit(1)).first() is None
        if first_import:
            # Into an empty table: one transaction (all or nothing), with the indexes built
            # once at the end, several times faster than keeping them up to date row by row.
            indexes = list(db.table("cases").indexes)
            for index in indexes:
                index.drop(connection)
            report = _save_batches(db, connection, iterator)
            for index in indexes:
                index.create(connection)
    if not first_import:
        # A re-import: a transaction a batch, so the service is never kept waiting long.
        report = SaveReport()
        while batch := list(islice(iterator, _BATCH)):
            with db.writing() as connection:
                _use_a_large_cache(connection)
                report += _save_batch(db, connection, batch)
    if report.added or report.updated:
        refresh_name_frequencies(db)
    return report


def _use_a_large_cache(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA cache_size = -{_IMPORT_CACHE_KIB}")


def _save_batches(db: Database, connection: Connection,
                  iterator: Iterator[CaseRecord]) -> SaveReport:
    report = SaveReport()
    while batch := list(islice(iterator, _BATCH)):
        report += _save_batch(db, connection, batch)
    return report


def refresh_name_frequencies(db: Database) -> None:
    """Count the records carrying each first name and surname: a rare name agreeing is
    stronger evidence than a common one. One pass over two indexes."""
    cases, frequencies = db.table("cases"), db.table("name_frequencies")
    with db.writing() as connection:
        connection.execute(frequencies.delete())
        for kind, column in (("first", cases.c.first_name_key),
                             ("last", cases.c.last_name_key)):
            connection.execute(frequencies.insert().from_select(
                ["kind", "key", "count"],
                sa.select(sa.literal(kind), column, sa.func.count()).group_by(column),
            ))
        connection.execute(frequencies.insert().from_select(
            ["kind", "key", "count"],
            sa.select(sa.literal("total"), sa.literal(""), sa.func.count()).select_from(cases),
        ))


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
        _insert(connection, cases, inserts)
    if updates:
        statement = (
            cases.update()
            .where(cases.c.case_id == sa.bindparam("key"))
            .values({name: sa.bindparam(name) for name in updates[0] if name != "key"})
        )
        connection.execute(statement, updates)
        connection.execute(db.table("case_history").insert(), history)
    return SaveReport(len(inserts), len(updates), len(by_id) - len(inserts) - len(updates))


def _insert(connection: Connection, table: sa.Table, rows: list[dict[str, object]]) -> None:
    """Core's compiled INSERT, its values converted by the columns' own types, run as one
    executemany on the driver: SQLAlchemy's per-row parameter handling would otherwise be
    a third of the time of importing a million records."""
    compiled = table.insert().compile(dialect=connection.dialect, column_keys=list(rows[0]))
    order = compiled.positiontup
    if not order:  # a driver with named parameters: the ordinary way
        connection.execute(table.insert(), rows)
        return
    dialect = connection.dialect
    converters = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                  for name in order]
    parameters = [
        tuple(value if convert is None or value is None else convert(value)
              for convert, value in zip(converters, (row[name] for name in order)))
        for row in rows
    ]
    connection.exec_driver_sql(compiled.string, parameters)


# Fields added after the fingerprint was first taken: left out of it while empty, so a
# record imported before they existed keeps its fingerprint (and is not "updated" by
# the next import of the same export).
_LATER_FIELDS = frozenset({
    "assessment_requested", "assessment_decision", "assessment_decision_outcome",
    "draft_plan_issued", "last_review_held", "review_decision", "phase_transfer_due",
    "tribunal_lodged", "placement_sought",
})


def _row_values(record: CaseRecord) -> dict[str, object]:
    values = dict(vars(record))  # the flat fields, without asdict's deep copy
    values["parent_names"] = "; ".join(record.parent_names) or None
    values["first_name_key"] = name_key(record.child_first_name)
    values["last_name_key"] = name_key(record.child_last_name)
    fingerprint = json.dumps({name: value for name, value in values.items()
                              if value is not None or name not in _LATER_FIELDS},
                             sort_keys=True, default=str)
    values["row_hash"] = hashlib.sha256(fingerprint.encode()).hexdigest()
    # Added after the fingerprint, so rows imported before it existed stay unchanged.
    values["known_as_key"] = name_key(record.known_as) or None
    return values


def _history_values(row: Row) -> dict[str, object]:
    skip = {"row_hash", "first_name_key", "last_name_key", "known_as_key", "imported_at"}
    return {key: (str(value) if isinstance(value, date) else value)
            for key, value in row._mapping.items() if key not in skip}


def record_from_row(row: Row) -> CaseRecord:
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
        assessment_requested=row.assessment_requested,
        assessment_decision=row.assessment_decision,
        assessment_decision_outcome=row.assessment_decision_outcome,
        draft_plan_issued=row.draft_plan_issued,
        last_review_held=row.last_review_held,
        review_decision=row.review_decision,
        phase_transfer_due=row.phase_transfer_due,
        tribunal_lodged=row.tribunal_lodged,
        placement_sought=row.placement_sought,
    )


def case_by_id(db: Database, connection: Connection, case_id: str) -> CaseRecord | None:
    cases = db.table("cases")
    row = connection.execute(sa.select(cases).where(cases.c.case_id == case_id)).first()
    return record_from_row(row) if row else None


def cases_by_id(db: Database, connection: Connection,
                case_ids: Iterable[str]) -> dict[str, CaseRecord]:
    """The case records with these ids (those that exist)."""
    wanted = sorted(set(case_ids))
    if not wanted:
        return {}
    cases = db.table("cases")
    rows = connection.execute(sa.select(cases).where(cases.c.case_id.in_(wanted))).all()
    return {row.case_id: record_from_row(row) for row in rows}


def cases_at_postcodes(db: Database, connection: Connection,
                       postcodes: Iterable[str]) -> list[CaseRecord]:
    """The case records at these postcodes (a family's other children)."""
    wanted = sorted({postcode for postcode in postcodes if postcode})
    if not wanted:
        return []
    cases = db.table("cases")
    rows = connection.execute(sa.select(cases).where(cases.c.postcode.in_(wanted))
                              .limit(500)).all()
    return [record_from_row(row) for row in rows]


def cases_named(db: Database, connection: Connection,
                names: Iterable[tuple[str, str]]) -> list[CaseRecord]:
    """The case records whose first (or known-as) name and surname keys are one of
    `names` (pairs of name keys)."""
    pairs = sorted(set(names))
    if not pairs:
        return []
    cases = db.table("cases")
    found: dict[str, CaseRecord] = {}
    for start in range(0, len(pairs), 200):
        chunk = pairs[start:start + 200]
        condition = sa.or_(*[
            sa.and_(cases.c.last_name_key == last,
                    sa.or_(cases.c.first_name_key == first, cases.c.known_as_key == first))
            for first, last in chunk])
        for row in connection.execute(sa.select(cases).where(condition).limit(500)):
            found[row.case_id] = record_from_row(row)
    return list(found.values())


def count_cases(db: Database, connection: Connection) -> int:
    return connection.execute(
        sa.select(sa.func.count()).select_from(db.table("cases"))
    ).scalar_one()
