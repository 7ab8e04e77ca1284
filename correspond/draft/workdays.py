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


__all__ = ["add_working_days", "is_working_day"]
