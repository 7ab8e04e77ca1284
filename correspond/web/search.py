"""The search page: any referral, open or closed, found by a name, a reference, a
postcode or words of the letter (desk/search.py)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from correspond.desk.queries import DeskQueries
from correspond.desk.search import search_referrals
from correspond.store import audit
from correspond.web.auth import requires
from correspond.web.formatting import overdue

blueprint = Blueprint("search", __name__)


@blueprint.get("/search")
@requires("search")
def search_page() -> Any:
    queries: DeskQueries = current_app.extensions["correspond.queries"]
    text = request.args.get("q", "")
    found = search_referrals(queries, text, current_user.role) if text.strip() else None
    if found is not None:
        # What was searched for may be a child's name: the trail says only that one was.
        audit.record_alone(queries.db, user=current_user.name, action="searched")
    return render_template("search.html", text=text, found=found, overdue=overdue)
