"""Arrivals: every file taken from the inbox, newest first, and what became of it (a
referral, a duplicate of one, or set aside with the reason), by day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, current_app, flash, render_template, request

from correspond.domain.clock import COUNCIL_TIME_ZONE
from correspond.store import deliveries
from correspond.web.auth import requires

blueprint = Blueprint("arrivals", __name__)
SHOWN = 500


@blueprint.get("/arrivals")
@requires("failed_files")
def arrivals_page() -> Any:
    db = current_app.extensions["correspond.db"]
    day_text = request.args.get("day") or ""
    since = before = None
    day = None
    if day_text:
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            flash("Write the day as 2026-11-30, or pick it from the calendar.", "error")
        else:
            since = datetime.combine(day, time(), COUNCIL_TIME_ZONE).astimezone(UTC)
            before = datetime.combine(day + timedelta(days=1), time(),
                                      COUNCIL_TIME_ZONE).astimezone(UTC)
    with db.reading() as connection:
        found = deliveries.arrivals(db, connection, since=since, before=before, limit=SHOWN)
    return render_template("arrivals.html", arrivals=found, day=day, shown=SHOWN)
