"""The drop folder's rules on a real folder: what is taken, when, and where it goes."""

from __future__ import annotations

import os

from correspond.watch.inbox import Inbox, is_ignored
from correspond.watch.stability import StabilityTracker


def test_temporary_hidden_and_office_lock_names_are_never_taken():
    for name in ("~$letter.docx", "letter.docx.tmp", "letter.pdf.part", ".hidden.eml",
                 "download.crdownload", "Thumbs.db"):
        assert is_ignored(name), name
    for name in ("letter.docx", "Letter from MP.msg", "scan.PDF", "email.eml", "notes.txt"):
        assert not is_ignored(name), name


def test_waiting_files_are_top_level_documents_only(tmp_path):
    inbox = Inbox(tmp_path)
    inbox.prepare()
    (tmp_path / "letter.docx").write_bytes(b"x")
    (tmp_path / "~$letter.docx").write_bytes(b"x")
    (tmp_path / "failed" / "old.pdf").write_bytes(b"x")
    (tmp_path / "subfolder").mkdir()
    assert [path.name for path in inbox.waiting_files()] == ["letter.docx"]


def test_a_claimed_file_leaves_the_top_but_stays_in_the_inbox_folder(tmp_path):
    inbox = Inbox(tmp_path)
    inbox.prepare()
    (tmp_path / "letter.docx").write_bytes(b"content")
    claim = inbox.claim(tmp_path / "letter.docx")
    assert claim is not None and claim.name == "letter.docx"
    assert inbox.waiting_files() == []
    assert [c.token for c in inbox.claimed_files()] == [claim.token]
    assert claim.path.read_bytes() == b"content"
    assert inbox.claim(tmp_path / "letter.docx") is None  # already gone


def test_set_aside_writes_the_reason_beside_the_file_without_overwriting(tmp_path):
    inbox = Inbox(tmp_path)
    inbox.prepare()
    names = []
    for content in (b"first", b"second"):
        (tmp_path / "scan.pdf").write_bytes(content)
        claim = inbox.claim(tmp_path / "scan.pdf")
        names.append(inbox.set_aside(claim, "This PDF is a scan with no text layer."))
    assert names == ["scan.pdf", "scan (2).pdf"]
    failed = tmp_path / "failed"
    assert (failed / "scan.pdf").read_bytes() == b"first"
    assert (failed / "scan (2).pdf").read_bytes() == b"second"
    assert (failed / "scan (2).pdf.reason.txt").read_text() == (
        "This PDF is a scan with no text layer.\n")
    assert inbox.claimed_files() == []


def test_a_file_still_growing_is_not_ready_until_it_settles(tmp_path):
    tracker = StabilityTracker(settle_seconds=0.5)
    path = tmp_path / "letter.pdf"
    path.write_bytes(b"%PDF-1.4 part one")
    tracker.observe(path, now=0.0)
    assert tracker.ready(now=0.3) == []
    with path.open("ab") as growing:
        growing.write(b" part two")
    assert tracker.ready(now=0.6) == []  # changed since first seen: the clock restarts
    assert tracker.ready(now=1.0) == []
    assert tracker.ready(now=1.2) == [path]
    assert tracker.ready(now=5.0) == []  # released once


def test_a_file_its_writer_has_closed_needs_only_a_short_check(tmp_path):
    tracker = StabilityTracker(settle_seconds=0.5)
    path = tmp_path / "letter.docx"
    path.write_bytes(b"PK complete")
    tracker.observe(path, now=0.0)
    tracker.observe(path, now=0.05, finished=True)  # the writer closed it
    assert tracker.ready(now=0.05) == []
    assert tracker.ready(now=0.15) == [path]


def test_a_closed_file_written_again_waits_the_whole_interval(tmp_path):
    tracker = StabilityTracker(settle_seconds=0.5)
    path = tmp_path / "letter.docx"
    path.write_bytes(b"PK part one")
    tracker.observe(path, now=0.0, finished=True)
    with path.open("ab") as reopened:
        reopened.write(b" part two")
    tracker.observe(path, now=0.05)  # changed again, not yet closed
    assert tracker.ready(now=0.3) == []
    assert tracker.ready(now=0.6) == [path]


def test_a_file_that_vanishes_while_settling_is_forgotten(tmp_path):
    tracker = StabilityTracker(settle_seconds=0.1)
    path = tmp_path / "letter.pdf"
    path.write_bytes(b"x")
    tracker.observe(path, now=0.0)
    os.remove(path)
    assert tracker.ready(now=1.0) == []
    assert len(tracker) == 0


def test_shortcuts_and_special_files_wait_to_be_set_aside_but_folders_do_not(tmp_path):
    inbox = Inbox(tmp_path / "inbox")
    inbox.prepare()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "letter.txt").write_text("Dear Director")
    (inbox.root / "letter.docx").write_bytes(b"x")
    os.symlink(outside / "letter.txt", inbox.root / "link to a letter.txt")
    os.symlink(outside, inbox.root / "link to a folder.docx")
    os.symlink(outside / "gone.pdf", inbox.root / "broken link.pdf")
    os.mkfifo(inbox.root / "pipe.txt")
    (inbox.root / "a folder").mkdir()
    assert sorted(path.name for path in inbox.waiting_files()) == [
        "broken link.pdf", "letter.docx", "link to a folder.docx", "link to a letter.txt",
        "pipe.txt"]


def test_a_claimed_shortcut_or_pipe_is_found_again_after_a_stop(tmp_path):
    inbox = Inbox(tmp_path / "inbox")
    inbox.prepare()
    (tmp_path / "folder").mkdir()
    os.symlink(tmp_path / "folder", inbox.root / "link to a folder.docx")
    os.mkfifo(inbox.root / "pipe.txt")
    claims = [inbox.claim(inbox.root / "link to a folder.docx"),
              inbox.claim(inbox.root / "pipe.txt")]
    assert sorted(claim.token for claim in inbox.claimed_files()) == sorted(
        claim.token for claim in claims)


def test_set_aside_shortcuts_and_pipes_are_listed_and_can_be_tried_again(tmp_path):
    inbox = Inbox(tmp_path / "inbox")
    inbox.prepare()
    (tmp_path / "folder").mkdir()
    os.symlink(tmp_path / "folder", inbox.root / "link to a folder.docx")
    os.mkfifo(inbox.root / "pipe.txt")
    for name in ("link to a folder.docx", "pipe.txt"):
        inbox.set_aside(inbox.claim(inbox.root / name), f"{name} is not a file.")
    assert sorted((item.name, item.reason) for item in inbox.failed_files()) == [
        ("link to a folder.docx", "link to a folder.docx is not a file."),
        ("pipe.txt", "pipe.txt is not a file.")]
    assert inbox.retry("pipe.txt") == inbox.root / "pipe.txt"


def test_a_shortcut_is_watched_as_itself_not_as_what_it_points_to(tmp_path):
    tracker = StabilityTracker(settle_seconds=0.1)
    link = tmp_path / "x.txt"
    os.symlink(tmp_path / "nowhere.txt", link)
    tracker.observe(link, now=0.0)
    assert tracker.ready(now=0.2) == [link]
