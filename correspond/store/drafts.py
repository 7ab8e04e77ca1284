"""The drafted letters of each referral: their files, versions, and the approval that
freezes one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.domain.clock import utc_now
from correspond.review import LetterStatus, Transition
from correspond.store.database import Database


@dataclass(frozen=True)
class Draft:
    id: int
    referral_id: int
    kind: str
    path: str
    status: str
    source: str
    changed_by: str | None
    approved_by: str | None
    approved_at: datetime | None
    outbox_path: str | None
    pdf_path: str | None
    pdf_problem: str | None
    updated_at: datetime
    version: int
    approved_sha256: str | None  # of the exact bytes approved and put in the outbox
    pdf_sha256: str | None

    @property
    def is_approved(self) -> bool:
        return self.status == LetterStatus.APPROVED

    @property
    def is_returned(self) -> bool:
        return self.status == LetterStatus.REJECTED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == LetterStatus.WITHDRAWN


def drafts(db: Database, connection: Connection, referral_id: int) -> list[Draft]:
    table = db.table("drafts")
    rows = connection.execute(sa.select(table).where(table.c.referral_id == referral_id)
                              .order_by(table.c.id)).all()
    return [_draft(row) for row in rows]


def draft(db: Database, connection: Connection, draft_id: int) -> Draft | None:
    table = db.table("drafts")
    row = connection.execute(sa.select(table).where(table.c.id == draft_id)).first()
    return _draft(row) if row else None


def move_letter(db: Database, connection: Connection, draft_id: int,
                transition: Transition[LetterStatus], *, version: int | None = None,
                **values: Any) -> bool:
    """Apply `transition` to a letter if its status allows it (and, given `version`, if
    it is still that version), raising its version; False if it did not."""
    table = db.table("drafts")
    conditions = [table.c.id == draft_id, table.c.status.in_(transition.allowed_from)]
    if version is not None:
        conditions.append(table.c.version == version)
    result = connection.execute(
        table.update().where(*conditions)
        .values(status=transition.to, version=table.c.version + 1, updated_at=utc_now(),
                **values))
    return result.rowcount == 1


def _draft(row: Any) -> Draft:
    return Draft(id=row.id, referral_id=row.referral_id, kind=row.kind, path=row.path,
                 status=row.status, source=row.source, changed_by=row.changed_by,
                 approved_by=row.approved_by, approved_at=row.approved_at,
                 outbox_path=row.outbox_path, pdf_path=row.pdf_path,
                 pdf_problem=row.pdf_problem, updated_at=row.updated_at,
                 version=row.version, approved_sha256=row.approved_sha256,
                 pdf_sha256=row.pdf_sha256)
