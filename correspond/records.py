"""The data passed between the stages of the pipeline.

read (ingest/) -> Document -> choose_letter -> Letter -> parts/ -> LetterParts
-> extract/ -> Extraction -> match/ -> MatchDecision per child -> draft/ -> drafted letters.

Everything here is frozen: a stage returns a new value, it never edits the one it was given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

# "image": a photo or scan read by OCR; "other": a kind the service does not read, kept
# for a referral a caseworker entered by hand.
Format = Literal["msg", "eml", "docx", "pdf", "txt", "image", "other"]
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
    # "Page 2 could not be read by OCR".
    notes: tuple[str, ...] = ()
    # Where the format says a stretch of the text came from (a page header or footer, a
    # table, a text box): hints for the parts stage.
    regions: tuple[Region, ...] = ()
    # Where each page's text is in `text`, for a PDF or a scanned picture, and whether
    # it was read by OCR (and how confidently).
    pages: tuple[PageRead, ...] = ()


@dataclass(frozen=True)
class PageRead:
    """One page of a PDF or picture: where its text is in the document's text."""

    number: int  # from 1
    span: Span
    ocr: bool = False  # read from the page's image by OCR, not from a text layer
    # For a page read by OCR: Tesseract's mean word confidence, in [0, 1].
    confidence: float | None = None


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
    # The layout hints of the document `text` is the whole of (none when it is not).
    regions: tuple[Region, ...] = ()
    # The text is an email's own body (so `sent` and `subject` are its top message's).
    email_body: bool = False
    # The pages of the file `text` was read from, spans into `text` (PDFs and pictures).
    pages: tuple[PageRead, ...] = ()


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
    # Where each value was read, per field path (extract/sources.py).
    sources: Mapping[str, Source] = field(default_factory=dict)
    # A caseworker's word that the one young person of the letter is its writer (True)
    # or is not (False); None: decided from the names (the constituent is the child).
    young_person: bool | None = None


@dataclass(frozen=True)
class Source:
    """Where a value was read: the part of the letter as the referral schema names it
    ("body", "inside_address", "email_headers", "quoted_message", ...), the message (0 the
    newest), and the words, with their offsets in the letter's text when it has them."""

    part: str
    message: int = 0
    start: int | None = None
    end: int | None = None
    text: str | None = None


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
    # The case's timeline, where the case system exports it (spec/cases.md); the
    # statutory clocks are worked out from these.
    assessment_requested: date | None = None
    assessment_decision: date | None = None
    assessment_decision_outcome: str | None = None  # "agreed" or "refused"
    draft_plan_issued: date | None = None
    last_review_held: date | None = None
    review_decision: date | None = None
    phase_transfer_due: date | None = None
    tribunal_lodged: date | None = None
    placement_sought: str | None = None

    @property
    def name(self) -> str:
        return f"{self.child_first_name} {self.child_last_name}"

    @property
    def called(self) -> str:
        """The name the child goes by: 'Alfie' for Alfred known as Alfie."""
        return self.known_as or self.child_first_name


@dataclass(frozen=True)
class ReplyInputs:
    """What a caseworker writes and chooses for a referral's letters at the desk."""

    what_found: str = ""  # "What we have found", in their words
    what_next: str = ""  # "What happens next"
    # Headings of the approved paragraphs ticked, from the council's paragraph library.
    paragraphs: tuple[str, ...] = ()
    # The statutory clocks confirmed for stating, as "CASE_ID/clock", e.g.
    # "C-1001/assessment_decision".
    confirmed_clocks: tuple[str, ...] = ()
    holding_reply_due: date | None = None  # the new date a holding reply gives
    holding_reason: str = ""  # why, completing "This is because ..."


@dataclass(frozen=True)
class Casework:
    """What the council adds to a letter beyond what the letter it answers said."""

    # The case records of the referral's children that are linked to one, in order.
    cases: tuple[CaseRecord, ...] = ()
    # Who is drafting it at the desk (signs it when no linked case names a caseworker).
    drafted_by: str | None = None
    inputs: ReplyInputs = field(default_factory=ReplyInputs)
    # The letter's date; None: the day the letter being answered was received.
    today: date | None = None
    # For a letter not about SEND: the council's service it was passed to, and how the
    # writer can reach it (from the council's list).
    redirect_service: str = ""
    redirect_contact: str = ""


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


