"""What a caseworker does to a referral: correct, match, redraft, upload, approve, return.

Each action is one write transaction that checks the state and changes it together, with
its audit event, so the trail never claims an action that did not happen, nor misses one
that did, and two people acting at once cannot both win. Statuses change only by the
transitions in `correspond.review`. The one slow step, the PDF at approval, runs before
the write lock, and the approval then commits only if the letter is unchanged.
"""

from __future__ import annotations

import io
import json
import logging
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from correspond.archive import Archive
from correspond.atomic import write_bytes_atomically
from correspond.config import Settings
from correspond.desk.outbox import ApprovedLetter, Outbox, sha256_of
from correspond.desk.fields import (
    CONCERNS_FIELD, apply_corrections, current_value, extraction_from_json, parse_value,
)
from correspond.draft import Drafter
from correspond.draft.context import CONCERN_LABELS
from correspond.draft.pdf import convert_to_pdf
from correspond.errors import DeskProblem, MatchConfirmationError
from correspond.match import Matcher
from correspond.match.confirm import confirm_match
from correspond.model import CaseRecord, Extraction
from correspond.review import LETTER, REFERRAL, ReferralStatus
from correspond.store import audit, desk, referrals
from correspond.store.cases import case_by_id
from correspond.store.database import Database
from correspond.store.referrals import child_columns, insert_draft, match_columns
from correspond.timekeeping import local_date, local_time, utc_now

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
            try:
                view = self._load(connection, referral_id)
            except DeskProblem:
                return None
        if user is not None:
            audit.record_alone(self.db, user=user, action="viewed", referral_id=referral_id)
        return view

    def _load(self, connection: Connection, referral_id: int) -> ReferralView:
        row = desk.referral_row(self.db, connection, referral_id)
        if row is None:
            raise DeskProblem("There is no such referral.")
        extracted = desk_json(row)
        corrections = desk.corrections(self.db, connection, referral_id)
        return ReferralView(
            row=row, referral=apply_corrections(extracted, corrections),
            extracted=extracted, corrected=frozenset(corrections),
            children=desk.children_rows(self.db, connection, referral_id),
            confirmed=frozenset(desk.confirmed_positions(self.db, connection, referral_id)),
            attachments=desk.attachment_rows(self.db, connection, referral_id),
            drafts=desk.drafts(self.db, connection, referral_id),
        )

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
        force, rematch children whose names or birth dates changed, and redraft.

        One write transaction reads the referral, records the corrections and redrafts its
        letters, so a letter is always drafted from the fields as they were committed,
        and an approval made meanwhile either comes first (the approved letter is left
        as it is) or after (and sees the new version)."""
        with self.db.writing() as connection:
            view = self._load(connection, referral_id)
            changes = self._changes(view, form, concerns)
            if not changes:
                return CorrectionResult((), (), (), False)
            corrected = apply_corrections(view.referral, changes)
            extraction = extraction_from_json(corrected)
            rematch = _children_to_rematch(changes, view.confirmed, len(view.children))
            decisions = self.matcher.match(extraction) if rematch else []
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
            redrafted, kept = self._redraft(connection, view, extraction, user, force=False)
            if extraction.is_send and not view.drafts:
                # Read as not about SEND, and a caseworker says it is: it needs acknowledging.
                self._add_letter(connection, view, extraction, ACKNOWLEDGEMENT, user)
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
        with self.db.writing() as connection:
            view = self._load(connection, referral_id)
            if position >= len(view.children):
                raise DeskProblem(f"This referral has no child number {position + 1}.")
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
        with self.db.writing() as connection:
            view = self._load(connection, referral_id)
            redrafted, _ = self._redraft(connection, view,
                                         extraction_from_json(view.referral), user,
                                         force=True)
        return redrafted

    def _redraft(self, connection: Connection, view: ReferralView, extraction: Extraction,
                 user: str, *, force: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Inside the caller's write: draft the unapproved letters again for `extraction`
        (the referral as it now stands); a letter edited in Word is kept unless `force`."""
        redrafted, kept = [], []
        for letter in view.drafts:
            if letter.is_approved:
                continue
            if letter.source == "uploaded" and not force:
                kept.append(letter.kind)
                continue
            if not desk.move_letter(self.db, connection, letter.id, LETTER["change"],
                                    source="drafted", changed_by=user):
                continue  # approved since the view was read: it stays as approved
            self._render(letter.kind, view.row, extraction)
            audit.record(self.db, connection, user=user, action="redrafted",
                         referral_id=view.row.id, detail=letter.kind)
            redrafted.append(letter.kind)
        return tuple(redrafted), tuple(kept)

    def add_letter(self, referral_id: int, kind: str, user: str) -> None:
        """Draft another letter for this referral: a holding reply, or the
        acknowledgement of one first read as not about SEND."""
        with self.db.writing() as connection:
            view = self._load(connection, referral_id)
            if any(letter.kind == kind for letter in view.drafts):
                raise DeskProblem("That letter has already been drafted.")
            self._add_letter(connection, view, extraction_from_json(view.referral), kind, user)

    def _add_letter(self, connection: Connection, view: ReferralView, extraction: Extraction,
                    kind: str, user: str) -> None:
        path = self._render(kind, view.row, extraction)
        insert_draft(self.db, connection, view.row.id, kind, str(path))
        audit.record(self.db, connection, user=user, action="drafted",
                     referral_id=view.row.id, detail=kind)

    def _render(self, kind: str, row: Any, extraction: Extraction) -> Path:
        try:
            return self.drafter.draft(kind, extraction=extraction,
                                      council_reference=row.reference,
                                      received=row.received_date,
                                      acknowledgement_due=row.acknowledgement_due,
                                      reply_due=row.reply_due)
        except OSError as err:
            raise DeskProblem(_folder_problem("drafts", err)) from err

    def upload(self, referral_id: int, draft_id: int, data: bytes, user: str) -> None:
        """Replace a draft with the caseworker's edited copy from Word."""
        _check_word_document(data)
        with self.db.writing() as connection:
            letter = self._letter_in(connection, referral_id, draft_id)
            if not desk.move_letter(self.db, connection, draft_id, LETTER["change"],
                                    source="uploaded", changed_by=user):
                raise DeskProblem(_cannot_change(letter))
            try:
                write_bytes_atomically(Path(letter.path), data)
            except OSError as err:
                raise DeskProblem(_folder_problem("drafts", err)) from err
            audit.record(self.db, connection, user=user, action="uploaded",
                         referral_id=referral_id, detail=letter.kind)

    def approve(self, referral_id: int, draft_id: int, user: str) -> desk.Draft:
        """Freeze the letter's exact bytes, put them in the outbox (as .docx, and PDF
        where LibreOffice is installed) and record the approval with their SHA-256.

        The slow part (the PDF) runs before the write lock; the approval then commits
        only if the letter is still the version that was frozen, so a correction, an
        upload or a return made meanwhile wins, and the caseworker is told."""
        letter = self.draft(referral_id, draft_id)
        if letter.is_approved:
            raise DeskProblem(_cannot_change(letter))
        row = self.row(referral_id)
        try:
            data = Path(letter.path).read_bytes()
        except OSError as err:
            raise DeskProblem(_folder_problem("drafts", err)) from err
        frozen = sha256_of(data)
        stem = f"{row.reference}-{letter.kind}"
        pdf = self._pdf_of(data, stem)
        contents = {f"{stem}.docx": data}
        if pdf.data is not None:
            contents[f"{stem}.pdf"] = pdf.data
        outbox = Outbox(self.settings.outbox_dir)
        staged = outbox.stage(draft_id, contents)
        try:
            # Kept for good: the exact bytes that left, whatever happens to the outbox.
            for item in contents.values():
                self.archive.store_bytes(item)
            with self.db.writing() as connection:
                current = self._letter_in(connection, referral_id, draft_id)
                if current.is_approved:
                    raise DeskProblem(_cannot_change(current))
                if current.version != letter.version or _sha256_of_file(current) != frozen:
                    raise DeskProblem(
                        f"This letter was changed while you were approving it"
                        f"{_by(current.changed_by, current.updated_at)}; check the new "
                        "version and approve it again.")
                self._record_approval(connection, row, letter, user, frozen, pdf,
                                      outbox.path_for(f"{stem}.docx"),
                                      outbox.path_for(f"{stem}.pdf"))
                approved = desk.draft(self.db, connection, draft_id)
        except BaseException:
            outbox.discard(staged)
            raise
        outbox.publish(staged)
        log.info("referral %s: %s approved", referral_id, letter.kind)
        assert approved is not None
        return approved

    def _record_approval(self, connection: Connection, row: Any, letter: desk.Draft,
                         user: str, frozen: str, pdf: _Pdf, docx_path: Path,
                         pdf_path: Path) -> None:
        now = utc_now()
        if not desk.move_letter(
                self.db, connection, letter.id, LETTER["approve"], version=letter.version,
                approved_by=user, approved_at=now, approved_sha256=frozen,
                outbox_path=str(docx_path),
                pdf_path=str(pdf_path) if pdf.data is not None else None,
                pdf_sha256=sha256_of(pdf.data) if pdf.data is not None else None,
                pdf_problem=pdf.problem):
            raise DeskProblem("This letter could not be approved: it has just changed. "
                              "Reload the page and approve it again.")
        if letter.kind == ACKNOWLEDGEMENT:
            if not desk.move_referral(self.db, connection, row.id, REFERRAL["acknowledge"],
                                      acknowledged_at=now, returned_reason=None):
                raise DeskProblem(_cannot_acknowledge(self._status_in(connection, row.id)))
        else:
            desk.update_referral(self.db, connection, row.id, returned_reason=None)
        audit.record(self.db, connection, user=user, action="approved",
                     referral_id=row.id, detail=letter.kind)

    def _pdf_of(self, data: bytes, stem: str) -> _Pdf:
        """The PDF of the frozen bytes, made in a private folder (LibreOffice is slow)."""
        with tempfile.TemporaryDirectory(prefix="correspond-approve-") as work:
            docx = Path(work) / f"{stem}.docx"
            docx.write_bytes(data)
            result = convert_to_pdf(docx, Path(work) / f"{stem}.pdf",
                                    program=self.settings.libreoffice,
                                    timeout_seconds=self.settings.pdf_timeout_seconds)
            if result.path is None:
                return _Pdf(None, result.problem)
            return _Pdf(result.path.read_bytes(), None)

    def recover_outbox(self) -> tuple[int, int]:
        """Finish approvals a crash interrupted between their commit and the outbox."""
        def approved(draft_id: int) -> ApprovedLetter | None:
            with self.db.reading() as connection:
                found = desk.draft(self.db, connection, draft_id)
            if found is None or not found.is_approved or found.approved_sha256 is None:
                return None
            names = {Path(found.outbox_path).name: found.approved_sha256} \
                if found.outbox_path else {}
            if found.pdf_path and found.pdf_sha256:
                names[Path(found.pdf_path).name] = found.pdf_sha256
            return ApprovedLetter(draft_id, names)

        return Outbox(self.settings.outbox_dir).recover(approved)

    def reject(self, referral_id: int, draft_id: int, reason: str, user: str) -> None:
        """Send the letter back with a reason; the referral returns to the queue."""
        reason = reason.strip()
        if not reason:
            raise DeskProblem("Say why the letter is being returned.")
        with self.db.writing() as connection:
            letter = self._letter_in(connection, referral_id, draft_id)
            if not desk.move_letter(self.db, connection, draft_id, LETTER["return"],
                                    changed_by=user):
                raise DeskProblem(_cannot_change(letter))
            # Before acknowledgement the referral goes back to the queue as returned;
            # after it, the referral keeps its status and shows the reason.
            if not desk.move_referral(self.db, connection, referral_id, REFERRAL["return"],
                                      returned_reason=reason):
                desk.update_referral(self.db, connection, referral_id,
                                     returned_reason=reason)
            audit.record(self.db, connection, user=user, action="rejected",
                         referral_id=referral_id, detail=letter.kind)

    def record_reply(self, referral_id: int, user: str) -> None:
        """The full reply has been sent (written in the case system or in Word)."""
        with self.db.writing() as connection:
            if not desk.move_referral(self.db, connection, referral_id, REFERRAL["reply"],
                                      replied_at=utc_now()):
                status = self._status_in(connection, referral_id)
                if status == ReferralStatus.REPLIED:
                    raise DeskProblem("The full reply is already recorded as sent.")
                if status == ReferralStatus.NOT_SEND:
                    raise DeskProblem("This letter is marked as not about SEND, so it has "
                                      "no reply to record.")
                raise DeskProblem("Approve the acknowledgement before recording the reply.")
            audit.record(self.db, connection, user=user, action="replied",
                         referral_id=referral_id)

    def _letter_in(self, connection: Connection, referral_id: int,
                   draft_id: int) -> desk.Draft:
        found = desk.draft(self.db, connection, draft_id)
        if found is None or found.referral_id != referral_id:
            raise DeskProblem("There is no such letter for this referral.")
        return found

    def _status_in(self, connection: Connection, referral_id: int) -> str | None:
        row = desk.referral_row(self.db, connection, referral_id)
        return row.status if row is not None else None


