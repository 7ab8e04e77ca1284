"""Dates as letters and the council write them: 03/04/2015, 21.11.2012, 14 October 2026,
2nd June 2026. Day first, always: a council in England never reads 03/04/2015 as the 4th
of March. Month names are English whatever the server's locale."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil import parser as date_parser

from correspond.domain.clock import COUNCIL_TIME_ZONE

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Month names and the short forms letters use, lower case -> month number.
MONTH_NUMBERS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1)
    for name in names
}
_MONTH_NAMES = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))

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
            return date(int(groups["wy"]), MONTH_NUMBERS[groups["wm"].lower()], int(groups["wd"]))
        return date(int(groups["fy"]), MONTH_NUMBERS[groups["fm"].lower()], int(groups["fd"]))
    except ValueError:
        return None


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})$")


def parse_uk_date(text: str) -> date:
    """A date typed or exported as ISO YYYY-MM-DD or UK DD/MM/YYYY (or with . or -),
    never US. Raises ValueError with a plain message when it is neither."""
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


def written_date(day: date) -> str:
    """'3 April 2015', as a letter writes it."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def written_forms(day: date) -> list[str]:
    """The ways a letter may write a date: 03/04/2015, 3/4/2015, 3 April 2015, 3rd April
    2015, 3.4.2015, 03.04.2015, 03-04-2015, 3 Apr 2015, 2015-04-03."""
    suffix = "th" if 10 <= day.day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(
        day.day % 10, "th")
    month = MONTHS[day.month - 1]
    return [f"{day:%d/%m/%Y}", f"{day.day}/{day.month}/{day.year}", written_date(day),
            f"{day.day}{suffix} {month} {day.year}", f"{day.day}{suffix} of {month} {day.year}",
            f"{day.day}.{day.month}.{day.year}", f"{day:%d.%m.%Y}", f"{day:%d-%m-%Y}",
            f"{day.day} {month[:3]} {day.year}", day.isoformat()]


# Sent times, as email headers write them ------------------------------------------

_ZONES = {"UTC": 0, "GMT": 0, "BST": 3600, "CET": 3600, "CEST": 7200, "EST": -18000,
          "EDT": -14400, "CST": -21600, "CDT": -18000, "MST": -25200, "MDT": -21600,
          "PST": -28800, "PDT": -25200}
_NO_DATE = datetime(1, 1, 1)
_ISO_IN_TEXT = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")


def parse_sent_time(value: str | None, *, newer: datetime | None = None) -> datetime | None:
    """A header's sent time, read day-first when all-numeric (this is the UK).

    A time without a zone is read as the council's local time. If reading day-first puts
    the message after the one that quotes it, and month-first does not, it was American."""
    if not value:
        return None
    text = re.sub(r"\s+", " ", value.replace("\u202f", " ")).strip(" ,")
    text = re.sub(r"\bat\b", " ", text)
    when = _parse_date(text, dayfirst=not _ISO_IN_TEXT.search(text))
    if when is None:
        return None
    if newer is not None and when > as_local(newer) + timedelta(days=1):
        numeric = _NUMERIC_DATE.search(text)
        if numeric and int(numeric[1]) <= 12 and int(numeric[2]) <= 12:
            swapped = _parse_date(text, dayfirst=False)
            if swapped is not None and swapped <= as_local(newer) + timedelta(days=1):
                return swapped
    return when


def _parse_date(text: str, *, dayfirst: bool) -> datetime | None:
    try:
        when = date_parser.parse(text, dayfirst=dayfirst, default=_NO_DATE,
                                 tzinfos=_zone)
    except (ValueError, OverflowError):  # dateutil's ParserError is a ValueError
        return None
    if not 1980 <= when.year <= 2100:
        return None  # no year given, or not a year at all
    return as_local(when)


def _zone(name: str | None, offset: int | None) -> int | None:
    """Seconds east of UTC for a zone dateutil met: its own offset, or a known name."""
    return _ZONES.get((name or "").upper(), offset)


def as_local(moment: datetime) -> datetime:
    """`moment` with a time zone: the council's own when it has none."""
    return moment.replace(tzinfo=COUNCIL_TIME_ZONE) if moment.tzinfo is None else moment
