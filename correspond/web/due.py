"""The Due page: what is overdue, due today and due on the next working day, for the
person signed in, another caseworker or the whole team (desk/due.py)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from correspond.desk.due import NEXT_DAY, OVERDUE, TODAY, due_list
from correspond.domain.clock import local_date, utc_now
from correspond.store import assignments
from correspond.web.auth import requires

blueprint = Blueprint("due", __name__)
EVERYONE = "everyone"


@blueprint.get("/due")
@requires("casework")
def due_page() -> Any:
    queries = current_app.extensions["correspond.queries"]
    settings = current_app.extensions["correspond.settings"]
    whose = request.args.get("whose") or current_user.name
    with queries.db.reading() as connection:
        people = [name for _, name in assignments.caseworker_users(queries.db, connection)]
    if whose != EVERYONE and whose not in people:
        whose = current_user.name
    found = due_list(queries, local_date(utc_now()),
                     owner=None if whose == EVERYONE else whose,
                     region=settings.bank_holidays)
    sections = [(OVERDUE, "Overdue"), (TODAY, "Due today"),
                (NEXT_DAY, f"Due on the next working day ({found.next_day:%A})")]
    return render_template("due.html", found=found, sections=sections, whose=whose,
                           people=people, everyone=EVERYONE)
