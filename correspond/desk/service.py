"""What a caseworker does to a referral: correct, match, redraft, upload, approve, return.

Each action is one write transaction with its audit event, so the trail never claims an
action that did not happen, nor misses one that did. Slow work (rendering, PDF) happens
outside the write lock.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from correspond.archive import Archive
from correspond.atomic import write_bytes_atomically
from correspond.config import Settings
from correspond.desk.fields import (
    CONCERNS_FIELD, apply_corrections, current_value, extraction_from_json, parse_value,
)
from correspond.draft import Drafter
from correspond.draft.context import CONCERN_LABELS
from correspond.draft.pdf import convert_to_pdf
from correspond.draft.word import is_word_document
from correspond.errors import DeskProblem, MatchConfirmationError
from correspond.match import Matcher
from correspond.match.confirm import confirm_match
from correspond.model import CaseRecord, Extraction
from correspond.store import audit, desk, referrals
from correspond.store.cases import case_by_id
from correspond.store.database import Database
from correspond.store.referrals import child_columns, insert_draft, match_columns
from correspond.timekeeping import utc_now

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Letters whose approval is the acknowledgement; others (a holding reply) do not move it.
ACKNOWLEDGEMENT = "acknowledgement"


@dataclass(frozen=True)
class ReferralView:
    row: Any
    referral: dict[str, Any]  # the referral JSON with corrections applied
    extracted: dict[str, Any]  # as the program read it
    corrected: frozenset[str]
    children: list[Any]
    confirmed: frozenset[int]
    attachments: list[Any]
    drafts: list[desk.Draft]


@dataclass(frozen=True)
class CorrectionResult:
    changed: tuple[str, ...]
    redrafted: tuple[str, ...]
    not_redrafted: tuple[str, ...]  # letters edited in Word, left as they are
    rematched: bool


class Desk:
    def __init__(self, settings: Settings, db: Database, archive: Archive, drafter: Drafter,
                 matcher: Matcher) -> None:
        self.settings = settings
        self.db = db
        self.archive = archive
        self.drafter = drafter
        self.matcher = matcher

    # Reading -------------------------------------------------------------------------

    def filter_choices(self) -> dict[str, list[str]]:
        with self.db.reading() as connection:
            return desk.filter_choices(self.db, connection)

    def queue(self, chosen: desk.QueueFilter) -> list[desk.QueueRow]:
        """Urgent first, then by the acknowledgement and reply deadlines."""
        with self.db.reading() as connection:
            rows = desk.queue(self.db, connection, chosen)
        return sorted(rows, key=lambda row: (not row.urgent, row.acknowledged_at is not None,
                                             row.acknowledgement_due, row.reply_due, row.id))

    def referral(self, referral_id: int, *, user: str | None = None) -> ReferralView | None:
        """One referral in full; recorded as viewed by `user`."""
        with self.db.reading() as connection:
            row = desk.referral_row(self.db, connection, referral_id)
            if row is None:
                return None
            extracted = desk_json(row)
            corrections = desk.corrections(self.db, connection, referral_id)
            view = ReferralView(
                row=row, referral=apply_corrections(extracted, corrections),
                extracted=extracted, corrected=frozenset(corrections),
                children=desk.children_rows(self.db, connection, referral_id),
                confirmed=frozenset(desk.confirmed_positions(self.db, connection,
                                                             referral_id)),
                attachments=desk.attachment_rows(self.db, connection, referral_id),
                drafts=desk.drafts(self.db, connection, referral_id),
            )
        if user is not None:
            audit.record_alone(self.db, user=user, action="viewed", referral_id=referral_id)
        return view

    def history(self, referral_id: int) -> list[audit.AuditEvent]:
        """Who did what to this referral, newest first."""
        return audit.events(self.db, referral_id=referral_id)

    def row(self, referral_id: int) -> Any:
        """The referral's own record (reference, status, dates), without its parts."""
        with self.db.reading() as connection:
            found = desk.referral_row(self.db, connection, referral_id)
        if found is None:
            raise DeskProblem("There is no such referral.")
        return found

    def attachment_file(self, referral_id: int, position: int) -> tuple[str, Path] | None:
        with self.db.reading() as connection:
            attachments = desk.attachment_rows(self.db, connection, referral_id)
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

    def draft(self, referral_id: int, draft_id: int) -> desk.Draft:
        with self.db.reading() as connection:
            found = desk.draft(self.db, connection, draft_id)
        if found is None or found.referral_id != referral_id:
            raise DeskProblem("There is no such letter for this referral.")
        return found

    # Correcting and matching ---------------------------------------------------------

    def correct(self, referral_id: int, form: Mapping[str, str],
                concerns: Sequence[str] | None, user: str) -> CorrectionResult:
        """Save the fields in `form` (path -> typed text) that differ from the values in
        force, rematch children whose names or birth dates changed, and redraft."""
        view = self._view(referral_id)
        changes = self._changes(view, form, concerns)
        if not changes:
            return CorrectionResult((), (), (), False)
        corrected = apply_corrections(view.referral, changes)
        extraction = extraction_from_json(corrected)
        rematch = _children_to_rematch(changes, view.confirmed, len(view.children))
        decisions = self.matcher.match(extraction) if rematch else []
        with self.db.writing() as connection:
            for path, value in changes.items():
                desk.add_correction(self.db, connection, referral_id, path, value, user)
                audit.record(self.db, connection, user=user, action="edited",
                             referral_id=referral_id, detail=path)
            # The children's columns follow the corrections, so the queue shows the right
            # names; a rematched child's link follows its new details.
            for position, child in enumerate(extraction.children):
                matched = (match_columns(decisions[position])
                           if position in rematch and position < len(decisions) else {})
                referrals.update_child(self.db, connection, referral_id, position,
                                       **child_columns(child), **matched)
            referrals.replace_concerns(self.db, connection, referral_id, extraction)
            _store_referral_fields(self.db, connection, view.row, extraction)
        redrafted, kept = self._redraft(view, extraction, user, force=False)
        if extraction.is_send and not view.drafts:
            # Read as not about SEND, and a caseworker says it is: it needs acknowledging.
            self.add_letter(referral_id, ACKNOWLEDGEMENT, user)
            redrafted += (ACKNOWLEDGEMENT,)
        return CorrectionResult(tuple(changes), redrafted, kept, bool(rematch))

    def _changes(self, view: ReferralView, form: Mapping[str, str],
                 concerns: Sequence[str] | None) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        for path, text in form.items():
            value = parse_value(path, text)
            if value != current_value(view.referral, path):
                changes[path] = value
        if concerns is not None:
            unknown = [item for item in concerns if item not in CONCERN_LABELS]
            if unknown:
                raise DeskProblem("Choose concerns from the list.")
            chosen = [item for item in CONCERN_LABELS if item in concerns]
            if chosen != current_value(view.referral, CONCERNS_FIELD):
                changes[CONCERNS_FIELD] = chosen
        return changes

    def confirm_case(self, referral_id: int, position: int, case_id: str, user: str) -> None:
        case_id = case_id.strip()
        if not case_id:
            raise DeskProblem("Give the case ID to link this child to.")
        try:
            confirm_match(self.db, referral_id, position, case_id, user)
        except MatchConfirmationError as err:
            raise DeskProblem(err.reason) from err
        audit.record_alone(self.db, user=user, action="matched", referral_id=referral_id,
                           detail=f"child {position + 1} to case {case_id}")

    def open_new_case(self, referral_id: int, position: int, user: str) -> None:
        """The caseworker says the child has no case yet: one is to be opened."""
        view = self._view(referral_id)
        if position >= len(view.children):
            raise DeskProblem(f"This referral has no child number {position + 1}.")
        with self.db.writing() as connection:
            referrals.update_child(self.db, connection, referral_id, position,
                                   match_status="new", case_id=None, match_score=None)
            audit.record(self.db, connection, user=user, action="matched",
                         referral_id=referral_id, detail=f"child {position + 1} to a new case")

    def cases(self, case_ids: Iterable[str]) -> dict[str, CaseRecord | None]:
        """The case records with these ids (None for one that no longer exists)."""
        with self.db.reading() as connection:
            return {case_id: case_by_id(self.db, connection, case_id) for case_id in case_ids}

    # Letters -------------------------------------------------------------------------

    def redraft(self, referral_id: int, user: str) -> tuple[str, ...]:
        """Draft every unapproved letter again from its template, replacing any edit."""
        view = self._view(referral_id)
        redrafted, _ = self._redraft(view, extraction_from_json(view.referral), user,
                                     force=True)
        return redrafted

    def _redraft(self, view: ReferralView, extraction: Extraction, user: str, *,
                 force: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Draft the unapproved letters again for `extraction` (the referral as it now
        stands); a letter edited in Word is kept unless `force`."""
        row = view.row
        redrafted, kept = [], []
        for letter in view.drafts:
            if letter.status == "approved":
                continue
            if letter.source == "uploaded" and not force:
                kept.append(letter.kind)
                continue
            self.drafter.draft(letter.kind, extraction=extraction,
                               council_reference=row.reference, received=row.received_date,
                               acknowledgement_due=row.acknowledgement_due,
                               reply_due=row.reply_due)
            with self.db.writing() as connection:
                desk.update_draft(self.db, connection, letter.id, status="draft",
                                  source="drafted", changed_by=user)
                audit.record(self.db, connection, user=user, action="redrafted",
                             referral_id=row.id, detail=letter.kind)
            redrafted.append(letter.kind)
        return tuple(redrafted), tuple(kept)

    def add_letter(self, referral_id: int, kind: str, user: str) -> None:
        """Draft another letter for this referral: a holding reply, or the
        acknowledgement of one first read as not about SEND."""
        view = self._view(referral_id)
        if any(letter.kind == kind for letter in view.drafts):
            raise DeskProblem("That letter has already been drafted.")
        row = view.row
        path = self.drafter.draft(kind, extraction=extraction_from_json(view.referral),
                                  council_reference=row.reference,
                                  received=row.received_date,
                                  acknowledgement_due=row.acknowledgement_due,
                                  reply_due=row.reply_due)
        with self.db.writing() as connection:
            insert_draft(self.db, connection, referral_id, kind, str(path))
            audit.record(self.db, connection, user=user, action="drafted",
                         referral_id=referral_id, detail=kind)

    def upload(self, referral_id: int, draft_id: int, data: bytes, user: str) -> None:
        """Replace a draft with the caseworker's edited copy from Word."""
        letter = self._open_letter(referral_id, draft_id)
        _check_word_document(data)
        write_bytes_atomically(Path(letter.path), data)
        with self.db.writing() as connection:
            desk.update_draft(self.db, connection, draft_id, status="draft", source="uploaded",
                              changed_by=user)
            audit.record(self.db, connection, user=user, action="uploaded",
                         referral_id=referral_id, detail=letter.kind)

    def approve(self, referral_id: int, draft_id: int, user: str) -> desk.Draft:
        """Put the letter in the outbox (as .docx, and PDF where LibreOffice is
        installed) and record the time it was approved for sending."""
        letter = self._open_letter(referral_id, draft_id)
        stem = f"{self.row(referral_id).reference}-{letter.kind}"
        outbox = self.settings.outbox_dir
        docx = outbox / f"{stem}.docx"
        write_bytes_atomically(docx, Path(letter.path).read_bytes())
        pdf = convert_to_pdf(docx, outbox / f"{stem}.pdf", program=self.settings.libreoffice,
                             timeout_seconds=self.settings.pdf_timeout_seconds)
        now = utc_now()
        with self.db.writing() as connection:
            current = desk.draft(self.db, connection, draft_id)
            if current is None or current.status == "approved":
                raise DeskProblem("This letter has already been approved.")
            desk.update_draft(self.db, connection, draft_id, status="approved",
                              approved_by=user, approved_at=now, outbox_path=str(docx),
                              pdf_path=str(pdf.path) if pdf.path else None,
                              pdf_problem=pdf.problem)
            if letter.kind == ACKNOWLEDGEMENT:
                desk.update_referral(self.db, connection, referral_id,
                                     status="acknowledged", acknowledged_at=now,
                                     returned_reason=None)
            audit.record(self.db, connection, user=user, action="approved",
                         referral_id=referral_id, detail=letter.kind)
            approved = desk.draft(self.db, connection, draft_id)
        log.info("referral %s: %s approved", referral_id, letter.kind)
        assert approved is not None
        return approved

    def reject(self, referral_id: int, draft_id: int, reason: str, user: str) -> None:
        """Send the letter back with a reason; the referral returns to the queue."""
        reason = reason.strip()
        if not reason:
            raise DeskProblem("Say why the letter is being returned.")
        letter = self._open_letter(referral_id, draft_id)
        with self.db.writing() as connection:
            desk.update_draft(self.db, connection, draft_id, status="rejected",
                              changed_by=user)
            desk.update_referral(self.db, connection, referral_id, status="returned",
                                 returned_reason=reason)
            audit.record(self.db, connection, user=user, action="rejected",
                         referral_id=referral_id, detail=letter.kind)

    def record_reply(self, referral_id: int, user: str) -> None:
        """The full reply has been sent (written in the case system or in Word)."""
        if self.row(referral_id).acknowledged_at is None:
            raise DeskProblem("Approve the acknowledgement before recording the reply.")
        with self.db.writing() as connection:
            desk.update_referral(self.db, connection, referral_id, status="replied",
                                 replied_at=utc_now())
            audit.record(self.db, connection, user=user, action="replied",
                         referral_id=referral_id)

    def _open_letter(self, referral_id: int, draft_id: int) -> desk.Draft:
        letter = self.draft(referral_id, draft_id)
        if letter.status == "approved":
            raise DeskProblem("This letter has already been approved and cannot change.")
        return letter

    def _view(self, referral_id: int) -> ReferralView:
        view = self.referral(referral_id)
        if view is None:
            raise DeskProblem("There is no such referral.")
        return view


def desk_json(row: Any) -> dict[str, Any]:
    """The referral JSON as extracted and stored at ingest."""
    return json.loads(row.extraction_json)


def _children_to_rematch(changes: Mapping[str, Any], confirmed: frozenset[int],
                         count: int) -> list[int]:
    """Children whose identifying fields changed and whose link no one has decided."""
    keys = ("first_name", "last_name", "date_of_birth")
    changed = {position for position in range(count)
               for key in keys if f"children[{position}].{key}" in changes}
    if "constituent.postcode" in changes or "constituent.name" in changes:
        changed.update(range(count))
    return sorted(changed - confirmed)


def _store_referral_fields(db: Database, connection, row: Any,
                           extraction: Extraction) -> None:
    """The referral's own columns follow the corrections; one a caseworker says is (or
    is not) about SEND joins (or leaves) the letters awaiting approval."""
    values: dict[str, Any] = dict(
        mp_name=extraction.correspondent.name,
        constituency=extraction.correspondent.constituency,
        mp_reference=extraction.correspondent.reference,
        constituent_name=extraction.constituent.name,
        urgent=extraction.urgent, letter_date=extraction.letter_date,
        is_send=extraction.is_send)
    if extraction.is_send and row.status == "not_send":
        values["status"] = "awaiting_approval"
    elif not extraction.is_send and row.status in ("awaiting_approval", "returned"):
        values["status"] = "not_send"
    desk.update_referral(db, connection, row.id, **values)


def _check_word_document(data: bytes) -> None:
    # The uploaded letter is approved and sent as it is, so what cannot be kept in it
    # (links that would be fetched) refuses it, with what to put right in Word.
    from correspond.docxsafety import (
        PackageProblem, PackageTooLarge, describe_links, external_links,
    )
    from correspond.draft.word import open_word_document

    if len(data) > MAX_UPLOAD_BYTES:
        raise DeskProblem("That file is larger than 10 MB; a letter is much smaller.")
    not_word = DeskProblem("That file is not a Word document (.docx); save it from Word "
                           "as a .docx and upload it again.")
    try:
        with open_word_document(data) as package:
            outside = external_links(package)
    except PackageTooLarge as problem:
        raise DeskProblem(f"That Word document is too large to accept: {problem.reason}; "
                          f"save the letter from Word again (with smaller pictures) and "
                          f"upload it again.") from problem
    except PackageProblem as problem:
        raise not_word from problem
    if outside:
        raise DeskProblem(
            f"That letter links to pictures or files outside the letter "
            f"({describe_links(outside)}), which the server will not fetch, so it was not "
            f"uploaded; in Word, insert pictures into the letter itself rather than linking "
            f"to them (or copy the letter into a new blank document), save it and upload "
            f"it again.")
    from docx import Document  # python-docx loads only when a letter is uploaded

    try:
        Document(io.BytesIO(data))
    except Exception as err:  # XML and docx errors vary; all mean the same here
        raise not_word from err


__all__ = ["CorrectionResult", "Desk", "ReferralView"]
