"""The trend in referrals: each of the last 24 complete months, overall and per member,
against the same month a year earlier; the mix of concerns quarter by quarter; and the
warnings the liaison team must not miss.

A warning is raised when SEND referrals over the last 12 complete months are down by
FALL_WARNING_PERCENT or more on the 12 months before (overall, or from one member who
wrote at least MIN_FOR_WARNING times in the earlier year, so 2 letters becoming 1 is not
a fall), and when fewer acknowledgements or full replies due last month went on time
than the protocol then in force expects.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date

from correspond.config import Protocol
from correspond.domain.concerns import CONCERN_LABELS
from correspond.domain.dates import MONTHS
from correspond.liaison.facts import judge
from correspond.liaison.figures import TargetFigures, month_label, percent_change
from correspond.liaison.periods import Period, add_months, month_end, month_start
from correspond.store import registers, reporting
from correspond.store.database import Database

TREND_MONTHS = 24
FALL_WARNING_PERCENT = 15.0
MIN_FOR_WARNING = 10


@dataclass(frozen=True)
class MonthCount:
    month: date  # the first of the month
    count: int
    year_earlier: int

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def short_label(self) -> str:
        return f"{MONTHS[self.month.month - 1][:3]} {self.month.year % 100:02d}"

    @property
    def change_percent(self) -> float | None:
        return percent_change(self.count, self.year_earlier)


@dataclass(frozen=True)
class MemberTrend:
    member_id: int
    title: str
    kind: str
    counts: tuple[int, ...]  # each of the trend's months, oldest first
    last_year: int  # the last 12 complete months
    year_before: int  # the 12 months before them

    @property
    def change_percent(self) -> float | None:
        return percent_change(self.last_year, self.year_before)


@dataclass(frozen=True)
class ConcernMix:
    """The concerns raised by the SEND referrals of one quarter of the trend."""

    start: date
    end: date
    total: int  # referrals received
    counts: dict[str, int]  # concern -> referrals raising it

    @property
    def label(self) -> str:
        return f"{MONTHS[self.start.month - 1][:3]}–{MONTHS[self.end.month - 1][:3]} " \
               f"{self.end.year}"

    def share(self, concern: str) -> float | None:
        """Of the quarter's referrals, the percentage raising `concern`."""
        return round(100 * self.counts.get(concern, 0) / self.total, 1) if self.total else None


@dataclass(frozen=True)
class Warning:
    message: str
    period: Period  # where to look
    member_id: int | None = None
    kind: str = "fall"  # "fall" in referrals, or "on_time" letters below the target


@dataclass(frozen=True)
class OnTime:
    """Letters due in one month, and whether they went on time."""

    month: date
    acknowledgements: TargetFigures
    replies: TargetFigures
    target_percent: float


@dataclass(frozen=True)
class Trend:
    today: date
    months: tuple[MonthCount, ...]  # oldest first
    last_year: int
    year_before: int
    members: tuple[MemberTrend, ...]  # most referrals in the last year first
    concern_mix: tuple[ConcernMix, ...]
    concerns: tuple[str, ...]  # those raised at all, most first
    last_month: OnTime
    warnings: tuple[Warning, ...]

    @property
    def change_percent(self) -> float | None:
        return percent_change(self.last_year, self.year_before)

    @property
    def last_year_period(self) -> Period:
        return Period(self.months[-12].month, month_end(self.months[-1].month))


def trend(db: Database, *, today: date, protocol: Protocol, region: str = "ENG",
          concern_mix: bool = True) -> Trend:
    """The trend to `today`; without `concern_mix`, its quarters are left empty (the
    reports page shows only the warnings, and the mix is the slowest part to count)."""
    last = add_months(month_start(today), -1)  # the last complete month
    months = [add_months(last, back) for back in range(-(TREND_MONTHS - 1), 1)]
    first_fetched = add_months(months[0], -12)  # a year before the first, to compare
    totals: dict[date, int] = defaultdict(int)
    by_member: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    with db.reading() as connection:
        for year, month, _kind, member_id, count in reporting.monthly_counts(
                db, connection, first_fetched, month_end(last)):
            day = date(year, month, 1)
            totals[day] += count
            if member_id is not None:
                by_member[member_id][day] += count
        concern_rows = (reporting.monthly_concerns(db, connection, months[0], month_end(last))
                        if concern_mix else [])
        members = registers.members_by_id(db, connection, by_member)
    series = tuple(MonthCount(month, totals.get(month, 0),
                              totals.get(add_months(month, -12), 0)) for month in months)
    member_trends = tuple(sorted(
        (_member_trend(member_id, members[member_id].title, members[member_id].kind,
                       counts, months)
         for member_id, counts in by_member.items() if member_id in members),
        key=lambda item: (-item.last_year, -item.year_before, item.title.casefold())))
    mix, concerns = _concern_mix(concern_rows, months, totals) if concern_mix else ((), ())
    last_year = sum(item.count for item in series[-12:])
    year_before = sum(item.count for item in series[-24:-12])
    on_time = _on_time(db, last, today, protocol, region)
    partial = Trend(today, series, last_year, year_before, member_trends, mix, concerns,
                    on_time, ())
    return replace(partial, warnings=_warnings(partial))


