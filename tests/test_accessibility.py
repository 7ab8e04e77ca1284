"""axe-core (installed with npm into tests/axe by .ci/run) run in Chromium against every
page of the desk, as each role sees it: no serious or critical violation anywhere."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from support import SAMPLES, RunningDesk
from test_desk_browser import CHROMIUM_ARGS, chromium, sign_in

pytestmark = pytest.mark.slow
AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        message = "axe-core is not installed: run `npm ci --prefix tests/axe`"
        if os.environ.get("CI"):
            pytest.fail(message + " (.ci/run does)")
        pytest.skip(message)
    return AXE.read_text("utf-8")


def violations(page, axe_source: str) -> list[str]:
    """axe's serious and critical findings on the page as it stands, one line each."""
    page.evaluate(axe_source)  # evaluated, not a <script>: the page's CSP forbids inline ones
    found = page.evaluate("async () => JSON.stringify((await axe.run(document)).violations)")
    return [f"{item['id']} ({item['impact']}): {item['help']} at "
            f"{[node['target'] for node in item['nodes']][:3]}"
            for item in json.loads(found) if item["impact"] in SERIOUS]


def test_axe_finds_nothing_serious_on_any_page(chromium, desk: RunningDesk,
                                              axe_source: str) -> None:
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    housing = desk.ingest(SAMPLES / "housing_letter.pdf")
    referral = f"/referrals/{desk.referral_id(reference)}"
    pages = {
        None: ["/sign-in"],
        "casey": ["/mine", "/queue", "/search?q=Khan", "/search?q=nobody", referral,
                  f"{referral}/children/new", f"/referrals/{desk.referral_id(housing)}",
                  "/due", "/team", "/arrivals", "/failed", "/accessibility", "/password",
                  "/reports"],
        "bea": ["/queue", "/search?q=LS6", "/arrivals"],
        "lia": ["/reports"],
        "ada": ["/admin/users", "/admin/templates", "/admin/audit", "/admin/services"],
    }
    found: dict[str, list[str]] = {}
    for person, paths in pages.items():
        context = chromium.new_context(base_url=desk.url, viewport={"width": 1366,
                                                                     "height": 900})
        page = context.new_page()
        if person:
            sign_in(page, person)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, f"{path} as {person}: {response.status}"
            problems = violations(page, axe_source)
            if problems:
                found[f"{path} as {person or 'no one'}"] = problems
        context.close()
    assert found == {}


@pytest.mark.parametrize("person", ["ada", "casey"])
def test_the_header_does_not_wrap_at_1366_pixels(chromium, desk: RunningDesk,
                                                 person: str) -> None:
    context = chromium.new_context(base_url=desk.url, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, person)
    page.wait_for_url(re.compile(r"/(admin/users|mine)$"))
    page.wait_for_load_state()
    lines = page.evaluate("() => [...document.querySelectorAll('.header .nav a')]"
                          ".map(e => e.getClientRects().length)")
    tops = page.evaluate("() => [...document.querySelectorAll('.header .nav a')]"
                         ".map(e => Math.round(e.getBoundingClientRect().top))")
    context.close()
    assert set(lines) == {1}, "a page's name is broken over two lines"
    assert len(set(tops)) == 1, f"the pages wrap onto {len(set(tops))} lines"


def test_highlights_are_reached_from_the_keyboard_and_say_what_they_mark(
        chromium, desk: RunningDesk) -> None:
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    context = chromium.new_context(base_url=desk.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page)
    page.goto(f"/referrals/{desk.referral_id(reference)}")
    page.locator(".letter").first.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.tagName, "
                            "document.activeElement.getAttribute('title'), "
                            "document.activeElement.textContent]")
    context.close()
    assert focused[0] == "MARK" and focused[1] and focused[2]
    assert re.fullmatch(r"[^\n]{1,80}", focused[2]), "a highlight holds only the value it marks"


__all__ = ["CHROMIUM_ARGS", "chromium"]
