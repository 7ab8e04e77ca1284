"""A damaged database is refused at start with one sentence; `correspond backup` takes a
consistent copy while the service runs, and the README's restore steps bring it back.
Real databases made by the service, really damaged, and real processes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from support import LETTERS, REPO, wait_for

pytestmark = pytest.mark.slow


def correspond(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "correspond", "--home", str(home), *args],
                          capture_output=True, text=True, check=check, cwd=REPO,
                          env=_environment(), timeout=300)


def _environment() -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("CORRESPOND_")}
    environment.update(CORRESPOND_SETTLE_SECONDS="0.2", CORRESPOND_WORKERS="1")
    return environment


@pytest.fixture
def made_home(tmp_path: Path) -> Path:
    """A home whose database the service made, with enough case records for many pages."""
    from tools.synthetic_cases.generate import generate_case_set

    generate_case_set(tmp_path / "set", records=3000, letters=0, seed=5)
    home = tmp_path / "home"
    correspond(home, "cases", "import", str(tmp_path / "set" / "cases.csv"))
    return home


def damage_pages(database: Path) -> None:
    """Overwrite a run of pages in the middle of the file, as a failing disk might."""
    assert not database.with_name(database.name + "-wal").exists()  # all in the main file
    data = bytearray(database.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    pages = len(data) // page_size
    assert pages > 50
    first = pages // 2
    data[first * page_size:(first + 4) * page_size] = b"\xa5" * (4 * page_size)
    database.write_bytes(bytes(data))


def assert_refused_with_one_sentence(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "restore" in line and "backup" in line
    for word in words:
        assert word in line


def serve_until_ready_or_gone(home: Path, port_free: int) -> tuple[subprocess.Popen, str]:
    service = subprocess.Popen(
        [sys.executable, "-m", "correspond", "--home", str(home), "serve", "--port",
         str(port_free)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        cwd=REPO, env=_environment())
    printed = []
    while True:
        line = service.stdout.readline()
        if not line:
            break
        printed.append(line)
        if line.startswith("Press Ctrl+C"):
            break
    return service, "".join(printed)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_database_with_damaged_pages_is_refused_at_start(made_home: Path) -> None:
    damage_pages(made_home / "data" / "correspond.db")

    assert_refused_with_one_sentence(correspond(made_home, "status", check=False), "damaged")
    service, printed = serve_until_ready_or_gone(made_home, free_port())
    try:
        assert service.wait(timeout=60) == 1, printed  # never half-started
    finally:
        if service.poll() is None:
            service.kill()
    assert "Press Ctrl+C" not in printed and "Traceback" not in printed
    [line] = printed.strip().splitlines()
    assert "damaged" in line and "restore" in line


def test_a_file_that_is_not_a_database_is_refused_at_start(tmp_path: Path) -> None:
    home = tmp_path / "home"
    database = home / "data" / "correspond.db"
    database.parent.mkdir(parents=True)
    database.write_text("case_id,child_first_name\nC-1,Adam\n" * 200, "utf-8")

    assert_refused_with_one_sentence(correspond(home, "status", check=False),
                                     "not a SQLite database")
    service, printed = serve_until_ready_or_gone(home, free_port())
    try:
        assert service.wait(timeout=60) == 1, printed
    finally:
        if service.poll() is None:
            service.kill()
    assert "Press Ctrl+C" not in printed and "Traceback" not in printed
    assert "not a SQLite database" in printed
    assert database.read_text("utf-8").startswith("case_id,")  # left as it was found


def test_backup_while_the_service_runs_then_restore_as_the_readme_says(
        made_home: Path, tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    service, printed = serve_until_ready_or_gone(made_home, free_port())
    try:
        assert "Press Ctrl+C" in printed, printed
        shutil.copy(LETTERS / "khan_assessment.txt", made_home / "inbox" / "khan.txt")
        wait_for(lambda: any((made_home / "drafts").iterdir()), timeout=60,
                 what="the letter to be drafted")

        made = correspond(made_home, "backup", str(backups))

        [copy] = backups.glob("correspond-*.db")
        assert str(copy) in made.stdout
        service.send_signal(signal.SIGTERM)
        assert service.wait(timeout=30) == 0
    finally:
        if service.poll() is None:
            service.kill()
    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM referrals").fetchone() == (1,)
        assert connection.execute("SELECT count(*) FROM cases").fetchone() == (3000,)

    # The disk fails; restore as README.md's "Backup and restore" says.
    live = made_home / "data" / "correspond.db"
    damage_pages(live)
    assert correspond(made_home, "status", check=False).returncode == 1
    for leftover in (live, live.with_name("correspond.db-wal"),
                     live.with_name("correspond.db-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copy(copy, live)

    status = json.loads(correspond(made_home, "status", "--json").stdout)
    assert (status["processed"], status["failed"]) == (1, 0)


def test_backup_refuses_a_damaged_database(made_home: Path, tmp_path: Path) -> None:
    damage_pages(made_home / "data" / "correspond.db")
    result = correspond(made_home, "backup", str(tmp_path / "backups"), check=False)
    assert_refused_with_one_sentence(result, "damaged")
    assert not list((tmp_path / "backups").glob("*.db"))
