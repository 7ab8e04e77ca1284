"""The figures for a period: referrals by status, acknowledgements and replies against
the protocol's targets, volumes over the period, who wrote, concerns and outcomes.

    period_report(db, period, today=..., protocol=...) -> PeriodReport

Each count carries the Selection that finds the referrals behind it (selection.py), so
the page can link every figure to its list.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from correspond.config import Protocol, ProtocolVersion
from correspond.domain.concerns import CONCERN_LABELS
from correspond.domain.correspondents import COUNCILLOR, MP, OTHER
from correspond.domain.dates import MONTHS, written_date
from correspond.domain.outcomes import OUTCOMES, change_label, outcome_label
from correspond.liaison.facts import (
    HOLDING_LABELS,
    KEPT,
    LATE,
    MISSED,
    MOVED,
    OVERDUE,
    PENDING,
    UNLISTED_COUNCILLOR,
    UNLISTED_MP,
    WAITING,
    WITHIN,
    WRITER_LABELS,
    Timing,
    working_days_taken,
    writer_of,
)
from correspond.liaison.periods import Period, add_months, month_end, month_start
from correspond.liaison.selection import (
    AWAITING_OUTCOME,
    CLOSING_LABELS,
    GROUP_LABELS,
    STILL_OPEN,
    URGENT,
    Selection,
)
from correspond.liaison.tallies import Letters, Tallies, tallies_in
from correspond.review import REFERRAL_STATUS_LABELS
from correspond.store import reporting
from correspond.store.database import Database

# Up to this many days, volumes are shown by week; a longer period by month.
WEEKLY_UP_TO_DAYS = 92
OUTCOME_COLUMNS = (*OUTCOMES, AWAITING_OUTCOME, STILL_OPEN)
K = TypeVar("K")


@dataclass(frozen=True)
class Count:
    label: str
    count: int
    selection: Selection = field(default_factory=Selection)


@dataclass(frozen=True)
class TargetFigures:
    """Letters of one kind (acknowledgements or replies) against their due dates."""

    within_target: int  # sent on or before the due date
    late: int  # sent after the due date
    overdue: int  # not sent, and the due date has passed
    outstanding_in_time: int  # not sent, still before or on the due date

    @property
    def sent(self) -> int:
        return self.within_target + self.late

    @property
    def outstanding(self) -> int:
        return self.overdue + self.outstanding_in_time

    @property
    def percent_within_target(self) -> float | None:
        """Of those sent, the percentage (0-100, one decimal place) sent in time."""
        if not self.sent:
            return None
        return round(100 * self.within_target / self.sent, 1)

    @property
    def percent_due_on_time(self) -> float | None:
        """Of those due by now (sent, or overdue), the percentage sent in time."""
        due = self.sent + self.overdue
        return round(100 * self.within_target / due, 1) if due else None

    @classmethod
    def of(cls, timings: Iterable[Timing]) -> TargetFigures:
        return cls.counted(Counter(timing.verdict for timing in timings))

    @classmethod
    def counted(cls, verdicts: Mapping[str, int]) -> TargetFigures:
        """From letters counted by verdict (facts.WITHIN, ...)."""
        return cls(verdicts.get(WITHIN, 0), verdicts.get(LATE, 0), verdicts.get(OVERDUE, 0),
                   verdicts.get(PENDING, 0))


@dataclass(frozen=True)
class Bin:
    """Referrals received in part of the period (a week or a month)."""

    start: date
    end: date
    label: str
    count: int

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)


@dataclass(frozen=True)
class TargetRow:
    """One of the protocol's targets (a letter, for one group of writers) over the period."""

    letter: str  # "acknowledgement" or "reply"
    group: str  # URGENT or a kind
    label: str
    days: tuple[tuple[date, int | None], ...]  # (version in force from, working days)
    figures: TargetFigures

    @property
    def days_text(self) -> str:
        """'2 working days', or '3 working days; 2 from 1 September 2025'."""
        shown = []
        for position, (since, days) in enumerate(self.days):
            words = ("as for the writer" if days is None
                     else f"{days} working day{'' if days == 1 else 's'}")
            shown.append(words if position == 0 else f"{words} from {written_date(since)}")
        return "; ".join(shown)


@dataclass(frozen=True)
class OutcomeRow:
    """Outcomes of the referrals in one row (a concern, a member, a month)."""

    label: str
    selection: Selection
    counts: dict[str, int]  # OUTCOME_COLUMNS -> referrals
    period: Period | None = None  # a month's row: the referrals received that month

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def closed(self) -> int:
        return sum(self.counts[outcome] for outcome in OUTCOMES)


