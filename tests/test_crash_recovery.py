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
import time
from pathlib import Path

import pytest

from conftest import LETTERS, wait_for

pytestmark = pytest.mark.slow

LETTER_COUNT = 16


def start_watcher(home: Path) -> subprocess.Popen:
    environment = {**os.environ, "CORRESPOND_SETTLE_SECONDS": "0.2",
                   "CORRESPOND_WORKERS": "2", "CORRESPOND_RESCAN_SECONDS": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "correspond", "--home", str(home), "watch"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment, text=True)


def status(home: Path) -> dict[str, int]:
    result = subprocess.run(
        [sys.executable, "-m", "correspond", "--home", str(home), "status", "--json"],
        capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


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

    from correspond.archive import Archive
    from correspond.config import load_settings
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
    on_disk = sorted(path.parent.name for path in settings.drafts_dir.rglob("*.docx"))
    assert on_disk == references
    assert "Traceback" not in output
