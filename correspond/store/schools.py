"""The school register: saving an import, reading it back, and noticing it changed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, fields
from datetime import datetime
from itertools import islice

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.domain.clock import utc_now
from correspond.records import SaveReport, SchoolRecord
from correspond.store.database import Database

_BATCH = 2000
_RECORD_FIELDS = [field.name for field in fields(SchoolRecord)]


def save_schools(db: Database, records: Iterable[SchoolRecord]) -> SaveReport:
    """Insert new schools, update changed ones, skip the same; remove none.

    One transaction, so a running service never loads half a register.
    """
    report = SaveReport()
    now = utc_now()
    iterator = iter(records)
    with db.writing() as connection:
        while batch := list(islice(iterator, _BATCH)):
            report += _save_batch(db, connection, batch, now)
    return report


def _save_batch(db: Database, connection: Connection, batch: list[SchoolRecord],
                now: datetime) -> SaveReport:
    schools = db.table("schools")
    by_urn = {record.urn: record for record in batch}
    existing = dict(connection.execute(
        sa.select(schools.c.urn, schools.c.row_hash).where(schools.c.urn.in_(list(by_urn)))
    ).all())
    inserts, updates = [], []
    for urn, record in by_urn.items():
        values = _row_values(record)
        if urn not in existing:
            inserts.append({**values, "imported_at": now, "updated_at": now})
        elif existing[urn] != values["row_hash"]:
            updates.append({**values, "updated_at": now, "key": urn})
    if inserts:
        connection.execute(schools.insert(), inserts)
    if updates:
        statement = (
            schools.update()
            .where(schools.c.urn == sa.bindparam("key"))
            .values({name: sa.bindparam(name) for name in updates[0] if name != "key"})
        )
        connection.execute(statement, updates)
    return SaveReport(len(inserts), len(updates),
                            len(by_urn) - len(inserts) - len(updates))


def _row_values(record: SchoolRecord) -> dict[str, object]:
    values = asdict(record)
    fingerprint = json.dumps(values, sort_keys=True)
    values["row_hash"] = hashlib.sha256(fingerprint.encode()).hexdigest()
    return values


def all_schools(db: Database, connection: Connection) -> Iterator[SchoolRecord]:
    schools = db.table("schools")
    columns = [schools.c[name] for name in _RECORD_FIELDS]
    for row in connection.execute(sa.select(*columns)):
        yield SchoolRecord(**row._mapping)


def school_by_urn(db: Database, connection: Connection, urn: str) -> SchoolRecord | None:
    schools = db.table("schools")
    columns = [schools.c[name] for name in _RECORD_FIELDS]
    row = connection.execute(sa.select(*columns).where(schools.c.urn == urn)).first()
    return SchoolRecord(**row._mapping) if row else None


def register_version(db: Database, connection: Connection) -> datetime | None:
    """When an import last added or changed a school; None while the register is empty.

    An index lookup, cheap enough to ask before every file.
    """
    schools = db.table("schools")
    return connection.execute(sa.select(sa.func.max(schools.c.updated_at))).scalar_one()
