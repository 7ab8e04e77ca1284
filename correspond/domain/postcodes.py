"""UK postcodes: the pattern that finds them in a letter, and their one written form."""

from __future__ import annotations

import re

# Outward code (area, district) and inward code (sector, unit), as patterns for the
# stages that find postcodes in text: in capitals, and all in lower case as people type
# them ("ls6 2ab").
OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
INWARD = r"[0-9][A-Z]{2}"
OUTWARD_LOWER = r"[a-z]{1,2}[0-9][a-z0-9]?"
INWARD_LOWER = r"[0-9][a-z]{2}"
_WHOLE = re.compile(rf"^({OUTWARD})\s*({INWARD})$")


def normalise_postcode(text: str | None) -> str | None:
    """'ls62ab' -> 'LS6 2AB'; None when it is not a UK postcode."""
    if not text:
        return None
    compact = re.sub(r"\s+", "", text).upper()
    match = _WHOLE.match(compact)
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}"
