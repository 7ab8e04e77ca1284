"""Doubt about OCR'd text carried to the fields read from it: the one place that lowers
an extraction's confidence for the pages OCR read poorly.

The extractor's confidence (`Extraction.confidence`, field path -> [0, 1]) says how sure
it is of a field given the text; it cannot know that the text itself may be misread. A
page OCR read with a mean word confidence below LOW_OCR_CONFIDENCE casts that doubt on
each field whose value is written there and on no page read well: such a field's
confidence is at most the page's, below the desk's 0.8, so the desk shows it as "Check".
A value the text does not show as written (a date written another way) is taken to come
from the poorest page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from correspond.records import Extraction, Letter, PageRead

LOW_OCR_CONFIDENCE = 0.80
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def lower_for_ocr(extraction: Extraction, letter: Letter) -> Extraction:
    low = [page for page in letter.pages if page.ocr and page.confidence is not None
           and page.confidence < LOW_OCR_CONFIDENCE]
    if not low:
        return extraction
    good = [page for page in letter.pages if page not in low]
    confidence = dict(extraction.confidence)
    for path, value in _fields(extraction):
        places = list(_places(letter.text, value))
        if any(_on(page, start) for page in good for start in places):
            continue  # written where the page was read well
        doubtful = [page for page in low if any(_on(page, start) for start in places)] or low
        worst = min(page.confidence or 0.0 for page in doubtful)
        confidence[path] = round(min(confidence.get(path, 1.0), worst), 3)
    return replace(extraction, confidence=confidence)


def _fields(extraction: Extraction) -> Iterator[tuple[str, str | date]]:
    """(field path, value) for each value read from the letter."""
    for group, record in (("correspondent", extraction.correspondent),
                          ("constituent", extraction.constituent)):
        for name in ("name", "constituency", "email", "reference", "caseworker", "address",
                     "postcode", "phone"):
            written = getattr(record, name, None)
            if isinstance(written, str) and written.strip():
                yield f"{group}.{name}", written
    for index, child in enumerate(extraction.children):
        values = {"first_name": child.first_name, "last_name": child.last_name,
                  "date_of_birth": child.date_of_birth, "year_group": child.year_group,
                  "school": child.school.name if child.school else None,
                  "requested_school": child.requested_school}
        for name, value in values.items():
            if value:
                yield f"children[{index}].{name}", value
    if extraction.letter_date:
        yield "letter_date", extraction.letter_date
    if extraction.council_reference:
        yield "council_reference", extraction.council_reference


def _places(text: str, value: str | date) -> Iterator[int]:
    """Where in `text` the value is written (by its words, whatever the spacing)."""
    for pattern in _patterns(value):
        for match in re.finditer(pattern, text, re.IGNORECASE):
            yield match.start()


def _patterns(value: str | date) -> list[str]:
    if isinstance(value, date):
        day, month, year = value.day, value.month, value.year
        name = _MONTHS[month - 1]
        return [rf"\b0?{day}(?:st|nd|rd|th)?\s+(?:of\s+)?{name[:3]}\w*\.?,?\s+{year}\b",
                rf"\b{name}\s+0?{day}(?:st|nd|rd|th)?,?\s+{year}\b",
                rf"\b0?{day}\s*[./-]\s*0?{month}\s*[./-]\s*(?:{year}|{year % 100:02d})\b"]
    words = re.findall(r"\w+", value)
    return [r"\b" + r"\W*".join(map(re.escape, words)) + r"\b"] if words else []


def _on(page: PageRead, offset: int) -> bool:
    return offset in page.span
