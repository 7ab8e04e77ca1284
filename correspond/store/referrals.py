"""Recording referrals, their children, concerns, attachments and drafts; reading them back."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.domain.clock import local_date, utc_now
from correspond.domain.correspondents import Claim
from correspond.records import Child, Extraction, Letter, MatchDecision
from correspond.referral_json import match_to_json
from correspond.review import LetterStatus, ReferralStatus, Transition
from correspond.store.database import Database
from correspond.store.drafts import drafts
from correspond.store.registers import Link, match_claim


@dataclass(frozen=True)
class NewReferral:
    reference: str
    sha256: str
    format: str
    received_at: datetime
    received_date: date
    acknowledgement_due: date
    reply_due: date
    status: str
    letter: Letter
    extraction: Extraction
    matches: Sequence[MatchDecision]
    referral_json: dict[str, Any]
    # Who wrote, checked against the registers (store/registers.py); when not given, the
    # referral is checked as it is recorded.
    correspondent: Link | None = None

    @property
    def letter_text(self) -> str:
        return self.letter.text


@dataclass(frozen=True)
class StoredAttachment:
    name: str
    content_type: str | None
    sha256: str
    is_letter: bool
    problem: str | None


@dataclass(frozen=True)
class ReferralSummary:
    id: int
    reference: str
    sha256: str
    status: str
    referral_json: dict[str, Any]


def next_reference(db: Database, connection: Connection, prefix: str, year: int) -> str:
    """The next council reference for `year`, e.g. MP-2026-0001. Call inside a write."""
    counters = db.table("reference_counters")
    updated = connection.execute(
        counters.update()
        .where(counters.c.year == year)
        .values(last_number=counters.c.last_number + 1)
    )
    if updated.rowcount == 0:
        connection.execute(counters.insert().values(year=year, last_number=1))
    number = connection.execute(
        sa.select(counters.c.last_number).where(counters.c.year == year)
    ).scalar_one()
    return f"{prefix}-{year}-{number:04d}"


def record_file(db: Database, connection: Connection, sha256: str, size: int,
                archive_path: str) -> None:
    files = db.table("files")
    exists = connection.execute(
        sa.select(files.c.sha256).where(files.c.sha256 == sha256)
    ).first()
    if exists is None:
        connection.execute(files.insert().values(
            sha256=sha256, size=size, archive_path=archive_path, first_seen_at=utc_now()
        ))


def insert_referral(db: Database, connection: Connection, new: NewReferral) -> int:
    extraction = new.extraction
    correspondent = extraction.correspondent
    link = new.correspondent or match_claim(db, connection, Claim(
        correspondent.type, correspondent.name, correspondent.constituency))
    referrals = db.table("referrals")
    referral_id = connection.execute(
        referrals.insert().values(
            reference=new.reference,
            sha256=new.sha256,
            format=new.format,
            received_at=new.received_at,
            received_date=new.received_date,
            acknowledgement_due=new.acknowledgement_due,
            reply_due=new.reply_due,
            status=new.status,
            subject=new.letter.subject,
            letter_date=extraction.letter_date,
            is_send=extraction.is_send,
            urgent=extraction.urgent,
            is_chaser=extraction.is_chaser,
            quoted_council_reference=extraction.council_reference,
            correspondent_type=correspondent.type,
            correspondent_kind=link.kind,
            correspondent_id=link.correspondent_id,
            mp_name=correspondent.name,
            constituency=correspondent.constituency,
            mp_reference=correspondent.reference,
            constituent_name=extraction.constituent.name,
            letter_source=new.letter.source,
            letter_text=new.letter.text,
            covering_text=new.letter.covering_text,
            extraction_json=json.dumps(new.referral_json, ensure_ascii=False),
        ).returning(referrals.c.id)
    ).scalar_one()
    _insert_children(db, connection, referral_id, new)
    _insert_concerns(db, connection, referral_id, extraction)
    return referral_id


def _insert_children(db: Database, connection: Connection, referral_id: int,
                     new: NewReferral) -> None:
    rows = [dict(referral_id=referral_id, position=position, **child_columns(child),
                 **match_columns(decision))
            for position, (child, decision) in enumerate(zip(new.extraction.children,
                                                             new.matches))]
    if rows:
        connection.execute(db.table("referral_children").insert(), rows)


def child_columns(child: Child) -> dict[str, Any]:
    """A child as the letter gives it, as stored in referral_children."""
    return dict(
        first_name=child.first_name,
        last_name=child.last_name,
        date_of_birth=child.date_of_birth,
        age=child.age,
        year_group=child.year_group,
        school_name=child.school.name if child.school else None,
        school_urn=child.school.urn if child.school else None,
        requested_school=child.requested_school,
    )


def match_columns(decision: MatchDecision) -> dict[str, Any]:
    """A child's match, as stored in referral_children."""
    return dict(
        match_status=decision.status,
        case_id=decision.case_id,
        match_score=decision.score,
        candidates_json=json.dumps(match_to_json(decision)["candidates"], ensure_ascii=False),
    )


def update_child(db: Database, connection: Connection, referral_id: int, position: int,
                 **values: Any) -> None:
    children = db.table("referral_children")
    connection.execute(children.update().where(
        children.c.referral_id == referral_id, children.c.position == position).values(values))


def save_child(db: Database, connection: Connection, referral_id: int, position: int,
               **values: Any) -> None:
    """Update the child at `position`, or add it (a child a caseworker added)."""
    children = db.table("referral_children")
    updated = connection.execute(children.update().where(
        children.c.referral_id == referral_id, children.c.position == position).values(values))
    if updated.rowcount == 0:
        connection.execute(children.insert().values(
            referral_id=referral_id, position=position,
            **{"match_status": "new", "candidates_json": "[]", **values}))


