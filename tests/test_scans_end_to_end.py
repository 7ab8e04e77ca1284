"""Scans and photos dropped in a real inbox, read by the real watcher's reader processes
(Tesseract inside them), become referrals with drafted acknowledgements; a scan nobody
can read is set aside saying what to do."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from support import recorded_referrals, status_counts

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("tesseract")]
SCANS = Path(__file__).parent / "samples" / "scans"


def photo_email(folder: Path) -> Path:
    message = EmailMessage()
    message["From"] = "Office of Hannah Greaves MP <hannah.greaves.mp@parliament.uk>"
    message["To"] = "send@example.gov.uk"
    message["Subject"] = "Constituent's letter"
    message.set_content("Please see the attached photo of the letter.\n\nKind regards")
    message.add_attachment((SCANS / "khan_photo.jpg").read_bytes(), maintype="image",
                           subtype="jpeg", filename="IMG_2041.JPG")
    path = folder / "photo attached.eml"
    path.write_bytes(bytes(message))
    return path


def test_scans_and_photos_are_read_end_to_end_through_the_watcher(service, tmp_path):
    for name in ("khan_fax.pdf", "khan_photo.jpg", "khan_typed_then_scanned.pdf",
                 "handwritten_note.pdf"):
        service.drop(SCANS / name)
    service.drop(photo_email(tmp_path))
    service.wait_until_idle(timeout=180)

    referrals = recorded_referrals(service)
    by_file = {Path(item.referral_json["file"]).name: item.referral_json
               for item in referrals}
    assert set(by_file) == {"khan_fax.pdf", "khan_photo.jpg", "khan_typed_then_scanned.pdf",
                            "photo attached.eml"}
    for name, referral in by_file.items():
        assert referral["children"][0]["first_name"] == "Adam", name
        assert referral["correspondent"]["reference"] == "HG/2026/0412", name
        assert [draft["kind"] for draft in referral["drafts"]] == ["acknowledgement"], name
        assert Path(referral["drafts"][0]["path"]).is_file()
        assert any(page["ocr"] for page in referral["pages"]), name
    assert by_file["khan_photo.jpg"]["format"] == "image"
    assert by_file["photo attached.eml"]["letter_source"] == "attachment:IMG_2041.JPG"
    assert [page["ocr"] for page in by_file["khan_typed_then_scanned.pdf"]["pages"]] == [
        False, True]

    failed = service.settings.failed_dir
    reason = (failed / "handwritten_note.pdf.reason.txt").read_text("utf-8").strip()
    assert "enter it by hand" in reason
    assert status_counts(service)["failed"] == 1
