"""Scans in the desk, over real HTTP to the real server: a scanned letter's pages beside
the text read from them, a set-aside file opened and seen, entered by hand, and tried
again with the outcome said on the page (with the real watcher reading it again)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from correspond.domain.clock import local_date, utc_now
from correspond.domain.workdays import add_working_days
from correspond.store import audit
from correspond.watch.watcher import InboxWatcher
from correspond.web.formatting import name_token

from support import RunningDesk, raw_get, recorded_referrals, signed_in, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("tesseract")]
SCANS = Path(__file__).parent / "samples" / "scans"
PNG = b"\x89PNG\r\n\x1a\n"


def set_aside(desk: RunningDesk, sample: str, reason: str, name: str | None = None) -> str:
    """Put a sample in failed/ as the watcher would; returns its name's token."""
    name = name or sample
    shutil.copyfile(SCANS / sample, desk.settings.failed_dir / name)
    (desk.settings.failed_dir / f"{name}.reason.txt").write_text(reason + "\n", "utf-8")
    return name_token(name)


@pytest.fixture
def watching(desk: RunningDesk) -> Iterator[InboxWatcher]:
    watcher = InboxWatcher(desk.settings, desk.app.pipeline, desk.app.db)
    watcher.start()
    yield watcher
    watcher.stop()


def test_a_scanned_letter_shows_each_page_beside_the_text_read_from_it(desk: RunningDesk):
    referral = desk.referral_id(desk.ingest(SCANS / "khan_typed_then_scanned.pdf"))
    browser = signed_in(desk, "casey")
    _, _, html = browser.get(f"/referrals/{referral}")
    start = html.index('id="scanned-pages"')
    section = html[start:html.index("</section>", start)]
    assert f'src="/referrals/{referral}/pages/1.png"' in section
    assert f'src="/referrals/{referral}/pages/2.png"' in section
    assert "Page 1: typed (its text layer)" in section
    assert re.search(r"Page 2: read by OCR, \d+% confidence", section)
    # What was read, marked on the text of the page it was read from.
    assert re.search(r'<mark tabindex="0" title="Constituency">Leeds Central and Headingley</mark>',
                     section[section.index("Page 2: read by OCR"):])
    status, headers, picture = raw_get(browser, f"/referrals/{referral}/pages/2.png")
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert picture.startswith(PNG)
    assert browser.get(f"/referrals/{referral}/pages/3.png")[0] == 404


def test_a_page_nothing_could_be_read_from_is_still_shown(desk: RunningDesk, tmp_path: Path):
    import io

    import pypdfium2
    from PIL import Image

    fax = pypdfium2.PdfDocument((SCANS / "khan_fax.pdf").read_bytes())
    page = fax[0].render(scale=200 / 72, grayscale=True).to_pil().convert("L")
    out = io.BytesIO()
    page.save(out, "PDF", resolution=200, save_all=True,
              append_images=[Image.new("L", page.size, 255)])
    (tmp_path / "with blank.pdf").write_bytes(out.getvalue())
    referral = desk.referral_id(desk.ingest(tmp_path / "with blank.pdf"))
    browser = signed_in(desk, "casey")
    _, _, html = browser.get(f"/referrals/{referral}")
    assert f'src="/referrals/{referral}/pages/2.png"' in html
    assert "No text could be read from this page" in html
    assert raw_get(browser, f"/referrals/{referral}/pages/2.png")[2].startswith(PNG)


def test_page_pictures_are_for_those_who_may_see_the_letter(desk: RunningDesk):
    referral = desk.referral_id(desk.ingest(SCANS / "khan_fax.pdf"))
    for name in ("bea", "lia"):
        assert signed_in(desk, name).get(f"/referrals/{referral}/pages/1.png")[0] == 403


def test_a_letter_read_from_its_text_shows_no_scanned_pages(desk: RunningDesk):
    referral = desk.referral_id(desk.ingest(Path(__file__).parent / "samples" / "files"
                                            / "khan_letter.pdf"))
    _, _, html = signed_in(desk, "casey").get(f"/referrals/{referral}")
    assert 'id="scanned-pages"' not in html


