"""Shared fixtures: real folders, a real SQLite database, a real watcher."""

from __future__ import annotations

import io
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from correspond.app import App, build_app
from correspond.config import Settings, load_settings
from correspond.watch.watcher import InboxWatcher

REPO = Path(__file__).resolve().parents[1]
SAMPLES = Path(__file__).parent / "samples" / "files"
LETTERS = Path(__file__).parent / "samples" / "letters"


def _shared(name: str) -> Path | None:
    override = os.environ.get(f"CORRESPOND_{name.upper()}")
    path = Path(override) if override else REPO.parent / "shared" / name
    return path if path.is_dir() else None


def _required_shared(name: str) -> Path:
    path = _shared(name)
    if path is None:
        message = f"../shared/{name} is missing beside the checkout"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must provide it)")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared corpus of real files from other projects (never copied into the repo)."""
    return _required_shared("corpus")


@pytest.fixture(scope="session")
def spec_dir() -> Path:
    return _required_shared("spec")


@pytest.fixture(scope="session")
def schema(spec_dir: Path) -> dict:
    """The referral JSON schema of the spec."""
    return json.loads((spec_dir / "referral.schema.json").read_text("utf-8"))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


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


@pytest.fixture
def service_factory(home: Path) -> Iterator[Callable[..., RunningService]]:
    started: list[RunningService] = []

    def start(**overrides: object) -> RunningService:
        settings = settings_for(home, **overrides)
        app = build_app(settings)
        watcher = InboxWatcher(settings, app.pipeline, app.db)
        watcher.start()
        service = RunningService(app, watcher)
        started.append(service)
        return service

    yield start
    for service in started:
        service.watcher.stop()
        service.app.close()


@pytest.fixture
def service(service_factory) -> RunningService:
    return service_factory()


def status_counts(service: RunningService) -> dict[str, int]:
    from correspond.store import deliveries

    with service.app.db.reading() as connection:
        return deliveries.counts(service.app.db, connection)


def recorded_referrals(service: RunningService):
    from correspond.store import referrals

    with service.app.db.reading() as connection:
        return referrals.all_referrals(service.app.db, connection)


# The web desk ---------------------------------------------------------------------

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


@pytest.fixture
def desk_factory(home: Path) -> Iterator[Callable[..., RunningDesk]]:
    started: list[RunningDesk] = []

    def start(**overrides: object) -> RunningDesk:
        started.append(start_desk(home, **overrides))
        return started[-1]

    yield start
    for running in started:
        running.server.stop()
        running.app.close()


@pytest.fixture
def desk(desk_factory) -> RunningDesk:
    return desk_factory()