@dataclass(frozen=True)
class PeriodReport:
    period: Period
    today: date
    total: int  # every referral received, SEND or not
    send_total: int
    year_earlier_total: int  # SEND referrals in the same period a year earlier
    statuses: tuple[Count, ...]
    acknowledgements: TargetFigures
    replies: TargetFigures  # against the protocol's dates
    holding_replies: tuple[Count, ...]  # moved by a holding reply; kept, missed, waiting
    median_working_days_to_acknowledge: float | None
    volume_unit: str  # "week" or "month"
    volumes: tuple[Bin, ...]
    writers: tuple[Count, ...]
    by_member: tuple[Count, ...]
    by_concern: tuple[Count, ...]
    outcomes: tuple[Count, ...]
    changes: tuple[Count, ...]
    outcomes_by_concern: tuple[OutcomeRow, ...]
    outcomes_by_member: tuple[OutcomeRow, ...]
    outcomes_by_month: tuple[OutcomeRow, ...]
    targets: tuple[TargetRow, ...]

    @property
    def change_on_year_earlier(self) -> float | None:
        """The percentage change in SEND referrals on the same period a year earlier."""
        return percent_change(self.send_total, self.year_earlier_total)


def percent_change(now: int, before: int) -> float | None:
    if not before:
        return None
    return round(100 * (now - before) / before, 1)


def period_report(db: Database, period: Period, *, today: date, protocol: Protocol,
                  region: str = "ENG", member_id: int | None = None) -> PeriodReport:
    """The figures for referrals received in `period` (of one member, given `member_id`),
    judged as at `today`, counted in the database."""
    window = reporting.Window(period.start, period.end, member_id=member_id)
    tallies = tallies_in(db, window, today=today)
    earlier = period.year_earlier()
    with db.reading() as connection:
        year_earlier = reporting.send_count(db, connection, reporting.Window(
            earlier.start, earlier.end, member_id=member_id))
    return build_report(tallies, period, today=today, protocol=protocol, region=region,
                        year_earlier_total=year_earlier)


def build_report(tallies: Tallies, period: Period, *, today: date, protocol: Protocol,
                 region: str = "ENG", year_earlier_total: int = 0) -> PeriodReport:
    """The figures from the counts of a period's referrals (tallies.py)."""
    letters = tallies.letters
    unit = "week" if period.days <= WEEKLY_UP_TO_DAYS else "month"
    return PeriodReport(
        period=period, today=today, total=sum(tallies.statuses.values()),
        send_total=sum(letters.values()), year_earlier_total=year_earlier_total,
        statuses=_statuses(tallies.statuses),
        acknowledgements=TargetFigures.counted(_sum_by(letters, lambda key: key.acknowledgement)),
        replies=TargetFigures.counted(_sum_by(letters, lambda key: key.reply)),
        holding_replies=_holding_replies(_sum_by(letters, lambda key: key.holding)),
        median_working_days_to_acknowledge=_median_days(tallies.acknowledged, region),
        volume_unit=unit,
        volumes=_volumes(_sum_by(tallies.days, lambda key: key[0]), period, unit),
        writers=_writers(_sum_by(letters, lambda key: writer_of(key.kind, listed=key.listed))),
        by_member=_most_first(
            Count(tallies.member_titles.get(member_id, ""), count, Selection(member=member_id))
            for member_id, count in _sum_by(tallies.members, lambda key: key[0]).items()),
        by_concern=_most_first(
            Count(CONCERN_LABELS.get(concern, concern), count, Selection(concern=concern))
            for concern, count in _sum_by(tallies.concerns, lambda key: key[0]).items()),
        outcomes=tuple(Count(_outcome_words(key), count, Selection(outcome=key))
                       for key, count in _outcome_counts(
                           _sum_by(letters, lambda key: key.outcome)).items()),
        changes=_most_first(Count(change_label(change), count, Selection(change=change))
                            for change, count in tallies.changes.items()),
        outcomes_by_concern=_outcome_rows(
            tallies.concerns,
            lambda concern: (CONCERN_LABELS.get(concern, concern), Selection(concern=concern))),
        outcomes_by_member=_outcome_rows(
            tallies.members,
            lambda member_id: (tallies.member_titles.get(member_id, ""),
                               Selection(member=member_id))),
        outcomes_by_month=_outcome_rows(
            _sum_by(tallies.days, lambda key: (month_start(key[0]), key[1])),
            lambda month: (month_label(month), Selection(),
                           Period(max(month, period.start), min(month_end(month), period.end))),
            keep_order=True),
        targets=_targets(letters, period, protocol),
    )


def _sum_by(counts: Mapping[K, int], key_of: Callable[[K], Any]) -> Counter[Any]:
    """`counts` added up by part of their keys (None left out)."""
    summed: Counter[Any] = Counter()
    for key, count in counts.items():
        part = key_of(key)
        if part is not None:
            summed[part] += count
    return summed


def _statuses(counts: Mapping[str, int]) -> tuple[Count, ...]:
    # Every known status is listed, at 0 if need be, so the page's layout never shifts.
    order = list(REFERRAL_STATUS_LABELS) + sorted(set(counts) - set(REFERRAL_STATUS_LABELS))
    return tuple(Count(REFERRAL_STATUS_LABELS.get(status, status), counts.get(status, 0),
                       Selection(status=status)) for status in order)


