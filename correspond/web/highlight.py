"""The letter's text with what was extracted from it marked, as safe HTML, and its parts
shown (the address it was sent to, the quoted earlier messages, the small print) with
what each means for what was read, so a caseworker sees why a value was or was not
taken."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from correspond.domain.dates import written_forms

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
        if child.get("removed"):
            continue  # a caseworker said it is not a child
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
    return written_forms(date.fromisoformat(iso))


# What each kind of part means for reading; body text is shown without a label.
PART_LABELS = {
    "letterhead": "Letterhead: the writer's own details",
    "sender": "The writer's address",
    "recipient": "Addressed to: not read as the family's address",
    "date": "Date of the letter",
    "references": "References",
    "subject": "Subject",
    "table": "Table: each row read as a record",
    "signature": "Signature",
    "footer": "Footer: not read for the family or for urgency",
    "disclaimer": "Small print: not read for the family or for urgency",
    "email_header": "Email header",
    "enclosures": "Enclosures and copies",
}
_LABELLED_BLOCKS = {"letterhead", "sender", "recipient", "table", "signature", "footer",
                    "disclaimer", "email_header"}


def highlight(text: str, spans: Iterable[tuple[str, str]],
              parts: Sequence[Mapping[str, Any]] = ()) -> Markup:
    """`text` escaped, with each place a span's text occurs wrapped in <mark>, and the
    letter's `parts` (as the referral JSON lists them) shown as labelled blocks."""
    marks: list[tuple[int, int, str]] = []
    for label, value in spans:
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, value.split()))
                             + r"(?!\w)", re.IGNORECASE)
        marks += [(m.start(), m.end(), label) for m in pattern.finditer(text)]
    blocks = _blocks(parts, len(text))
    # Longest first at each place; anything overlapping an earlier mark, or running over
    # the edge of a block, is dropped.
    marks.sort(key=lambda mark: (mark[0], -(mark[1] - mark[0])))
    edges = sorted({edge for start, end, _ in blocks for edge in (start, end)})
    pieces: list[str] = []
    position = 0
    opened: list[tuple[int, int, str]] = []
    # At one place: blocks close, then open (outermost first), then the longest mark.
    events = sorted(
        [(start, 1, start - end, (start, end, label)) for start, end, label in marks
         if not any(start < edge < end for edge in edges)]
        + [(block[0], 0, block[0] - block[1], block) for block in blocks]
        + [(block[1], -1, block[1] - block[0], block) for block in blocks])
    for at, kind, _, item in events:
        if kind == 1:
            start, end, label = item
            if start < position:
                continue
            pieces.append(str(escape(text[position:start])))
            # The meaning is said before the value for screen readers, and shown on
            # hover or focus; the mark holds the words of the letter only.
            pieces.append(f'<span class="visually-hidden">{escape(label)}: </span>'
                          f'<mark tabindex="0" title="{escape(label)}">'
                          f'{escape(text[start:end])}</mark>')
            position = end
            continue
        if at < position:
            continue
        pieces.append(str(escape(text[position:at])))
        position = at
        if kind == 0:
            pieces.append(_open_block(item))
            opened.append(item)
        elif opened and opened[-1] is item:
            pieces.append("</div>")
            opened.pop()
    pieces.append(str(escape(text[position:])))
    pieces.extend("</div>" for _ in opened)
    return Markup("".join(pieces))


def _blocks(parts: Sequence[Mapping[str, Any]], length: int) -> list[tuple[int, int, str]]:
    """(start, end, label) of the stretches shown as blocks: the labelled kinds, and each
    quoted or forwarded message as one block."""
    blocks: list[tuple[int, int, str]] = []
    messages: dict[int, list[Mapping[str, Any]]] = {}
    for part in parts:
        if part.get("message", 0) > 0:
            messages.setdefault(part["message"], []).append(part)
        elif part.get("kind") in _LABELLED_BLOCKS:
            blocks.append((part["start"], part["end"], PART_LABELS[part["kind"]]))
    for depth, listed in sorted(messages.items()):
        start = min(part["start"] for part in listed)
        end = max(part["end"] for part in listed)
        first = listed[0]
        who = f" from {first['from']}" if first.get("from") else ""
        when = f", sent {first['sent'][:10]}" if first.get("sent") else ""
        blocks.append((start, end, f"Earlier message {depth}{who}{when}: its date is not "
                                   "the letter's"))
    # Outermost first where blocks nest or touch; none may cross another.
    blocks.sort(key=lambda block: (block[0], -block[1]))
    kept: list[tuple[int, int, str]] = []
    for block in blocks:
        if 0 <= block[0] < block[1] <= length and all(
                block[1] <= other[0] or other[1] <= block[0]
                or (other[0] <= block[0] and block[1] <= other[1]) for other in kept):
            kept.append(block)
    return kept


def _open_block(block: tuple[int, int, str]) -> str:
    label = escape(block[2])
    return (f'<div class="letter-part" role="group" aria-label="{label}">'
            f'<span class="letter-part__label" aria-hidden="true">{label}</span>')
