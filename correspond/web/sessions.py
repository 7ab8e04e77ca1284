"""Where the desk keeps sessions: in the database for signed-in people, in a signed
cookie for everyone else.

Flask-Session's server-side session does the work (random ids, idle expiry, a new id at
sign-in); this subclass stores it in correspond's own database (`store.sessions`), with
the user it belongs to, so switching an account off ends all its sessions and several
desk processes share them. Anonymous visitors (the sign-in page) get no server-side row
at all: the little they carry, the sign-in form's CSRF token and a message, travels in a
cookie signed by Flask's own session serializer. So a flood of anonymous requests costs
the server nothing and cannot push a signed-in person's session out.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSessionInterface
from flask_session.base import ServerSideSession, ServerSideSessionInterface
from itsdangerous import BadSignature

from correspond.domain.clock import utc_now
from correspond.store import sessions
from correspond.store.database import Database

SIGN_IN_COOKIE = "correspond_sign_in"
# Expired rows are swept on about one request in this many.
_CLEANUP_EVERY = 500
_USER_KEY = "_user_id"  # where Flask-Login keeps who is signed in


class _SignInCookie(SecureCookieSessionInterface):
    salt = "correspond-sign-in"


class DatabaseSessionInterface(ServerSideSessionInterface):
    session_class = ServerSideSession
    ttl = False  # expiry is a column; expired rows are swept now and then

    def __init__(self, app: Flask, db: Database) -> None:
        self.db = db
        self._cookie = _SignInCookie()
        super().__init__(app, key_prefix="", use_signer=False, permanent=True,
                         sid_length=32, serialization_format="msgpack",
                         cleanup_n_requests=_CLEANUP_EVERY)

    # Flask-Session's storage hooks -------------------------------------------------

    def _retrieve_session_data(self, store_id: str) -> dict | None:
        data = sessions.load(self.db, store_id)
        return self.serializer.decode(data) if data is not None else None

    def _delete_session(self, store_id: str) -> None:
        sessions.delete(self.db, store_id)

    def _upsert_session(self, session_lifetime: timedelta, session: ServerSideSession,
                        store_id: str) -> None:
        user = session.get(_USER_KEY)
        sessions.save(self.db, store_id, int(user) if str(user).isdigit() else None,
                      self.serializer.encode(session), utc_now() + session_lifetime)

    def _delete_expired_sessions(self) -> None:
        sessions.delete_expired(self.db)

    # Choosing the store per request ------------------------------------------------

    def open_session(self, app: Flask, request: Request) -> ServerSideSession:
        sid = request.cookies.get(self.get_cookie_name(app))
        if sid:
            data = self._retrieve_session_data(sid)
            if data is not None:
                stored = self.session_class(data, sid=sid)
                stored.stored = True
                return stored
        carried = self._sign_in_cookie(app, request)
        anonymous = self.session_class(carried, sid=self._generate_sid(self.sid_length),
                                       permanent=True)
        anonymous.stored = False
        return anonymous

    def save_session(self, app: Flask, session: ServerSideSession,
                     response: Response) -> None:
        if _USER_KEY in session:
            super().save_session(app, session, response)
            if SIGN_IN_COOKIE in _request_cookies():
                response.delete_cookie(SIGN_IN_COOKIE, path=self.get_cookie_path(app))
            return
        if getattr(session, "stored", False):
            # Signed out (or ended): the server forgets the session and the browser its id.
            self._delete_session(session.sid)
            response.delete_cookie(self.get_cookie_name(app),
                                   domain=self.get_cookie_domain(app),
                                   path=self.get_cookie_path(app))
        self._save_sign_in_cookie(app, session, response)

    def _sign_in_cookie(self, app: Flask, request: Request) -> dict[str, Any]:
        value = request.cookies.get(SIGN_IN_COOKIE)
        serializer = self._cookie.get_signing_serializer(app)
        if not value or serializer is None:
            return {}
        try:
            carried = serializer.loads(
                value, max_age=int(app.permanent_session_lifetime.total_seconds()))
        except BadSignature:
            return {}
        return carried if isinstance(carried, dict) else {}

    def _save_sign_in_cookie(self, app: Flask, session: ServerSideSession,
                             response: Response) -> None:
        path = self.get_cookie_path(app)
        if not session:
            if SIGN_IN_COOKIE in _request_cookies():
                response.delete_cookie(SIGN_IN_COOKIE, path=path)
            return
        serializer = self._cookie.get_signing_serializer(app)
        assert serializer is not None  # the desk always has a secret key
        response.set_cookie(
            SIGN_IN_COOKIE, serializer.dumps(dict(session)), path=path,
            max_age=int(app.permanent_session_lifetime.total_seconds()),
            httponly=True, secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app))
        response.vary.add("Cookie")


def _request_cookies() -> dict[str, str]:
    from flask import request

    return request.cookies