def _member_trend(member_id: int, title: str, kind: str, counts: dict[date, int],
                  months: list[date]) -> MemberTrend:
    series = tuple(counts.get(month, 0) for month in months)
    return MemberTrend(member_id, title, kind, series, sum(series[-12:]),
                       sum(series[-24:-12]))


def _concern_mix(rows: list[tuple[int, int, str, int]], months: list[date],
                 totals: dict[date, int]) -> tuple[tuple[ConcernMix, ...], tuple[str, ...]]:
    per_month: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    overall: dict[str, int] = defaultdict(int)
    for year, month, concern, count in rows:
        per_month[date(year, month, 1)][concern] += count
        overall[concern] += count
    quarters = []
    for start in range(0, len(months), 3):
        chunk = months[start:start + 3]
        counts: dict[str, int] = defaultdict(int)
        for day in chunk:
            for concern, count in per_month[day].items():
                counts[concern] += count
        quarters.append(ConcernMix(chunk[0], month_end(chunk[-1]),
                                   sum(totals.get(day, 0) for day in chunk), dict(counts)))
    order = sorted(overall, key=lambda concern: (-overall[concern],
                                                 CONCERN_LABELS.get(concern, concern)))
    return tuple(quarters), tuple(order)


def _on_time(db: Database, month: date, today: date, protocol: Protocol,
             region: str) -> OnTime:
    end = month_end(month)
    with db.reading() as connection:
        acknowledgements, replies = reporting.sent_against_due(db, connection, month, end)
    return OnTime(month, _judged(acknowledgements, today), _judged(replies, today),
                  protocol.in_force(end).on_time_percent)


def _judged(letters: dict[tuple[date, date | None], int], today: date) -> TargetFigures:
    """Letters counted by (due date, date sent) against their targets as at `today`."""
    verdicts: Counter[str] = Counter()
    for (due, sent_on), count in letters.items():
        verdicts[judge(due, sent_on, today).verdict] += count
    return TargetFigures.counted(verdicts)


def _warnings(found: Trend) -> tuple[Warning, ...]:
    warnings = []
    last_year = found.last_year_period
    span = f"{month_label(last_year.start)} to {month_label(last_year.end)}"
    change = found.change_percent
    if (change is not None and change <= -FALL_WARNING_PERCENT
            and found.year_before >= MIN_FOR_WARNING):
        warnings.append(Warning(
            f"Referrals fell by {-change:g}% year on year: {found.last_year} from "
            f"{span}, against {found.year_before} in the 12 months before.", last_year))
    for member in found.members:
        change = member.change_percent
        if (change is not None and change <= -FALL_WARNING_PERCENT
                and member.year_before >= MIN_FOR_WARNING):
            warnings.append(Warning(
                f"Referrals from {member.title} fell by {-change:g}% year on year: "
                f"{member.last_year} from {span}, against {member.year_before} in the 12 "
                "months before.", last_year, member.member_id))
    on_time = found.last_month
    month = Period(on_time.month, month_end(on_time.month))
    for what, figures in (("acknowledgements", on_time.acknowledgements),
                          ("full replies", on_time.replies)):
        share = figures.percent_due_on_time
        if share is not None and share < on_time.target_percent:
            due = figures.within_target + figures.late + figures.overdue
            warnings.append(Warning(
                f"In {month_label(on_time.month)}, {share:g}% of {what} due went on time "
                f"({figures.within_target} of {due}), below the protocol's "
                f"{on_time.target_percent:g}%.", month, kind="on_time"))
    return tuple(warnings)


__all__ = ["FALL_WARNING_PERCENT", "MIN_FOR_WARNING", "TREND_MONTHS", "ConcernMix",
           "MemberTrend", "MonthCount", "OnTime", "Trend", "Warning", "trend"]
