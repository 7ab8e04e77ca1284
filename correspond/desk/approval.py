"""Approving a letter: its exact bytes frozen, checked for other children, put in the
outbox, and recorded with their SHA-256, once.

The slow part (LibreOffice's PDF) runs before the write lock; the approval then commits
only if the letter is still the version that was frozen, so a correction, an upload or a
return made meanwhile wins and the caseworker is told. The outbox is written before the
commit (hidden names) and published after it, and `recover_outbox` finishes or undoes an
approval a crash interrupted in between. A letter that names a child not in its
referral is refused (see disclosure.py), before the PDF and again inside the commit.
What approving each kind of letter does to its referral is in `correspond.review`.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from correspond.config import Settings
from correspond.desk.disclosure import letter_text, other_children, refusal
from correspond.desk.messages import (
    by_whom,
    cannot_acknowledge,
    cannot_change,
    cannot_reply,
    folder_problem,
)
from correspond.desk.outbox import ApprovedLetter, Outbox, sha256_of
from correspond.domain.clock import utc_now
from correspond.draft.pdf import convert_to_pdf
from correspond.errors import DeskProblem
from correspond.review import LETTER, LETTER_EFFECTS, REFERRAL
from correspond.store import audit, drafts, referrals
from correspond.store.archive import Archive
from correspond.store.database import Database
from correspond.store.replies import reply_inputs

log = logging.getLogger(__name__)

ACKNOWLEDGEMENT, HOLDING = "acknowledgement", "holding"


@dataclass(frozen=True)
class Approved:
    """Where an approved letter went: its .docx, and its PDF or why there is none."""

    docx: Path
    pdf: Path | None
    pdf_problem: str | None


class Approvals:
    def __init__(self, settings: Settings, db: Database, archive: Archive) -> None:
        self.settings = settings
        self.db = db
        self.archive = archive

    def approve(self, referral_id: int, draft_id: int, user: str) -> Approved:
        """Freeze the letter's exact bytes, put them in the outbox (as .docx, and PDF
        where LibreOffice is installed) and record the approval with their SHA-256.

        The slow part (the PDF) runs before the write lock; the approval then commits
        only if the letter is still the version that was frozen, so a correction, an
        upload or a return made meanwhile wins, and the caseworker is told."""
        with self.db.reading() as connection:
            letter = letter_in(self.db, connection, referral_id, draft_id)
            row = referrals.referral_row(self.db, connection, referral_id)
        if letter.is_approved:
            raise DeskProblem(cannot_change(letter))
        try:
            data = Path(letter.path).read_bytes()
        except OSError as err:
            raise DeskProblem(folder_problem("drafts", err)) from err
        frozen = sha256_of(data)
        # Checked now, so a letter naming another child is refused before the slow PDF,
        # and again below, inside the write that commits the approval.
        text = letter_text(data)
        with self.db.reading() as connection:
            self._refuse_other_children(connection, referral_id, text)
        stem = f"{row.reference}-{letter.kind}"
        pdf = self._pdf_of(data, stem)
        contents = {f"{stem}.docx": data}
        if pdf.data is not None:
            contents[f"{stem}.pdf"] = pdf.data
        outbox = Outbox(self.settings.outbox)
        approved = Approved(outbox.path_for(f"{stem}.docx"),
                            outbox.path_for(f"{stem}.pdf") if pdf.data is not None else None,
                            pdf.problem)
        staged = outbox.stage(draft_id, contents)
        try:
            # Kept for good: the exact bytes that left, whatever happens to the outbox.
            for item in contents.values():
                self.archive.store_bytes(item)
            with self.db.writing() as connection:
                current = letter_in(self.db, connection, referral_id, draft_id)
                if current.is_approved:
                    raise DeskProblem(cannot_change(current))
                if current.version != letter.version or _sha256_of_file(current) != frozen:
                    raise DeskProblem(
                        f"This letter was changed while you were approving it"
                        f"{by_whom(current.changed_by, current.updated_at)}; check the new "
                        "version and approve it again.")
                self._refuse_other_children(connection, referral_id, text)
                self._record_approval(connection, row, letter, user, frozen, pdf, approved)
        except BaseException:
            outbox.discard(staged)
            raise
        outbox.publish(staged)
        log.info("referral %s: %s approved", referral_id, letter.kind,
                 extra={"referral_id": referral_id})
        return approved

    def _record_approval(self, connection: Connection, row: Any, letter: drafts.Draft,
                         user: str, frozen: str, pdf: _Pdf, approved: Approved) -> None:
        now = utc_now()
        if not drafts.move_letter(
                self.db, connection, letter.id, LETTER["approve"], version=letter.version,
                approved_by=user, approved_at=now, approved_sha256=frozen,
                outbox_path=str(approved.docx),
                pdf_path=str(approved.pdf) if approved.pdf is not None else None,
                pdf_sha256=sha256_of(pdf.data) if pdf.data is not None else None,
                pdf_problem=approved.pdf_problem):
            raise DeskProblem("This letter could not be approved: it has just changed. "
                              "Reload the page and approve it again.")
        effect = LETTER_EFFECTS.get(letter.kind)
        if effect is REFERRAL["acknowledge"]:
            if not referrals.move_referral(self.db, connection, row.id, effect,
                                           acknowledged_at=now, returned_reason=None):
                raise DeskProblem(cannot_acknowledge(status_in(self.db, connection, row.id)))
        elif effect is REFERRAL["reply"]:
            # The full response is the reply: its approval stops the reply clock.
            if not referrals.move_referral(self.db, connection, row.id, effect,
                                           replied_at=now, returned_reason=None):
                raise DeskProblem(cannot_reply(status_in(self.db, connection, row.id)))
        else:
            referrals.update_referral(self.db, connection, row.id, returned_reason=None)
        audit.record(self.db, connection, user=user, action="approved",
                     referral_id=row.id, detail=letter.kind)
        if effect is REFERRAL["reply"]:
            audit.record(self.db, connection, user=user, action="replied",
                         referral_id=row.id, detail=letter.kind)
        if letter.kind == HOLDING:
            self._move_reply_date(connection, row, user)

    def _move_reply_date(self, connection: Connection, row: Any, user: str) -> None:
        """A holding reply promises a full reply by a new date: the referral's reply-by
        date becomes that one (the first is kept, for the reports)."""
        promised = reply_inputs(self.db, connection, row.id).holding_reply_due
        current = referrals.referral_row(self.db, connection, row.id)
        if promised is None or current is None or promised <= current.reply_due:
            return
        referrals.update_referral(self.db, connection, row.id, reply_due=promised,
                                  first_reply_due=current.first_reply_due or current.reply_due)
        audit.record(self.db, connection, user=user, action="reply date moved",
                     referral_id=row.id, detail=f"to {promised.isoformat()}")

    def _refuse_other_children(self, connection: Connection, referral_id: int,
                               text: str) -> None:
        mentions = other_children(self.db, connection, referral_id, text)
        if mentions:
            raise DeskProblem(refusal(mentions))

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
                found = drafts.draft(self.db, connection, draft_id)
            if found is None or not found.is_approved or found.approved_sha256 is None:
                return None
            names = {Path(found.outbox_path).name: found.approved_sha256} \
                if found.outbox_path else {}
            if found.pdf_path and found.pdf_sha256:
                names[Path(found.pdf_path).name] = found.pdf_sha256
            return ApprovedLetter(draft_id, names)

        return Outbox(self.settings.outbox).recover(approved)


@dataclass(frozen=True)
class _Pdf:
    data: bytes | None
    problem: str | None


def _sha256_of_file(letter: drafts.Draft) -> str | None:
    try:
        return sha256_of(Path(letter.path).read_bytes())
    except OSError:
        return None


def letter_in(db: Database, connection: Connection, referral_id: int,
              draft_id: int) -> drafts.Draft:
    found = drafts.draft(db, connection, draft_id)
    if found is None or found.referral_id != referral_id:
        raise DeskProblem("There is no such letter for this referral.")
    return found


def status_in(db: Database, connection: Connection, referral_id: int) -> str | None:
    row = referrals.referral_row(db, connection, referral_id)
    return row.status if row is not None else None
