"""Caseworkers' corrections of extracted fields: the latest per field is in force, and
the extraction as read is never changed."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.domain.clock import utc_now
from correspond.store.database import Database


def corrections(db: Database, connection: Connection, referral_id: int) -> dict[str, Any]:
    """The value in force for each corrected field: the latest correction."""
    table = db.table("referral_corrections")
    latest: dict[str, Any] = {}
    for field, value_json in connection.execute(
        sa.select(table.c.field, table.c.value_json)
        .where(table.c.referral_id == referral_id).order_by(table.c.id)
    ):
        latest[field] = json.loads(value_json)
    return latest


def add_correction(db: Database, connection: Connection, referral_id: int, field: str,
                   value: Any, user: str) -> None:
    connection.execute(db.table("referral_corrections").insert().values(
        referral_id=referral_id, field=field, value_json=json.dumps(value),
        corrected_by=user, corrected_at=utc_now()))
