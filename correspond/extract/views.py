"""What each kind of value may be read from, by the letter's parts.

A view is the letter's text with every stretch a value must not come from blanked out
(spaces, line breaks kept), so the finders read the same positions as the letter and a
value found in a view is where the letter has it:

- the writer (MP, constituency, references): the newest message, all of it; quoted
  messages only when the newest names nobody;
- the family (constituent's name, address, postcode): never the inside address (who the
  letter is sent to: usually the council), the MP's letterhead or signature, footers,
  disclaimers or email headers; a parent's own signature in a forwarded email counts;
- the children: the body, the subject and the family's own blocks (a parent's or a
  school's signature in a forwarded email names the school in full), never the MP's
  letterhead or signature, inside addresses, footers or table headers (a table's rows
  are read as records instead);
- concerns, urgency and whether the letter is about SEND: the writers' own sentences
  (body, subject, tables), never signatures, footers or disclaimers ("if your matter is
  urgent, please telephone" is not an urgent letter).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from correspond.domain.postcodes import (
    INWARD,
    INWARD_LOWER,
    OUTWARD,
    OUTWARD_LOWER,
    normalise_postcode,
)
from correspond.records import LetterParts, Part

# A signature that is the MP's office, a councillor's or the council's, not the family's.
_OFFICIAL = re.compile(
    r"\bMP\b|Member of Parliament|House of Commons|Caseworker|Office of|Parliamentary|"
    r"Councillor|\bCllr\b|Council\b|parliament\.uk", re.IGNORECASE)
_NOT_FAMILY = frozenset({"recipient", "footer", "disclaimer", "email_header"})
_NOT_CHILDREN = frozenset({"recipient", "closing", "footer", "disclaimer", "email_header",
                           "references", "table", "enclosures"})
_ANY_POSTCODE = re.compile(
    rf"\b(?:{OUTWARD}[ \t]*{INWARD}|{OUTWARD_LOWER}[ \t]*{INWARD_LOWER})\b")
_WRITERS_OWN = frozenset({"body", "subject", "table", "salutation"})
_SMALL_PRINT = frozenset({"recipient", "footer", "disclaimer", "email_header"})


@dataclass(frozen=True)
class Views:
    writer: str
    family: str
    children: str
    content: str  # the writers' own sentences
    reading: str  # all but what is addressed *to* someone and the small print, for the model
    signature: str | None = None  # the newest message's signature block, as written

    def without_postcodes(self, postcodes: Sequence[str]) -> Views:
        """The family view with these postcodes blanked wherever written (the council's
        own, from the settings)."""
        wanted = {normalise_postcode(code) for code in postcodes} - {None}
        if not wanted:
            return self
        family = self.family
        for found in _ANY_POSTCODE.finditer(family):
            if normalise_postcode(found.group(0)) in wanted:
                family = family[:found.start()] + " " * (found.end() - found.start()) + \
                    family[found.end():]
        return replace(self, family=family)


def views_of(parts: LetterParts) -> Views:
    text = parts.text
    if not parts.parts:
        return whole_text(text)
    return Views(
        writer=_keep(parts, lambda part: part.depth == 0, keep_unmarked=True),
        family=_keep(parts, lambda part: _family(part, text)),
        children=_keep(parts, lambda part: part.kind not in _NOT_CHILDREN
                       and _family(part, text)),
        content=_keep(parts, lambda part: part.kind in _WRITERS_OWN),
        reading=_keep(parts, lambda part: part.kind not in _SMALL_PRINT, keep_unmarked=True),
        signature="\n".join(text[part.span.start:part.span.end] for part in parts.parts
                             if part.kind == "signature" and part.depth == 0) or None,
    )


def whole_text(text: str) -> Views:
    """Every view the whole text (a letter read without its parts)."""
    return Views(text, text, text, text, text)


def kept(view: str, start: int, end: int) -> bool:
    """Whether the view keeps text[start:end] (it was not blanked out)."""
    return bool(view[start:end].strip())


def _family(part: Part, text: str) -> bool:
    if part.kind in _NOT_FAMILY:
        return False
    if part.kind in ("letterhead", "signature"):
        # The MP's own heading and sign-off hold the office's address; a parent's own
        # heading or signature (their letter, their forwarded email) holds the family's.
        return not _OFFICIAL.search(text[part.span.start:part.span.end])
    return True


def _keep(parts: LetterParts, keep: Callable[[Part], bool], *,
          keep_unmarked: bool = False) -> str:
    """The text with the characters of parts not kept turned to spaces (line breaks stay,
    so lines, paragraphs and positions are as in the letter). Text outside every part is
    blank, and is kept only with `keep_unmarked`."""
    text = parts.text
    chars = list(text) if keep_unmarked else [ch if ch == "\n" else " " for ch in text]
    for part in parts.parts:
        start, end = part.span.start, part.span.end
        if keep(part):
            chars[start:end] = text[start:end]
        else:
            chars[start:end] = [ch if ch == "\n" else " " for ch in text[start:end]]
    return "".join(chars)
