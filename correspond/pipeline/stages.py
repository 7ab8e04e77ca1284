"""The pipeline for one file, as a visible list of stages.

    a plain file? -> check size -> archive original -> duplicate?
    -> read and extract (worker process)
    -> resolve schools -> match children -> archive attachments
    -> record, number and draft (one transaction)

A file either ends recorded as processed (its referral, archived original and drafted
letter committed together), recorded as a duplicate of an earlier referral, or recorded
as failed with a plain reason. Nothing is half-done: the archive is content-addressed and
idempotent, drafts are renamed into place inside the transaction that records them.

A file nobody could read is entered by hand in the desk (`enter_by_hand`): what the
caseworker typed takes the place of the reading, and the rest is as above.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from correspond.config import Settings
from correspond.domain.clock import local_date, utc_now
from correspond.domain.correspondents import Claim
from correspond.draft import Drafter
from correspond.errors import NotARegularFile, UnreadableFile
from correspond.files.regular import open_regular
from correspond.match import Matcher
from correspond.pipeline.workers import ReaderPool, ReadResult
from correspond.records import (
    Attachment,
    Casework,
    Document,
    Extraction,
    Letter,
    SchoolResolution,
)
from correspond.referral_json import referral_to_json
from correspond.review import ReferralStatus
from correspond.schools.directory import SchoolDirectory
from correspond.store import audit, deliveries, referrals, registers, search
from correspond.store.archive import Archive, Archived, sha256_of_stream
from correspond.store.cases import cases_by_id
from correspond.store.database import Database

log = logging.getLogger(__name__)

OutcomeKind = Literal["processed", "duplicate", "failed"]

# Recorded for an entry refused unopened (a shortcut, a pipe): the digest of no bytes.
_NOTHING_READ = hashlib.sha256(b"").hexdigest()
# The letter's source for a referral a caseworker typed in from a file nobody could read.
ENTERED_BY_HAND = "entered by hand"


@dataclass(frozen=True)
class Outcome:
    kind: OutcomeKind
    sha256: str
    delivery_id: int
    referral_id: int | None = None
    reference: str | None = None
    reason: str | None = None
    referral: dict[str, Any] | None = field(default=None, compare=False)


class FileChanged(Exception):
    """The file changed while it was being read: it was still being copied."""


@dataclass(frozen=True)
class Expected:
    """The size and modification time a file had when it was taken."""

    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> Expected:
        stat = os.lstat(path)  # a shortcut's own, never what it points to
        return cls(stat.st_size, stat.st_mtime_ns)


class Pipeline:
    def __init__(self, *, settings: Settings, db: Database, archive: Archive,
                 readers: ReaderPool | None, matcher: Matcher, drafter: Drafter,
                 schools: SchoolDirectory | None = None) -> None:
        self.settings = settings
        self.db = db
        self.archive = archive
        self.readers = readers
        self.matcher = matcher
        self.schools = schools
        self.drafter = drafter

    def ingest(self, path: Path, *, name: str, claim_token: str | None = None,
               expected: Expected | None = None, given_as: str | None = None,
               recheck_unreadable: bool = False) -> Outcome:
        """Run the whole pipeline for the file at `path`, dropped under `name`.

        `given_as` is the path staff gave or dropped it under (the referral's `file`); a
        claimed file has been moved out of the inbox by the time it is read.

        `expected` is the file's size and time when it was taken; if it has changed by
        the time the file is read, FileChanged is raised and nothing is recorded.

        With `recheck_unreadable`, a file that is empty or cannot be read raises
        UnreadableFile and nothing is recorded, so that the caller can look again once
        the file has had longer to settle (a copy that stalls looks damaged).
        """
        try:
            source = open_regular(path)
        except NotARegularFile as refused:
            return self._fail(_NOTHING_READ, name, 0, claim_token, refused.reason)
        with source:
            size = os.fstat(source.fileno()).st_size
            if size > self.settings.max_file_bytes:
                return self._fail(sha256_of_stream(source), name, size, claim_token,
                                  _too_large(size, self.settings.max_file_mb))
            archived = self.archive.store_stream(source)
        _check_unchanged(path, expected)
        duplicate = self._duplicate(archived, name, claim_token)
        if duplicate is not None:
            return duplicate
        try:
            if archived.size == 0:
                raise UnreadableFile("The file is empty.")
            if self.readers is None:
                raise RuntimeError("This process was started to read no files (the desk).")
            result = self.readers.read(archived.path, name)
        except UnreadableFile as err:
            _check_unchanged(path, expected)
            if recheck_unreadable:
                raise
            return self._fail(archived.sha256, name, archived.size, claim_token, err.reason)
        result, schools = self._resolve_schools(result)
        decisions = self.matcher.match(result.extraction)
        attachments = self._archive_attachments(result)
        return self._record(given_as or str(path), name, claim_token, archived, result,
                            decisions, attachments, schools)

    def enter_by_hand(self, path: Path, *, name: str, extraction: Extraction,
                      pages: int, user: str) -> Outcome:
        """Record a referral from what `user` typed for the file at `path` (set aside as
        unreadable, dropped as `name`), with `pages` pages to show: the original archived
        with it, matched, the acknowledgement drafted, and who entered it in the audit
        trail, all in one transaction. Raises NotARegularFile for a shortcut or the like;
        a file already recorded comes back as a duplicate, and nothing new is recorded."""
        from correspond.ingest.sniff import sniff

        with open_regular(path) as source:
            archived = self.archive.store_stream(source)
        data = archived.path.read_bytes()
        try:
            kind = sniff(data, name)
        except UnreadableFile:
            kind = "other"
        document = Document(format=kind, text="")
        letter = Letter(text="", source=ENTERED_BY_HAND)
        result = ReadResult(document=document, letter=letter, extraction=extraction)
        result, schools = self._resolve_schools(result)
        decisions = self.matcher.match(result.extraction)
        return self._record(str(path), name, None, archived, result, decisions, [], schools,
                            entered_by=user, pages=pages)

    def record_failure(self, path: Path, *, name: str, claim_token: str | None,
                       reason: str) -> Outcome:
        """Record that the file at `path` is set aside unprocessed, for `reason`."""
        with open_regular(path) as source:
            size = os.fstat(source.fileno()).st_size
            return self._fail(sha256_of_stream(source), name, size, claim_token, reason)

    def _duplicate(self, archived: Archived, name: str,
                   claim_token: str | None) -> Outcome | None:
        with self.db.reading() as connection:
            first = referrals.referral_by_sha(self.db, connection, archived.sha256)
        if first is None:
            return None
        with self.db.writing() as connection:
            return self._record_duplicate(connection, first, archived, name, claim_token)

    def _record_duplicate(self, connection, first: referrals.ReferralSummary,
                          archived: Archived, name: str, claim_token: str | None) -> Outcome:
        delivery_id = deliveries.record_delivery(
            self.db, connection, claim_token=claim_token, sha256=archived.sha256, name=name,
            size=archived.size, outcome="duplicate", referral_id=first.id,
        )
        log.info("delivery %s is a duplicate of referral %s", delivery_id, first.reference,
                 extra={"referral_id": first.id, "delivery_id": delivery_id})
        output = {**first.referral_json, "duplicate_of": first.reference}
        return Outcome("duplicate", archived.sha256, delivery_id, first.id, first.reference,
                       referral=output)

    def _fail(self, sha256: str, name: str, size: int, claim_token: str | None,
              reason: str) -> Outcome:
        with self.db.writing() as connection:
            delivery_id = deliveries.record_delivery(
                self.db, connection, claim_token=claim_token, sha256=sha256, name=name,
                size=size, outcome="failed", reason=reason,
            )
        log.info("delivery %s failed (sha256 %s)", delivery_id, sha256[:12],
                 extra={"delivery_id": delivery_id})
        return Outcome("failed", sha256, delivery_id, reason=reason)

    def _resolve_schools(
        self, result: ReadResult
    ) -> tuple[ReadResult, tuple[SchoolResolution | None, ...]]:
        """Each child's school gets its URN when the register names one school."""
        if self.schools is None:
            return result, ()
        extraction, resolutions = self.schools.resolve_children(result.extraction)
        return replace(result, extraction=extraction), resolutions

    def _archive_attachments(self, result: ReadResult) -> list[referrals.StoredAttachment]:
        stored = []
        letter_source = result.letter.source
        for attachment in _all_attachments(result.document):
            archived = self.archive.store_bytes(attachment.data)
            stored.append(referrals.StoredAttachment(
                name=attachment.name, content_type=attachment.content_type,
                sha256=archived.sha256, is_letter=letter_source == f"attachment:{attachment.name}",
                problem=attachment.problem,
            ))
        return stored

    def _record(self, given_as: str, name: str, claim_token: str | None, archived: Archived,
                result: ReadResult, decisions, attachments,
                schools: tuple[SchoolResolution | None, ...] = (), *,
                entered_by: str | None = None, pages: int = 0) -> Outcome:
        extraction = result.extraction
        # A letter set aside and read (or entered by hand) later arrived when it was
        # first dropped: its deadlines run from then.
        with self.db.reading() as connection:
            received_at = (deliveries.first_failed_at(self.db, connection, archived.sha256)
                           or utc_now())
        received = local_date(received_at)
        correspondent = extraction.correspondent
        with self.db.writing() as connection:
            # Another copy of the same content may have been recorded while this one read.
            first = referrals.referral_by_sha(self.db, connection, archived.sha256)
            if first is not None:
                return self._record_duplicate(connection, first, archived, name, claim_token)
            # The protocol's targets depend on who wrote, as the registers bear it out.
            link = registers.match_claim(self.db, connection, Claim(
                correspondent.type, correspondent.name, correspondent.constituency))
            acknowledgement_due, reply_due = self.settings.joint_protocol.due_dates(
                received, link.kind, extraction.urgent, self.settings.bank_holidays)
            for item in [archived, *_archived_refs(self.archive, attachments)]:
                referrals.record_file(self.db, connection, item.sha256, item.size,
                                      str(item.path.relative_to(self.archive.root)))
            reference = referrals.next_reference(
                self.db, connection, self.settings.reference_prefix, received.year)
            status = (ReferralStatus.AWAITING_APPROVAL if extraction.is_send
                      else ReferralStatus.NOT_SEND)
            referral_json = referral_to_json(
                file=given_as, sha256=archived.sha256, format=result.document.format,
                letter=result.letter, parts=result.parts, extraction=extraction, matches=decisions,
                schools=schools,
                extra=_extra(reference, status, received_at, acknowledgement_due, reply_due,
                             result, attachments, pages),
            )
            new = referrals.NewReferral(
                reference=reference, sha256=archived.sha256, format=result.document.format,
                received_at=received_at, received_date=received,
                acknowledgement_due=acknowledgement_due, reply_due=reply_due, status=status,
                letter=result.letter, extraction=extraction, matches=decisions,
                referral_json=referral_json, correspondent=link,
            )
            referral_id = referrals.insert_referral(self.db, connection, new)
            referrals.insert_attachments(self.db, connection, referral_id, attachments)
            search.reindex(self.db, connection, referral_id)
            if entered_by is not None:
                audit.record(self.db, connection, user=entered_by, action="entered_by_hand",
                             referral_id=referral_id, detail="a file that could not be read")
            if extraction.is_send:
                # Signed by the caseworker of a child's linked case, where there is one.
                linked = [d.case_id for d in decisions if d.status == "matched" and d.case_id]
                cases = cases_by_id(self.db, connection, linked)
                casework = Casework(cases=tuple(cases[case_id] for case_id in linked
                                                if case_id in cases))
                draft_path = self.drafter.draft_for("acknowledgement", new, extraction,
                                                    casework)
                referrals.insert_draft(self.db, connection, referral_id, "acknowledgement",
                                       str(draft_path))
            delivery_id = deliveries.record_delivery(
                self.db, connection, claim_token=claim_token, sha256=archived.sha256,
                name=name, size=archived.size, outcome="processed", referral_id=referral_id,
            )
            referral_json["drafts"] = referrals.drafts_for(self.db, connection, referral_id)
        log.info("delivery %s recorded as referral %s (%s)", delivery_id, reference, status,
                 extra={"referral_id": referral_id, "delivery_id": delivery_id})
        return Outcome("processed", archived.sha256, delivery_id, referral_id, reference,
                       referral=referral_json)


def _extra(reference: str, status: str, received_at: datetime, acknowledgement_due: date,
           reply_due: date, result: ReadResult,
           attachments: list[referrals.StoredAttachment], pages: int = 0) -> dict[str, Any]:
    return {
        "reference": reference,
        "status": status,
        "received": received_at.isoformat(timespec="seconds"),
        "acknowledgement_due": acknowledgement_due.isoformat(),
        "reply_due": reply_due.isoformat(),
        "letter_source": result.letter.source,
        "notes": list(result.document.notes),
        # The pages of the file the letter was read from, and where each page's text is
        # in the letter's text (a page read by OCR says how confidently), for the desk to
        # show each page beside its text; an entry by hand has the pages alone.
        "pages": [{"number": page.number, "start": page.span.start, "end": page.span.end,
                   "ocr": page.ocr, "confidence": page.confidence}
                  for page in result.letter.pages]
        or [{"number": number} for number in range(1, pages + 1)],
        "attachments": [
            {"name": item.name, "sha256": item.sha256, "is_letter": item.is_letter,
             "problem": item.problem}
            for item in attachments
        ],
    }


def _all_attachments(document: Document) -> list[Attachment]:
    """Every attachment, including those inside attached emails, outermost first."""
    found: list[Attachment] = []
    for attachment in document.attachments:
        found.append(attachment)
        if attachment.document is not None:
            found.extend(_all_attachments(attachment.document))
    return found


def _archived_refs(archive: Archive,
                   attachments: list[referrals.StoredAttachment]) -> list[Archived]:
    refs = {}
    for item in attachments:
        path = archive.path_for(item.sha256)
        refs[item.sha256] = Archived(item.sha256, path.stat().st_size, path)
    return list(refs.values())


def _check_unchanged(path: Path, expected: Expected | None) -> None:
    if expected is not None and Expected.of(path) != expected:
        raise FileChanged(path)


def _too_large(size: int, limit_mb: float) -> str:
    return (f"This file is {size / 1024 / 1024:.0f} MB, larger than the {limit_mb:g} MB "
            "limit for correspondence; check it is the right file, or ask for the limit "
            "(max_file_mb) to be raised.")


__all__ = ["Expected", "FileChanged", "Letter", "Outcome", "Pipeline"]
