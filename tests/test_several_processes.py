"""correspond as several processes on one PostgreSQL database: two `correspond worker`s
and two `correspond desk`s, started as real processes on this machine, sharing one home
folder (inbox, archive, drafts, outbox).

Letters are dropped into the shared inbox (some copied slowly, some the same letter
again under another name), one worker is killed with SIGKILL part-way, and then: every
file was handled exactly once, every duplicate recognised, references are unique and
gap-free, nothing is left behind; a person signed in on one desk is signed in on the
other; two approvals of one letter racing on the two desks approve it once.

The issue asks for 300 letters; on this 2-core machine that takes too long for the
suite, so it drops CORRESPOND_SEVERAL_LETTERS (default 120: 100 letters and 20 copies of
them under other names). Runs on PostgreSQL whichever database the rest of the suite uses.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psutil
import pytest
import sqlalchemy as sa

from support import DESK_PASSWORD, REPO, SAMPLES, Browser, copy_in_stalls, wait_for

pytestmark = pytest.mark.slow

LETTERS = int(os.environ.get("CORRESPOND_SEVERAL_LETTERS", "120"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Processes:
    """Real correspond processes on one home folder, stopped (and their readers) at the
    end."""

    def __init__(self, home: Path, environment: dict[str, str]) -> None:
        self.home = home
        self.environment = environment
        self.running: list[subprocess.Popen] = []

    def run(self, *arguments: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "correspond", "--home", str(self.home),
                               *arguments], input=stdin, capture_output=True, text=True,
                              env=self.environment, cwd=REPO, timeout=300, check=True)

    def start(self, name: str, *arguments: str) -> subprocess.Popen:
        log = (self.home.parent / f"{name}.log").open("w")
        process = subprocess.Popen([sys.executable, "-m", "correspond", "--home",
                                    str(self.home), *arguments], stdout=log,
                                   stderr=subprocess.STDOUT, env=self.environment, cwd=REPO)
        self.running.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL, as a machine that dies does; its reader processes go with it."""
        readers = psutil.Process(process.pid).children(recursive=True)
        process.send_signal(signal.SIGKILL)
        process.wait()
        for reader in readers:
            try:
                reader.kill()
            except psutil.NoSuchProcess:
                pass

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill(process)


def _letters(count: int) -> list[bytes]:
    """`count` different letters: the same MP's letter, each with its own reference."""
    text = (SAMPLES / "khan_letter.txt").read_text("utf-8")
    return [text.replace("Our ref: HG/2026/0412", f"Our ref: HG/2026/{5000 + n}").encode()
            for n in range(count)]


def _drop(inbox: Path, letters: list[bytes], copies: int) -> list[str]:
    """Every letter, then `copies` of them again under other names; every tenth copied
    slowly, in stalls shorter than the settle time. Returns the names dropped."""
    names = []
    for number, data in enumerate([*letters, *letters[:copies]]):
        name = f"letter {number:04d}.txt"
        if number % 10 == 3:
            copy_in_stalls(data, inbox / name, chunks=4, pause=0.2)
        else:
            partial = inbox / f"{name}.part"
            partial.write_bytes(data)
            partial.rename(inbox / name)
        names.append(name)
        time.sleep(0.02)
    return names


@pytest.fixture
def shared(postgres_cluster, tmp_path: Path):
    name = f"several_{os.getpid()}_{int(time.monotonic())}"
    url = postgres_cluster.create_database(name)
    home = tmp_path / "home"
    home.mkdir()
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("CORRESPOND_")}
    environment.update(CORRESPOND_DATABASE_URL=url, CORRESPOND_MIGRATE_AT_START="false",
                       CORRESPOND_SETTLE_SECONDS="1", CORRESPOND_WORKERS="1",
                       CORRESPOND_RESCAN_SECONDS="2", CORRESPOND_CLAIM_LEASE_SECONDS="10",
                       CORRESPOND_LOG_FORMAT="json", CORRESPOND_PDF_TIMEOUT_SECONDS="120")
    processes = Processes(home, environment)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    yield processes, engine
    processes.stop_all()
    engine.dispose()
    postgres_cluster.drop_database(name)


def _rows(engine: sa.Engine, query: str) -> list:
    with engine.connect() as connection:
        return list(connection.execute(sa.text(query)))


