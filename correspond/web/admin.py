"""The administrator's pages: who may sign in, and whether the letter templates work."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from correspond.domain.clock import COUNCIL_TIME_ZONE, local_time
from correspond.domain.roles import ROLES
from correspond.draft.check import check_templates
from correspond.errors import UserProblem
from correspond.liaison.reports import csv_text
from correspond.store import audit, sign_ins, users
from correspond.web.auth import requires
from correspond.web.reports import csv_response

SHOWN_EVENTS = 500
EXPORTED_EVENTS = 100_000

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


def _db():
    return current_app.extensions["correspond.db"]


@blueprint.get("/users")
@requires("admin")
def users_page() -> Any:
    return render_template("users.html", people=users.all_users(_db()),
                           min_length=users.MIN_PASSWORD_LENGTH,
                           failed_sign_ins=sign_ins.recent_failures(_db()))


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
    person = _person(user_id)
    active = request.form.get("active") == "yes"
    if str(user_id) == current_user.id and not active:
        flash("You cannot switch off your own account.", "error")
        return redirect(url_for("admin.users_page"))
    users.set_active(_db(), user_id, active)
    audit.record_alone(_db(), user=current_user.name,
                       action="user_enabled" if active else "user_disabled",
                       detail=person.name)
    flash(f"{person.name} can sign in again." if active else
          f"{person.name} is switched off: they are signed out and cannot sign in.", "success")
    return redirect(url_for("admin.users_page"))


@blueprint.post("/users/<int:user_id>/role")
@requires("admin")
def set_role(user_id: int) -> Any:
    person = _person(user_id)
    role = request.form.get("role", "")
    if str(user_id) == current_user.id and role != "admin":
        flash("You cannot take away your own administrator role; ask another "
              "administrator.", "error")
        return redirect(url_for("admin.users_page"))
    try:
        users.set_role(_db(), user_id, role)
    except UserProblem as problem:
        flash(problem.reason, "error")
    else:
        label = ROLES[role].lower()
        audit.record_alone(_db(), user=current_user.name, action="role_changed",
                           detail=f"{person.name} to {role}")
        flash(f"{person.name} is now {'an' if label[0] in 'aeiou' else 'a'} {label}; "
              "they sign in again to use it.", "success")
    return redirect(url_for("admin.users_page"))


@blueprint.post("/users/<int:user_id>/password")
@requires("admin")
def reset_password(user_id: int) -> Any:
    person = _person(user_id)
    try:
        users.set_password(_db(), user_id, request.form.get("password", ""), one_time=True)
    except UserProblem as problem:
        flash(problem.reason, "error")
    else:
        audit.record_alone(_db(), user=current_user.name, action="password_reset",
                           detail=person.name)
        flash(f"{person.name}'s password is reset. Give them the one-time password "
              "privately: they choose their own when they next sign in.", "success")
    return redirect(url_for("admin.users_page"))


@blueprint.post("/users/<int:user_id>/email")
@requires("admin")
def set_email(user_id: int) -> Any:
    person = _person(user_id)
    address = request.form.get("email", "").strip() or None
    try:
        users.set_email(_db(), user_id, address)
    except UserProblem as problem:
        flash(problem.reason, "error")
    else:
        audit.record_alone(_db(), user=current_user.name, action="email_changed",
                           detail=person.name)
        flash(f"Reminders for {person.name} go to {address}." if address else
              f"{person.name} will get no reminder emails.", "success")
    return redirect(url_for("admin.users_page"))


def _person(user_id: int) -> users.User:
    person = users.user_by_id(_db(), user_id)
    if person is None:
        abort(404)
    return person


@blueprint.post("/users/<int:user_id>/clear-sign-ins")
@requires("admin")
def clear_sign_ins(user_id: int) -> Any:
    """Let a person locked out by wrong passwords (theirs or a guesser's) try again."""
    person = _person(user_id)
    cleared = sign_ins.clear(_db(), person.name)
    audit.record_alone(_db(), user=current_user.name, action="sign_ins_cleared",
                       detail=person.name)
    flash(f"{cleared} failed sign-in(s) for {person.name} cleared; they can try again now.",
          "success")
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


@blueprint.get("/audit")
@requires("admin")
def audit_page() -> Any:
    chosen, problem = _audit_filter()
    if problem:
        flash(problem, "error")
    found = audit.events(_db(), chosen=chosen, limit=SHOWN_EVENTS)
    return render_template(
        "audit.html", events=found, chosen=request.args, shown=SHOWN_EVENTS,
        actions=[(action, action.replace("_", " ")) for action in audit.actions(_db())],
        people=[(person.name, person.name) for person in users.all_users(_db())])


@blueprint.get("/audit.csv")
@requires("admin")
def audit_csv() -> Any:
    chosen, _ = _audit_filter()
    found = audit.events(_db(), chosen=chosen, limit=EXPORTED_EVENTS)
    audit.record_alone(_db(), user=current_user.name, action="exported",
                       detail="audit trail CSV")
    rows = [("When (UK time)", "Who", "What", "Referral", "Detail")] + [
        (local_time(event.at).strftime("%Y-%m-%d %H:%M:%S"), event.user_name, event.action,
         event.reference or "", event.detail or "") for event in found]
    return csv_response(csv_text(rows), "audit-trail.csv")


def _audit_filter() -> tuple[audit.AuditFilter, str | None]:
    """The filter the page's form asks for; dates are whole UK days."""
    args = request.args
    try:
        since = _start_of(args.get("from"))
        until = _start_of(args.get("to"))
    except ValueError:
        return audit.AuditFilter(), "Write dates as 2026-11-30."
    before = until + timedelta(days=1) if until else None
    return audit.AuditFilter(user=args.get("user") or None, action=args.get("action") or None,
                             reference=args.get("reference") or None, since=since,
                             before=before), None


def _start_of(day: str | None) -> datetime | None:
    if not day:
        return None
    start = datetime.combine(date.fromisoformat(day), time(), COUNCIL_TIME_ZONE)
    return start.astimezone(UTC)