@dataclass(frozen=True)
class MemberRecord:
    """A member on a register letters are checked against: an MP (House of Commons list)
    or a councillor (the council's list). `identity` says who they are across imports."""

    kind: str  # "mp" or "councillor"
    identity: str
    name: str
    area: str | None = None  # constituency or ward
    area_code: str | None = None
    party: str | None = None
    email: str | None = None
    since: date | None = None


@dataclass(frozen=True)
class SaveReport:
    """What an import of case records or schools changed."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: SaveReport) -> SaveReport:
        return SaveReport(self.added + other.added, self.updated + other.updated,
                          self.unchanged + other.unchanged)


# The parts of a letter --------------------------------------------------------------
# Which stretch of a letter's text is what (the letterhead, the address the letter is
# sent *to*, the date line, the body, a table of children, the signature, a footer, a
# quoted earlier email...), so the extractor knows where a value sits and can refuse the
# council's own address as the family's, or a quoted email's date as the letter's. Spans
# are character offsets into the letter's text, so the desk can mark them on the letter.

# What a stretch of a letter or email is.
PartKind = Literal[
    "letterhead",  # the sender's printed heading: name, office address, contact details
    "sender",  # the sender's own address block (constituency office, or the family's)
    "recipient",  # the inside address: who the letter is sent *to* (often the council)
    "date",  # the date line
    "references",  # "Our ref" / "Your ref" / "Please quote" lines
    "salutation",  # "Dear ..."
    "subject",  # "Re: ...", a bold first line, an email's Subject
    "body",  # the writer's own paragraphs
    "table",  # a table; its records are in Part.rows
    "closing",  # "Yours sincerely", "Kind regards"
    "signature",  # the name, title and contact details after the closing
    "enclosures",  # "Enc." / "cc" lines
    "footer",  # page footers, printed office addresses at the foot
    "disclaimer",  # confidentiality and privacy notices, "call us about urgent matters"
    "email_header",  # a From/Sent/To/Subject block, or an "On ... wrote:" line
]
MessageHow = Literal["top", "quoted", "forwarded"]
# Where a reader knows a stretch of text came from on the page.
RegionKind = Literal["header", "footer", "table", "textbox"]


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def text_of(self, text: str) -> str:
        return text[self.start:self.end]

    def __contains__(self, offset: int) -> bool:
        return self.start <= offset < self.end


@dataclass(frozen=True)
class Region:
    """A layout hint from a reader: this stretch of the text was a page header or footer,
    a table (one row a line, cells separated by tabs) or a text box."""

    kind: RegionKind
    span: Span


@dataclass(frozen=True)
class Part:
    kind: PartKind
    span: Span
    # Which message of an email chain it belongs to: 0 is the newest (the one sent to
    # the council), 1 the one it quotes or forwards, and so on. A letter is message 0.
    depth: int = 0
    # For a table: one mapping per row, header -> cell, in order (headers as written).
    rows: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class Message:
    """One message of an email chain (or the one message of a letter)."""

    depth: int
    how: MessageHow
    span: Span  # the whole message, its header block included
    header: Span | None = None  # its From/Sent/Subject block or "On ... wrote:" line
    sender: str | None = None  # as the header gives it (name and/or address)
    sent: datetime | None = None
    subject: str | None = None
    body: Span | None = None  # the message's own words, without header, signature, footer
    signature: Span | None = None
    disclaimer: Span | None = None


@dataclass(frozen=True)
class LetterParts:
    text: str
    messages: tuple[Message, ...] = ()
    parts: tuple[Part, ...] = field(default_factory=tuple)

    def kind_at(self, offset: int) -> str | None:
        """The kind of the innermost part covering `offset`, if any."""
        found = [part for part in self.parts if offset in part.span]
        return min(found, key=lambda p: p.span.end - p.span.start).kind if found else None

    def depth_at(self, offset: int) -> int:
        for message in self.messages:
            if offset in message.span:
                return message.depth
        return 0
