"""Small, exact normalisations shared by import, extraction and matching."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})$")  # day first, never US


def name_key(name: str | None) -> str:
    """A comparison key for a name: accents folded, case and punctuation dropped.

    "Zoë O'Neill-Smith" -> "zoeoneillsmith".
    """
    if not name:
        return ""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = [ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch)]
    return "".join(letters).casefold()


def normalise_postcode(text: str | None) -> str | None:
    """'ls62ab' -> 'LS6 2AB'; None when it is not a UK postcode."""
    if not text:
        return None
    compact = re.sub(r"\s+", "", text).upper()
    match = _POSTCODE.match(compact)
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}"


def parse_record_date(text: str) -> date:
    """A date from a case-management export: ISO YYYY-MM-DD or UK DD/MM/YYYY, never US.

    Raises ValueError with a plain message when it is neither.
    """
    value = text.strip()
    # Regular expressions rather than strptime: an import of a million rows parses a
    # million dates, and strptime is the slowest step of it.
    iso = _ISO_DATE.match(value)
    uk = None if iso else _UK_DATE.match(value)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if uk:
            return date(int(uk.group(4)), int(uk.group(3)), int(uk.group(1)))
    except ValueError:
        pass
    raise ValueError(f"'{value}' is not a date in the form YYYY-MM-DD or DD/MM/YYYY")