def _holding_replies(counts: Mapping[str, int]) -> tuple[Count, ...]:
    return tuple(Count(HOLDING_LABELS[key], sum(counts.values()) if key == MOVED
                       else counts.get(key, 0), Selection(holding=key))
                 for key in (MOVED, KEPT, MISSED, WAITING))


def _median_days(acknowledged: Mapping[tuple[date, date], int], region: str) -> float | None:
    """The median working days from receipt to acknowledgement."""
    days = [working_days_taken(received, sent, region)
            for (received, sent), count in acknowledged.items() for _ in range(count)]
    return float(statistics.median(days)) if days else None


def _volumes(counts: Mapping[date, int], period: Period, unit: str) -> tuple[Bin, ...]:
    per_bin = _sum_by(counts, lambda day: _bin_of(day, unit))
    bins = []
    for start in _bin_starts(period, unit):
        end = min(period.end, start + timedelta(days=6) if unit == "week" else month_end(start))
        shown_start = max(start, period.start)
        label = (f"w/c {start.day} {MONTHS[start.month - 1][:3]}" if unit == "week"
                 else month_label(start))
        bins.append(Bin(shown_start, end, label, per_bin.get(start, 0)))
    return tuple(bins)


def _bin_of(day: date, unit: str) -> date:
    return day - timedelta(days=day.weekday()) if unit == "week" else month_start(day)


def _bin_starts(period: Period, unit: str) -> list[date]:
    starts, current = [], _bin_of(period.start, unit)
    while current <= period.end:
        starts.append(current)
        current = current + timedelta(weeks=1) if unit == "week" else add_months(current, 1)
    return starts


def _writers(counts: Mapping[str, int]) -> tuple[Count, ...]:
    order = (MP, COUNCILLOR, UNLISTED_MP, UNLISTED_COUNCILLOR, OTHER)
    return tuple(Count(WRITER_LABELS[writer], counts.get(writer, 0), Selection(writer=writer))
                 for writer in order)


def _outcome_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """Every outcome column, at 0 if need be."""
    return {column: counts.get(column, 0) for column in OUTCOME_COLUMNS}


def _outcome_words(key: str) -> str:
    return CLOSING_LABELS.get(key) or outcome_label(key)


def _outcome_rows(counts: Mapping[tuple[Any, str], int],
                  describe: Callable[[Any], tuple[Any, ...]], *,
                  keep_order: bool = False) -> tuple[OutcomeRow, ...]:
    """A row per key of `counts` ((key, outcome key) -> referrals), most referrals first
    unless `keep_order` (then by key)."""
    by_key: dict[Any, Counter[str]] = defaultdict(Counter)
    for (key, closing), count in counts.items():
        by_key[key][closing] += count
    rows = []
    for key in (sorted(by_key) if keep_order else by_key):
        label, selection, *within = describe(key)
        rows.append(OutcomeRow(label, selection, _outcome_counts(by_key[key]), *within))
    if not keep_order:
        rows.sort(key=lambda row: (-row.total, row.label))
    return tuple(rows)


def _targets(letters: Mapping[Letters, int], period: Period,
             protocol: Protocol) -> tuple[TargetRow, ...]:
    versions = versions_during(protocol, period)
    rows = []
    for letter in ("acknowledgement", "reply"):
        for group in (MP, COUNCILLOR, OTHER, URGENT):
            days = tuple((version.effective, _days(version, letter, group))
                         for version in versions)
            verdicts: Counter[str] = Counter()
            for key, count in letters.items():
                if (URGENT if key.urgent else key.kind) == group:
                    verdicts[getattr(key, letter)] += count
            rows.append(TargetRow(letter, group, GROUP_LABELS[group], days,
                                  TargetFigures.counted(verdicts)))
    return tuple(rows)


def versions_during(protocol: Protocol, period: Period) -> list[ProtocolVersion]:
    """The protocol's versions in force at some time in `period`, oldest first."""
    first = protocol.in_force(period.start)
    return [first] + [version for version in protocol.versions
                      if period.start < version.effective <= period.end]


def _days(version: ProtocolVersion, letter: str, group: str) -> int | None:
    targets = version.acknowledgement if letter == "acknowledgement" else version.reply
    if group == URGENT:
        return targets.urgent
    return int(getattr(targets, group))


def _most_first(counts: Iterable[Count]) -> tuple[Count, ...]:
    # Ties in alphabetical order, so the list is stable from one visit to the next.
    return tuple(sorted(counts, key=lambda item: (-item.count, item.label.casefold())))


def month_label(day: date) -> str:
    """'March 2026' (in English, whatever the server's language)."""
    return f"{MONTHS[day.month - 1]} {day.year}"


__all__ = ["Bin", "Count", "OUTCOME_COLUMNS", "OutcomeRow", "PeriodReport", "TargetFigures",
           "TargetRow", "build_report", "month_label", "percent_change", "period_report",
           "versions_during"]
