"""The liaison team's downloads: the referrals of a period (or of one figure), the period's
figures, and the trend, each as CSV and as an Excel workbook.

    referrals_csv(facts) / referrals_xlsx(facts)    one row per referral
    summary_csv(report) / summary_xlsx(report)      the reports page's figures
    trend_csv(trend) / trend_xlsx(trend)            24 months, overall and per member

Nothing here reads the letters or the children's and constituents' details: the facts
(facts.py) hold named columns only, so an export cannot carry personal data by accident.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from correspond.domain.concerns import CONCERN_LABELS
from correspond.domain.outcomes import outcome_label
from correspond.liaison.facts import WRITER_LABELS, ReferralFact, Timing
from correspond.liaison.figures import PeriodReport, TargetFigures
from correspond.liaison.spreadsheets import DAY, NUMBER, PERCENT, WHOLE, Column, Sheet, workbook
from correspond.liaison.trend import Trend
from correspond.review import REFERRAL_STATUS_LABELS

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and
# carriage return, may strip them and then do so); MP names come from letters.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def status_label(status: str) -> str:
    return REFERRAL_STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def concern_label(category: str) -> str:
    return CONCERN_LABELS.get(category, category.replace("_", " ").capitalize())


# --- one row per referral ---------------------------------------------------------------

REFERRAL_COLUMNS = (
    Column("Reference"), Column("Received", DAY), Column("Status"),
    Column("Written by", width=40), Column("On the list"), Column("Concerns", width=40),
    Column("Urgent"), Column("Acknowledgement due", DAY), Column("Acknowledged on", DAY),
    Column("Acknowledgement within target"), Column("Working days to acknowledge", WHOLE),
    Column("Reply due", DAY), Column("New reply-by date (holding reply)", DAY),
    Column("Replied on", DAY), Column("Reply within target"),
    Column("Outcome"), Column("Closed on", DAY),
)


def referral_rows(facts: Iterable[ReferralFact]) -> list[list[object]]:
    """The within-target columns are blank while a letter is outstanding and not yet due,
    "no" once it is overdue, and blank for letters that are not SEND (no target). The
    reply is judged by the protocol's date, beside any later one a holding reply gave."""
    return [[
        fact.reference, fact.received, status_label(fact.status),
        fact.member or WRITER_LABELS[fact.writer], "yes" if fact.member_id else "no",
        "; ".join(concern_label(concern) for concern in fact.concerns),
        "yes" if fact.urgent else "no",
        fact.acknowledgement.due, fact.acknowledgement.sent_on,
        _within(fact.acknowledgement), fact.acknowledgement.working_days,
        fact.reply.due, fact.promised_reply, fact.reply.sent_on, _within(fact.reply),
        outcome_label(fact.outcome) if fact.outcome else "", fact.closed_on,
    ] for fact in facts]


def _within(timing: Timing) -> str:
    return {"within": "yes", "late": "no", "overdue": "no"}.get(timing.verdict, "")


def referrals_csv(facts: Sequence[ReferralFact]) -> str:
    return csv_text([[column.title for column in REFERRAL_COLUMNS],
                     *(_plain(row) for row in referral_rows(facts))])


def referrals_xlsx(facts: Sequence[ReferralFact], note: str) -> bytes:
    return workbook([Sheet("Referrals", REFERRAL_COLUMNS, referral_rows(facts), note)])


# --- the period's figures ---------------------------------------------------------------

def summary_rows(report: PeriodReport) -> list[tuple[str, object, object]]:
    rows: list[tuple[str, object, object]] = [
        ("Report", "Period", report.period.label),
        ("Report", "Figures as at", report.today),
        ("Report", "SEND referrals", report.send_total),
        ("Report", "SEND referrals in the same period a year earlier",
         report.year_earlier_total),
        ("Report", "Change on a year earlier (%)", report.change_on_year_earlier),
    ]
    rows += [("Status", item.label, item.count) for item in report.statuses]
    rows.append(("Status", "Total", report.total))
    rows += _target_rows("Acknowledgements", report.acknowledgements)
    rows.append(("Acknowledgements", "Median working days to acknowledge",
                 report.median_working_days_to_acknowledge))
    rows += _target_rows("Replies", report.replies)
    rows += [("Holding replies", item.label, item.count) for item in report.holding_replies]
    for row in report.targets:
        section = f"Target: {row.letter}, {row.label.lower()} ({row.days_text})"
        rows += _target_rows(section, row.figures)
    unit = "Week commencing" if report.volume_unit == "week" else "Month"
    rows += [(unit, item.start, item.count) for item in report.volumes]
    rows += [("Written by", item.label, item.count) for item in report.writers]
    rows += [("MP or councillor", item.label, item.count) for item in report.by_member]
    rows += [("Concern", item.label, item.count) for item in report.by_concern]
    rows += [("Outcome", item.label, item.count) for item in report.outcomes]
    rows += [("What changed", item.label, item.count) for item in report.changes]
    return rows


