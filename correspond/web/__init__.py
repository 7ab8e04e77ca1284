"""The web desk: queue, referral, letters, failed files, reports and users, in Flask.

    create_web_app(settings, db, desk, inbox, pipeline) -> a WSGI app, served by waitress in
    `correspond serve`, beside the inbox watcher and on the same database.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.routing import IntegerConverter

from correspond.config import Settings
from correspond.desk.actions import MAX_UPLOAD_BYTES, DeskActions
from correspond.desk.queries import DeskQueries
from correspond.pipeline import Pipeline
from correspond.store.database import Database
from correspond.watch.inbox import Inbox
from correspond.web import (
    admin,
    arrivals,
    auth,
    children,
    closing,
    due,
    formatting,
    health,
    letters,
    ownership,
    packs,
    pages,
    redirects,
    reports,
    scans,
    search,
)
from correspond.web.sessions import DatabaseSessionInterface


def create_web_app(settings: Settings, db: Database, queries: DeskQueries,
                   actions: DeskActions, inbox: Inbox, pipeline: Pipeline) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=_secret_key(settings.data / "secret_key"),
        SESSION_PERMANENT=True,
        # Refreshed at each request, so this is the idle time after which it ends.
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings.session_idle_minutes),
        SESSION_REFRESH_EACH_REQUEST=True,
        SESSION_COOKIE_NAME="correspond_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        # The CSRF token lives as long as the session, not a fixed hour: a caseworker
        # may spend long on one letter.
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES + 64 * 1024,
    )
    # Every <int:...> in a route is a database id: a number too large for one is a page
    # that does not exist (404), not an error deep in the database driver (500).
    app.url_map.converters["int"] = _DatabaseId
    app.extensions["correspond.db"] = db
    app.extensions["correspond.queries"] = queries
    app.extensions["correspond.actions"] = actions
    app.extensions["correspond.inbox"] = inbox
    app.extensions["correspond.settings"] = settings
    app.extensions["correspond.pipeline"] = pipeline  # records a file entered by hand
    app.session_interface = DatabaseSessionInterface(app, db)
    CSRFProtect(app)
    auth.init_auth(app, db)
    formatting.register(app, settings)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(letters.blueprint)
    app.register_blueprint(reports.blueprint)
    app.register_blueprint(packs.blueprint)
    app.register_blueprint(closing.blueprint)
    app.register_blueprint(admin.blueprint)
    app.register_blueprint(scans.blueprint)
    app.register_blueprint(children.blueprint)
    app.register_blueprint(search.blueprint)
    app.register_blueprint(ownership.blueprint)
    app.register_blueprint(due.blueprint)
    app.register_blueprint(arrivals.blueprint)
    app.register_blueprint(redirects.blueprint)
    app.register_blueprint(health.blueprint)
    _register_errors(app)
    app.after_request(_protective_headers)
    return app


class _DatabaseId(IntegerConverter):
    # The largest id an INTEGER column holds on every database correspond runs on
    # (PostgreSQL's are 32 bits); a larger one is not found, not a database error.
    def __init__(self, url_map: Any, **kwargs: Any) -> None:
        super().__init__(url_map, **{"max": 2**31 - 1, **kwargs})


def _secret_key(path: Path) -> str:
    """Kept in the data folder (readable by the service only), so sessions and form
    tokens survive a restart."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole under a name of its own, then linked into place: desk processes
        # starting together on a shared data folder all end up with the first one's key.
        draft = path.with_name(f".{path.name}-{secrets.token_hex(8)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as stream:
                stream.write(secrets.token_hex(32))
                stream.flush()
                os.fsync(stream.fileno())
            os.link(draft, path)
        except FileExistsError:
            pass  # another desk process made it first
        finally:
            draft.unlink(missing_ok=True)
    return path.read_text().strip()


def _register_errors(app: Flask) -> None:
    messages = {
        400: ("The request could not be understood", "Go back and try again."),
        403: ("You do not have access to this", "Your role does not include this page or "
              "action. Ask your team's administrator if you need it."),
        404: ("Page not found", "Check the address, or start again from the queue."),
        413: ("The file is too large", "A letter is much smaller than 10 MB."),
        429: ("Too many attempts", "Wait a minute, then try again."),
        500: ("Something went wrong", "The desk could not finish what you asked. Reload the "
              "page to see what was saved, and tell your administrator if it happens again."),
    }
    for code, (title, advice) in messages.items():
        app.register_error_handler(
            code, lambda _err, code=code, title=title, advice=advice:
            (render_template("error.html", title=title, advice=advice), code))

    @app.errorhandler(CSRFError)
    def _csrf(_err: CSRFError) -> Any:
        return render_template(
            "error.html", title="The form had expired",
            advice="For your security, forms stop working when you sign in again or after "
                   "a while. Go back, reload the page and try again."), 400


def _protective_headers(response: Any) -> Any:
    headers = response.headers
    headers.setdefault("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                       "script-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                       "base-uri 'none'")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    # Pages and files hold children's personal data: no copies left in caches.
    headers["Cache-Control"] = "no-store"
    return response
