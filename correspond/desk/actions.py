"""What a caseworker does to a referral: correct, match, redraft, upload, approve, return.

Each action is one write transaction that reads the state, checks it and changes it
together, with its audit event, so the trail never claims an action that did not happen,
nor misses one that did, and two people acting at once cannot both win. Statuses change
only by the transitions in `correspond.review`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from correspond.config import Settings
from correspond.desk.approval import ACKNOWLEDGEMENT, Approvals, Approved, letter_in, status_in
from correspond.desk.children import Children
from correspond.desk.drafting import add_letter_in, casework_for, render_letter
from correspond.desk.fields import (
    CONCERNS_FIELD,
    YOUNG_PERSON_FIELD,
    added_child_path_of,
    apply_corrections,
    current_value,
    extraction_from_json,
    is_unchanged,
    live_positions,
    parse_value,
)
from correspond.desk.messages import cannot_change, folder_problem
from correspond.desk.queries import ReferralView, load_view
from correspond.desk.replies import Replies
from correspond.domain.clock import utc_now
from correspond.domain.concerns import CONCERN_LABELS
from correspond.domain.outcomes import CHANGES, OUTCOMES
from correspond.draft import Drafter
from correspond.errors import DeskProblem, MatchConfirmationError
from correspond.match import Matcher
from correspond.match.confirm import confirm_match
from correspond.records import Extraction
from correspond.review import LETTER, REFERRAL, SEND_LETTERS, ReferralStatus
from correspond.store import (
    audit,
    corrections,
    drafts,
    outcomes,
    redirects,
    referrals,
    registers,
    search,
)
from correspond.store.archive import Archive
from correspond.store.atomic import write_bytes_atomically
from correspond.store.database import Database
from correspond.store.referrals import child_columns, match_columns

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
REDIRECT = "redirect"  # the letter passing one not about SEND to another service


@dataclass(frozen=True)
class Refreshed:
    redrafted: tuple[str, ...]
    kept: tuple[str, ...]  # letters edited in Word, left as they are


@dataclass(frozen=True)
class CorrectionResult:
    changed: tuple[str, ...]
    redrafted: tuple[str, ...]
    not_redrafted: tuple[str, ...]  # letters edited in Word, left as they are
    rematched: bool


class DeskActions:
    def __init__(self, settings: Settings, db: Database, archive: Archive, drafter: Drafter,
                 matcher: Matcher) -> None:
        self.settings = settings
        self.db = db
        self.archive = archive
        self.drafter = drafter
        self.matcher = matcher
        self.approvals = Approvals(settings, db, archive)
        self.replies = Replies(settings, db, drafter)
        self.children = Children(self)

    def correct(self, referral_id: int, form: Mapping[str, str],
                concerns: Sequence[str] | None, user: str) -> CorrectionResult:
        """Save the fields in `form` (path -> typed text) that differ from the values in
        force, rematch children whose names or birth dates changed, and redraft.

        One write transaction reads the referral, records the corrections and redrafts its
        letters, so a letter is always drafted from the fields as they were committed,
        and an approval made meanwhile either comes first (the approved letter is left
        as it is) or after (and sees the new version)."""
        with self.db.writing() as connection:
            view = load_view(self.db, connection, referral_id)
            changes = self._changes(view, form, concerns)
            if not changes:
                return CorrectionResult((), (), (), False)
            return self.apply_changes(connection, view, changes, user)

    def apply_changes(self, connection: Connection, view: ReferralView,
                      changes: Mapping[str, Any], user: str) -> CorrectionResult:
        """Inside the caller's write: record `changes` (path -> value) as corrections,
        bring the referral's children, concerns, columns, letters and search index into
        line with them, and rematch children whose identifying fields changed."""
        referral_id = view.row.id
        corrected = apply_corrections(view.referral, changes)
        extraction = extraction_from_json(corrected)
        positions = live_positions(corrected)
        rematch = _children_to_rematch(changes, view.confirmed, positions)
        decisions = self.matcher.match(extraction) if rematch else []
        for path, value in changes.items():
            corrections.add_correction(self.db, connection, referral_id, path, value, user)
            if added_child_path_of(path) is None:
                audit.record(self.db, connection, user=user, action="edited",
                             referral_id=referral_id, detail=path)
        # The children's columns follow the corrections, so the queue shows the right
        # names; a rematched child's link follows its new details.
        for index, (position, child) in enumerate(zip(positions, extraction.children)):
            matched = (match_columns(decisions[index])
                       if position in rematch and index < len(decisions) else {})
            referrals.save_child(self.db, connection, referral_id, position,
                                 **child_columns(child), **matched)
        referrals.replace_concerns(self.db, connection, referral_id, extraction)
        if _moves_deadlines(changes):
            self._set_deadlines(connection, view.row, extraction)  # the letters quote them
        letters = self.refresh(connection, referral_id, user)
        return CorrectionResult(tuple(changes), letters.redrafted, letters.kept,
                                bool(rematch))

    def refresh(self, connection: Connection, referral_id: int, user: str) -> Refreshed:
        """Inside the caller's write, after a referral's fields or children changed: its
        own columns, its letters (redrafted; set aside or put back as it is, or is not,
        about SEND) and its search entry follow the referral as it now stands."""
        view = load_view(self.db, connection, referral_id)
        extraction = extraction_from_json(view.referral)
        _store_referral_fields(self.db, connection, view.row, extraction)
        view = load_view(self.db, connection, referral_id)
        withdrawn = self._set_aside_letters(connection, view, extraction.is_send, user)
        if withdrawn:
            view = load_view(self.db, connection, referral_id)
        redrafted, kept = self._redraft(connection, view, extraction, user, force=False)
        letters = [letter for letter in view.drafts if not letter.is_withdrawn]
        if extraction.is_send and not any(letter.kind == ACKNOWLEDGEMENT for letter in letters):
            # Read as not about SEND, and a caseworker says it is: it needs acknowledging.
            self._add_letter(connection, view, extraction, ACKNOWLEDGEMENT, user)
            redrafted += (ACKNOWLEDGEMENT,)
        search.reindex(self.db, connection, referral_id)
        return Refreshed(redrafted, kept)

    def _set_aside_letters(self, connection: Connection, view: ReferralView, is_send: bool,
                           user: str) -> bool:
        """A letter marked as not about SEND needs no SEND letters (their drafts are
        withdrawn, and put back if it is marked as about SEND again); one marked as about
        SEND needs no letter passing it to another service."""
        changed = False
        for letter in view.drafts:
            about_send = letter.kind in SEND_LETTERS
            if letter.is_withdrawn and about_send == is_send:
                transition, action = LETTER["restore"], "restored"
            elif not letter.is_withdrawn and not letter.is_approved and about_send != is_send:
                transition, action = LETTER["withdraw"], "withdrawn"
            else:
                continue
            if drafts.move_letter(self.db, connection, letter.id, transition,
                                  changed_by=user):
                audit.record(self.db, connection, user=user, action=action,
                             referral_id=view.row.id, detail=letter.kind)
                changed = True
        return changed

    def _set_deadlines(self, connection: Connection, row: Any, extraction: Extraction) -> None:
        """The protocol's targets for the referral as corrected (urgent or not), by the
        version in force when it arrived; a letter already sent keeps its date, and a
        reply-by date a holding reply gave stands (the protocol's is kept beside it)."""
        acknowledgement_due, reply_due = self.settings.joint_protocol.due_dates(
            row.received_date, row.correspondent_kind or "other", extraction.urgent,
            self.settings.bank_holidays)
        due = {}
        if row.acknowledged_at is None:
            due["acknowledgement_due"] = acknowledgement_due
        if row.replied_at is None:
            due["first_reply_due" if row.first_reply_due else "reply_due"] = reply_due
        if due:
            referrals.update_referral(self.db, connection, row.id, **due)

    def _changes(self, view: ReferralView, form: Mapping[str, str],
                 concerns: Sequence[str] | None) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        for path, text in form.items():
            value = parse_value(path, text)
            if not is_unchanged(path, value, view.referral):
                changes[path] = value
        if path_young_person_needs_one_child(changes, view.referral):
            raise DeskProblem("Only a letter about one young person can be from that young "
                              "person: remove or add children first.")
        if concerns is not None:
            unknown = [item for item in concerns if item not in CONCERN_LABELS]
            if unknown:
                raise DeskProblem("Choose concerns from the list.")
            # Those already read keep their order (and evidence); new ones follow.
            current = current_value(view.referral, CONCERNS_FIELD)
            chosen = [item for item in current if item in concerns] + [
                item for item in CONCERN_LABELS if item in concerns and item not in current]
            if not is_unchanged(CONCERNS_FIELD, chosen, view.referral):
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
        with self.db.writing() as connection:
            audit.record(self.db, connection, user=user, action="matched",
                         referral_id=referral_id, detail=f"child {position + 1} to case "
                                                         f"{case_id}")
            search.reindex(self.db, connection, referral_id)  # the case's names, known-as

    def open_new_case(self, referral_id: int, position: int, user: str) -> None:
        """The caseworker says the child has no case yet: one is to be opened."""
        with self.db.writing() as connection:
            view = load_view(self.db, connection, referral_id)
            if position not in {child.position for child in view.children}:
                raise DeskProblem(f"This referral has no child number {position + 1}.")
            referrals.update_child(self.db, connection, referral_id, position,
                                   match_status="new", case_id=None, match_score=None)
            audit.record(self.db, connection, user=user, action="matched",
                         referral_id=referral_id, detail=f"child {position + 1} to a new case")
            search.reindex(self.db, connection, referral_id)

    def pass_to_service(self, referral_id: int, service_id: int, user: str) -> str:
        """A letter not about SEND: record the service it is passed to and draft (or
        draft again) the letter telling the writer so; returns the service's name."""
        with self.db.writing() as connection:
            view = load_view(self.db, connection, referral_id)
            if view.row.status != ReferralStatus.NOT_SEND:
                raise DeskProblem("Only a letter not about SEND is passed to another service; "
                                  "untick 'About SEND' first if it is not.")
            service = next((item for item in redirects.services(self.db, connection)
                            if item.id == service_id), None)
            if service is None:
                raise DeskProblem("Choose a service from the list.")
            redirects.choose(self.db, connection, referral_id, service_id, by=user)
            audit.record(self.db, connection, user=user, action="passed_on",
                         referral_id=referral_id, detail=f"to {service.name}")
            extraction = extraction_from_json(view.referral)
            letter = next((item for item in view.drafts if item.kind == REDIRECT
                           and not item.is_withdrawn), None)
            if letter is None:
                self._add_letter(connection, view, extraction, REDIRECT, user)
            elif letter.is_approved:
                raise DeskProblem("The letter passing it on was approved already; it can no "
                                  "longer be changed.")
            else:
                self._redraft(connection, view, extraction, user, force=True)
        return service.name

    def redraft(self, referral_id: int, user: str) -> tuple[str, ...]:
        """Draft every unapproved letter again from its template, replacing any edit."""
        with self.db.writing() as connection:
            view = load_view(self.db, connection, referral_id)
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
            if letter.is_approved or letter.is_withdrawn:
                continue
            if letter.source == "uploaded" and not force:
                kept.append(letter.kind)
                continue
            if not drafts.move_letter(self.db, connection, letter.id, LETTER["change"],
                                    source="drafted", changed_by=user):
                continue  # approved since the view was read: it stays as approved
            render_letter(self.drafter, letter.kind, view.row, extraction,
                          casework_for(self.db, connection, view, user, letter.kind))
            audit.record(self.db, connection, user=user, action="redrafted",
                         referral_id=view.row.id, detail=letter.kind)
            redrafted.append(letter.kind)
        return tuple(redrafted), tuple(kept)

    def add_letter(self, referral_id: int, kind: str, user: str) -> None:
        """Draft another letter for this referral: the full response, or the
        acknowledgement of one first read as not about SEND (a holding reply is drafted
        with its new date, by `replies`)."""
        with self.db.writing() as connection:
            view = load_view(self.db, connection, referral_id)
            if any(letter.kind == kind and not letter.is_withdrawn for letter in view.drafts):
                raise DeskProblem("That letter has already been drafted.")
            self._add_letter(connection, view, extraction_from_json(view.referral), kind, user)

    def _add_letter(self, connection: Connection, view: ReferralView, extraction: Extraction,
                    kind: str, user: str) -> None:
        add_letter_in(self.db, connection, self.drafter, view, extraction, kind, user)

    def upload(self, referral_id: int, draft_id: int, data: bytes, user: str) -> None:
        """Replace a draft with the caseworker's edited copy from Word."""
        _check_word_document(data)
        with self.db.writing() as connection:
            letter = letter_in(self.db, connection, referral_id, draft_id)
            if not drafts.move_letter(self.db, connection, draft_id, LETTER["change"],
                                    source="uploaded", changed_by=user):
                raise DeskProblem(cannot_change(letter))
            try:
                write_bytes_atomically(Path(letter.path), data)
            except OSError as err:
                raise DeskProblem(folder_problem("drafts", err)) from err
            audit.record(self.db, connection, user=user, action="uploaded",
                         referral_id=referral_id, detail=letter.kind)

    def approve(self, referral_id: int, draft_id: int, user: str) -> Approved:
        """Freeze the letter and put it in the outbox (see approval.py)."""
        return self.approvals.approve(referral_id, draft_id, user)

    def recover_outbox(self) -> tuple[int, int]:
        return self.approvals.recover_outbox()

    def reject(self, referral_id: int, draft_id: int, reason: str, user: str) -> None:
        """Send the letter back with a reason; the referral returns to the queue."""
        reason = reason.strip()
        if not reason:
            raise DeskProblem("Say why the letter is being returned.")
        with self.db.writing() as connection:
            letter = letter_in(self.db, connection, referral_id, draft_id)
            if not drafts.move_letter(self.db, connection, draft_id, LETTER["return"],
                                    changed_by=user):
                raise DeskProblem(cannot_change(letter))
            # Before acknowledgement the referral goes back to the queue as returned;
            # after it, the referral keeps its status and shows the reason.
            if not referrals.move_referral(self.db, connection, referral_id, REFERRAL["return"],
                                      returned_reason=reason):
                referrals.update_referral(self.db, connection, referral_id,
                                     returned_reason=reason)
            audit.record(self.db, connection, user=user, action="rejected",
                         referral_id=referral_id, detail=letter.kind)

    def record_reply(self, referral_id: int, user: str) -> None:
        """The full reply has been sent (written in the case system or in Word)."""
        with self.db.writing() as connection:
            if not referrals.move_referral(self.db, connection, referral_id, REFERRAL["reply"],
                                      replied_at=utc_now()):
                status = status_in(self.db, connection, referral_id)
                if status in (ReferralStatus.REPLIED, ReferralStatus.CLOSED):
                    raise DeskProblem("The full reply is already recorded as sent.")
                if status == ReferralStatus.NOT_SEND:
                    raise DeskProblem("This letter is marked as not about SEND, so it has "
                                      "no reply to record.")
                raise DeskProblem("Approve the acknowledgement before recording the reply.")
            audit.record(self.db, connection, user=user, action="replied",
                         referral_id=referral_id)

    def close(self, referral_id: int, outcome: str, changes: Sequence[str],
              notes: str, user: str) -> None:
        """Close a replied referral with what happened in the end: its outcome, the
        changes for the family (each "concern:change", as the page's tick list sends
        them) and any notes."""
        if outcome not in OUTCOMES:
            raise DeskProblem("Choose the outcome: what happened in the end.")
        ticked = [tuple(item.split(":", 1)) for item in changes]
        if any(len(item) != 2 or item[1] not in CHANGES for item in ticked):
            raise DeskProblem("Choose what changed from the list.")
        with self.db.writing() as connection:
            if not referrals.move_referral(self.db, connection, referral_id,
                                           REFERRAL["close"]):
                status = status_in(self.db, connection, referral_id)
                if status == ReferralStatus.CLOSED:
                    raise DeskProblem("This referral is already closed.")
                raise DeskProblem("Record that the full reply was sent before closing the "
                                  "referral.")
            outcomes.record_outcome(self.db, connection, referral_id, outcome,
                                    [(concern, change) for concern, change in ticked],
                                    notes.strip(), user)
            audit.record(self.db, connection, user=user, action="closed",
                         referral_id=referral_id, detail=outcome)


def _moves_deadlines(changes: Mapping[str, Any]) -> bool:
    """Whether corrections change which of the protocol's targets a letter is judged by
    (who wrote is the kind the letter claims, which a correction does not change)."""
    return "urgent" in changes


def _children_to_rematch(changes: Mapping[str, Any], confirmed: frozenset[int],
                         positions: Sequence[int]) -> list[int]:
    """Children whose identifying fields changed and whose link no one has decided."""
    keys = ("first_name", "last_name", "date_of_birth")
    changed = {position for position in positions
               for key in keys if f"children[{position}].{key}" in changes}
    if "constituent.postcode" in changes or "constituent.name" in changes:
        changed.update(positions)
    return sorted(changed - confirmed)


def path_young_person_needs_one_child(changes: Mapping[str, Any],
                                      referral: dict[str, Any]) -> bool:
    """Ticking 'the young person is the writer' on a letter not about exactly one child."""
    return bool(changes.get(YOUNG_PERSON_FIELD)) and len(live_positions(referral)) != 1


def _store_referral_fields(db: Database, connection: Connection, row: Any,
                           extraction: Extraction) -> None:
    """The referral's own columns follow the corrections; one a caseworker says is (or
    is not) about SEND joins (or leaves) the letters awaiting approval."""
    referrals.update_referral(
        db, connection, row.id,
        mp_name=extraction.correspondent.name,
        constituency=extraction.correspondent.constituency,
        mp_reference=extraction.correspondent.reference,
        constituent_name=extraction.constituent.name,
        urgent=extraction.urgent, letter_date=extraction.letter_date,
        is_send=extraction.is_send)
    # A corrected name or constituency may be (or no longer be) a member on the lists.
    registers.link_referral(db, connection, row.id)
    if extraction.is_send:
        referrals.move_referral(db, connection, row.id, REFERRAL["mark_send"])
    else:
        referrals.move_referral(db, connection, row.id, REFERRAL["mark_not_send"])


def _check_word_document(data: bytes) -> None:
    # The uploaded letter is approved and sent as it is, so what cannot be kept in it
    # (links that would be fetched) refuses it, with what to put right in Word.
    from correspond.draft.word import open_word_document
    from correspond.files.word_package import (
        PackageProblem,
        PackageTooLarge,
        describe_links,
        external_links,
    )

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