def _target_rows(section: str, figures: TargetFigures) -> list[tuple[str, object, object]]:
    return [
        (section, "Sent within target", figures.within_target),
        (section, "Sent late", figures.late),
        (section, "Outstanding and overdue", figures.overdue),
        (section, "Outstanding, not yet due", figures.outstanding_in_time),
        (section, "Percentage of those sent within target", figures.percent_within_target),
    ]


def summary_csv(report: PeriodReport) -> str:
    """The report's figures as rows of section, item and value."""
    return csv_text([("Section", "Item", "Value"), *(_plain(row) for row in summary_rows(report))])


def summary_xlsx(report: PeriodReport) -> bytes:
    # One column of values of mixed kinds: each cell keeps its own type (a date, a count).
    return workbook([Sheet("Figures", [Column("Section", width=48), Column("Item", width=48),
                                       Column("Value", NUMBER)],
                           ((section, item, value) for section, item, value
                            in summary_rows(report)), report.period.name)])


# --- the trend --------------------------------------------------------------------------

def trend_rows(found: Trend) -> tuple[list[str], list[list[object]]]:
    """A column per month; a row for all referrals, each member, and each concern's share."""
    header = ["", *(item.label for item in found.months), "Last 12 months",
              "12 months before", "Change (%)"]
    rows: list[list[object]] = [
        ["All SEND referrals", *(item.count for item in found.months), found.last_year,
         found.year_before, found.change_percent],
        ["Same month a year earlier", *(item.year_earlier for item in found.months)],
    ]
    rows += [[member.title, *member.counts, member.last_year, member.year_before,
              member.change_percent] for member in found.members]
    return header, rows


def trend_csv(found: Trend) -> str:
    header, rows = trend_rows(found)
    mix_header = ["Concern (% of the quarter's referrals)",
                  *(quarter.label for quarter in found.concern_mix)]
    mix = [[concern_label(concern), *(quarter.share(concern) for quarter in found.concern_mix)]
           for concern in found.concerns]
    return csv_text([header, *(_plain(row) for row in rows), [], mix_header,
                     *(_plain(row) for row in mix)])


def trend_xlsx(found: Trend) -> bytes:
    header, rows = trend_rows(found)
    columns = [Column("", width=44), *(Column(title, WHOLE) for title in header[1:-1]),
               Column(header[-1], NUMBER)]
    mix_columns = [Column("Concern", width=36),
                   *(Column(quarter.label, PERCENT) for quarter in found.concern_mix)]
    return workbook([
        Sheet("Referrals per month", columns, rows, "SEND referrals received each month"),
        Sheet("Concern mix", mix_columns,
              [[concern_label(concern), *(quarter.share(concern)
                                          for quarter in found.concern_mix)]
               for concern in found.concerns],
              "Of each quarter's SEND referrals, the percentage raising each concern"),
    ])


# --- CSV --------------------------------------------------------------------------------

def _plain(row: Sequence[object]) -> list[object]:
    """Values as a CSV shows them: dates ISO, 2.0 as 2, nothing for no value."""
    shown: list[object] = []
    for value in row:
        if value is None:
            shown.append("")
        elif isinstance(value, float):
            shown.append(str(int(value)) if value == int(value) else str(value))
        elif hasattr(value, "isoformat"):
            shown.append(value.isoformat())
        else:
            shown.append(value)
    return shown


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


__all__ = ["REFERRAL_COLUMNS", "concern_label", "csv_text", "referral_rows", "referrals_csv",
           "referrals_xlsx", "status_label", "summary_csv", "summary_rows", "summary_xlsx",
           "trend_csv", "trend_rows", "trend_xlsx"]
