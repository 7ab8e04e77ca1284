"""Adding a child a letter is about that reading missed, and removing one that is not a
child, from the referral page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from correspond.desk.actions import DeskActions
from correspond.desk.fields import CHILD_FIELDS
from correspond.desk.queries import DeskQueries
from correspond.errors import DeskProblem, TemplateProblem
from correspond.web.auth import requires

blueprint = Blueprint("children", __name__)


def _actions() -> DeskActions:
    return current_app.extensions["correspond.actions"]


@blueprint.get("/referrals/<int:referral_id>/children/new")
@requires("casework")
def new_child(referral_id: int) -> Any:
    queries: DeskQueries = current_app.extensions["correspond.queries"]
    try:
        row = queries.row(referral_id)
    except DeskProblem:
        abort(404)
    return render_template("add_child.html", row=row, child_fields=CHILD_FIELDS)


@blueprint.post("/referrals/<int:referral_id>/children")
@requires("casework")
def add_child(referral_id: int) -> Any:
    try:
        result = _actions().children.add(referral_id, request.form, current_user.name)
    except (DeskProblem, TemplateProblem) as problem:
        flash(problem.reason, "error")
        return redirect(url_for("children.new_child", referral_id=referral_id))
    message = "The child has been added."
    if result.redrafted:
        message += " The letter has been redrafted."
    if result.not_redrafted:
        message += (" The letter edited in Word was kept as it is; choose 'Redraft from the "
                    "template' to replace it.")
    flash(message, "success")
    return redirect(url_for("desk.referral", referral_id=referral_id) + "#matching")


@blueprint.post("/referrals/<int:referral_id>/children/<int:position>/remove")
@requires("casework")
def remove_child(referral_id: int, position: int) -> Any:
    try:
        result = _actions().children.remove(referral_id, position, request.form.get(
            "reason", ""), current_user.name)
    except (DeskProblem, TemplateProblem) as problem:
        flash(problem.reason, "error")
        return redirect(url_for("desk.referral", referral_id=referral_id) + "#matching")
    message = f"Child {position + 1} has been removed; the reason is kept in the history."
    if result.redrafted:
        message += " The letter has been redrafted."
    if result.kept:
        message += (" The letter edited in Word was kept as it is; choose 'Redraft from the "
                    "template' to replace it.")
    flash(message, "success")
    return redirect(url_for("desk.referral", referral_id=referral_id))
