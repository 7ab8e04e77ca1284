"""Working days for letter deadlines: not Saturdays, Sundays or bank holidays.

A council deadline of "2 working days" counts from the day after the letter arrived.
Only England and Wales are supported (the councils this serves); their bank holidays
come from the `holidays` package, which knows substitute days such as a Boxing Day that
falls on a Saturday being observed on the Monday.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

REGIONS = frozenset({"ENG", "WLS"})


@lru_cache(maxsize=64)
def _bank_holidays(year: int, region: str) -> frozenset[date]:
    # One year at a time, cached, so a long run never rebuilds the calendar per letter.
    calendar = holidays.country_holidays("GB", subdiv=region, years=year)
    return frozenset(calendar.keys())


def _check_region(region: str) -> None:
    if region not in REGIONS:
        raise ValueError(f"bank holiday region must be one of {sorted(REGIONS)}, not {region!r}")


def is_working_day(day: date, region: str = "ENG") -> bool:
    """True when `day` is Monday to Friday and not a bank holiday in `region`."""
    _check_region(region)
    return day.weekday() < 5 and day not in _bank_holidays(day.year, region)


def add_working_days(start: date, days: int, region: str = "ENG") -> date:
    """The date `days` working days after `start` (counting from the day after it).

    `days=0` returns `start` itself, whatever day that is.
    """
    _check_region(region)
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, region):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, region: str = "ENG") -> int:
    """How many working days fall after `start` up to and including `end` (0 when `end`
    is not after `start`): the inverse of add_working_days.

    Counted by arithmetic rather than day by day, since a report runs this per letter.
    """
    _check_region(region)
    if end <= start:
        return 0
    weekdays = _weekdays_up_to(end) - _weekdays_up_to(start)
    holidays_on_weekdays = sum(
        1
        for year in range(start.year, end.year + 1)
        for day in _bank_holidays(year, region)
        if start < day <= end and day.weekday() < 5
    )
    return weekdays - holidays_on_weekdays


def _weekdays_up_to(day: date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) up to and including `day`."""
    weeks, extra_days = divmod(day.toordinal(), 7)
    return weeks * 5 + min(extra_days, 5)


__all__ = ["add_working_days", "is_working_day", "working_days_between"]
