"""What the parts stage says about a letter: which stretch of its text is what.

Reading (ingest/) gives a letter's text; the parts stage marks its stretches (the
letterhead, the address the letter is sent *to*, the date line, the salutation, the
body, a table of children, the signature, a confidentiality footer, a quoted earlier
email...) so the extractor knows where a value sits and can refuse the council's own
address as the family's, or a quoted email's date as the letter's. Spans are character
offsets into the letter's text, so the desk can mark them on the letter as shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

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
