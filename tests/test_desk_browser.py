"""The desk in a real browser: Playwright driving Debian's Chromium against the real
server, with letters read by the real pipeline into a real SQLite database.

Set CORRESPOND_SCREENSHOTS=docs/screenshots to refresh the README's pictures.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from support import DESK_PASSWORD, REPO, SAMPLES, RunningDesk

pytestmark = pytest.mark.slow
CHROMIUM = os.environ.get("CORRESPOND_CHROMIUM", "/usr/bin/chromium")
# Chromium as root in a container, with nothing reaching out to Google's services.
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + "; .ci/run installs it")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, desk: RunningDesk):
    context = chromium.new_context(base_url=desk.url, viewport={"width": 1280, "height": 900},
                                   accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, name: str = "casey") -> None:
    page.goto("/sign-in")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(DESK_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def open_referral(page, desk: RunningDesk, reference: str) -> None:
    page.goto("/queue")
    page.get_by_role("link", name=reference).click()
    page.wait_for_url(re.compile(r"/referrals/\d+$"))


def preview_text(page) -> str:
    return page.locator(".preview").first.inner_text()


def test_not_signed_in_you_are_sent_to_sign_in_and_then_back(page, desk: RunningDesk) -> None:
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    referral = f"/referrals/{desk.referral_id(reference)}"
    page.goto(referral)
    assert "/sign-in" in page.url
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Name").fill("casey")
    page.get_by_label("Password").fill(DESK_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{referral}")
    expect(page.get_by_role("heading", name=reference)).to_be_visible()


def test_a_caseworker_opens_a_referral_and_sees_what_was_read(page, desk: RunningDesk) -> None:
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    sign_in(page)
    open_referral(page, desk, reference)
    marks = page.locator(".letter mark")
    assert {"Adam Khan", "03/04/2015"} <= set(marks.all_inner_texts())
    assert page.get_by_label("First name").input_value() == "Adam"
    assert page.get_by_label("Date of birth").input_value() == "3/4/2015"
    assert "Adam" in preview_text(page)


def test_correcting_a_field_redrafts_the_letter(page, desk: RunningDesk) -> None:
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    sign_in(page)
    open_referral(page, desk, reference)
    assert "Sara Khan" not in preview_text(page).replace("Sarah Khan", "")
    page.get_by_label("Constituent (parent or carer)").fill("Mrs Sara Khan")
    page.get_by_role("button", name="Save and redraft").click()
    expect(page.get_by_role("status").filter(
        has_text="The letter has been redrafted")).to_be_visible()
    assert "Mrs Sara Khan" in preview_text(page)
    assert page.locator("label[for='f-constituent-name'] .tag").inner_text() == "Corrected"


def test_a_caseworker_confirms_a_candidate_or_chooses_another_case(page,
                                                                  desk: RunningDesk) -> None:
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    sign_in(page)
    open_referral(page, desk, reference)
    matching = page.locator("#matching")
    assert "Needs a decision" in matching.inner_text()  # two Adam Khans: a person decides
    assert "the case is not decided yet" in page.locator("#letters").inner_text()
    page.get_by_role("button", name="Choose case C-1001 for child 1").click()
    expect(page.get_by_role("status").filter(has_text="linked to case C-1001")).to_be_visible()
    text = page.locator("#matching").inner_text()
    assert "Linked" in text and "Case C-1001" in text and "decided by a caseworker" in text
    assert "the case is not decided yet" not in page.locator("#letters").inner_text()
    page.get_by_label("Another case ID").fill("C-1003")
    page.get_by_role("button", name="Link to this case").click()
    expect(page.get_by_role("status").filter(has_text="linked to case C-1003")).to_be_visible()
    assert "Case C-1003" in page.locator("#matching").inner_text()
    page.goto("/queue")
    assert "Priya Shah" in page.get_by_role("row").filter(has_text=reference).inner_text()


def test_approving_puts_the_letter_in_the_outbox(page, desk: RunningDesk) -> None:
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    sign_in(page)
    open_referral(page, desk, reference)
    page.get_by_role("button", name="Approve and send to the outbox").click()
    banner = page.get_by_role("status").filter(has_text="Approved").inner_text()
    letter = desk.settings.outbox / f"{reference}-acknowledgement.docx"
    assert letter.name in banner
    assert "Adam" in "\n".join(p.text for p in Document(str(letter)).paragraphs)
    pdf = letter.with_suffix(".pdf")
    if shutil.which(desk.settings.libreoffice):
        assert pdf.read_bytes().startswith(b"%PDF")
    else:
        assert "LibreOffice is not installed" in banner and not pdf.exists()
    assert "Acknowledged" in page.locator(".summary").inner_text()
    assert page.get_by_role("button", name="Approve and send to the outbox").count() == 0


def test_returning_a_letter_with_a_reason_puts_it_back_in_the_queue(page,
                                                                   desk: RunningDesk) -> None:
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    sign_in(page)
    open_referral(page, desk, reference)
    page.get_by_label("Reason for returning it").fill("The school is wrong")
    page.get_by_role("button", name="Return with this reason").click()
    page.wait_for_url("**/queue")
    row = page.get_by_role("row").filter(has_text=reference)
    assert "Returned: The school is wrong" in row.inner_text()


def test_a_letter_edited_in_word_is_uploaded_back(page, desk: RunningDesk,
                                                  tmp_path: Path) -> None:
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    sign_in(page)
    open_referral(page, desk, reference)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the acknowledgement letter (.docx)").click()
    edited = tmp_path / "edited.docx"
    download.value.save_as(edited)
    document = Document(str(edited))
    document.add_paragraph("I have asked the team manager to call Mrs Khan this week.")
    document.save(str(edited))
    page.get_by_label("Upload your edited copy (.docx)").set_input_files(str(edited))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="uploaded")).to_be_visible()
    assert "call Mrs Khan this week" in preview_text(page)
    assert "Edited in Word" in page.locator("#letters").inner_text()


def test_a_caseworker_enters_a_handwritten_scan_by_hand(page, desk: RunningDesk,
                                                       tesseract) -> None:
    name = "handwritten note.pdf"
    scans = Path(__file__).parent / "samples" / "scans"
    shutil.copyfile(scans / "handwritten_note.pdf", desk.settings.failed_dir / name)
    (desk.settings.failed_dir / f"{name}.reason.txt").write_text(
        "No text could be read from this PDF, not even by OCR, so a person needs to read "
        "it and enter it by hand.\n")
    sign_in(page)
    page.goto("/failed")
    page.get_by_role("link", name=name).click()
    picture = page.get_by_role("img", name=f"Page 1 of {name}")
    page.wait_for_function("picture => picture.complete && picture.naturalWidth > 0",
                           arg=picture.element_handle())
    # Drawn by the server, and shown.
    assert page.evaluate("picture => picture.naturalWidth", picture.element_handle()) == 1000
    assert page.evaluate(CONTRAST_SCRIPT) == []
    assert page.evaluate("""() => [...document.querySelectorAll(
        'input:not([type=hidden]), select, textarea')].filter(
        field => field.labels.length === 0).map(field => field.name)""") == []
    page.get_by_label("MP or correspondent").fill("Hannah Greaves")
    page.get_by_label("Constituency").fill("Leeds Central and Headingley")
    page.get_by_label("Constituent (parent or carer)").fill("Mrs Sarah Khan")
    page.locator("#e-children-0-first_name").fill("Zara")
    page.locator("#e-children-0-last_name").fill("Khan")
    page.locator("#e-children-0-date_of_birth").fill("3/4/2015")
    page.get_by_label("EHC needs assessment").check()
    page.get_by_role("button", name="Enter by hand and draft the acknowledgement").click()
    page.wait_for_url(re.compile(r"/referrals/\d+$"))
    expect(page.get_by_role("status").filter(
        has_text="the acknowledgement is drafted")).to_be_visible()
    assert "Zara" in preview_text(page)
    assert page.get_by_label("First name").input_value() == "Zara"
    history = page.get_by_role("table").filter(has_text="Who did what").inner_text()
    assert "entered by hand" in history and "casey" in history
    expect(page.get_by_role("img", name="Page 1 of the original")).to_be_visible()
    assert page.evaluate(CONTRAST_SCRIPT) == []
    assert not (desk.settings.failed_dir / name).exists()


def test_a_caseworker_writes_the_full_response_and_cannot_send_a_siblings_name(
        page, desk: RunningDesk, tmp_path: Path) -> None:
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    sign_in(page)
    open_referral(page, desk, reference)
    page.get_by_role("button", name="Choose case C-1001 for child 1").click()
    page.get_by_role("button", name="Approve and send to the outbox").click()
    page.get_by_role("button", name="Draft the full response").click()
    response = page.locator("article[data-kind=response]")
    before = response.locator(".preview").inner_text()

    response.get_by_label("EHC needs assessment: decision due").check()
    response.get_by_label("Communication: named contact").check()
    response.get_by_label("What happens next").fill("Priya Shah will call Mrs Khan on Friday.")
    response.get_by_role("button", name="Save and update the preview").click()
    expect(page.get_by_role("status").filter(
        has_text="full response has been updated")).to_be_visible()
    after = response.locator(".preview").inner_text()
    assert after != before
    assert "Priya Shah will call Mrs Khan on Friday." in after
    assert "whether to carry out an EHC needs assessment for Adam" in after
    assert response.get_by_label("Communication: named contact").is_checked()
    # The response's and the holding reply's forms are labelled, their ids unique, their
    # text legible.
    assert page.evaluate("""() => [...document.querySelectorAll(
        'input:not([type=hidden]), select, textarea')].filter(
        field => field.labels.length === 0).map(field => field.name)""") == []
    assert page.evaluate("""() => { const ids = [...document.querySelectorAll('[id]')]
        .map(e => e.id); return ids.filter((id, i) => ids.indexOf(id) !== i); }""") == []
    assert page.evaluate(CONTRAST_SCRIPT) == []

    # An edit in Word that names Adam's sister is refused at approval.
    with page.expect_download() as download:
        response.get_by_role("link", name="Download the response letter (.docx)").click()
    edited = tmp_path / "response.docx"
    download.value.save_as(edited)
    document = Document(str(edited))
    document.add_paragraph("Zara Khan is waiting for the same decision.")
    document.save(str(edited))
    response.get_by_label("Upload your edited copy (.docx)").set_input_files(str(edited))
    response.get_by_role("button", name="Upload", exact=True).click()
    response.get_by_role("button", name="Approve and send to the outbox").click()
    refusal = page.get_by_role("alert").first.inner_text()
    assert "names another child who is not in this referral" in refusal
    assert "Zara Khan" in refusal
    outbox = desk.settings.outbox / f"{reference}-response.docx"
    assert not outbox.exists()

    # Removed in Word and uploaded again, it goes.
    document = Document(str(edited))
    for paragraph in document.paragraphs:
        if "Zara" in paragraph.text:
            paragraph._element.getparent().remove(paragraph._element)
    document.save(str(edited))
    response.get_by_label("Upload your edited copy (.docx)").set_input_files(str(edited))
    response.get_by_role("button", name="Upload", exact=True).click()
    assert page.locator("article[data-kind=response] .others").count() == 0
    response.get_by_role("button", name="Approve and send to the outbox").click()
    expect(page.get_by_role("status").filter(has_text=outbox.name)).to_be_visible()
    sent = "\n".join(p.text for p in Document(str(outbox)).paragraphs)
    assert "Priya Shah will call Mrs Khan on Friday." in sent and "Zara" not in sent
    assert "Replied" in page.locator(".summary").inner_text()


def test_liaison_are_refused_a_caseworkers_page(page, desk: RunningDesk) -> None:
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    sign_in(page, "lia")
    page.wait_for_url("**/reports/")
    response = page.goto(f"/referrals/{desk.referral_id(reference)}")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You do not have access to this")).to_be_visible()
    assert page.get_by_role("link", name="Queue").count() == 0


def test_the_pages_work_from_the_keyboard_and_label_every_field(page,
                                                               desk: RunningDesk) -> None:
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    page.goto("/sign-in")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Tab")
    page.keyboard.type("casey")
    page.keyboard.press("Tab")
    page.keyboard.type(DESK_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/mine")
    open_referral(page, desk, reference)
    unlabelled = page.evaluate("""() => [...document.querySelectorAll(
        'input:not([type=hidden]), select, textarea')].filter(
        field => field.labels.length === 0).map(field => field.name)""")
    assert unlabelled == []
    assert page.evaluate("document.documentElement.lang") == "en-GB"


def test_screenshots_of_the_main_pages(page, desk: RunningDesk, tmp_path: Path) -> None:
    khan = desk.ingest(SAMPLES / "khan_letter.docx")
    desk.ingest(SAMPLES / "okafor_email.msg")
    (desk.settings.failed_dir / "scan_no_text.pdf").write_bytes(
        (SAMPLES / "scan_no_text.pdf").read_bytes())
    (desk.settings.failed_dir / "scan_no_text.pdf.reason.txt").write_text(
        "This PDF is a scan with no text layer: ask for the letter as a Word document or "
        "a text PDF.\n")
    folder = Path(os.environ.get("CORRESPOND_SCREENSHOTS") or tmp_path)
    if not folder.is_absolute():
        folder = REPO / folder
    folder.mkdir(parents=True, exist_ok=True)
    sign_in(page)
    shots = {"queue": "/queue", "failed-files": "/failed"}
    for name, path in shots.items():
        page.goto(path)
        page.screenshot(path=folder / f"{name}.png", full_page=True)
    open_referral(page, desk, khan)
    page.screenshot(path=folder / "referral.png", full_page=True)
    page.get_by_role("button", name="Approve and send to the outbox").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "lia")
    page.goto("/reports/")
    page.screenshot(path=folder / "reports.png", full_page=True)
    for name in ("queue", "failed-files", "referral", "reports"):
        assert (folder / f"{name}.png").read_bytes().startswith(b"\x89PNG")


def test_screenshots_of_the_scan_pages(page, desk: RunningDesk, tmp_path: Path,
                                      tesseract) -> None:
    scans = Path(__file__).parent / "samples" / "scans"
    reference = desk.ingest(scans / "khan_typed_then_scanned.pdf")
    shutil.copyfile(scans / "handwritten_note.pdf",
                    desk.settings.failed_dir / "handwritten note.pdf")
    (desk.settings.failed_dir / "handwritten note.pdf.reason.txt").write_text(
        "No text could be read from this PDF, not even by OCR (a scan of handwriting, a "
        "blank page or a faint copy?), so a person needs to read it and enter it by hand.\n")
    folder = Path(os.environ.get("CORRESPOND_SCREENSHOTS") or tmp_path)
    if not folder.is_absolute():
        folder = REPO / folder
    folder.mkdir(parents=True, exist_ok=True)
    sign_in(page)
    page.goto("/failed")
    page.get_by_role("link", name="handwritten note.pdf").click()
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth)")
    page.screenshot(path=folder / "enter-by-hand.png", full_page=True)
    open_referral(page, desk, reference)
    section = page.locator("#scanned-pages")
    section.scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth)")
    section.screenshot(path=folder / "scanned-pages.png")
    for name in ("enter-by-hand", "scanned-pages"):
        assert (folder / f"{name}.png").read_bytes().startswith(b"\x89PNG")


# WCAG 2.2 contrast: 4.5:1 for text, 3:1 for large text (24px, or 18.66px bold). Each
# element with its own text is checked against the first opaque background behind it.
CONTRAST_SCRIPT = """() => {
  const channel = c => {
    c /= 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const parse = s => s.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0.99) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.offsetParent && el.tagName !== 'BODY') continue;
    const style = getComputedStyle(el);
    const fg = parse(style.color).slice(0, 3);
    const [l1, l2] = [luminance(fg), luminance(background(el))].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) {
      failures.push(`${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
    }
  }
  return failures;
}"""


def test_text_has_enough_contrast_on_every_page(page, desk: RunningDesk) -> None:
    khan = desk.ingest(SAMPLES / "khan_letter.docx")
    desk.ingest(SAMPLES / "okafor_email.msg")
    page.goto("/sign-in")
    assert page.evaluate(CONTRAST_SCRIPT) == []
    sign_in(page)
    for path in ("/queue", "/failed", f"/referrals/{desk.referral_id(khan)}", "/reports/",
                 "/accessibility"):
        page.goto(path)
        assert page.evaluate(CONTRAST_SCRIPT) == [], path
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "ada")
    for path in ("/admin/users", "/admin/templates", "/admin/audit"):
        page.goto(path)
        assert page.evaluate(CONTRAST_SCRIPT) == [], path
