"""The periods figures are given for: this month, last quarter, this school year, or any
dates a person chooses; and the same period a year earlier, to compare with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from correspond.domain.dates import MONTHS, parse_uk_date, written_date
from correspond.errors import CorrespondError

PRESETS: dict[str, str] = {
    "this_month": "This month",
    "last_month": "Last month",
    "this_quarter": "This quarter",
    "last_quarter": "Last quarter",
    "this_school_year": "This school year",
    "last_school_year": "Last school year",
    "last_12_months": "Last 12 months",
    "custom": "Choose dates",
}
DEFAULT = "this_month"
SCHOOL_YEAR_STARTS = 9  # September
LONGEST = timedelta(days=3 * 366)  # a longer custom period is refused as a slip


class PeriodProblem(CorrespondError):
    """The dates asked for do not make a period."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    preset: str = "custom"

    @property
    def label(self) -> str:
        """'1 April to 30 June 2026'."""
        if self.start.year == self.end.year:
            first = f"{self.start.day} {MONTHS[self.start.month - 1]}"
        else:
            first = written_date(self.start)
        return f"{first} to {written_date(self.end)}"

    @property
    def name(self) -> str:
        """'Last quarter (1 January to 31 March 2026)'."""
        return f"{PRESETS.get(self.preset, 'Period')} ({self.label})"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def year_earlier(self) -> Period:
        return Period(_years_back(self.start, 1), _years_back(self.end, 1), self.preset)

    def as_args(self) -> dict[str, Any]:
        """The period as the reports page's address gives it."""
        if self.preset != "custom":
            return {"period": self.preset}
        return {"period": "custom", "from": self.start.isoformat(),
                "to": self.end.isoformat()}

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after the month of `day` (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return add_months(day, 1) - timedelta(days=1)


def preset_period(preset: str, today: date) -> Period:
    this_month = month_start(today)
    quarter = add_months(date(today.year, 1, 1), (today.month - 1) // 3 * 3)
    school_year = date(today.year if today.month >= SCHOOL_YEAR_STARTS else today.year - 1,
                       SCHOOL_YEAR_STARTS, 1)
    spans = {
        "this_month": (this_month, month_end(today)),
        "last_month": (add_months(this_month, -1), this_month - timedelta(days=1)),
        "this_quarter": (quarter, add_months(quarter, 3) - timedelta(days=1)),
        "last_quarter": (add_months(quarter, -3), quarter - timedelta(days=1)),
        "this_school_year": (school_year, add_months(school_year, 12) - timedelta(days=1)),
        "last_school_year": (add_months(school_year, -12), school_year - timedelta(days=1)),
        "last_12_months": (add_months(this_month, -12), this_month - timedelta(days=1)),
    }
    start, end = spans[preset]
    return Period(start, end, preset)


def period_from(args: Mapping[str, str], today: date) -> Period:
    """The period a page's address asks for (`period`, and `from` and `to` for chosen
    dates); this month when none is asked for. Raises PeriodProblem, in a sentence, for
    dates that do not make a period."""
    preset = args.get("period") or DEFAULT
    if preset not in PRESETS:
        raise PeriodProblem("Choose a period from the list.")
    if preset != "custom":
        return preset_period(preset, today)
    start = _date_field(args.get("from"), "start")
    end = _date_field(args.get("to"), "end")
    if end < start:
        raise PeriodProblem("The end date is before the start date: swap them round.")
    if end - start > LONGEST:
        raise PeriodProblem("Choose a period of three years or less.")
    return Period(start, end, "custom")


def _date_field(value: str | None, which: str) -> date:
    if not value or not value.strip():
        raise PeriodProblem(f"Give the {which} date, for example 1/4/2026.")
    try:
        return parse_uk_date(value)  # a browser's date field sends YYYY-MM-DD
    except ValueError as err:
        raise PeriodProblem(f"The {which} date '{value.strip()}' is not a date: write it "
                            "as day/month/year, for example 1/4/2026.") from err


__all__ = ["DEFAULT", "PRESETS", "Period", "PeriodProblem", "add_months", "month_end",
           "month_start", "period_from", "preset_period"]
