"""What the desk shows: the queue, one referral in full, its letters, files and history.

Reading only; every change is in actions.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from correspond.desk.fields import apply_corrections
from correspond.errors import DeskProblem
from correspond.records import CaseRecord
from correspond.store import audit, corrections, deliveries, drafts, referrals
from correspond.store import queue as queue_store
from correspond.store.archive import Archive
from correspond.store.cases import case_by_id
from correspond.store.database import Database


@dataclass(frozen=True)
class ReferralView:
    row: Any
    referral: dict[str, Any]  # the referral JSON with corrections applied
    extracted: dict[str, Any]  # as the program read it
    corrected: frozenset[str]
    children: list[Any]  # the children's rows, those a caseworker removed left out
    removed: list[Any]  # the rows of children a caseworker removed, with why
    confirmed: frozenset[int]
    attachments: list[Any]
    drafts: list[drafts.Draft]
    received_again: list[deliveries.Arrival]  # the same file dropped again later


class DeskQueries:
    def __init__(self, db: Database, archive: Archive) -> None:
        self.db = db
        self.archive = archive

    def filter_choices(self) -> dict[str, list[str]]:
        with self.db.reading() as connection:
            return queue_store.filter_choices(self.db, connection)

    def queue(self, chosen: queue_store.QueueFilter) -> list[queue_store.QueueRow]:
        """Urgent first, then by the acknowledgement and reply deadlines."""
        with self.db.reading() as connection:
            rows = queue_store.queue(self.db, connection, chosen)
        return sorted(rows, key=queue_order)

    def rows_of(self, referral_ids: list[int]) -> list[queue_store.QueueRow]:
        """The queue's rows for these referrals, whatever their status."""
        if not referral_ids:
            return []
        with self.db.reading() as connection:
            return queue_store.queue(self.db, connection,
                                     queue_store.QueueFilter(ids=tuple(referral_ids)))

    def referral(self, referral_id: int, *, user: str | None = None) -> ReferralView | None:
        """One referral in full; recorded as viewed by `user`."""
        with self.db.reading() as connection:
            try:
                view = load_view(self.db, connection, referral_id)
            except DeskProblem:
                return None
        if user is not None:
            audit.record_alone(self.db, user=user, action="viewed", referral_id=referral_id)
        return view

    def history(self, referral_id: int) -> list[audit.AuditEvent]:
        """Who did what to this referral, newest first."""
        return audit.events(self.db, referral_id=referral_id)

    def row(self, referral_id: int) -> Any:
        """The referral's own record (reference, status, dates), without its parts."""
        with self.db.reading() as connection:
            found = referrals.referral_row(self.db, connection, referral_id)
        if found is None:
            raise DeskProblem("There is no such referral.")
        return found

    def attachment_file(self, referral_id: int, position: int) -> tuple[str, Path] | None:
        with self.db.reading() as connection:
            attachments = referrals.attachment_rows(self.db, connection, referral_id)
        for item in attachments:
            if item.position == position:
                return item.name, self.archive.path_for(item.sha256)
        return None

    def original_file(self, referral_id: int) -> tuple[str, Path] | None:
        """The correspondence as it was dropped, from the archive."""
        try:
            row = self.row(referral_id)
        except DeskProblem:
            return None
        name = Path(desk_json(row).get("file") or f"{row.reference}.{row.format}").name
        return name, self.archive.path_for(row.sha256)

    def letter_file(self, referral_id: int) -> Path | None:
        """The archived file the letter was read from: the original, or the attachment
        that was the letter (for its pages to be shown)."""
        try:
            row = self.row(referral_id)
        except DeskProblem:
            return None
        if not row.letter_source.startswith("attachment:"):
            return self.archive.path_for(row.sha256)
        with self.db.reading() as connection:
            attachments = referrals.attachment_rows(self.db, connection, referral_id)
        letter = next((item for item in attachments if item.is_letter), None)
        return self.archive.path_for(letter.sha256) if letter is not None else None

    def retried(self, sha256: str, since: datetime) -> deliveries.LatestDelivery | None:
        """How a file tried again has ended since `since`; None while it is being read."""
        with self.db.reading() as connection:
            return deliveries.latest_since(self.db, connection, sha256, since)

    def draft(self, referral_id: int, draft_id: int) -> drafts.Draft:
        with self.db.reading() as connection:
            found = drafts.draft(self.db, connection, draft_id)
        if found is None or found.referral_id != referral_id:
            raise DeskProblem("There is no such letter for this referral.")
        return found

    def cases(self, case_ids: Iterable[str]) -> dict[str, CaseRecord | None]:
        """The case records with these ids (None for one that no longer exists)."""
        with self.db.reading() as connection:
            return {case_id: case_by_id(self.db, connection, case_id) for case_id in case_ids}


def queue_order(row: queue_store.QueueRow) -> tuple[Any, ...]:
    """Urgent first, then those not yet acknowledged, then by the deadlines."""
    return (not row.urgent, row.acknowledged_at is not None, row.acknowledgement_due,
            row.reply_due, row.id)


def load_view(db: Database, connection: Connection, referral_id: int) -> ReferralView:
    """One referral in full, read inside the caller's transaction."""
    row = referrals.referral_row(db, connection, referral_id)
    if row is None:
        raise DeskProblem("There is no such referral.")
    extracted = desk_json(row)
    in_force = corrections.corrections(db, connection, referral_id)
    referral = apply_corrections(extracted, in_force)
    rows = referrals.children_rows(db, connection, referral_id)
    removed = [child for child in rows if child.removed_at is not None]
    for child in removed:
        if child.position < len(referral.get("children") or []):
            referral["children"][child.position]["removed"] = True
    return ReferralView(
        row=row, referral=referral,
        extracted=extracted, corrected=frozenset(in_force),
        children=[child for child in rows if child.removed_at is None], removed=removed,
        confirmed=frozenset(referrals.confirmed_positions(db, connection, referral_id)),
        attachments=referrals.attachment_rows(db, connection, referral_id),
        drafts=drafts.drafts(db, connection, referral_id),
        received_again=deliveries.received_again(db, connection, referral_id),
    )


def desk_json(row: Any) -> dict[str, Any]:
    """The referral JSON as extracted and stored at ingest."""
    return json.loads(row.extraction_json)