def test_business_support_open_a_set_aside_scan_and_see_it(desk: RunningDesk):
    token = set_aside(desk, "handwritten_note.pdf", "No text could be read from this PDF.")
    browser = signed_in(desk, "bea")
    _, _, listing = browser.get("/failed")
    assert f'href="/failed/files/{token}"' in listing
    status, _, html = browser.get(f"/failed/files/{token}")
    assert status == 200
    assert "No text could be read from this PDF." in html
    assert f'src="/failed/files/{token}/pages/1.png"' in html
    assert "A caseworker can enter this letter by hand" in html
    status, headers, picture = raw_get(browser, f"/failed/files/{token}/pages/1.png")
    assert status == 200 and picture.startswith(PNG)
    status, headers, original = raw_get(browser, f"/failed/files/{token}/file")
    assert original == (SCANS / "handwritten_note.pdf").read_bytes()
    assert "attachment" in headers["Content-Disposition"]
    actions = [event.action for event in audit.events(desk.app.db)]
    assert "viewed" in actions and "downloaded" in actions


def test_a_shortcut_set_aside_is_never_followed(desk: RunningDesk, tmp_path: Path):
    secret = tmp_path / "elsewhere.pdf"
    shutil.copyfile(SCANS / "khan_fax.pdf", secret)
    (desk.settings.failed_dir / "link.pdf").symlink_to(secret)
    token = name_token("link.pdf")
    browser = signed_in(desk, "casey")
    assert "cannot be shown here" in browser.get(f"/failed/files/{token}")[2]
    assert browser.get(f"/failed/files/{token}/pages/1.png")[0] == 404
    assert browser.get(f"/failed/files/{token}/file")[0] == 404


def entry_form(**extra: str) -> dict[str, str]:
    return {"correspondent.name": "Hannah Greaves", "correspondent.constituency":
            "Leeds Central and Headingley", "correspondent.reference": "HG/2026/0990",
            "letter_date": "2/11/2026", "is_send": "yes",
            "constituent.name": "Mrs Sarah Khan", "constituent.postcode": "LS6 2AB",
            "children[0].first_name": "Zara", "children[0].last_name": "Khan",
            "children[0].date_of_birth": "3/4/2015", "concerns": "assessment", **extra}


def test_a_caseworker_enters_an_unreadable_file_by_hand(desk: RunningDesk):
    token = set_aside(desk, "handwritten_note.pdf", "No text could be read.", "note.pdf")
    browser = signed_in(desk, "casey")
    page = f"/failed/files/{token}"
    status, headers, _ = browser.post(f"{page}/enter", entry_form(), token_from=page)

    assert status == 302
    referral_id = int(headers["Location"].rsplit("/", 1)[1])
    [referral] = recorded_referrals(desk)
    json = referral.referral_json
    assert json["letter_source"] == "entered by hand"
    assert json["correspondent"]["name"] == "Hannah Greaves"
    assert json["children"][0]["date_of_birth"] == "2015-04-03"
    assert json["children"][0]["match"]["candidates"][0]["case_id"] == "C-1003"
    assert [c["category"] for c in json["concerns"]] == ["assessment"]
    assert json["pages"] == [{"number": 1}]
    [draft] = json["drafts"]
    assert draft["kind"] == "acknowledgement" and Path(draft["path"]).is_file()
    # The original is archived with the referral, and has left failed/.
    assert desk.app.archive.path_for(referral.sha256).read_bytes() == \
        (SCANS / "handwritten_note.pdf").read_bytes()
    assert not (desk.settings.failed_dir / "note.pdf").exists()
    assert not (desk.settings.failed_dir / "note.pdf.reason.txt").exists()
    [entered] = [event for event in audit.events(desk.app.db, referral_id=referral_id)
                 if event.action == "entered_by_hand"]
    assert entered.user_name == "casey"
    _, _, html = browser.get(f"/referrals/{referral_id}")
    assert "it was entered by hand" in html
    # A field left empty was not typed, not missed in a letter nobody could read.
    assert "Not found in the letter" not in html and "Not entered" in html
    assert f'src="/referrals/{referral_id}/pages/1.png"' in html
    assert "Entered as MP-" in html


