"""The liaison pages in a real browser (Playwright driving Debian's Chromium): choosing a
period, opening the referrals behind a figure, and downloading an MP meeting pack.

Set CORRESPOND_SCREENSHOTS=docs/screenshots to refresh the README's pictures of them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from correspond.domain.clock import local_date, utc_now
from correspond.liaison.periods import preset_period
from tools.liaison_history import FALLING, make_history

from support import LIAISON_PROTOCOL, REPO, liaison_protocol
from test_desk_browser import CONTRAST_SCRIPT, chromium, sign_in  # noqa: F401

pytestmark = pytest.mark.slow


@pytest.fixture
def liaison_desk(desk_factory):
    desk = desk_factory(protocol=LIAISON_PROTOCOL)
    history = make_history(desk.app.db, liaison_protocol(), today=local_date(utc_now()),
                           months=25, seed=5, scale=0.5)
    return desk, history


@pytest.fixture
def page(chromium, liaison_desk):  # noqa: F811
    desk, _ = liaison_desk
    context = chromium.new_context(base_url=desk.url, viewport={"width": 1280, "height": 900},
                                   accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def test_choosing_a_period_shows_its_figures(page, liaison_desk) -> None:
    desk, history = liaison_desk
    sign_in(page, "lia")
    page.goto("/reports/")
    page.get_by_label("Period", exact=True).select_option(label="Choose dates")
    page.get_by_label("From", exact=True).fill("2026-01-05")
    page.get_by_label("To", exact=True).fill("2026-01-18")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"period=custom"))
    assert "5 January to 18 January 2026" in page.locator("main").inner_text()
    expect(page.get_by_role("heading", name="Received each week")).to_be_visible()
    page.get_by_label("Period", exact=True).select_option(label="Last school year")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"period=last_school_year"))
    school_year = preset_period("last_school_year", local_date(utc_now()))
    assert school_year.label in page.locator("main").inner_text()
    expect(page.get_by_role("heading", name="Received each month")).to_be_visible()


def test_a_figure_opens_the_referrals_behind_it(page, liaison_desk) -> None:
    desk, history = liaison_desk
    period = preset_period("last_quarter", local_date(utc_now()))
    plans = [plan for plan in history.send() if period.contains(plan.received)]
    late = {plan.reference for plan in plans if plan.acknowledgement_verdict == "late"}
    sign_in(page, "lia")
    page.goto("/reports/?period=last_quarter")
    card = page.locator(".card").filter(has_text="Acknowledgements")
    card.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/reports/referrals\?"))
    expect(page.get_by_role("heading", name=f"{len(late)} referral")).to_be_visible()
    shown = set(re.findall(r"MP-\d{4}-\d{4}", page.locator("table").inner_text()))
    assert shown == late
    assert "acknowledgement sent late" in page.locator("main").inner_text()


def test_a_liaison_officer_downloads_a_meeting_pack(page, liaison_desk, tmp_path) -> None:
    desk, history = liaison_desk
    sign_in(page, "lia")
    page.goto("/reports/")
    page.get_by_role("link", name="Prepare a pack for a meeting with an MP").click()
    page.get_by_label("MP or councillor").select_option(label="Alex Baker MP (Aldershot)")
    page.get_by_label("Period", exact=True).select_option(label="Last quarter")
    page.get_by_role("button", name="Show the pack").click()
    page.wait_for_url(re.compile(r"member=\d+"))
    page.get_by_role("heading", name=re.compile("Alex Baker MP")).wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pack (Word)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("pack-aldershot-") and saved.suffix == ".docx"
    document = Document(str(saved))
    text = "\n".join([p.text for p in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells])
    assert "Meeting with Alex Baker MP (Aldershot)" in text
    theirs = {plan.reference for plan in history.plans if plan.writer == FALLING}
    assert set(re.findall(r"MP-\d{4}-\d{4}", text)) <= theirs


def test_the_liaison_pages_read_well_and_can_be_pictured(page, liaison_desk,
                                                       tmp_path) -> None:
    desk, history = liaison_desk
    folder = Path(os.environ.get("CORRESPOND_SCREENSHOTS") or tmp_path)
    if not folder.is_absolute():
        folder = REPO / folder
    folder.mkdir(parents=True, exist_ok=True)
    sign_in(page, "lia")
    member = history.member_ids[FALLING]
    shots = {"liaison-reports": "/reports/?period=last_quarter",
             "referrals-behind-a-figure": "/reports/referrals?period=last_quarter&ack=late",
             "meeting-pack": f"/reports/pack?member={member}&period=last_quarter",
             "protocol-audit": "/reports/audit?period=last_quarter",
             "protocol": "/reports/protocol", "trend": "/reports/trend"}
    for name, path in shots.items():
        page.goto(path)
        assert page.evaluate(CONTRAST_SCRIPT) == [], path
        unlabelled = page.evaluate("""() => [...document.querySelectorAll(
            'input:not([type=hidden]), select, textarea')].filter(
            field => field.labels.length === 0).map(field => field.name)""")
        assert unlabelled == [], path
        page.screenshot(path=folder / f"{name}.png", full_page=name != "liaison-reports")
    assert (folder / "liaison-reports.png").read_bytes().startswith(b"\x89PNG")
