"""Who owns each referral: assigning one from its page, a caseworker's own referrals
(their start page) and the team's workload (desk/ownership.py)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from correspond.desk.ownership import Owners
from correspond.errors import DeskProblem
from correspond.web.auth import requires
from correspond.web.formatting import overdue

blueprint = Blueprint("ownership", __name__)


def owners() -> Owners:
    return Owners(current_app.extensions["correspond.queries"])


@blueprint.get("/mine")
@requires("casework")
def mine() -> Any:
    return render_template("mine.html", rows=owners().mine(current_user.name),
                           overdue=overdue)


@blueprint.get("/team")
@requires("casework")
def team() -> Any:
    return render_template("team.html", people=owners().team())


@blueprint.post("/referrals/<int:referral_id>/owner")
@requires("casework")
def assign(referral_id: int) -> Any:
    chosen = request.form.get("user_id", "")
    if chosen and not chosen.isdigit():
        abort(400)
    try:
        owner = owners().assign(referral_id, int(chosen) if chosen else None,
                                current_user.name)
    except DeskProblem as problem:
        flash(problem.reason, "error")
    else:
        flash(f"{owner} now owns this referral." if owner
              else "Nobody owns this referral now.", "success")
    return redirect(url_for("desk.referral", referral_id=referral_id) + "#owner")