def test_a_file_entered_by_hand_days_later_keeps_the_day_it_arrived(desk: RunningDesk):
    """The deadlines run from the day the letter came in, not the day someone typed it."""
    token = set_aside(desk, "handwritten_note.pdf", "No text could be read.")
    pipeline = desk.app.pipeline
    pipeline.record_failure(desk.settings.failed_dir / "handwritten_note.pdf",
                            name="handwritten_note.pdf", claim_token=None,
                            reason="No text could be read.")
    arrived = utc_now() - timedelta(days=9)
    with desk.app.db.writing() as connection:
        connection.execute(sa.text("UPDATE deliveries SET received_at = :at"),
                           {"at": arrived.replace(tzinfo=None)})
    browser = signed_in(desk, "casey")
    page = f"/failed/files/{token}"
    status, _, _ = browser.post(f"{page}/enter", entry_form(), token_from=page)

    assert status == 302
    due = add_working_days(local_date(arrived), desk.settings.acknowledgement_working_days,
                           desk.settings.bank_holidays)
    [referral] = recorded_referrals(desk)
    assert referral.referral_json["received"].startswith(arrived.date().isoformat())
    assert referral.referral_json["acknowledgement_due"] == due.isoformat()
    with desk.app.db.reading() as connection:
        received, acknowledge_by = connection.execute(sa.text(
            "SELECT received_date, acknowledgement_due FROM referrals")).one()
    assert (str(received), str(acknowledge_by)) == (local_date(arrived).isoformat(),
                                                     due.isoformat())


def test_an_entry_by_hand_with_a_wrong_date_keeps_what_was_typed(desk: RunningDesk):
    token = set_aside(desk, "handwritten_note.pdf", "No text could be read.")
    browser = signed_in(desk, "casey")
    page = f"/failed/files/{token}"
    status, _, html = browser.post(f"{page}/enter",
                                   entry_form(**{"children[0].date_of_birth": "31/31/2015"}),
                                   token_from=page)
    assert status == 400
    assert "Date of birth: &#39;31/31/2015&#39; is not a date" in html
    assert 'value="Hannah Greaves"' in html and 'value="31/31/2015"' in html
    assert recorded_referrals(desk) == []
    assert (desk.settings.failed_dir / "handwritten_note.pdf").exists()
    status, _, html = browser.post(f"{page}/enter",
                                   entry_form(**{"correspondent.name": ""}), token_from=page)
    assert status == 400 and "name of the MP or correspondent" in html


def test_only_a_caseworker_may_enter_a_file_by_hand(desk: RunningDesk):
    token = set_aside(desk, "handwritten_note.pdf", "No text could be read.")
    browser = signed_in(desk, "bea")
    page = f"/failed/files/{token}"
    status, _, _ = browser.post(f"{page}/enter", entry_form(), token_from=page)
    assert status == 403
    assert recorded_referrals(desk) == []


def test_try_again_that_fails_again_says_so_with_the_reason(desk: RunningDesk, watching):
    token = set_aside(desk, "handwritten_note.pdf", "Set aside before.")
    browser = signed_in(desk, "bea")
    status, headers, _ = browser.post("/failed/retry", {"file": token}, token_from="/failed")
    assert status == 302 and headers["Location"] == "/failed"
    _, _, html = browser.get("/failed")
    assert "handwritten_note.pdf is being read again" in html
    assert '<meta http-equiv="refresh" content="3">' in html

    def told() -> str | None:
        page = browser.get("/failed")[2]
        return page if "was tried again and still could not be read" in page else None

    html = wait_for(told, timeout=60, what="the page to say the file failed again")
    assert "handwritten_note.pdf was tried again and still could not be read: No text " \
           "could be read from this PDF" in html
    assert 'http-equiv="refresh"' not in html
    assert (desk.settings.failed_dir / "handwritten_note.pdf").exists()
    # Told once: the next visit lists the file, without the message.
    assert "was tried again" not in browser.get("/failed")[2]


def test_try_again_that_reads_the_file_says_which_referral(desk: RunningDesk, watching):
    token = set_aside(desk, "khan_fax.pdf", "The OCR program was not installed.")
    browser = signed_in(desk, "bea")
    browser.post("/failed/retry", {"file": token}, token_from="/failed")

    def told() -> str | None:
        page = browser.get("/failed")[2]
        return page if "was read this time" in page else None

    html = wait_for(told, timeout=60, what="the page to say the file was read")
    assert re.search(r"khan_fax.pdf was read this time and recorded as MP-\d{4}-0001", html)
    with desk.app.db.reading() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM referrals")).scalar_one() == 1
