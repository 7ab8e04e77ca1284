"""Helpers shared by the tests: real folders and settings, the real service and desk
started in this process, the command line run as a real process, a small HTTP client
with cookies for the real desk server, and reads of what was recorded. Fixtures that use
them are in conftest.py."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import sqlalchemy as sa
from docx import Document

from correspond.app import App, build_app
from correspond.config import Settings, load_settings
from correspond.watch.watcher import InboxWatcher

REPO = Path(__file__).resolve().parents[1]


SAMPLES = Path(__file__).parent / "samples" / "files"


LETTERS = Path(__file__).parent / "samples" / "letters"


def settings_for(home: Path, **overrides: object) -> Settings:
    """Settings for a test: quick to settle, one warm reader, its own folders."""
    values: dict[str, object] = {"settle_seconds": 0.3, "workers": 1, "rescan_seconds": 2,
                                 "recheck_seconds": 1.5}
    values.update(overrides)
    settings = load_settings(home, **values)
    settings.make_folders()
    return settings


def wait_for(condition: Callable[[], object], *, timeout: float = 30.0,
             what: str = "the condition") -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


def copy_in_stalls(data: bytes, target: Path, *, chunks: int, pause: float) -> None:
    """Write `data` to `target` in a few chunks with pauses, as a network share that
    stalls does, keeping the file open throughout."""
    size = -(-len(data) // chunks)
    with target.open("wb") as out:
        for start in range(0, len(data), size):
            out.write(data[start:start + size])
            out.flush()
            time.sleep(pause)


class RunningService:
    """The real service in this process: reader pool, database, watcher on a folder."""

    def __init__(self, app: App, watcher: InboxWatcher) -> None:
        self.app = app
        self.watcher = watcher
        self.settings = app.settings

    def drop(self, source: Path, name: str | None = None) -> Path:
        """Copy a file into the inbox the way Explorer does: written, then renamed."""
        target = self.settings.inbox / (name or source.name)
        partial = target.with_name(target.name + ".part")
        shutil.copyfile(source, partial)
        partial.rename(target)
        return target

    def wait_until_idle(self, timeout: float = 30.0) -> None:
        # Idle twice in a row, so a file just noticed is not mistaken for none at all.
        def idle() -> bool:
            if not self.watcher.is_idle():
                return False
            time.sleep(0.1)
            return self.watcher.is_idle()

        wait_for(idle, timeout=timeout, what="the watcher to finish")


def status_counts(service: RunningService) -> dict[str, int]:
    from correspond.store import deliveries

    with service.app.db.reading() as connection:
        return deliveries.counts(service.app.db, connection)


def recorded_referrals(service: RunningService):
    from correspond.store import referrals

    with service.app.db.reading() as connection:
        return referrals.all_referrals(service.app.db, connection)


DESK_PASSWORD = "correct horse battery"


DESK_CASES = (
    "case_id,child_first_name,child_last_name,date_of_birth,known_as,school,parent_names,"
    "address,postcode,caseworker\n"
    "C-1001,Adam,Khan,03/04/2015,,Meanwood CE Primary School,Sarah Khan,"
    "\"27 Brookfield Road, Leeds\",LS6 2AB,Priya Shah\n"
    "C-1002,Adam,Khan,11/09/2012,,Allerton High School,Imran Khan,"
    "\"8 Moor Road, Leeds\",LS17 5PT,Tom Reid\n"
    "C-1003,Zara,Khan,03/04/2015,,Meanwood CE Primary School,Sarah Khan,"
    "\"27 Brookfield Road, Leeds\",LS6 2AB,Priya Shah\n"
)


class RunningDesk:
    """The service with its web desk on a real port, on a real SQLite database."""

    def __init__(self, app: App, server) -> None:
        self.app = app
        self.server = server
        self.settings = app.settings
        self.url = server.url

    def ingest(self, source: Path) -> str:
        """Read a file through the real pipeline; returns its council reference."""
        outcome = self.app.pipeline.ingest(source, name=source.name)
        assert outcome.kind == "processed", outcome.reason
        return outcome.reference

    def referral_id(self, reference: str) -> int:
        from correspond.store.confirmations import referral_id_for

        with self.app.db.reading() as connection:
            found = referral_id_for(self.app.db, connection, reference)
        assert found is not None
        return found


def start_desk(home: Path, **overrides: object) -> RunningDesk:
    """The service and its desk, with DESK_CASES loaded and one user of each role."""
    from correspond.app import build_web_app
    from correspond.imports.cases import ParsedRow, read_case_rows
    from correspond.store.cases import save_cases
    from correspond.store.users import add_user
    from correspond.web.server import WebServer

    app = build_app(settings_for(home, **overrides))
    rows = read_case_rows(io.StringIO(DESK_CASES))
    save_cases(app.db, [row.record for row in rows if isinstance(row, ParsedRow)])
    for name, role in (("casey", "caseworker"), ("bea", "business_support"),
                       ("lia", "liaison"), ("ada", "admin")):
        add_user(app.db, name, role, DESK_PASSWORD)
    server = WebServer(build_web_app(app), host="127.0.0.1", port=0, threads=4,
                       trusted_proxy=app.settings.trusted_proxy)
    server.start()
    return RunningDesk(app, server)


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


# Words that mean a reason leaked from a library rather than being written for a person.
_JARGON = re.compile(r"Traceback|Error\b|Exception|\w+\.\w+\(|\b[A-Z][a-z]+[A-Z]\w*Error")


def assert_plain_sentence(reason: str) -> None:
    assert reason.endswith("."), reason
    assert "\n" not in reason, reason
    assert len(reason) < 200, reason
    assert not _JARGON.search(reason), reason
    assert reason.count(". ") == 0, reason  # one sentence
# The liaison team's protocol in the tests: a second version takes effect on 1 September
# 2025, so a period across that date is judged by both.
LIAISON_PROTOCOL = {"versions": [
    {"effective": "2024-01-01", "name": "Joint protocol 2024", "on_time_percent": 85,
     "acknowledgement": {"mp": 3, "councillor": 3, "other": 5, "urgent": 2},
     "reply": {"mp": 20, "councillor": 20, "other": 20, "urgent": 10}},
    {"effective": "2025-09-01", "name": "Joint protocol 2025", "on_time_percent": 90,
     "acknowledgement": {"mp": 2, "councillor": 2, "other": 5, "urgent": 1},
     "reply": {"mp": 15, "councillor": 15, "other": 20, "urgent": 5}},
]}
LIAISON_TODAY = date(2026, 3, 16)  # a Monday; the history's 24 complete months end in February


def liaison_protocol():
    from correspond.config import Protocol

    return Protocol.model_validate(LIAISON_PROTOCOL)


def protocol_toml() -> str:
    """LIAISON_PROTOCOL as correspond.toml writes it."""
    lines = ["[protocol]"]
    for version in LIAISON_PROTOCOL["versions"]:
        lines += ["", "[[protocol.versions]]", f"effective = {version['effective']}",
                  f'name = "{version["name"]}"',
                  f"on_time_percent = {version['on_time_percent']}"]
        for letter in ("acknowledgement", "reply"):
            targets = ", ".join(f"{key} = {value}" for key, value in version[letter].items())
            lines.append(f"{letter} = {{ {targets} }}")
    return "\n".join(lines) + "\n"


def migrate_to(database_url: str, revision: str,
               then: Callable[[sa.Connection], None] | None = None) -> None:
    """Bring a database to an older schema `revision`, as an earlier release left it, and
    run `then` in the same transaction (to add the rows that release would have)."""
    from alembic import command
    from alembic.config import Config

    from correspond.store.database import _MIGRATIONS, create_database_engine

    engine = create_database_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            if then is not None:
                then(connection)
    finally:
        engine.dispose()
