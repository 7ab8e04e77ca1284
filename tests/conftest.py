"""Fixtures: real folders, a real SQLite database, a real watcher, the real desk server.
The helpers they use, and that tests import, are in support.py."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from correspond.app import build_app
from correspond.watch.watcher import InboxWatcher

from support import (
    LIAISON_TODAY,
    REPO,
    RunningDesk,
    RunningService,
    liaison_protocol,
    settings_for,
    start_desk,
)


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
def tesseract() -> str:
    """Debian's Tesseract, which reads scans and photos (.ci/run installs it)."""
    found = shutil.which("tesseract")
    if found is None:
        message = "Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)"
        if os.environ.get("CI"):
            pytest.fail(message + "; .ci/run installs it")
        pytest.skip(message)
    return found


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


@pytest.fixture(scope="session")
def liaison_history_file(tmp_path_factory) -> tuple[Path, object]:
    """A database holding 24 months of made-up referrals with known answers
    (tools/liaison_history.py), made once; tests open copies of it."""
    from correspond.store.database import Database
    from tools.liaison_history import make_history

    path = tmp_path_factory.mktemp("liaison") / "history.sqlite"
    db = Database(f"sqlite:///{path}")
    try:
        history = make_history(db, liaison_protocol(), today=LIAISON_TODAY)
    finally:
        db.close()
    return path, history


@pytest.fixture
def liaison_history(liaison_history_file, tmp_path):
    """(a database of its own holding the made-up history, the history's plans)."""
    import shutil

    from correspond.store.database import Database

    source, history = liaison_history_file
    copy = tmp_path / "history.sqlite"
    shutil.copyfile(source, copy)
    if source.with_name(source.name + "-wal").exists():  # not yet checkpointed
        shutil.copyfile(source.with_name(source.name + "-wal"), copy.with_name(copy.name + "-wal"))
    db = Database(f"sqlite:///{copy}")
    yield db, history
    db.close()
