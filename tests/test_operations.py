"""Running correspond as several processes: health checks for a load balancer, logs in
JSON, migrating only when asked, claims on inbox files that a dead worker's successor
takes over, and a desk process that reads no files."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from correspond.app import build_app
from correspond.cli import cli
from correspond.store import claims
from correspond.store.archive import Archive
from correspond.store.database import Database

from databases import on_postgres
from support import REPO, SAMPLES, Browser, RunningDesk, correspond, settings_for


def test_health_checks_answer_without_sign_in_and_say_what_is_unreachable(
        desk: RunningDesk) -> None:
    browser = Browser(desk.url)
    status, _, body = browser.get("/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    status, _, body = browser.get("/readyz")
    assert status == 200 and json.loads(body)["checks"] == {
        "database": "ok", "inbox": "ok", "archive": "ok", "drafts": "ok", "outbox": "ok"}
    # The shared outbox has gone (an unmounted share): not ready, and it says which.
    shutil.rmtree(desk.settings.outbox)
    status, _, body = browser.get("/readyz")
    assert status == 503
    assert json.loads(body)["checks"]["outbox"] == "unreachable"
    assert str(desk.settings.home) not in body  # nothing about the machine's folders


def test_json_logs_carry_the_process_and_the_referral_id(tmp_path: Path) -> None:
    letter = tmp_path / "Letter about Adam Khan.txt"
    shutil.copyfile(SAMPLES / "khan_letter.txt", letter)
    environment = {**os.environ, "CORRESPOND_LOG_FORMAT": "json"}
    result = subprocess.run([sys.executable, "-m", "correspond", "--home",
                             str(tmp_path / "home"), "ingest", str(letter)],
                            capture_output=True, text=True, env=environment, cwd=REPO,
                            timeout=180)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    recorded = [line for line in lines if "recorded as referral" in line["message"]]
    assert len(recorded) == 1
    assert recorded[0]["referral_id"] == 1 and recorded[0]["level"] == "INFO"
    assert recorded[0]["role"] == "command" and recorded[0]["pid"] > 0
    assert "Adam" not in result.stderr and "Khan" not in result.stderr


def test_with_migrate_at_start_off_only_correspond_migrate_changes_the_schema(
        tmp_path: Path, empty_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("CORRESPOND_DATABASE_URL", empty_database)
    monkeypatch.setenv("CORRESPOND_MIGRATE_AT_START", "false")
    runner = CliRunner()
    refused = runner.invoke(cli, ["--home", str(home), "users", "add", "casey", "--role",
                                  "caseworker"], input="a long enough secret\n")
    assert refused.exit_code == 1
    with pytest.raises(Exception, match="holds no correspond database yet|no database at"):
        build_app(settings_for(home))
    migrated = runner.invoke(cli, ["--home", str(home), "migrate"])
    assert migrated.exit_code == 0 and "is up to date" in migrated.output
    added = runner.invoke(cli, ["--home", str(home), "users", "add", "casey", "--role",
                                "caseworker"], input="a long enough secret\n")
    assert added.exit_code == 0, added.output


def test_a_database_server_that_cannot_be_reached_is_said_in_one_sentence(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setenv("CORRESPOND_DATABASE_URL",
                       f"postgresql+psycopg://nobody:secret@127.0.0.1:{closed_port}/correspond")
    result = correspond(tmp_path, "status", check=False)
    assert result.returncode == 1
    assert "cannot be reached" in result.stderr and "check database_url" in result.stderr
    assert "secret" not in result.stderr and "Traceback" not in result.stderr


def test_the_desk_alone_starts_no_reader_and_leaves_the_inbox_alone(home: Path) -> None:
    app = build_app(settings_for(home), read_files=False)
    try:
        assert app.readers is None
        with pytest.raises(RuntimeError, match="reads no files|read no files"):
            app.pipeline.ingest(SAMPLES / "khan_letter.txt", name="khan_letter.txt")
    finally:
        app.close()


def test_only_old_temporary_files_in_the_archive_are_crash_leftovers(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    archive.root.mkdir()
    being_written = archive.root / ".incoming-another-process"
    being_written.write_bytes(b"half a letter")
    left_by_a_crash = archive.root / ".incoming-long-ago"
    left_by_a_crash.write_bytes(b"half a letter")
    two_hours_ago = time.time() - 7200
    os.utime(left_by_a_crash, (two_hours_ago, two_hours_ago))
    assert archive.remove_leftovers() == 1
    assert being_written.exists() and not left_by_a_crash.exists()


# Claims on inbox files (correspond/store/claims.py).

LEASE = timedelta(seconds=60)


@pytest.fixture
def db(database_url: str):
    database = Database(database_url)
    yield database
    database.close()


def test_a_claim_held_by_a_worker_elsewhere_waits_for_its_lease_to_run_out(db) -> None:
    elsewhere = "another-machine:4242:abcd"
    claims.take(db, "t1", elsewhere, timedelta(seconds=1))
    here = claims.worker_name()
    assert not claims.take_over(db, "t1", here, LEASE)
    time.sleep(1.2)
    assert claims.take_over(db, "t1", here, LEASE)
    assert claims.holders(db) == {"t1": here}
    # The first worker, back from a stall, learns that it no longer holds the file.
    assert claims.renew(db, ["t1"], elsewhere, LEASE) == {"t1"}
    assert claims.renew(db, ["t1"], here, LEASE) == set()


def test_a_claim_of_a_worker_that_died_on_this_machine_is_taken_over_at_once(db) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    holder = f"{socket.gethostname()}:{int(dead.stdout)}:dead"
    claims.take(db, "t2", holder, LEASE)
    assert claims.take_over(db, "t2", claims.worker_name(), LEASE)


def test_a_claim_of_a_running_worker_is_left_to_it(db) -> None:
    running = claims.worker_name()
    claims.started(running)
    try:
        claims.take(db, "t3", running, LEASE)
        assert not claims.take_over(db, "t3", claims.worker_name(), LEASE)
    finally:
        claims.stopped(running)
    # Its watcher stopped (as at a stop in this process): the claim is free at once.
    assert claims.take_over(db, "t3", claims.worker_name(), LEASE)


def test_a_file_claimed_before_claims_were_recorded_is_taken_by_one_worker(db) -> None:
    first, second = claims.worker_name(), claims.worker_name()
    claims.started(first)
    claims.started(second)
    try:
        assert claims.take_over(db, "t4", first, LEASE)
        assert not claims.take_over(db, "t4", second, LEASE)
    finally:
        claims.stopped(first)
        claims.stopped(second)


def test_a_claim_left_by_a_dead_worker_without_its_file_is_forgotten(db) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    claims.take(db, "gone", f"{socket.gethostname()}:{int(dead.stdout)}:dead", LEASE)
    running = claims.worker_name()
    claims.started(running)
    try:
        claims.take(db, "moving", running, LEASE)  # recorded; its file is moving now
        assert claims.forget_stale(db, present=[]) == 1
        assert claims.holders(db) == {"moving": running}
    finally:
        claims.stopped(running)


def test_the_audit_trail_cannot_be_emptied_at_once(db) -> None:
    with db.writing() as connection:
        connection.execute(db.table("audit_events").insert().values(
            at=datetime.now(UTC), user_name="casey", action="viewed"))
    statement = "TRUNCATE audit_events" if on_postgres() else "DELETE FROM audit_events"
    with pytest.raises(sa.exc.IntegrityError, match="append-only"):
        with db.engine.begin() as connection:
            connection.exec_driver_sql(statement)
    with db.reading() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(
            db.table("audit_events"))).scalar_one() == 1
