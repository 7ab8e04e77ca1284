"""The liaison team's pages: the figures for a chosen period with the list behind each
figure, the trend over 24 months, the protocol, and the downloads (CSV and Excel)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from correspond.config import Settings
from correspond.domain.clock import local_date, utc_now
from correspond.domain.outcomes import OUTCOMES, outcome_label
from correspond.liaison import reports
from correspond.liaison.facts import VERDICT_LABELS, WRITER_LABELS
from correspond.liaison.figures import OUTCOME_COLUMNS, period_report
from correspond.liaison.periods import (
    PRESETS,
    Period,
    PeriodProblem,
    period_from,
    preset_period,
)
from correspond.liaison.selection import CLOSING_LABELS, Selection
from correspond.liaison.tallies import selected_facts
from correspond.liaison.trend import trend
from correspond.store import audit, registers
from correspond.store.database import Database
from correspond.store.reporting import Window
from correspond.web.auth import requires
from correspond.web.charts import bar_chart, column_chart

blueprint = Blueprint("reports", __name__, url_prefix="/reports")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_REFERRALS = 1000  # on the list page; the downloads hold every one


@blueprint.app_template_filter("outcome_label")
def _outcome_label(outcome: str | None) -> str:
    return outcome_label(outcome)


@blueprint.app_template_global("writer_label")
def _writer_label(writer: str) -> str:
    return WRITER_LABELS.get(writer, writer)


def _context() -> tuple[Database, Settings]:
    return (current_app.extensions["correspond.db"],
            current_app.extensions["correspond.settings"])


def today() -> date:
    return local_date(utc_now())


def chosen_period(fallback: str = "this_month") -> Period:
    """The period the address asks for; a bad one is explained and this month shown."""
    try:
        return period_from({"period": fallback, **request.args.to_dict()}, today())
    except PeriodProblem as problem:
        flash(problem.reason, "error")
        return preset_period(fallback, today())


@blueprint.get("/")
@requires("reports")
def liaison() -> Any:
    db, settings = _context()
    period = chosen_period()
    protocol = settings.joint_protocol
    report = period_report(db, period, today=today(), protocol=protocol,
                           region=settings.bank_holidays)
    # The warnings only: the trend page counts the mix of concerns too.
    found = trend(db, today=today(), protocol=protocol, region=settings.bank_holidays,
                  concern_mix=False)
    return render_template(
        "liaison.html", report=report, trend=found, period=period, presets=PRESETS,
        period_args=period.as_args(), bar_chart=bar_chart, column_chart=column_chart,
        outcome_columns=[(key, CLOSING_LABELS.get(key) or OUTCOMES[key])
                         for key in OUTCOME_COLUMNS],
        figure_url=_figure_url(period),
        volumes=[(item.label.removeprefix("w/c "), item.count) for item in report.volumes],
        by_member=[(item.label, item.count) for item in report.by_member],
        by_concern=[(item.label, item.count) for item in report.by_concern])


@blueprint.get("/trend")
@requires("reports")
def trend_page() -> Any:
    db, settings = _context()
    found = trend(db, today=today(), protocol=settings.joint_protocol,
                  region=settings.bank_holidays)
    return render_template(
        "liaison_trend.html", trend=found, column_chart=column_chart,
        figure_url=_figure_url(found.last_year_period),
        months=[(item.short_label, item.count) for item in found.months])


def _figure_url(period: Period):
    """For the page's template: the address of the list behind a figure, in `period` (or
    in a part of it, given `within`), with `changes` made to its selection."""
    def figure_url(selection: Selection | None = None, within: Period | None = None,
                   **changes: Any) -> str:
        chosen = replace(selection or Selection(), **changes)
        args: dict[str, Any] = {**(within or period).as_args(), **chosen.as_args()}
        return url_for("reports.referrals", **args)
    return figure_url


@blueprint.get("/referrals")
@requires("reports")
def referrals() -> Any:
    """The referrals behind a figure: references, who wrote, dates and status only."""
    db, settings = _context()
    period = chosen_period()
    selection = Selection.from_args(request.args)
    facts = _selected(db, settings, period, selection)
    member_title = _member_title(db, selection.member)
    return render_template(
        "liaison_referrals.html", period=period, selection=selection, facts=facts,
        shown=SHOWN_REFERRALS, described=selection.describe(member_title),
        verdicts=VERDICT_LABELS, args={**period.as_args(), **selection.as_args()})


def _selected(db: Database, settings: Settings, period: Period, selection: Selection):
    return selected_facts(db, Window(period.start, period.end), selection, today=today(),
                          region=settings.bank_holidays)


def _member_title(db: Database, member_id: int | None) -> str | None:
    if member_id is None:
        return None
    with db.reading() as connection:
        found = registers.member(db, connection, member_id)
    return found.title if found else None


@blueprint.get("/referrals.<kind>")
@requires("reports")
def referrals_download(kind: str) -> Any:
    db, settings = _context()
    period = chosen_period()
    selection = Selection.from_args(request.args)
    facts = _selected(db, settings, period, selection)
    _record_export(f"referrals {kind}: {period.label}")
    name = f"referrals-{period.start.isoformat()}-to-{period.end.isoformat()}"
    note = f"{period.name}: {selection.describe(_member_title(db, selection.member))}"
    if kind == "csv":
        return csv_response(reports.referrals_csv(facts), f"{name}.csv")
    if kind == "xlsx":
        return xlsx_response(reports.referrals_xlsx(facts, note), f"{name}.xlsx")
    abort(404)


@blueprint.get("/summary.<kind>")
@requires("reports")
def summary_download(kind: str) -> Any:
    db, settings = _context()
    period = chosen_period()
    report = period_report(db, period, today=today(), protocol=settings.joint_protocol,
                           region=settings.bank_holidays)
    name = f"figures-{period.start.isoformat()}-to-{period.end.isoformat()}"
    if kind == "csv":
        return csv_response(reports.summary_csv(report), f"{name}.csv")
    if kind == "xlsx":
        return xlsx_response(reports.summary_xlsx(report), f"{name}.xlsx")
    abort(404)


@blueprint.get("/trend.<kind>")
@requires("reports")
def trend_download(kind: str) -> Any:
    db, settings = _context()
    found = trend(db, today=today(), protocol=settings.joint_protocol,
                  region=settings.bank_holidays)
    name = f"trend-to-{found.months[-1].month:%Y-%m}"
    if kind == "csv":
        return csv_response(reports.trend_csv(found), f"{name}.csv")
    if kind == "xlsx":
        return xlsx_response(reports.trend_xlsx(found), f"{name}.xlsx")
    abort(404)


@blueprint.get("/protocol")
@requires("reports")
def protocol() -> Any:
    db, settings = _context()
    with db.reading() as connection:
        lists = registers.register_states(db, connection)
    return render_template("protocol.html", protocol=settings.joint_protocol,
                           in_force=settings.joint_protocol.in_force(today()), lists=lists,
                           region=settings.bank_holidays)


def _record_export(detail: str) -> None:
    db, _ = _context()
    audit.record_alone(db, user=current_user.name, action="exported", detail=detail)


def csv_response(text: str, name: str) -> Response:
    # A byte-order mark, so Excel opens the file as UTF-8 (names with accents intact).
    return Response("\ufeff" + text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def xlsx_response(data: bytes, name: str) -> Response:
    return Response(data, mimetype=XLSX_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
