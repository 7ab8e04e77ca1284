"""The liaison team's page: counts, deadlines met, time to acknowledge, volumes, as
charts and tables, with CSV export."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, render_template
from flask_login import current_user

from correspond.domain.clock import local_date, utc_now
from correspond.liaison import reports
from correspond.store import audit
from correspond.web.auth import requires
from correspond.web.charts import bar_chart

blueprint = Blueprint("reports", __name__, url_prefix="/reports")


def _context() -> tuple[Any, Any]:
    return (current_app.extensions["correspond.db"],
            current_app.extensions["correspond.settings"])


@blueprint.get("/")
@requires("reports")
def liaison() -> Any:
    db, settings = _context()
    report = reports.liaison_report(db, today=local_date(utc_now()),
                                    region=settings.bank_holidays)
    return render_template(
        "liaison.html", report=report, bar_chart=bar_chart,
        weekly=[(f"w/c {week.week_start.day} {week.week_start:%b}", week.count)
                for week in report.weekly],
        by_mp=[(item.name, item.count) for item in report.by_mp],
        by_concern=[(item.name, item.count) for item in report.by_concern])


@blueprint.get("/referrals.csv")
@requires("reports")
def referrals_csv() -> Any:
    db, settings = _context()
    today = local_date(utc_now())
    audit.record_alone(db, user=current_user.name, action="exported",
                       detail="referrals CSV")
    return csv_response(reports.referrals_csv(db, today=today, region=settings.bank_holidays),
                f"referrals-{today.isoformat()}.csv")


@blueprint.get("/summary.csv")
@requires("reports")
def summary_csv() -> Any:
    db, settings = _context()
    today = local_date(utc_now())
    report = reports.liaison_report(db, today=today, region=settings.bank_holidays)
    return csv_response(reports.summary_csv(report), f"summary-{today.isoformat()}.csv")


def csv_response(text: str, name: str) -> Response:
    # A byte-order mark, so Excel opens the file as UTF-8 (names with accents intact).
    return Response("\ufeff" + text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
