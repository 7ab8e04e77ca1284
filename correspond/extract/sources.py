"""Where in the letter each value was read: the part, the message, and the words.

The extractor reads each kind of value from its own view of the letter (views.py); this
finds each value where that view has it, so the referral can say, beside each field, that
the postcode came from the family's address in the body and not from the council's
address the letter was sent to. A value found nowhere in the letter's text (an email's
Date header, a subject line) says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from functools import lru_cache

from correspond.domain.dates import written_forms
from correspond.extract.views import Views, views_of, whole_text
from correspond.records import Extraction, Letter, LetterParts, Part, Source, Span

# Our part kinds as the referral schema names them.
SCHEMA_PARTS = {
    "letterhead": "letterhead", "sender": "letterhead", "recipient": "inside_address",
    "date": "date_line", "references": "reference_line", "salutation": "salutation",
    "subject": "subject", "body": "body", "table": "table", "closing": "closing",
    "signature": "signature", "enclosures": "enclosures", "footer": "footer",
    "disclaimer": "footer", "email_header": "email_headers",
}
_QUOTE = 60  # characters of the words a value was read from, at most
_WORDS = 8  # a value is found by its first words


def with_sources(extraction: Extraction, letter: Letter,
                 parts: LetterParts | None) -> Extraction:
    views = views_of(parts) if parts is not None else whole_text(letter.text)
    return replace(extraction, sources=dict(_sources(extraction, letter, parts, views)))


def _sources(extraction: Extraction, letter: Letter, parts: LetterParts | None,
             views: Views) -> Iterator[tuple[str, Source]]:
    text = letter.text
    correspondent, constituent = extraction.correspondent, extraction.constituent
    for field, value in (("correspondent.name", correspondent.name),
                         ("correspondent.constituency", correspondent.constituency),
                         ("correspondent.reference", correspondent.reference),
                         ("correspondent.caseworker", correspondent.caseworker)):
        found = _find(value, views.writer, text, parts, letter)
        if found is not None:
            yield field, found
    for field, value in (("constituent.name", constituent.name),
                         ("constituent.postcode", constituent.postcode),
                         ("constituent.email", constituent.email),
                         ("constituent.phone", constituent.phone)):
        found = _find(value, views.family, text, parts, letter)
        if found is not None:
            yield field, found
    for index, child in enumerate(extraction.children):
        values: dict[str, str | date | None] = {
            "first_name": child.first_name, "last_name": child.last_name,
            "school": child.school.name if child.school else None,
            "requested_school": child.requested_school,
            "date_of_birth": child.date_of_birth,
        }
        for name, said in values.items():
            found = _find(said, views.children, text, parts, letter, tables=True)
            if found is not None:
                yield f"children[{index}].{name}", found
    if extraction.letter_date is not None:
        if letter.sent is not None:
            yield "letter_date", Source("email_headers", 0, None, None, None)
        else:
            found = _find(extraction.letter_date, views.writer, text, parts, letter)
            if found is not None:
                yield "letter_date", found
    found = _find(extraction.council_reference, views.family, text, parts, letter)
    if found is not None:
        yield "council_reference", found
    for index, concern in enumerate(extraction.concerns):
        found = _find(concern.evidence, views.content, text, parts, letter)
        if found is not None:
            yield f"concerns[{index}]", found
    for reason in extraction.urgency_reasons:
        evidence = reason.split(": ", 1)[-1]
        found = _find(evidence, views.content, text, parts, letter)
        if found is not None:
            yield "urgent", found
            break


def _find(value: object, view: str, text: str, parts: LetterParts | None, letter: Letter,
          *, tables: bool = False) -> Source | None:
    """The first place the view has `value`, as a Source; the subject line or an email
    header when the text has it nowhere."""
    if value is None or value == "":
        return None
    forms = written_forms(value) if isinstance(value, date) else [str(value)]
    for written in forms:
        for start, end in _occurrences(view, written):
            part = _part_at(parts, start)
            if part is not None and part.kind != "table":
                return _source(part, text, start, end)
    if tables and parts is not None:  # a table's rows are read as records, not as prose
        for written in forms:
            for start, end in _occurrences(text, written):
                part = _part_at(parts, start)
                if part is not None and part.kind == "table":
                    return _source(part, text, start, end)
    for written in forms:
        if letter.subject and _occurrences(letter.subject, written):
            return Source("subject", 0, None, None, _quote(letter.subject))
    if letter.sender_name and isinstance(value, str) and \
            _occurrences(letter.sender_name, value):
        return Source("email_headers", 0, None, None, None)
    return None


def _occurrences(text: str, value: str) -> list[tuple[int, int]]:
    """Where `value` is written in `text`, however its words are spaced or broken over
    lines (a long value, a sentence, by its first words)."""
    pattern = _pattern(" ".join(value.split()[:_WORDS]))
    if pattern is None:
        return []
    return [(found.start(), found.end()) for found in pattern.finditer(text)
            if text[found.start():found.end()].strip()]


@lru_cache(maxsize=4096)
def _pattern(words: str) -> re.Pattern[str] | None:
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words.split())) + r"(?!\w)",
                      re.IGNORECASE)


def _part_at(parts: LetterParts | None, offset: int) -> Part | None:
    if parts is None:
        return Part("body", _whole(offset))
    for part in parts.parts:
        if part.span.start <= offset < part.span.end:
            return part
    return None


def _whole(offset: int) -> Span:
    return Span(offset, offset + 1)


def _source(part: Part, text: str, start: int, end: int) -> Source:
    kind = SCHEMA_PARTS.get(part.kind, "other")
    if part.depth > 0 and kind == "body":
        kind = "quoted_message"
    return Source(kind, part.depth, start, end, _quote(text[start:end]))


def _quote(words: str) -> str:
    words = " ".join(words.split())
    return words if len(words) <= _QUOTE else words[:_QUOTE - 1] + "…"