@dataclass(frozen=True)
class _Pdf:
    data: bytes | None
    problem: str | None


def _sha256_of_file(letter: desk.Draft) -> str | None:
    try:
        return sha256_of(Path(letter.path).read_bytes())
    except OSError:
        return None


def _by(user: str | None, moment: datetime | None) -> str:
    """" by casey at 10:42" (with the date when not today), for messages."""
    if moment is None:
        return f" by {user}" if user else ""
    local = local_time(moment)
    when = (f"at {local:%H:%M}" if local.date() == local_date(utc_now())
            else f"on {local.day} {local:%B %Y} at {local:%H:%M}")
    return f" {when} by {user}" if user else f" {when}"


def _cannot_change(letter: desk.Draft) -> str:
    if letter.is_approved:
        return (f"This letter was approved{_by(letter.approved_by, letter.approved_at)}; "
                "it can no longer be changed.")
    return "This letter cannot be changed now; reload the page to see its state."


def _cannot_acknowledge(status: str | None) -> str:
    if status == ReferralStatus.NOT_SEND:
        return ("This letter is marked as not about SEND, so its acknowledgement cannot be "
                "approved; tick 'About SEND' first if it is.")
    return "The acknowledgement for this referral has already been approved."


def _folder_problem(folder: str, err: OSError) -> str:
    return (f"The {folder} folder could not be written to ({err.strerror}), so nothing was "
            f"changed; ask IT support to check that the service can write to the {folder} "
            "folder.")


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


def _store_referral_fields(db: Database, connection: Connection, row: Any,
                           extraction: Extraction) -> None:
    """The referral's own columns follow the corrections; one a caseworker says is (or
    is not) about SEND joins (or leaves) the letters awaiting approval."""
    desk.update_referral(
        db, connection, row.id,
        mp_name=extraction.correspondent.name,
        constituency=extraction.correspondent.constituency,
        mp_reference=extraction.correspondent.reference,
        constituent_name=extraction.constituent.name,
        urgent=extraction.urgent, letter_date=extraction.letter_date,
        is_send=extraction.is_send)
    if extraction.is_send:
        desk.move_referral(db, connection, row.id, REFERRAL["mark_send"])
    else:
        desk.move_referral(db, connection, row.id, REFERRAL["mark_not_send"])


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
