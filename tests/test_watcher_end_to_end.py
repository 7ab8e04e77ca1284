"""A letter dropped in a real inbox, watched by the real service, becomes a draft.

Real folder, real watcher (file events), real reader process, real SQLite, real .docx.
"""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

import docx
import pytest

from support import SAMPLES, copy_in_stalls, recorded_referrals, status_counts, wait_for

pytestmark = pytest.mark.slow

# Every format, and the covering-note shapes: (file, MP reference, child's first name).
SEND_LETTERS = [
    ("khan_letter.txt", "HG/2026/0412", "Adam"),
    ("khan_letter.docx", "HG/2026/0412", "Adam"),
    ("khan_letter.pdf", "HG/2026/0412", "Adam"),
    ("khan_covering_note.eml", "HG/2026/0412", "Adam"),
    ("khan_covering_note.msg", "HG/2026/0412", "Adam"),
    ("khan_html_only.eml", "HG/2026/0412", "Adam"),
    ("okafor_email.msg", "JW12345", "Grace"),
    ("okafor_email_cp1252.eml", "JW12345", "Grace"),
]


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def inbox_leftovers(service) -> list[str]:
    return sorted(path.name for path in service.settings.inbox.iterdir()
                  if path.name not in {"failed", ".processing"})


def test_every_format_becomes_a_drafted_acknowledgement(service):
    for name, _, _ in SEND_LETTERS:
        service.drop(SAMPLES / name)
    service.wait_until_idle(timeout=60)

    referrals = recorded_referrals(service)
    assert len(referrals) == len(SEND_LETTERS)
    assert inbox_leftovers(service) == []
    assert sorted(r.reference for r in referrals) == [
        f"MP-{time.localtime().tm_year}-{n:04d}" for n in range(1, len(SEND_LETTERS) + 1)]
    by_file = {Path(r.referral_json["file"]).name: r for r in referrals}
    for name, mp_reference, child in SEND_LETTERS:
        referral = by_file[name]
        assert referral.status == "awaiting_approval", name
        # The original is archived under its SHA-256.
        digest = hashlib.sha256((SAMPLES / name).read_bytes()).hexdigest()
        assert referral.sha256 == digest
        assert service.app.archive.path_for(digest).read_bytes() == (SAMPLES / name).read_bytes()
        [draft] = referral.referral_json["drafts"]
        assert draft["kind"] == "acknowledgement" and draft["status"] == "draft"
        text = docx_text(Path(draft["path"]))
        assert mp_reference in text, name
        assert referral.reference in text, name
        assert child in text, name
        assert referral.referral_json["correspondent"]["reference"] == mp_reference


def test_a_covering_email_keeps_both_the_note_and_the_attached_letter(service):
    service.drop(SAMPLES / "khan_covering_note.eml")
    service.wait_until_idle()

    [referral] = recorded_referrals(service)
    data = referral.referral_json
    assert data["letter_source"] == "attachment:Letter to Example Council.docx"
    assert data["constituent"]["name"] == "Mrs Sarah Khan"
    [attachment] = data["attachments"]
    assert attachment["is_letter"]
    assert service.app.archive.path_for(attachment["sha256"]).exists()


def test_a_letter_not_about_send_is_recorded_without_a_draft(service):
    service.drop(SAMPLES / "housing_letter.pdf")
    service.wait_until_idle()

    [referral] = recorded_referrals(service)
    assert referral.status == "not_send"
    assert referral.referral_json["drafts"] == []
    assert status_counts(service)["processed"] == 1
    assert not any(service.settings.drafts.iterdir())


def test_an_unreadable_file_is_set_aside_with_a_plain_reason(service):
    service.drop(SAMPLES / "scan_no_text.pdf")
    broken = service.settings.inbox.parent / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is not really a Word document")
    service.drop(broken, "Letter from MP.docx")
    service.wait_until_idle()

    failed = service.settings.failed_dir
    assert sorted(path.name for path in failed.iterdir()) == [
        "Letter from MP.docx", "Letter from MP.docx.reason.txt",
        "scan_no_text.pdf", "scan_no_text.pdf.reason.txt"]
    scan_reason = (failed / "scan_no_text.pdf.reason.txt").read_text("utf-8").strip()
    assert "scan" in scan_reason and "\n" not in scan_reason
    word_reason = (failed / "Letter from MP.docx.reason.txt").read_text("utf-8").strip()
    assert "Traceback" not in word_reason and word_reason.endswith(".")
    assert status_counts(service)["failed"] == 2
    assert inbox_leftovers(service) == []
    # The service carries on after a failure.
    service.drop(SAMPLES / "khan_letter.txt")
    service.wait_until_idle()
    assert status_counts(service)["processed"] == 1


