"""Letters not about SEND: passing one to another of the council's services, with a
letter telling the writer so, and the council's list of those services (admin)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from correspond.desk.actions import DeskActions
from correspond.errors import DeskProblem, TemplateProblem
from correspond.store import audit, redirects
from correspond.web.auth import requires

blueprint = Blueprint("redirects", __name__)


def redirect_section(referral_id: int) -> dict[str, Any]:
    """What the referral page shows of passing a letter on."""
    db = current_app.extensions["correspond.db"]
    with db.reading() as connection:
        return {"services": redirects.services(db, connection),
                "passed_to": redirects.chosen(db, connection, referral_id)}


@blueprint.post("/referrals/<int:referral_id>/redirect")
@requires("casework")
def pass_on(referral_id: int) -> Any:
    actions: DeskActions = current_app.extensions["correspond.actions"]
    chosen = request.form.get("service_id", "")
    try:
        if not chosen.isdigit():
            raise DeskProblem("Choose a service from the list.")
        name = actions.pass_to_service(referral_id, int(chosen), current_user.name)
    except (DeskProblem, TemplateProblem) as problem:
        flash(problem.reason, "error")
    else:
        flash(f"The letter telling the writer it was passed to {name} has been drafted; "
              "approve it below.", "success")
    return redirect(url_for("desk.referral", referral_id=referral_id) + "#letters")


@blueprint.get("/admin/services")
@requires("admin")
def services_page() -> Any:
    db = current_app.extensions["correspond.db"]
    with db.reading() as connection:
        found = redirects.services(db, connection, active_only=False)
    return render_template("services.html", services=found)


@blueprint.post("/admin/services")
@requires("admin")
def save_service() -> Any:
    db = current_app.extensions["correspond.db"]
    name = " ".join(request.form.get("name", "").split())
    contact = " ".join(request.form.get("contact", "").split())
    if not name or len(name) > 120 or len(contact) > 500:
        flash("Give the service's name (at most 120 characters) and, if you like, how to "
              "reach it.", "error")
        return redirect(url_for("redirects.services_page"))
    active = request.form.get("active", "yes") == "yes"
    try:
        with db.writing() as connection:
            redirects.save_service(db, connection, name, contact, active)
            audit.record(db, connection, user=current_user.name, action="service_saved",
                         detail=name)
    except IntegrityError:
        flash(f"{name} could not be saved.", "error")
    else:
        flash(f"{name} is {'on' if active else 'off'} the list letters not about SEND are "
              "passed to.", "success")
    return redirect(url_for("redirects.services_page"))
