"""Fixtures: real folders, a real database (SQLite, or PostgreSQL: see databases.py), a real
watcher, the real desk server. The helpers they use, and that tests import, are in
support.py."""

from __future__ import annotations

import itertools
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from correspond.app import build_app
from correspond.watch.watcher import InboxWatcher
from tools.postgres_cluster import NoPostgres, ThrowawayCluster

from databases import TEMPLATE, no_postgres, on_postgres
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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: tests a feature of SQLite alone (its "
                                       "file, its backups); skipped on PostgreSQL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not on_postgres():
        return
    skip = pytest.mark.skip(reason="a feature of SQLite alone")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[ThrowawayCluster]:
    """A PostgreSQL server for this run, in a temporary folder, with a migrated database
    to copy for each test; stopped and removed at the end."""
    from correspond.store.database import Database

    try:
        cluster = ThrowawayCluster()
    except NoPostgres as err:
        no_postgres(str(err))
    try:
        cluster.start()
        Database(cluster.create_database(TEMPLATE)).close()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(autouse=True)
def database_url(request: pytest.FixtureRequest, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The URL of this test's own database. On SQLite, a file in the test's folder (the
    service's own default stays data/correspond.db in its home); on PostgreSQL, a fresh
    copy of the migrated database, which every service, command and child process the
    test starts uses (CORRESPOND_DATABASE_URL)."""
    if not on_postgres():
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    cluster: ThrowawayCluster = request.getfixturevalue("postgres_cluster")
    name = f"test_{os.getpid()}_{next(_numbers)}"
    url = cluster.create_database(name, template=TEMPLATE)
    monkeypatch.setenv("CORRESPOND_DATABASE_URL", url)
    yield url
    cluster.drop_database(name)


_numbers = itertools.count(1)


@pytest.fixture
def empty_database(request: pytest.FixtureRequest, tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch) -> str:
    """A database with nothing in it yet, as a new PostgreSQL database is."""
    if not on_postgres():
        return f"sqlite:///{tmp_path / 'empty.db'}"
    cluster = request.getfixturevalue("postgres_cluster")
    name = f"empty_{os.getpid()}_{next(_numbers)}"
    url = cluster.create_database(name)
    monkeypatch.setenv("CORRESPOND_DATABASE_URL", url)
    request.addfinalizer(lambda: cluster.drop_database(name))
    return url


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
def liaison_history_file(request: pytest.FixtureRequest,
                         tmp_path_factory) -> tuple[str, object]:
    """A database holding 24 months of made-up referrals with known answers
    (tools/liaison_history.py), made once; tests open copies of it. On SQLite, the
    file's path; on PostgreSQL, the database's name."""
    from correspond.store.database import Database
    from tools.liaison_history import make_history

    if on_postgres():
        cluster = request.getfixturevalue("postgres_cluster")
        name = f"liaison_history_{os.getpid()}"
        url = cluster.create_database(name, template=TEMPLATE)
    else:
        name = str(tmp_path_factory.mktemp("liaison") / "history.sqlite")
        url = f"sqlite:///{name}"
    db = Database(url)
    try:
        history = make_history(db, liaison_protocol(), today=LIAISON_TODAY)
    finally:
        db.close()
    return name, history


@pytest.fixture
def liaison_history(request: pytest.FixtureRequest, liaison_history_file, tmp_path):
    """(a database of its own holding the made-up history, the history's plans)."""
    import shutil

    from correspond.store.database import Database

    source_name, history = liaison_history_file
    if on_postgres():
        cluster = request.getfixturevalue("postgres_cluster")
        name = f"history_{os.getpid()}_{next(_numbers)}"
        db = Database(cluster.create_database(name, template=source_name))
        yield db, history
        db.close()
        cluster.drop_database(name)
        return
    source = Path(source_name)
    copy = tmp_path / "history.sqlite"
    shutil.copyfile(source, copy)
    if source.with_name(source.name + "-wal").exists():  # not yet checkpointed
        shutil.copyfile(source.with_name(source.name + "-wal"), copy.with_name(copy.name + "-wal"))
    db = Database(f"sqlite:///{copy}")
    yield db, history
    db.close()
