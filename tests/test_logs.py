"""The service's log never carries personal data: names, dates of birth, file names, text."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from correspond.config import load_settings

from support import SAMPLES, wait_for

pytestmark = pytest.mark.slow

# What the sample letter says about the family, and the name it was dropped under.
PERSONAL = ["Adam", "Khan", "Sarah", "03/04/2015", "2015-04-03", "LS6 2AB", "07700", "Brookfield"]


def correspond(home: Path, *arguments: str, **kwargs) -> subprocess.Popen:
    environment = {**os.environ, "CORRESPOND_LOG_LEVEL": "DEBUG",
                   "CORRESPOND_SETTLE_SECONDS": "0.2", "CORRESPOND_WORKERS": "1"}
    return subprocess.Popen([sys.executable, "-m", "correspond", "--home", str(home), *arguments],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=environment, **kwargs)


def assert_no_personal_data(log: str) -> None:
    leaked = [item for item in PERSONAL if item in log]
    assert not leaked, f"the log carries {leaked}"


def test_ingest_logs_ids_not_the_family(tmp_path: Path):
    letter = tmp_path / "Letter about Adam Khan.txt"
    shutil.copyfile(SAMPLES / "khan_letter.txt", letter)
    process = correspond(tmp_path / "home", "ingest", str(letter))
    output, log = process.communicate(timeout=120)
    assert process.returncode == 0, log
    assert "Adam" in output  # the referral itself is printed for the user who asked
    assert "MP-" in log      # the log says what happened, by referral number
    assert_no_personal_data(log)


def test_an_internal_error_is_logged_without_its_message(tmp_path: Path):
    home = tmp_path / "home"
    process = correspond(home, "watch")
    try:
        # Once the service has made its folders, the drafts folder becomes a plain file.
        wait_for((home / "drafts").is_dir, timeout=60, what="the service to start")
        (home / "drafts").rmdir()
        (home / "drafts").write_text("a file where the drafts folder should be")
        shutil.copyfile(SAMPLES / "khan_letter.txt", home / "inbox" / "Adam Khan.txt")
        wait_for((home / "inbox" / "failed" / "Adam Khan.txt.reason.txt").exists, timeout=60,
                 what="the file to be set aside")
    finally:
        process.send_signal(signal.SIGINT)
        _, log = process.communicate(timeout=60)
    assert "Traceback" in log and "(message withheld)" in log
    assert_no_personal_data(log)


def test_the_web_desk_logs_no_personal_data(tmp_path: Path):
    """Sign in, read, correct, approve, upload a bad file and meet an internal error,
    with the service logging at DEBUG: its log names none of the family."""
    import socket

    from support import Browser

    home = tmp_path / "home"
    adding = correspond(home, "users", "add", "casey", "--role", "caseworker",
                        stdin=subprocess.PIPE)
    adding.communicate("correct horse battery\n", timeout=60)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = correspond(home, "serve", "--port", str(port))
    try:
        wait_for((home / "inbox").is_dir, timeout=60, what="the service to start")
        shutil.copyfile(SAMPLES / "khan_letter.docx", home / "inbox" / "Adam Khan.docx")
        shutil.copyfile(SAMPLES / "khan_letter.txt", home / "inbox" / "Sarah Khan.txt")
        drafts = [home / "drafts" / f"MP-{year()}-000{n}" / "acknowledgement.docx"
                  for n in (1, 2)]
        wait_for(lambda: all(path.exists() for path in drafts), timeout=60,
                 what="both letters to be drafted")
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.sign_in("casey", "correct horse battery")
        browser.post("/referrals/1/fields", {"constituent.name": "Mrs Sarah Khan-Brookfield",
                                             "form": "fields", "urgent": "yes"},
                     token_from="/referrals/1")
        browser.post("/referrals/1/letters/1/upload", token_from="/referrals/1",
                     files={"letter": ("Adam Khan.docx", b"Adam Khan 03/04/2015")})
        browser.post("/referrals/1/letters/1/approve", token_from="/referrals/1")
        # The second referral's record is damaged behind the service's back: reading it
        # meets an internal error (the letter's text would be in the error, if logged).
        database = sa.create_engine(load_settings(home).database_url)
        with database.begin() as connection:
            connection.execute(sa.text("UPDATE referrals SET extraction_json = :damaged "
                                       "WHERE id = 2"),
                               {"damaged": '{"constituent": Mrs Sarah Khan'})
        database.dispose()
        status, _, page = browser.get("/referrals/2")
        assert status == 500 and "Something went wrong" in page
    finally:
        process.send_signal(signal.SIGINT)
        _, log = process.communicate(timeout=60)
    assert "Exception on /referrals/2 [GET]" in log
    assert "(message withheld)" in log
    assert_no_personal_data(log)


def year() -> int:
    from correspond.domain.clock import local_date, utc_now

    return local_date(utc_now()).year
