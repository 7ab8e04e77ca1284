"""Dates as UK letters write them: 03/04/2015, 21.11.2012, 14 October 2026, 2nd June 2026.

Day first, always: a council in England never reads 03/04/2015 as the 4th of March.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1)
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))

NUMERIC_DATE = r"\b(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})\b"
WORDED_DATE = (
    rf"\b(?P<wd>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<wm>{_MONTH_NAMES})\.?,?\s+(?P<wy>\d{{4}})\b"
)
# "June 2nd, 2026" appears in letters drafted from American templates.
MONTH_FIRST_DATE = (
    rf"\b(?P<fm>{_MONTH_NAMES})\.?\s+(?P<fd>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<fy>\d{{4}})\b"
)
ANY_DATE = re.compile(f"{NUMERIC_DATE}|{WORDED_DATE}|{MONTH_FIRST_DATE}", re.IGNORECASE)


@dataclass(frozen=True)
class FoundDate:
    value: date
    start: int
    end: int


def find_dates(text: str) -> list[FoundDate]:
    """Every valid date in `text`, in order. Impossible dates (31/02/2020) are skipped."""
    found = []
    for match in ANY_DATE.finditer(text):
        value = _to_date(match)
        if value is not None:
            found.append(FoundDate(value, match.start(), match.end()))
    return found


def parse_date(text: str) -> date | None:
    """The first date in `text`, or None."""
    dates = find_dates(text)
    return dates[0].value if dates else None


def _to_date(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    try:
        if groups["d"]:
            year = int(groups["y"])
            if year < 100:  # two-digit years: 15 -> 2015, 98 -> 1998
                year += 2000 if year <= 50 else 1900
            return date(year, int(groups["m"]), int(groups["d"]))
        if groups["wd"]:
            return date(int(groups["wy"]), _MONTHS[groups["wm"].lower()], int(groups["wd"]))
        return date(int(groups["fy"]), _MONTHS[groups["fm"].lower()], int(groups["fd"]))
    except ValueError:
        return None
