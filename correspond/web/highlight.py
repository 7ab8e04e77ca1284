"""The letter's text with what was extracted from it marked, as safe HTML."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from correspond.draft.context import uk_date

MIN_LENGTH = 3  # shorter values ("Jo", "Y7") would mark too many unrelated places


def extracted_spans(referral: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text as it may appear in the letter) for each extracted value."""
    found: list[tuple[str, str | None]] = []
    correspondent = referral.get("correspondent") or {}
    constituent = referral.get("constituent") or {}
    found += [("MP", correspondent.get("name")), ("Constituency",
              correspondent.get("constituency")), ("MP's reference",
              correspondent.get("reference")), ("Constituent", constituent.get("name")),
              ("Postcode", constituent.get("postcode"))]
    for number, child in enumerate(referral.get("children") or [], start=1):
        name = " ".join(p for p in (child.get("first_name"), child.get("last_name")) if p)
        school = child.get("school") or {}
        found += [(f"Child {number}", name), (f"Child {number}", child.get("first_name")),
                  (f"Child {number}'s school", school.get("name")),
                  (f"Child {number}'s year", child.get("year_group"))]
        found += [(f"Child {number}'s date of birth", written)
                  for written in _written_dates(child.get("date_of_birth"))]
    found += [("Date of the letter", written)
              for written in _written_dates(referral.get("letter_date"))]
    for concern in referral.get("concerns") or []:
        found.append((f"Concern: {concern['category']}", concern.get("evidence")))
    return [(label, text.strip()) for label, text in found
            if isinstance(text, str) and len(text.strip()) >= MIN_LENGTH]


def _written_dates(iso: str | None) -> list[str]:
    """The ways a letter may write a date: 03/04/2015, 3/4/2015, 3 April 2015."""
    if not iso:
        return []
    day = date.fromisoformat(iso)
    return [f"{day:%d/%m/%Y}", f"{day.day}/{day.month}/{day.year}", uk_date(day),
            f"{day.day}.{day.month}.{day.year}", f"{day:%d.%m.%Y}"]


def highlight(text: str, spans: Iterable[tuple[str, str]]) -> Markup:
    """`text` escaped, with each place a span's text occurs wrapped in <mark>."""
    marks: list[tuple[int, int, str]] = []
    for label, value in spans:
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, value.split()))
                             + r"(?!\w)", re.IGNORECASE)
        marks += [(m.start(), m.end(), label) for m in pattern.finditer(text)]
    # Longest first at each place; anything overlapping an earlier mark is dropped.
    marks.sort(key=lambda mark: (mark[0], -(mark[1] - mark[0])))
    pieces: list[str] = []
    position = 0
    for start, end, label in marks:
        if start < position:
            continue
        pieces.append(str(escape(text[position:start])))
        pieces.append(f'<mark title="{escape(label)}">{escape(text[start:end])}</mark>')
        position = end
    pieces.append(str(escape(text[position:])))
    return Markup("".join(pieces))
