"""The data passed between the stages of the pipeline.

read (ingest/) -> Document -> choose_letter -> Letter -> extract/ -> Extraction
-> match/ -> MatchDecision per child -> draft/ -> drafted letters.

Everything here is frozen: a stage returns a new value, it never edits the one it was given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Format = Literal["msg", "eml", "docx", "pdf", "txt"]
CorrespondentType = Literal["mp", "mp_office", "councillor", "other"]
MatchStatus = Literal["matched", "review", "new"]
SchoolStatus = Literal["resolved", "ambiguous", "unknown"]


@dataclass(frozen=True)
class Attachment:
    """A file carried inside an email (or a nested email inside an email)."""

    name: str
    content_type: str | None
    data: bytes
    # The attachment read as a document, when it is of a format we read (docx, pdf, txt,
    # eml, msg) and reading it worked.
    document: Document | None = None
    # Why a readable-looking attachment could not be read, in one plain sentence.
    problem: str | None = None


@dataclass(frozen=True)
class Document:
    """One file read into text: the body of an email, or the text of a letter."""

    format: Format
    text: str
    subject: str | None = None
    sender_name: str | None = None
    sender_email: str | None = None
    sent: datetime | None = None
    attachments: tuple[Attachment, ...] = ()
    # Things a person may want to know that did not stop the read, e.g.
    # "Page 2 is a scan with no text layer".
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Letter:
    """The text the extractor reads, and where it came from.

    When an email is a covering note with the MP's letter attached, `text` is the
    attachment's text and `covering_text` is the email body; both are kept.
    """

    text: str
    source: str  # "body" or "attachment:<name>"
    covering_text: str | None = None
    subject: str | None = None
    sender_name: str | None = None
    sender_email: str | None = None
    sent: datetime | None = None


@dataclass(frozen=True)
class School:
    name: str
    urn: str | None = None


@dataclass(frozen=True)
class Child:
    first_name: str | None = None
    last_name: str | None = None
    date_of_birth: date | None = None
    age: int | None = None
    year_group: str | None = None
    school: School | None = None
    requested_school: str | None = None


@dataclass(frozen=True)
class Correspondent:
    type: CorrespondentType = "other"
    name: str | None = None
    constituency: str | None = None
    email: str | None = None
    reference: str | None = None
    caseworker: str | None = None


@dataclass(frozen=True)
class Constituent:
    name: str | None = None
    address: str | None = None
    postcode: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Concern:
    category: str
    evidence: str | None = None
    score: float | None = None


@dataclass(frozen=True)
class Extraction:
    """What the extractor found in a letter. Unknown values are None, never invented."""

    is_send: bool
    correspondent: Correspondent
    constituent: Constituent
    children: tuple[Child, ...] = ()
    concerns: tuple[Concern, ...] = ()
    urgent: bool = False
    urgency_reasons: tuple[str, ...] = ()
    letter_date: date | None = None
    council_reference: str | None = None
    is_chaser: bool | None = None
    # Confidence in [0, 1] per field path, e.g. "children[0].date_of_birth",
    # "correspondent.name". A field absent here has no stated confidence.
    confidence: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Candidate:
    case_id: str
    score: float  # match probability in [0, 1]
    # Per-field agreement that explains the score, e.g.
    # {"last_name": {"level": "exact", "weight": 4.1}, ...}; weights in bits.
    reasons: Mapping[str, object] = field(default_factory=dict)
    # Match weight in bits: the prior (one record in N) plus the reasons' weights.
    weight: float | None = None


@dataclass(frozen=True)
class MatchDecision:
    status: MatchStatus
    case_id: str | None = None
    score: float | None = None
    candidates: tuple[Candidate, ...] = ()
    # Why it was decided so, in one sentence for the caseworker.
    reason: str | None = None


@dataclass(frozen=True)
class CaseRecord:
    """A child's case as held in the council's case management system."""

    case_id: str
    child_first_name: str
    child_last_name: str
    date_of_birth: date
    known_as: str | None = None
    school: str | None = None
    school_urn: str | None = None
    parent_names: tuple[str, ...] = ()
    address: str | None = None
    postcode: str | None = None
    caseworker: str | None = None
    caseworker_email: str | None = None
    ehcp_status: str | None = None
    ehcp_issued: date | None = None
    next_review_due: date | None = None


@dataclass(frozen=True)
class SchoolRecord:
    """One establishment in the Department for Education's register (GIAS)."""

    urn: str
    name: str
    la_code: str | None = None
    la_name: str | None = None
    town: str | None = None
    postcode: str | None = None
    status: str | None = None  # "Open", "Closed", "Open, but proposed to close", ...
    establishment_type: str | None = None
    phase: str | None = None
    religious_character: str | None = None


@dataclass(frozen=True)
class SchoolCandidate:
    urn: str
    name: str
    town: str | None
    la_name: str | None
    score: float


@dataclass(frozen=True)
class SchoolResolution:
    """What a school name as written in a letter means in the register.

    `resolved` names one school (`urn`, `name`); `ambiguous` lists the ranked candidates
    and names none; `unknown` found nothing close enough. `area` is the local authority
    whose schools decided it, when the `schools_la` setting narrowed the search.
    """

    status: SchoolStatus
    written: str
    urn: str | None = None
    name: str | None = None
    candidates: tuple[SchoolCandidate, ...] = ()
    area: str | None = None
