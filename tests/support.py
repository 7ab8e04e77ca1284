"""Helpers shared by the tests: the command line run as a real process, a small HTTP
client with cookies for the real desk server, and reads of what the desk recorded."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import sqlalchemy as sa
from docx import Document

from conftest import DESK_PASSWORD, REPO, RunningDesk


def correspond(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """`python -m correspond --home HOME ARGS...`, run from the checkout."""
    return subprocess.run([sys.executable, "-m", "correspond", "--home", str(home), *args],
                          capture_output=True, text=True, check=check, cwd=REPO)


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect is an answer to look at
        return None


class Browser:
    """A minimal HTTP client with cookies, for asserting status codes and redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.cookies), _NoRedirect)

    def request(self, method: str, path: str, data: dict | None = None,
                files: dict[str, tuple[str, bytes]] | None = None) -> tuple[int, dict, str]:
        body, headers = None, {}
        if files:
            body, headers = _multipart(data or {}, files)
        elif data is not None:
            body = urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with self.opener.open(request) as response:
                return response.status, dict(response.headers), response.read().decode(
                    "utf-8", "replace")
        except HTTPError as err:
            return err.code, dict(err.headers), err.read().decode("utf-8", "replace")

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, data: dict | None = None, *, token_from: str | None = None,
             files=None):
        """POST with the form token from the page at `token_from` (as a browser would)."""
        data = dict(data or {})
        if token_from is not None:
            data["csrf_token"] = self.token(token_from)
        return self.request("POST", path, data, files)

    def token(self, page: str) -> str:
        status, _, html = self.get(page)
        assert status == 200, f"{page} answered {status}"
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def sign_in(self, name: str, password: str = DESK_PASSWORD) -> tuple[int, dict, str]:
        return self.post("/sign-in", {"name": name, "password": password},
                         token_from="/sign-in")

    def session_cookie(self) -> str | None:
        return next((c.value for c in self.cookies if c.name == "correspond_session"), None)


def _multipart(fields: dict, files: dict[str, tuple[str, bytes]]) -> tuple[bytes, dict]:
    boundary = "----correspond-test-boundary"
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                  f"{value}\r\n".encode())
    for name, (filename, content) in files.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                  f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                  .encode())
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def signed_in(desk: RunningDesk, name: str) -> Browser:
    browser = Browser(desk.url)
    status, headers, _ = browser.sign_in(name)
    assert status == 302, "sign-in should redirect to the start page"
    return browser


def draft_text(path: str | Path) -> str:
    return "\n".join(paragraph.text for paragraph in Document(str(path)).paragraphs)


def draft_id_of(desk: RunningDesk, referral_id: int) -> int:
    with desk.app.db.reading() as connection:
        return connection.execute(sa.text(
            "SELECT id FROM drafts WHERE referral_id = :id AND kind = 'acknowledgement'"),
            {"id": referral_id}).scalar_one()


def reference_of(desk: RunningDesk, referral_id: int) -> str:
    with desk.app.db.reading() as connection:
        return connection.execute(sa.text("SELECT reference FROM referrals WHERE id = :id"),
                                  {"id": referral_id}).scalar_one()


def draft_path_of(desk: RunningDesk, draft_id: int) -> Path:
    with desk.app.db.reading() as connection:
        return Path(connection.execute(sa.text("SELECT path FROM drafts WHERE id = :id"),
                                       {"id": draft_id}).scalar_one())


def raw_get(browser: Browser, path: str) -> tuple[int, dict, bytes]:
    with browser.opener.open(browser.base + path) as response:
        return response.status, dict(response.headers), response.read()