def test_a_file_that_keeps_hitting_an_internal_error_is_set_aside_not_looped(service):
    # The drafts folder replaced by a plain file: every attempt to draft fails.
    drafts = service.settings.drafts
    drafts.rmdir()
    drafts.write_text("not a folder")
    service.drop(SAMPLES / "khan_letter.txt")
    reason_file = service.settings.failed_dir / "khan_letter.txt.reason.txt"
    wait_for(reason_file.exists, what="the file to be set aside")
    service.wait_until_idle()

    reason = reason_file.read_text("utf-8")
    assert "internal error" in reason and "move the file back into the inbox" in reason
    assert status_counts(service)["processed"] == 0
    assert recorded_referrals(service) == []
    assert inbox_leftovers(service) == []

    # Once the folder is mended, moving the file back in processes it.
    drafts.unlink()
    drafts.mkdir()
    (service.settings.failed_dir / "khan_letter.txt").rename(
        service.settings.inbox / "khan_letter.txt")
    wait_for(lambda: status_counts(service)["processed"] == 1, what="the retry")
    [referral] = recorded_referrals(service)
    assert Path(referral.referral_json["drafts"][0]["path"]).is_file()


def test_the_same_content_under_another_name_is_a_duplicate(service):
    service.drop(SAMPLES / "khan_letter.docx")
    service.wait_until_idle()
    service.drop(SAMPLES / "khan_letter.docx", "Copy of letter from Hannah Greaves.docx")
    service.wait_until_idle()

    counts = status_counts(service)
    assert (counts["processed"], counts["duplicates"]) == (1, 1)
    assert len(recorded_referrals(service)) == 1
    assert len(list(service.settings.drafts.iterdir())) == 1
    assert inbox_leftovers(service) == []


def test_a_slow_copy_is_taken_only_when_complete(service):
    data = (SAMPLES / "khan_letter.docx").read_bytes()
    target = service.settings.inbox / "slow copy over the network.docx"

    def copy_slowly() -> None:
        with target.open("wb") as out:
            for start in range(0, len(data), 4096):
                out.write(data[start:start + 4096])
                out.flush()
                time.sleep(0.15)  # pauses, as a copy over a network does

    writer = threading.Thread(target=copy_slowly)
    writer.start()
    writer.join()
    service.wait_until_idle()

    counts = status_counts(service)
    assert (counts["processed"], counts["failed"]) == (1, 0)
    [referral] = recorded_referrals(service)
    assert referral.sha256 == hashlib.sha256(data).hexdigest()


def test_a_copy_that_stalls_longer_than_the_settle_interval_is_not_called_damaged(service):
    pause = 0.8
    assert service.settings.settle_seconds < pause < service.settings.recheck_seconds
    data = (SAMPLES / "khan_letter.docx").read_bytes()
    copy_in_stalls(data, service.settings.inbox / "stalled copy.docx", chunks=4,
                   pause=pause)
    service.wait_until_idle(timeout=60)

    counts = status_counts(service)
    assert (counts["processed"], counts["failed"]) == (1, 0)
    assert list(service.settings.failed_dir.iterdir()) == []
    [referral] = recorded_referrals(service)
    assert referral.sha256 == hashlib.sha256(data).hexdigest()
    assert inbox_leftovers(service) == []


def test_a_damaged_file_is_set_aside_only_after_the_recheck_interval(service_factory):
    service = service_factory(recheck_seconds=3)
    broken = service.settings.inbox.parent / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is not really a Word document")
    service.drop(broken, "Letter from MP.docx")
    dropped = time.monotonic()
    reason_file = service.settings.failed_dir / "Letter from MP.docx.reason.txt"
    wait_for(reason_file.exists, timeout=30, what="the damaged file to be set aside")

    assert time.monotonic() - dropped >= 3
    assert "Word" in reason_file.read_text("utf-8")
    assert status_counts(service)["failed"] == 1


def test_files_that_arrived_while_stopped_are_taken_at_start(service_factory, home):
    from conftest import settings_for

    settings = settings_for(home)
    (settings.inbox / "khan_letter.txt").write_bytes((SAMPLES / "khan_letter.txt").read_bytes())
    (settings.inbox / "~$temp lock file.docx").write_bytes(b"owner lock")
    service = service_factory()
    wait_for(lambda: status_counts(service)["processed"] == 1, what="the waiting file")
    service.wait_until_idle()
    # Office lock files and other temporary names are left alone.
    assert inbox_leftovers(service) == ["~$temp lock file.docx"]

