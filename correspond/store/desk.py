"""What the desk reads and writes: the queue, one referral in full, corrections, drafts
and the approval or return of letters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.review import OPEN_REFERRAL_STATUSES, LetterStatus, ReferralStatus, Transition
from correspond.store.database import Database
from correspond.timekeeping import utc_now


@dataclass(frozen=True)
class QueueFilter:
    status: str | None = None  # None: the referrals still needing something done
    caseworker: str | None = None
    mp: str | None = None
    concern: str | None = None


@dataclass(frozen=True)
class QueueRow:
    id: int
    reference: str
    status: str
    received_date: date
    acknowledgement_due: date
    reply_due: date
    acknowledged_at: datetime | None
    replied_at: datetime | None
    urgent: bool
    mp_name: str | None
    children: tuple[str, ...]
    caseworkers: tuple[str, ...]
    concerns: tuple[str, ...]
    returned_reason: str | None


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


def queue(db: Database, connection: Connection, chosen: QueueFilter) -> list[QueueRow]:
    referrals, children = db.table("referrals"), db.table("referral_children")
    concerns, cases = db.table("referral_concerns"), db.table("cases")
    query = sa.select(referrals)
    if chosen.status:
        query = query.where(referrals.c.status == chosen.status)
    else:
        query = query.where(referrals.c.status.in_(OPEN_REFERRAL_STATUSES))
    if chosen.mp:
        query = query.where(referrals.c.mp_name == chosen.mp)
    if chosen.concern:
        query = query.where(sa.exists().where(concerns.c.referral_id == referrals.c.id,
                                              concerns.c.category == chosen.concern))
    if chosen.caseworker:
        query = query.where(sa.exists().where(
            children.c.referral_id == referrals.c.id, children.c.case_id == cases.c.case_id,
            cases.c.caseworker == chosen.caseworker))
    rows = connection.execute(query).all()
    ids = [row.id for row in rows]
    names = _children_names(db, connection, ids)
    workers = _caseworkers(db, connection, ids)
    categories = _concerns(db, connection, ids)
    return [QueueRow(
        id=row.id, reference=row.reference, status=row.status,
        received_date=row.received_date, acknowledgement_due=row.acknowledgement_due,
        reply_due=row.reply_due, acknowledged_at=row.acknowledged_at,
        replied_at=row.replied_at, urgent=row.urgent, mp_name=row.mp_name,
        children=tuple(names.get(row.id, ())), caseworkers=tuple(workers.get(row.id, ())),
        concerns=tuple(categories.get(row.id, ())), returned_reason=row.returned_reason,
    ) for row in rows]


def _children_names(db: Database, connection: Connection,
                    ids: list[int]) -> dict[int, list[str]]:
    children = db.table("referral_children")
    found: dict[int, list[str]] = {}
    for row in connection.execute(
        sa.select(children.c.referral_id, children.c.first_name, children.c.last_name)
        .where(children.c.referral_id.in_(ids)).order_by(children.c.position)
    ):
        name = " ".join(part for part in (row.first_name, row.last_name) if part)
        found.setdefault(row.referral_id, []).append(name or "Name not found")
    return found


def _caseworkers(db: Database, connection: Connection,
                 ids: list[int]) -> dict[int, list[str]]:
    children, cases = db.table("referral_children"), db.table("cases")
    found: dict[int, list[str]] = {}
    for referral_id, caseworker in connection.execute(
        sa.select(children.c.referral_id, cases.c.caseworker).distinct()
        .join(cases, cases.c.case_id == children.c.case_id)
        .where(children.c.referral_id.in_(ids), cases.c.caseworker.is_not(None))
    ):
        found.setdefault(referral_id, []).append(caseworker)
    return found


def _concerns(db: Database, connection: Connection, ids: list[int]) -> dict[int, list[str]]:
    concerns = db.table("referral_concerns")
    found: dict[int, list[str]] = {}
    for referral_id, category in connection.execute(
        sa.select(concerns.c.referral_id, concerns.c.category)
        .where(concerns.c.referral_id.in_(ids)).order_by(concerns.c.position)
    ):
        found.setdefault(referral_id, []).append(category)
    return found


def filter_choices(db: Database, connection: Connection) -> dict[str, list[str]]:
    """The values the queue's filters offer: those present in the data."""
    referrals, cases = db.table("referrals"), db.table("cases")
    concerns = db.table("referral_concerns")
    return {
        "mp": _distinct(connection, referrals.c.mp_name),
        "caseworker": _distinct(connection, cases.c.caseworker),
        "concern": _distinct(connection, concerns.c.category),
    }


def _distinct(connection: Connection, column: sa.Column) -> list[str]:
    return list(connection.execute(
        sa.select(column).distinct().where(column.is_not(None)).order_by(column)
    ).scalars())


def referral_row(db: Database, connection: Connection, referral_id: int):
    referrals = db.table("referrals")
    return connection.execute(
        sa.select(referrals).where(referrals.c.id == referral_id)).first()


def children_rows(db: Database, connection: Connection, referral_id: int) -> list[Any]:
    children = db.table("referral_children")
    return list(connection.execute(
        sa.select(children).where(children.c.referral_id == referral_id)
        .order_by(children.c.position)).all())


def attachment_rows(db: Database, connection: Connection, referral_id: int) -> list[Any]:
    attachments = db.table("attachments")
    return list(connection.execute(
        sa.select(attachments).where(attachments.c.referral_id == referral_id)
        .order_by(attachments.c.position)).all())


def confirmed_positions(db: Database, connection: Connection, referral_id: int) -> set[int]:
    """The children of a referral whose link a caseworker has decided."""
    table = db.table("match_confirmations")
    return set(connection.execute(
        sa.select(table.c.child_position).where(table.c.referral_id == referral_id)
    ).scalars())


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


def update_referral(db: Database, connection: Connection, referral_id: int,
                    **values: Any) -> None:
    """Change a referral's own columns; its status changes only by `move_referral`."""
    assert "status" not in values, "a status changes only through its transition"
    referrals = db.table("referrals")
    connection.execute(referrals.update().where(referrals.c.id == referral_id).values(values))


def move_referral(db: Database, connection: Connection, referral_id: int,
                  transition: Transition[ReferralStatus], **values: Any) -> bool:
    """Apply `transition` (and `values`) if the referral's status allows it, checked and
    changed in one statement; False if it did not (someone else moved it first)."""
    referrals = db.table("referrals")
    result = connection.execute(
        referrals.update()
        .where(referrals.c.id == referral_id,
               referrals.c.status.in_(transition.allowed_from))
        .values(status=transition.to, **values))
    return result.rowcount == 1


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