def remove_child(db: Database, connection: Connection, referral_id: int, position: int, *,
                 reason: str, user: str) -> bool:
    """Mark a child as removed by a caseworker, with why; False if there is no such child
    or it was removed already."""
    children = db.table("referral_children")
    result = connection.execute(children.update().where(
        children.c.referral_id == referral_id, children.c.position == position,
        children.c.removed_at.is_(None),
    ).values(removed_at=utc_now(), removed_by=user, removed_reason=reason))
    return result.rowcount == 1


def replace_concerns(db: Database, connection: Connection, referral_id: int,
                     extraction: Extraction) -> None:
    """The referral's concerns as `extraction` now gives them (after a correction)."""
    concerns = db.table("referral_concerns")
    connection.execute(concerns.delete().where(concerns.c.referral_id == referral_id))
    _insert_concerns(db, connection, referral_id, extraction)


def _insert_concerns(db: Database, connection: Connection, referral_id: int,
                     extraction: Extraction) -> None:
    rows = [
        dict(referral_id=referral_id, position=position, category=concern.category,
             evidence=concern.evidence, score=concern.score)
        for position, concern in enumerate(extraction.concerns)
    ]
    if rows:
        connection.execute(db.table("referral_concerns").insert(), rows)


def insert_attachments(db: Database, connection: Connection, referral_id: int,
                       attachments: Sequence[StoredAttachment]) -> None:
    rows = [
        dict(referral_id=referral_id, position=position, name=item.name,
             content_type=item.content_type, sha256=item.sha256, is_letter=item.is_letter,
             problem=item.problem)
        for position, item in enumerate(attachments)
    ]
    if rows:
        connection.execute(db.table("attachments").insert(), rows)


def insert_draft(db: Database, connection: Connection, referral_id: int, kind: str,
                 path: str) -> int:
    now = utc_now()
    drafts = db.table("drafts")
    return connection.execute(drafts.insert().values(
        referral_id=referral_id, kind=kind, path=path, status=LetterStatus.DRAFT,
        created_at=now, updated_at=now,
    ).returning(drafts.c.id)).scalar_one()


def drafts_for(db: Database, connection: Connection, referral_id: int) -> list[dict[str, str]]:
    """The referral's letters as its JSON lists them."""
    return [{"kind": letter.kind, "path": letter.path, "status": letter.status}
            for letter in drafts(db, connection, referral_id)]


def referral_by_sha(db: Database, connection: Connection, sha256: str) -> ReferralSummary | None:
    return _one_referral(db, connection, db.table("referrals").c.sha256 == sha256)


def referral_by_reference(db: Database, connection: Connection,
                          reference: str) -> ReferralSummary | None:
    return _one_referral(db, connection, db.table("referrals").c.reference == reference)


def all_referrals(db: Database, connection: Connection) -> list[ReferralSummary]:
    """Every referral, oldest first."""
    return _referrals(db, connection, None)


def _one_referral(db: Database, connection: Connection, condition) -> ReferralSummary | None:
    found = _referrals(db, connection, condition)
    return found[0] if found else None


def _referrals(db: Database, connection: Connection, condition) -> list[ReferralSummary]:
    """Referrals with their JSON as printed: the stored extraction plus the current drafts."""
    referrals = db.table("referrals")
    query = sa.select(referrals.c.id, referrals.c.reference, referrals.c.sha256,
                      referrals.c.status, referrals.c.extraction_json).order_by(referrals.c.id)
    if condition is not None:
        query = query.where(condition)
    summaries = []
    for row in connection.execute(query).all():
        referral_json = json.loads(row.extraction_json)
        referral_json["drafts"] = drafts_for(db, connection, row.id)
        summaries.append(ReferralSummary(row.id, row.reference, row.sha256, row.status,
                                         referral_json))
    return summaries


# The desk's reads of one referral, and its changes --------------------------------

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


def update_referral(db: Database, connection: Connection, referral_id: int,
                    **values: Any) -> None:
    """Change a referral's own columns; its status changes only by `move_referral`."""
    assert "status" not in values, "a status changes only through its transition"
    referrals = db.table("referrals")
    connection.execute(referrals.update().where(referrals.c.id == referral_id)
                       .values(with_sent_dates(values)))


def move_referral(db: Database, connection: Connection, referral_id: int,
                  transition: Transition[ReferralStatus], **values: Any) -> bool:
    """Apply `transition` (and `values`) if the referral's status allows it, checked and
    changed in one statement; False if it did not (someone else moved it first)."""
    referrals = db.table("referrals")
    result = connection.execute(
        referrals.update()
        .where(referrals.c.id == referral_id,
               referrals.c.status.in_(transition.allowed_from))
        .values(status=transition.to, **with_sent_dates(values)))
    return result.rowcount == 1


# Each letter's time sent, and the column keeping the council's date of it (migration 0013).
_SENT_DATES = {"acknowledged_at": "acknowledged_on", "replied_at": "replied_on"}


def with_sent_dates(values: dict[str, Any]) -> dict[str, Any]:
    """`values` with the council's date of each letter's time sent beside it: the liaison
    figures judge letters against their targets by that date, counted in SQL."""
    dated = dict(values)
    for moment, day in _SENT_DATES.items():
        if moment in values:
            sent_at = values[moment]
            dated[day] = local_date(sent_at) if sent_at is not None else None
    return dated
