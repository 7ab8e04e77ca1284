"""kill -9 at any moment loses nothing and doubles nothing.

The watcher runs as a real `correspond watch` process; it is killed with SIGKILL several
times while it works through a batch, then left to finish. Every file must end recorded
exactly once, with its archived original and its draft.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import docx
import pytest

from support import LETTERS, SAMPLES, copy_in_stalls, recorded_referrals, status_counts, wait_for

pytestmark = pytest.mark.slow

LETTER_COUNT = 16


def start_watcher(home: Path, **settings: str) -> subprocess.Popen:
    environment = {**os.environ, "CORRESPOND_SETTLE_SECONDS": "0.2",
                   "CORRESPOND_WORKERS": "2", "CORRESPOND_RESCAN_SECONDS": "1",
                   **{f"CORRESPOND_{name.upper()}": value for name, value in settings.items()}}
    return subprocess.Popen(
        [sys.executable, "-m", "correspond", "--home", str(home), "watch"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment, text=True)


def status(home: Path) -> dict[str, int]:
    result = subprocess.run(
        [sys.executable, "-m", "correspond", "--home", str(home), "status", "--json"],
        capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def wait_for_banner(watcher: subprocess.Popen) -> None:
    """Until the service says it is watching (its reader processes are warm)."""
    assert watcher.stdout is not None
    for line in watcher.stdout:
        if line.startswith("Watching"):
            return
    raise AssertionError("the watcher stopped before it started watching")


def inbox_is_empty(inbox: Path) -> bool:
    return not [p for p in inbox.iterdir() if p.name not in {"failed", ".processing"}] \
        and not any((inbox / ".processing").iterdir())


def make_letters(folder: Path) -> list[Path]:
    """Distinct letters: the same text with a different MP reference each."""
    template = (LETTERS / "khan_assessment.txt").read_text("utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    letters = []
    for number in range(1, LETTER_COUNT + 1):
        path = folder / f"letter {number:02d}.txt"
        path.write_text(template.replace("HG/2026/0412", f"HG/2026/{number:04d}"), "utf-8")
        letters.append(path)
    return letters


def test_kill_minus_nine_mid_processing_then_restart(tmp_path: Path):
    home = tmp_path / "home"
    letters = make_letters(tmp_path / "outgoing")
    digests = {hashlib.sha256(path.read_bytes()).hexdigest() for path in letters}
    inbox = home / "inbox"
    inbox.mkdir(parents=True)
    for path in letters:
        (inbox / path.name).write_bytes(path.read_bytes())

    generator = random.Random(20261122)
    for _ in range(3):
        watcher = start_watcher(home)
        # Let it get going (start-up includes warming the reader processes), then kill.
        time.sleep(generator.uniform(3.0, 6.0))
        watcher.send_signal(signal.SIGKILL)
        watcher.wait(timeout=10)

    watcher = start_watcher(home)
    try:
        wait_for(lambda: status(home)["processed"] == LETTER_COUNT, timeout=120,
                 what="every letter to be processed after the restarts")
        wait_for(lambda: not [p for p in inbox.iterdir() if p.is_file()]
                 and not any((inbox / ".processing").iterdir()),
                 timeout=30, what="the inbox to empty")
    finally:
        watcher.send_signal(signal.SIGTERM)
        output, _ = watcher.communicate(timeout=30)

    counts = status(home)
    assert counts["processed"] == LETTER_COUNT
    assert counts["duplicates"] == 0 and counts["failed"] == 0

    from correspond.config import load_settings
    from correspond.store.archive import Archive
    from correspond.store.database import Database
    from correspond.store.referrals import all_referrals

    settings = load_settings(home)
    database = Database(settings.database_url)
    try:
        with database.reading() as connection:
            referrals = all_referrals(database, connection)
    finally:
        database.close()
    assert {referral.sha256 for referral in referrals} == digests
    references = sorted(referral.reference for referral in referrals)
    assert len(set(references)) == LETTER_COUNT
    for referral in referrals:
        [draft] = referral.referral_json["drafts"]
        assert Path(draft["path"]).is_file()
        assert Archive(settings.archive_dir).path_for(referral.sha256).is_file()
    # Drafts on disk are exactly those recorded: none left over from a killed attempt.
    on_disk = sorted(path.parent.name for path in settings.drafts.rglob("*.docx"))
    assert on_disk == references
    assert "Traceback" not in output


def make_word_letters(folder: Path, count: int) -> list[Path]:
    """Distinct Word letters, each big enough to be copied in several pieces."""
    template = (LETTERS / "khan_assessment.txt").read_text("utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    letters = []
    for number in range(1, count + 1):
        document = docx.Document()
        for paragraph in template.replace("HG/2026/0412", f"HG/2026/{number:04d}").split("\n"):
            document.add_paragraph(paragraph)
        path = folder / f"letter {number:02d}.docx"
        document.save(str(path))
        letters.append(path)
    return letters


def test_slow_copies_and_a_kill_mid_run_end_with_every_letter_read(tmp_path: Path):
    home = tmp_path / "home"
    letters = make_word_letters(tmp_path / "outgoing", 9)
    digests = {hashlib.sha256(path.read_bytes()).hexdigest() for path in letters}
    inbox = home / "inbox"
    inbox.mkdir(parents=True)
    # Pauses far longer than the settle interval (0.2 s), shorter than the re-check (3 s).
    timing = {"recheck_seconds": "3"}
    watcher = start_watcher(home, **timing)
    wait_for_banner(watcher)
    slow = [threading.Thread(target=copy_in_stalls, args=(path.read_bytes(), inbox / path.name),
                             kwargs={"chunks": 4, "pause": 0.8}) for path in letters[:6]]
    for thread in slow:
        thread.start()
    for path in letters[6:]:
        (inbox / path.name).write_bytes(path.read_bytes())
    time.sleep(1.5)  # mid-copy for the slow ones
    watcher.send_signal(signal.SIGKILL)
    watcher.wait(timeout=10)
    watcher = start_watcher(home, **timing)
    try:
        for thread in slow:
            thread.join()
        wait_for(lambda: status(home)["processed"] == len(letters), timeout=120,
                 what="every letter to be processed")
        wait_for(lambda: inbox_is_empty(inbox), timeout=30, what="the inbox to empty")
    finally:
        watcher.send_signal(signal.SIGTERM)
        output, _ = watcher.communicate(timeout=30)

    counts = status(home)
    assert (counts["processed"], counts["failed"], counts["duplicates"]) == (len(letters), 0, 0)
    assert list((inbox / "failed").iterdir()) == []
    from correspond.config import load_settings
    from correspond.store.database import Database
    from correspond.store.referrals import all_referrals

    database = Database(load_settings(home).database_url)
    try:
        with database.reading() as connection:
            assert {r.sha256 for r in all_referrals(database, connection)} == digests
    finally:
        database.close()
    assert "Traceback" not in output


def test_pipes_in_the_inbox_neither_hold_the_queue_nor_stop_a_clean_shutdown(tmp_path: Path):
    home = tmp_path / "home"
    inbox = home / "inbox"
    inbox.mkdir(parents=True)
    watcher = start_watcher(home)  # two reader threads: one pipe each would hold both
    try:
        wait_for_banner(watcher)
        os.mkfifo(inbox / "letter one.docx")
        os.mkfifo(inbox / "letter two.txt")
        time.sleep(1)
        (inbox / "khan_letter.txt").write_bytes((SAMPLES / "khan_letter.txt").read_bytes())
        wait_for(lambda: status(home)["processed"] == 1, timeout=60,
                 what="the letter dropped after the pipes")
        wait_for(lambda: inbox_is_empty(inbox), timeout=30, what="the inbox to empty")
        for name in ("letter one.docx", "letter two.txt"):
            reason = (inbox / "failed" / f"{name}.reason.txt").read_text("utf-8")
            assert reason.startswith("This is a special file"), name
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(timeout=30)
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait(timeout=10)
    assert status(home)["failed"] == 2


def test_a_claimed_file_stuck_by_a_failing_write_is_finished_on_the_next_pass(service):
    # The failed folder replaced by a plain file: setting a file aside fails, as it does
    # when the disk is full, and the file stays claimed in inbox/.processing.
    failed = service.settings.failed_dir
    failed.rmdir()
    failed.write_text("not a folder")
    broken = service.settings.inbox.parent / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is not really a Word document")
    service.drop(broken, "Letter from MP.docx")
    processing = service.settings.inbox / ".processing"
    wait_for(lambda: status_counts(service)["failed"] == 1 and any(processing.iterdir()),
             timeout=30, what="the failure to be recorded with the file still claimed")
    time.sleep(service.settings.rescan_seconds + 0.5)
    assert [path.name.partition("__")[2] for path in processing.iterdir()] == [
        "Letter from MP.docx"]

    failed.unlink()
    failed.mkdir()  # space freed: the next pass finishes the file, no restart needed
    reason_file = failed / "Letter from MP.docx.reason.txt"
    wait_for(reason_file.exists, timeout=service.settings.rescan_seconds * 3,
             what="the claimed file to be set aside on a later pass")
    service.wait_until_idle()
    assert (failed / "Letter from MP.docx").read_bytes() == broken.read_bytes()
    assert list(processing.iterdir()) == []
    assert status_counts(service)["failed"] == 1  # recorded once, not twice
    assert recorded_referrals(service) == []
