"""Signing in and out, and who may do what.

Sessions of signed-in people are kept in the database (`web/sessions.py`); the browser
holds only a random id. A session ends at sign-out, after `session_idle_minutes` without
a request, and when the account is switched off. Every page but sign-in needs a
signed-in user, and each action names the roles allowed it: anyone else gets 403,
recorded in the audit trail. Wrong passwords are counted per name and address
(`store/sign_ins.py`), so a guesser cannot lock the real person out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_session.base import ServerSideSessionInterface

from correspond.errors import UserProblem
from correspond.store import audit, sign_ins, users
from correspond.store.database import Database

# What each role may do. A role sees only the pages it needs: business support handle
# files, not children's details; liaison read figures, not letters.
PERMISSIONS: dict[str, frozenset[str]] = {
    "queue": frozenset({"business_support", "caseworker"}),
    "failed_files": frozenset({"business_support", "caseworker"}),
    "search": frozenset({"business_support", "caseworker"}),
    "casework": frozenset({"caseworker"}),
    "reports": frozenset({"liaison", "caseworker", "admin"}),
    "admin": frozenset({"admin"}),
}
HOME_PAGES = {"business_support": "desk.queue", "caseworker": "ownership.mine",
              "liaison": "reports.liaison", "admin": "admin.users_page"}

blueprint = Blueprint("auth", __name__)
# Any one address may post the sign-in form 60 times a minute, across names (an office
# behind one proxy shares an address, so this is loose); kept in memory. Wrong passwords
# for a name are counted in the database (store/sign_ins.py).
limiter = Limiter(key_func=get_remote_address, storage_uri="memory://")
ATTEMPTS_PER_ADDRESS = "60 per minute"


class SignedIn(UserMixin):
    def __init__(self, user: users.User) -> None:
        self.user = user
        self.id = str(user.id)
        self.name = user.name
        self.role = user.role
        self.must_change_password = user.must_change_password

    def may(self, permission: str) -> bool:
        return self.role in PERMISSIONS[permission]


def init_auth(app: Flask, db: Database) -> None:
    manager = LoginManager(app)
    manager.login_view = "auth.sign_in"
    manager.login_message = "Sign in to continue."
    manager.login_message_category = "info"
    manager.session_protection = "strong"

    @manager.user_loader
    def _load(user_id: str) -> SignedIn | None:
        # Read on every request, so a deactivated user is out at their next click.
        found = users.user_by_id(db, int(user_id)) if user_id.isdigit() else None
        return SignedIn(found) if found and found.active else None

    limiter.init_app(app)
    app.register_blueprint(blueprint)

    @app.before_request
    def _one_time_password_first() -> Any:
        # Someone signed in with a password an administrator set chooses their own first.
        if (current_user.is_authenticated and current_user.must_change_password
                and request.endpoint not in _ALLOWED_BEFORE_NEW_PASSWORD):
            return redirect(url_for("auth.change_password"))
        return None


def requires(permission: str) -> Callable:
    """Only signed-in users whose role has `permission`; others get 403 (and a record)."""
    allowed = PERMISSIONS[permission]

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                # Flask-Login sets app.login_manager, which Flask's types do not declare.
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if current_user.role not in allowed:
                audit.record_alone(current_app.extensions["correspond.db"],
                                   user=current_user.name, action="refused",
                                   detail=f"{request.method} {request.path}")
                abort(403)
            return view(*args, **kwargs)
        return guarded
    return decorate


@blueprint.get("/sign-in")
def sign_in() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for(HOME_PAGES[current_user.role]))
    return render_template("sign_in.html", next=_safe_next(request.args.get("next")))


@blueprint.post("/sign-in")
@limiter.limit(ATTEMPTS_PER_ADDRESS)
def sign_in_post() -> Any:
    db: Database = current_app.extensions["correspond.db"]
    name = request.form.get("name", "")
    address = get_remote_address() or "unknown"
    standing = sign_ins.standing(db, name, address)
    if standing.refused_for is not None:
        minutes = max(1, round(standing.refused_for.total_seconds() / 60))
        flash(f"Too many wrong passwords for this name from this computer. Try again in "
              f"{minutes} minute{'s' if minutes != 1 else ''}, or ask your administrator "
              "to clear the failed attempts.", "error")
        return render_template("sign_in.html", name=name,
                               next=_safe_next(request.form.get("next"))), 429, {
            "Retry-After": str(int(standing.refused_for.total_seconds()))}
    found = users.check_sign_in(db, name, request.form.get("password", ""))
    if found == users.SWITCHED_OFF:
        audit.record_alone(db, user=_typed_name()[:64], action="sign_in_refused",
                           detail="account switched off")
        flash("Your account is switched off, so you cannot sign in. Ask your administrator "
              "to switch it on.", "error")
        return render_template("sign_in.html", name=name,
                               next=_safe_next(request.form.get("next"))), 403
    if not isinstance(found, users.User):
        sign_ins.record_failure(db, name, address)
        audit.record_alone(db, user=_typed_name()[:64] or "(no name)",
                           action="sign_in_failed")
        if standing.slow:
            time.sleep(sign_ins.SLOW_ANSWER_SECONDS)  # many guesses at this name
        flash("The name or password is not right. Check them and try again.", "error")
        return render_template("sign_in.html", name=name,
                               next=_safe_next(request.form.get("next"))), 401
    sign_ins.clear(db, name, address)
    # A new session id at sign-in, so an id planted before it is worth nothing.
    session.clear()
    login_user(SignedIn(found))
    interface = current_app.session_interface
    if isinstance(interface, ServerSideSessionInterface):  # a cookie session has no id to renew
        interface.regenerate(session)
    audit.record_alone(db, user=found.name, action="signed_in")
    if found.must_change_password:
        return redirect(url_for("auth.change_password"))
    return redirect(_safe_next(request.form.get("next")) or url_for(HOME_PAGES[found.role]))


_ALLOWED_BEFORE_NEW_PASSWORD = frozenset({"auth.change_password", "auth.change_password_post",
                                          "auth.sign_out", "static"})


@blueprint.get("/password")
def change_password() -> Any:
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    return render_template("password.html", min_length=users.MIN_PASSWORD_LENGTH)


@blueprint.post("/password")
def change_password_post() -> Any:
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    db: Database = current_app.extensions["correspond.db"]
    form = request.form
    problem = None
    if not users.check_password(db, current_user.user.id, form.get("current", "")):
        problem = "The current password is not right: type the one you signed in with."
    elif form.get("new", "") != form.get("again", ""):
        problem = "The two new passwords are different: type the same one twice."
    elif form.get("new", "") == form.get("current", ""):
        problem = "Choose a new password, not the one you were given."
    if problem is None:
        try:
            users.set_password(db, current_user.user.id, form.get("new", ""), one_time=False)
        except UserProblem as err:
            problem = err.reason
    if problem is not None:
        flash(problem, "error")
        return redirect(url_for("auth.change_password"))
    audit.record_alone(db, user=current_user.name, action="password_changed")
    current_user.must_change_password = False
    flash("Your password has been changed.", "success")
    return redirect(url_for(HOME_PAGES[current_user.role]))


@blueprint.post("/sign-out")
def sign_out() -> Any:
    if current_user.is_authenticated:
        audit.record_alone(current_app.extensions["correspond.db"], user=current_user.name,
                           action="signed_out")
    logout_user()
    session.clear()  # Flask-Session deletes the server-side record of an emptied session
    flash("You have signed out.", "info")
    return redirect(url_for("auth.sign_in"))


def _typed_name() -> str:
    return request.form.get("name", "").strip()


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never a redirect to another host after sign-in, and
    nothing that could not go in a Location header."""
    if not target or not target.isprintable() or len(target) > 2000:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
