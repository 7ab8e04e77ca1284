"""The liaison team's figures: letters by status, acknowledgements and replies against
their deadlines, weekly volumes, and letters by MP and by concern; with CSV exports.

    liaison_report(db, today=...) -> LiaisonReport   (for the reports page)
    summary_csv(report) -> str                       (the same figures, for a spreadsheet)
    referrals_csv(db, today=...) -> str              (one row per referral)

Nothing here reads the letters or the children's and constituents' details: the export
selects named columns only, so it cannot carry personal data by accident.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.domain.clock import local_date
from correspond.domain.concerns import CONCERN_LABELS
from correspond.domain.workdays import working_days_between
from correspond.review import REFERRAL_STATUS_LABELS, ReferralStatus
from correspond.store.database import Database

STATUS_LABELS = REFERRAL_STATUS_LABELS
NOT_SEND = ReferralStatus.NOT_SEND
UNKNOWN_MP = "Unknown"

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and
# carriage return, may strip them and then do so); MP names come from letters.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


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


@dataclass(frozen=True)
class WeekVolume:
    week_start: date  # the Monday
    count: int


@dataclass(frozen=True)
class NamedCount:
    name: str
    count: int


@dataclass(frozen=True)
class LiaisonReport:
    today: date
    total: int
    statuses: tuple[StatusCount, ...]
    acknowledgements: TargetFigures
    replies: TargetFigures
    median_working_days_to_acknowledge: float | None
    weekly: tuple[WeekVolume, ...]  # oldest first, empty weeks included
    by_mp: tuple[NamedCount, ...]  # most first
    by_concern: tuple[NamedCount, ...]  # most first; SEND referrals only


def liaison_report(db: Database, *, today: date, region: str = "ENG",
                   weeks: int = 12) -> LiaisonReport:
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    referrals = db.table("referrals")
    with db.reading() as connection:
        statuses = _status_counts(connection, referrals)
        timings = _send_timings(connection, referrals)
        weekly = _weekly_volumes(connection, referrals, today, weeks)
        by_mp = _mp_volumes(connection, referrals)
        by_concern = _concern_volumes(connection, referrals, db.table("referral_concerns"))
    return LiaisonReport(
        today=today,
        total=sum(item.count for item in statuses),
        statuses=statuses,
        acknowledgements=_target_figures(
            ((row.acknowledgement_due, row.acknowledged_at) for row in timings), today),
        replies=_target_figures(((row.reply_due, row.replied_at) for row in timings), today),
        median_working_days_to_acknowledge=_median_days_to_acknowledge(timings, region),
        weekly=weekly,
        by_mp=by_mp,
        by_concern=by_concern,
    )


def _status_counts(connection: Connection, referrals: sa.Table) -> tuple[StatusCount, ...]:
    counts: dict[str, int] = dict(connection.execute(
        sa.select(referrals.c.status, sa.func.count()).group_by(referrals.c.status)
    ).all())
    # Every known status is listed, at 0 if need be, so the page's layout never shifts;
    # any status not known here still shows rather than going missing from the total.
    order = list(STATUS_LABELS) + sorted(set(counts) - set(STATUS_LABELS))
    return tuple(StatusCount(status, status_label(status), counts.get(status, 0))
                 for status in order)


def _send_timings(connection: Connection, referrals: sa.Table) -> Sequence[sa.Row]:
    # Fetched per referral rather than counted in SQL: whether a letter went in time
    # depends on the local (UK) date of a UTC timestamp, which SQLite cannot work out.
    return connection.execute(
        sa.select(referrals.c.received_date, referrals.c.acknowledgement_due,
                  referrals.c.acknowledged_at, referrals.c.reply_due, referrals.c.replied_at)
        .where(referrals.c.status != NOT_SEND)
    ).all()


def _target_figures(letters: Iterable[tuple[date, datetime | None]],
                    today: date) -> TargetFigures:
    within = late = overdue = in_time = 0
    for due, sent_at in letters:
        if sent_at is not None:
            if local_date(sent_at) <= due:
                within += 1
            else:
                late += 1
        elif due < today:
            overdue += 1
        else:
            in_time += 1
    return TargetFigures(within, late, overdue, in_time)


def _median_days_to_acknowledge(timings: Sequence[sa.Row], region: str) -> float | None:
    days = [working_days_between(row.received_date, local_date(row.acknowledged_at), region)
            for row in timings if row.acknowledged_at is not None]
    return float(statistics.median(days)) if days else None


def _weekly_volumes(connection: Connection, referrals: sa.Table, today: date,
                    weeks: int) -> tuple[WeekVolume, ...]:
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    # Counted per day in SQL and gathered into weeks here: at most 7 rows a week, and
    # no dialect-specific week functions.
    per_day = connection.execute(
        sa.select(referrals.c.received_date, sa.func.count())
        .where(referrals.c.received_date >= mondays[0],
               referrals.c.received_date < this_monday + timedelta(weeks=1))
        .group_by(referrals.c.received_date)
    ).all()
    counts = dict.fromkeys(mondays, 0)
    for day, count in per_day:
        counts[day - timedelta(days=day.weekday())] += count
    return tuple(WeekVolume(monday, count) for monday, count in counts.items())


def _mp_volumes(connection: Connection, referrals: sa.Table) -> tuple[NamedCount, ...]:
    # A blank name is as unknown as a missing one.
    name = sa.func.coalesce(sa.func.nullif(sa.func.trim(referrals.c.mp_name), ""), UNKNOWN_MP)
    rows = connection.execute(sa.select(name, sa.func.count()).group_by(name)).all()
    return _most_first(rows)


def _concern_volumes(connection: Connection, referrals: sa.Table,
                     concerns: sa.Table) -> tuple[NamedCount, ...]:
    # Referrals raising each concern, so a concern named twice in one letter counts once.
    rows = connection.execute(
        sa.select(concerns.c.category, sa.func.count(sa.distinct(concerns.c.referral_id)))
        .join(referrals, referrals.c.id == concerns.c.referral_id)
        .where(referrals.c.status != NOT_SEND)
        .group_by(concerns.c.category)
    ).all()
    return _most_first((concern_label(category), count) for category, count in rows)


def _most_first(rows: Iterable[tuple[str, int]]) -> tuple[NamedCount, ...]:
    # Ties in alphabetical order, so the list is stable from one visit to the next.
    ordered = sorted(rows, key=lambda row: (-row[1], row[0].casefold(), row[0]))
    return tuple(NamedCount(name, count) for name, count in ordered)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def concern_label(category: str) -> str:
    return CONCERN_LABELS.get(category, category.replace("_", " ").capitalize())


# --- CSV exports -----------------------------------------------------------------------

REFERRAL_COLUMNS = (
    "Reference", "Received", "Status", "MP", "Constituency", "Concerns", "Urgent",
    "Acknowledgement due", "Acknowledged on", "Acknowledgement within target",
    "Working days to acknowledge", "Reply due", "Replied on", "Reply within target",
)


def referrals_csv(db: Database, *, today: date, region: str = "ENG") -> str:
    """One row per referral, oldest first. The within-target columns are blank while a
    letter is outstanding and not yet due, "no" once it is overdue, and blank for
    letters that are not SEND (they have no target)."""
    referrals = db.table("referrals")
    with db.reading() as connection:
        # Named columns only: never the letter, the extraction or anyone's details.
        rows = connection.execute(
            sa.select(referrals.c.id, referrals.c.reference, referrals.c.received_date,
                      referrals.c.status, referrals.c.mp_name, referrals.c.constituency,
                      referrals.c.urgent, referrals.c.acknowledgement_due,
                      referrals.c.acknowledged_at, referrals.c.reply_due,
                      referrals.c.replied_at)
            .order_by(referrals.c.received_at, referrals.c.id)
        ).all()
        concerns = _concerns_by_referral(connection, db.table("referral_concerns"))
    return csv_text([REFERRAL_COLUMNS,
                    *(_referral_cells(row, concerns.get(row.id, ()), today, region)
                      for row in rows)])


def _concerns_by_referral(connection: Connection,
                          concerns: sa.Table) -> dict[int, list[str]]:
    labels: dict[int, list[str]] = defaultdict(list)
    for referral_id, category in connection.execute(
        sa.select(concerns.c.referral_id, concerns.c.category)
        .order_by(concerns.c.referral_id, concerns.c.position)
    ):
        label = concern_label(category)
        if label not in labels[referral_id]:
            labels[referral_id].append(label)
    return labels


def _referral_cells(row: sa.Row, concerns: Sequence[str], today: date,
                    region: str) -> list[object]:
    is_send = row.status != NOT_SEND
    acknowledged_on = local_date(row.acknowledged_at) if row.acknowledged_at else None
    replied_on = local_date(row.replied_at) if row.replied_at else None
    return [
        row.reference,
        row.received_date.isoformat(),
        status_label(row.status),
        row.mp_name or "",
        row.constituency or "",
        "; ".join(concerns),
        _yes_no(row.urgent),
        row.acknowledgement_due.isoformat(),
        _iso(acknowledged_on),
        _within_target(row.acknowledgement_due, acknowledged_on, today) if is_send else "",
        (working_days_between(row.received_date, acknowledged_on, region)
         if acknowledged_on else ""),
        row.reply_due.isoformat(),
        _iso(replied_on),
        _within_target(row.reply_due, replied_on, today) if is_send else "",
    ]


def _within_target(due: date, sent_on: date | None, today: date) -> str:
    if sent_on is not None:
        return _yes_no(sent_on <= due)
    # Unsent past its due date has already missed the target; before it, nobody knows.
    return "no" if due < today else ""


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def summary_csv(report: LiaisonReport) -> str:
    """The report's figures as rows of section, item and value."""
    rows: list[tuple[str, str, object]] = [("Report", "Figures as at", report.today.isoformat())]
    rows += [("Status", item.label, item.count) for item in report.statuses]
    rows.append(("Status", "Total", report.total))
    rows += _target_rows("Acknowledgements", report.acknowledgements)
    rows.append(("Acknowledgements", "Median working days to acknowledge",
                 _number(report.median_working_days_to_acknowledge)))
    rows += _target_rows("Replies", report.replies)
    rows += [("Week commencing", week.week_start.isoformat(), week.count)
             for week in report.weekly]
    rows += [("MP", item.name, item.count) for item in report.by_mp]
    rows += [("Concern", item.name, item.count) for item in report.by_concern]
    return csv_text([("Section", "Item", "Value"), *rows])


def _target_rows(section: str, figures: TargetFigures) -> list[tuple[str, str, object]]:
    return [
        (section, "Sent within target", figures.within_target),
        (section, "Sent late", figures.late),
        (section, "Outstanding and overdue", figures.overdue),
        (section, "Outstanding, not yet due", figures.outstanding_in_time),
        (section, "Percentage of those sent within target",
         _number(figures.percent_within_target)),
    ]


def _number(value: float | None) -> str:
    """2.0 as "2", 2.5 as "2.5", and nothing for no value."""
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV, with cells that a spreadsheet would run as formulas made plain."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([_safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def _safe_cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, made plain text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


__all__ = [
    "LiaisonReport", "NamedCount", "StatusCount", "TargetFigures", "WeekVolume", "csv_text",
    "concern_label", "liaison_report", "referrals_csv", "status_label", "summary_csv",
]
