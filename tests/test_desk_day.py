"""The desk for a team's working day, in a real browser (Playwright and Debian's
Chromium) against the real server and database: search, children, ownership, arrivals,
reminders, letters not about SEND and admin, each done by the role that does it."""

from __future__ import annotations

import re

import pytest
from test_desk_browser import chromium, open_referral, page, sign_in

from support import SAMPLES, RunningDesk

pytestmark = pytest.mark.slow


def search_for(page, text: str) -> None:
    page.get_by_role("link", name="Search").click()
    page.get_by_label(re.compile("Child, MP, constituency")).fill(text)
    page.get_by_role("button", name="Search", exact=True).click()


def test_a_caseworker_finds_a_referral_by_the_mps_reference_and_a_misspelt_name(
        page, desk: RunningDesk) -> None:
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    other = desk.ingest(SAMPLES / "okafor_email.msg")
    sign_in(page)
    search_for(page, "HG/2026/0412")
    results = page.locator(".search-results tbody tr")
    assert results.count() == 1 and reference in results.inner_text()
    search_for(page, "hg20260412")  # as a caller reads it out, run together
    assert reference in page.locator(".search-results").inner_text()
    search_for(page, "Adma Khan")  # a misspelt first name
    found = page.locator(".search-results").inner_text()
    assert reference in found and other not in found
    assert "spelt a little differently" in found
    page.get_by_role("link", name=reference).click()
    page.wait_for_url(re.compile(r"/referrals/\d+$"))


def test_business_support_search_what_the_queue_shows_them_not_the_letter(
        page, desk: RunningDesk) -> None:
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    sign_in(page, "bea")
    search_for(page, "LS6 2AB")
    assert reference in page.locator(".search-results").inner_text()
    assert page.get_by_role("link", name=reference).count() == 0  # no casework pages
    search_for(page, "Brookfield")  # a word of the letter only (the address)
    assert "No referral matches" in page.get_by_role("status").inner_text()