def test_two_workers_and_two_desks_share_one_inbox_and_database(shared) -> None:
    processes, engine = shared
    home = processes.home
    processes.run("migrate")  # only this changes the schema (migrate_at_start = false)
    processes.run("users", "add", "casey", "--role", "caseworker",
                  stdin=DESK_PASSWORD + "\n")
    first_worker = processes.start("worker-1", "worker")
    processes.start("worker-2", "worker")
    desk_ports = [_free_port(), _free_port()]
    for number, port in enumerate(desk_ports, 1):
        processes.start(f"desk-{number}", "desk", "--port", str(port))
    desks = [f"http://127.0.0.1:{port}" for port in desk_ports]
    for desk in desks:
        wait_for(lambda desk=desk: _answers(desk + "/readyz"), timeout=120,
                 what="the desk to start")
    inbox = home / "inbox"
    wait_for(lambda: (inbox / ".processing").is_dir(), timeout=120,
             what="the workers to start")

    distinct = LETTERS * 5 // 6
    letters = _letters(distinct)
    copies = LETTERS - distinct
    dropped: list[str] = []
    dropping = threading.Thread(target=lambda: dropped.extend(_drop(inbox, letters, copies)))
    dropping.start()
    # Part-way, one worker dies as a machine does: whatever it had claimed is taken over.
    wait_for(lambda: _rows(engine, "SELECT count(*) FROM deliveries")[0][0] >= LETTERS // 3,
             timeout=900, what="a third of the letters to be recorded")
    processes.kill(first_worker)
    dropping.join()

    def all_handled() -> bool:
        return _rows(engine, "SELECT count(*) FROM deliveries")[0][0] >= len(dropped) \
            and not [p for p in inbox.iterdir() if p.is_file()] \
            and not any((inbox / ".processing").iterdir())

    wait_for(all_handled, timeout=1200, what="every letter to be handled")
    time.sleep(3)  # a rescan more: nothing is handled a second time

    deliveries = _rows(engine, "SELECT name, outcome FROM deliveries")
    by_name = Counter(name for name, _ in deliveries)
    assert sorted(by_name) == sorted(dropped)
    assert set(by_name.values()) == {1}, "a file was handled more than once"
    outcomes = Counter(outcome for _, outcome in deliveries)
    assert outcomes == {"processed": distinct, "duplicate": copies}
    references = [row[0] for row in _rows(engine, "SELECT reference FROM referrals")]
    numbers = sorted(int(reference.rsplit("-", 1)[1]) for reference in references)
    assert numbers == list(range(1, distinct + 1)), "references are not unique and gap-free"
    assert not list((inbox / "failed").iterdir())
    assert _rows(engine, "SELECT count(*) FROM inbox_claims")[0][0] == 0
    drafted = _rows(engine, "SELECT count(*) FROM drafts WHERE kind = 'acknowledgement'")
    assert drafted[0][0] == distinct

    # Signed in on one desk, signed in on the other.
    on_first = Browser(desks[0])
    assert on_first.sign_in("casey")[0] == 302
    on_second = Browser(desks[1])
    on_second.cookies, on_second.opener = on_first.cookies, on_first.opener
    status, _, html = on_second.get("/queue")
    assert status == 200 and "MP-" in html

    # Approved on the second desk: the first sees it.
    referral_id, draft_id = _rows(engine, "SELECT referral_id, id FROM drafts ORDER BY id")[0]
    page = f"/referrals/{referral_id}"
    on_second.post(f"{page}/letters/{draft_id}/approve", token_from=page)
    assert _rows(engine, f"SELECT status FROM drafts WHERE id = {draft_id}")[0][0] == "approved"
    assert "approved" in on_first.get(page)[2].lower()

    # Two approvals of one letter racing on the two desks: exactly one wins.
    referral_id, draft_id = _rows(engine, "SELECT referral_id, id FROM drafts ORDER BY id")[1]
    page = f"/referrals/{referral_id}"
    tokens = [browser.token(page) for browser in (on_first, on_second)]
    start = threading.Barrier(2)

    def approve(browser: Browser, token: str) -> None:
        start.wait()
        browser.request("POST", f"{page}/letters/{draft_id}/approve", {"csrf_token": token})

    racers = [threading.Thread(target=approve, args=(browser, token))
              for browser, token in zip((on_first, on_second), tokens)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    approvals = _rows(engine, f"SELECT count(*) FROM audit_events WHERE action = 'approved' "
                              f"AND referral_id = {referral_id}")
    assert approvals[0][0] == 1
    reference = _rows(engine, f"SELECT reference FROM referrals WHERE id = {referral_id}")[0][0]
    assert [path.name for path in (home / "outbox").glob(f"{reference}-*.docx")] == [
        f"{reference}-acknowledgement.docx"]
    logs = (home.parent / "worker-2.log").read_text()
    assert re.search(r'"role": "worker"', logs) and "Khan" not in logs


def _answers(url: str) -> bool:
    from urllib.request import urlopen

    try:
        with urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False
