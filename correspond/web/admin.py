"""The administrator's pages: who may sign in, and whether the letter templates work."""

from __future__ import annotations

from typing import Any

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   send_file, url_for)
from flask_login import current_user

from correspond.draft.check import check_templates
from correspond.errors import UserProblem
from correspond.store import audit, users
from correspond.web.auth import requires

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


def _db():
    return current_app.extensions["correspond.db"]


@blueprint.get("/users")
@requires("admin")
def users_page() -> Any:
    return render_template("users.html", people=users.all_users(_db()),
                           min_length=users.MIN_PASSWORD_LENGTH)


@blueprint.post("/users")
@requires("admin")
def add_user() -> Any:
    try:
        added = users.add_user(_db(), request.form.get("name", ""),
                               request.form.get("role", ""), request.form.get("password", ""))
    except UserProblem as problem:
        flash(problem.reason, "error")
    else:
        audit.record_alone(_db(), user=current_user.name, action="user_added",
                           detail=f"{added.name} as {added.role}")
        flash(f"{added.name} can now sign in as {added.role_label.lower()}.", "success")
    return redirect(url_for("admin.users_page"))


@blueprint.post("/users/<int:user_id>/active")
@requires("admin")
def set_active(user_id: int) -> Any:
    active = request.form.get("active") == "yes"
    if str(user_id) == current_user.id and not active:
        flash("You cannot switch off your own account.", "error")
        return redirect(url_for("admin.users_page"))
    users.set_active(_db(), user_id, active)
    audit.record_alone(_db(), user=current_user.name,
                       action="user_enabled" if active else "user_disabled",
                       detail=f"user {user_id}")
    flash("Saved.", "success")
    return redirect(url_for("admin.users_page"))


@blueprint.get("/templates")
@requires("admin")
def templates_page() -> Any:
    settings = current_app.extensions["correspond.settings"]
    return render_template("templates.html", reports=check_templates(settings.templates_dir),
                           folder=settings.templates_dir)


@blueprint.get("/templates/<name>.docx")
@requires("admin")
def download_template(name: str) -> Any:
    """A template to edit in Word (then replace it in the templates folder)."""
    settings = current_app.extensions["correspond.settings"]
    found = {path.stem: path for path in settings.templates_dir.glob("*.docx")}
    if name not in found:  # only the listed files: no path from the address is opened
        abort(404)
    return send_file(found[name], as_attachment=True, download_name=found[name].name)
