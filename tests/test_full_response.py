"""The full response at the desk, over real HTTP to the real server on a real database:
drafted from the child's case record and its statutory clocks, the council's approved
paragraphs and the caseworker's own sections; approved into the outbox, stopping the
reply clock; and refused while it names a child who is not in the referral."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document

from correspond.imports.cases import ParsedRow, read_case_rows
from correspond.store.cases import save_cases

from support import (
    SAMPLES,
    RunningDesk,
    draft_id_of,
    draft_path_of,
    draft_text,
    raw_get,
    signed_in,
)

pytestmark = pytest.mark.slow

# Adam Khan's case (C-1001 in support.DESK_CASES) with its timeline: the request for an
# assessment on 2 June 2026 has had no decision.
TIMELINE = (
    "case_id,child_first_name,child_last_name,date_of_birth,school,parent_names,address,"
    "postcode,caseworker,caseworker_email,ehcp_status,assessment_requested,"
    "assessment_decision,placement_sought\n"
    "C-1001,Adam,Khan,03/04/2015,Meanwood CE Primary School,Sarah Khan,"
    "\"27 Brookfield Road, Leeds\",LS6 2AB,Priya Shah,priya.shah@example.org,requested,"
    "02/06/2026,,\n"
)


@pytest.fixture
def khan(desk: RunningDesk) -> int:
    rows = read_case_rows(io.StringIO(TIMELINE))
    save_cases(desk.app.db, [row.record for row in rows if isinstance(row, ParsedRow)])
    referral = desk.referral_id(desk.ingest(SAMPLES / "khan_letter.docx"))
    browser = signed_in(desk, "casey")
    page = f"/referrals/{referral}"
    browser.post(f"{page}/children/0/case", {"case_id": "C-1001"}, token_from=page)
    return referral


def letter_id(desk: RunningDesk, referral: int, kind: str) -> int:
    with desk.app.db.reading() as connection:
        return connection.execute(sa.text(
            "SELECT id FROM drafts WHERE referral_id = :id AND kind = :kind"),
            {"id": referral, "kind": kind}).scalar_one()


def referral_row(desk: RunningDesk, referral: int):
    with desk.app.db.reading() as connection:
        return connection.execute(sa.text("SELECT * FROM referrals WHERE id = :id"),
                                  {"id": referral}).one()


def flashed(html: str) -> str:
    found = re.findall(r'class="banner banner--\w+" role="\w+">([^<]*)<', html)
    return " ".join(found).replace("&#39;", "'")


def test_the_full_response_is_drafted_from_the_case_and_approved_into_the_outbox(
        desk: RunningDesk, khan: int) -> None:
    browser = signed_in(desk, "casey")
    page = f"/referrals/{khan}"
    browser.post(f"{page}/response", token_from=page)
    response = letter_id(desk, khan, "response")
    _, _, html = browser.get(page)
    # The clock from the case record, late, offered to confirm; the paragraphs for the
    # letter's concerns (and for a missed timescale) offered to tick.
    assert 'value="C-1001/assessment_decision"' in html
    assert "has not yet been made: it is now" in html
    for heading in ("EHC needs assessment: decision due", "Communication: named contact",
                    "Late: apology for the delay", "General: meeting offered"):
        assert f'value="{heading}"' in html, heading
    # Each offered as this letter would say it, its variables filled.
    assert "including the views of the family and the school" in html
    assert "I will be their contact from now on" in html and "{% if" not in html
    assert 'value="Home to school transport: eligibility review under way"' not in html
    unconfirmed = draft_text(draft_path_of(desk, response))
    assert "The timescales the law sets" not in unconfirmed  # nothing stated unconfirmed

    browser.post(f"{page}/response/sections", {
        "what_found": "The request reached us on 2 June and was not passed to a caseworker.",
        "what_next": "Priya Shah will call Mrs Khan this week.",
        "paragraphs": ["EHC needs assessment: decision due", "Communication: named contact"],
        "clocks": ["C-1001/assessment_decision"]}, token_from=page)
    text = draft_text(draft_path_of(desk, response))
    for expected in (
            "Dear Hannah Greaves\n",
            "We received the request for an EHC needs assessment for Adam on 2 June 2026. "
            "The decision whether to assess was due within 6 weeks, by 14 July 2026, and "
            "has not yet been made",
            "I am sorry that we did not meet every one of these timescales.",
            "Adam's family have asked us for an EHC needs assessment.",
            "I am Adam's caseworker.",
    ):
        assert expected in text, expected
    assert "The request reached us on 2 June and was not passed to a caseworker." in text
    assert "Priya Shah will call Mrs Khan this week." in text
    assert "whether to carry out an EHC needs assessment for Adam" in text  # a paragraph
    assert "I will be their contact from now on" in text  # wording with {% if %} in it
    assert "Priya Shah\nSEND Casework Team" in text
    assert "Email: priya.shah@example.org" in text

    # The reply goes after the acknowledgement, and stops the reply clock.
    browser.post(f"{page}/letters/{response}/approve", token_from=page)
    assert "Approve the acknowledgement before the full response" in flashed(
        browser.get(page)[2])
    browser.post(f"{page}/letters/{draft_id_of(desk, khan)}/approve", token_from=page)
    browser.post(f"{page}/letters/{response}/approve", token_from=page)
    row = referral_row(desk, khan)
    assert row.status == "replied" and row.replied_at is not None
    sent = desk.settings.outbox / f"{row.reference}-response.docx"
    assert draft_text(sent) == text
    if shutil.which(desk.settings.libreoffice):
        assert sent.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    with desk.app.db.reading() as connection:
        actions = connection.execute(sa.text(
            "SELECT action, detail FROM audit_events WHERE referral_id = :id ORDER BY id"),
            {"id": khan}).all()
    assert ("approved", "response") in actions and ("replied", "response") in actions
    assert "Replied" in browser.get(page)[2]


def upload(browser, page: str, letter: int, path: Path) -> None:
    browser.post(f"{page}/letters/{letter}/upload", token_from=page,
                 files={"letter": ("edited.docx", path.read_bytes())})


def edited_copy(browser, page: str, letter: int, tmp_path: Path, line: str) -> Path:
    _, _, data = raw_get(browser, f"{page}/letters/{letter}.docx")
    document = Document(io.BytesIO(data))
    document.add_paragraph(line)
    path = tmp_path / f"edited-{abs(hash(line))}.docx"
    document.save(str(path))
    return path


@pytest.mark.parametrize(("planted", "named"), [
    ("Adam's sister Zara Khan is waiting for the same decision.", "“Zara Khan”"),
    ("Zara has been waiting too.", "“Zara”"),
    ("The other child, born 11/09/2012, is not part of this.", "“11 September 2012”"),
    ("See also case C-1002.", "“C-1002”"),
])
def test_a_letter_naming_another_child_is_refused_until_confirmed(
        desk: RunningDesk, khan: int, tmp_path: Path, planted: str, named: str) -> None:
    browser = signed_in(desk, "casey")
    page = f"/referrals/{khan}"
    acknowledgement = draft_id_of(desk, khan)
    upload(browser, page, acknowledgement,
           edited_copy(browser, page, acknowledgement, tmp_path, planted))
    browser.post(f"{page}/letters/{acknowledgement}/approve", token_from=page)
    _, _, html = browser.get(page)
    assert "names another child who is not in this referral" in flashed(html)
    assert named in flashed(html)
    assert not list(desk.settings.outbox.glob("*.docx"))
    assert referral_row(desk, khan).status == "awaiting_approval"
    # The page says so beside the letter, with a way to confirm it.
    case = re.search(r"\(case (C-\d+)\)", flashed(html)).group(1)
    assert f'name="case_id" value="{case}"' in html

    browser.post(f"{page}/disclosures", {"case_id": case}, token_from=page)
    assert "may be named in this referral's letters" in flashed(browser.get(page)[2])
    browser.post(f"{page}/letters/{acknowledgement}/approve", token_from=page)
    assert referral_row(desk, khan).status == "acknowledged"
    with desk.app.db.reading() as connection:
        assert connection.execute(sa.text(
            "SELECT user_name FROM audit_events WHERE action = 'disclosure confirmed' "
            "AND detail = :detail"), {"detail": f"case {case}"}).scalar_one() == "casey"


def test_the_childs_own_details_and_the_familys_adults_are_not_another_child(
        desk: RunningDesk, khan: int, tmp_path: Path) -> None:
    browser = signed_in(desk, "casey")
    page = f"/referrals/{khan}"
    acknowledgement = draft_id_of(desk, khan)
    line = ("Adam Khan (born 3 April 2015, case C-1001) lives with Mrs Sarah Khan; Priya "
            "Shah is his caseworker.")
    upload(browser, page, acknowledgement,
           edited_copy(browser, page, acknowledgement, tmp_path, line))
    browser.post(f"{page}/letters/{acknowledgement}/approve", token_from=page)
    assert referral_row(desk, khan).status == "acknowledged"


def test_saving_the_sections_never_overwrites_a_response_edited_in_word(
        desk: RunningDesk, khan: int, tmp_path: Path) -> None:
    browser = signed_in(desk, "casey")
    page = f"/referrals/{khan}"
    browser.post(f"{page}/response", token_from=page)
    response = letter_id(desk, khan, "response")
    edited = edited_copy(browser, page, response, tmp_path, "A paragraph written in Word.")
    upload(browser, page, response, edited)
    browser.post(f"{page}/response/sections", {"what_next": "We will call.",
                                               "clocks": [], "paragraphs": []},
                 token_from=page)
    assert "The letter edited in Word was kept as it is" in flashed(browser.get(page)[2])
    text = draft_text(draft_path_of(desk, response))
    assert "A paragraph written in Word." in text and "We will call." not in text
    browser.post(f"{page}/redraft", token_from=page)
    text = draft_text(draft_path_of(desk, response))
    assert "We will call." in text and "A paragraph written in Word." not in text


@pytest.mark.parametrize(("typed", "message"), [
    ("next week", "is not a date"),
    ("1/1/2020", "must be later than"),
    ("26/12/2099", "is not a working day"),
])
def test_a_holding_reply_needs_a_later_working_day(desk: RunningDesk, khan: int, typed: str,
                                                   message: str) -> None:
    browser = signed_in(desk, "casey")
    page = f"/referrals/{khan}"
    browser.post(f"{page}/holding", {"new_reply_due": typed, "reason_choice": "1"},
                 token_from=page)
    assert message in flashed(browser.get(page)[2])
    with desk.app.db.reading() as connection:
        assert connection.execute(sa.text(
            "SELECT count(*) FROM drafts WHERE kind = 'holding'")).scalar_one() == 0


def test_a_chosen_reason_and_the_suggested_date_make_the_holding_reply(
        desk: RunningDesk, khan: int) -> None:
    browser = signed_in(desk, "casey")
    page = f"/referrals/{khan}"
    _, _, html = browser.get(page)
    suggested = re.search(r'name="new_reply_due" type="text" inputmode="numeric" '
                          r'class="input--short" value="([^"]+)"', html).group(1)
    browser.post(f"{page}/holding", {"new_reply_due": suggested, "reason_choice": "1"},
                 token_from=page)
    text = draft_text(draft_path_of(desk, letter_id(desk, khan, "holding")))
    assert "We are waiting for advice from the educational psychology service." in text
    day, month, year = (int(part) for part in suggested.split("/"))
    from datetime import date

    from correspond.domain.dates import written_date

    assert f"full reply by {written_date(date(year, month, day))}." in text


def test_the_acknowledgement_is_signed_by_the_linked_cases_caseworker(
        desk: RunningDesk) -> None:
    rows = read_case_rows(io.StringIO(
        "case_id,child_first_name,child_last_name,date_of_birth,school,parent_names,"
        "postcode,caseworker,caseworker_email\n"
        "C-3001,Grace,Okafor,21/11/2012,Briarwood School,Daniel Okafor,BS5 7QT,Ann Lee,"
        "ann.lee@example.org\n"))
    save_cases(desk.app.db, [row.record for row in rows if isinstance(row, ParsedRow)])
    referral = desk.referral_id(desk.ingest(SAMPLES / "okafor_email.msg"))
    with desk.app.db.reading() as connection:
        assert connection.execute(sa.text(
            "SELECT case_id FROM referral_children WHERE referral_id = :id"),
            {"id": referral}).scalar_one() == "C-3001"
    text = draft_text(draft_path_of(desk, draft_id_of(desk, referral)))
    assert "Dr Jane Whitfield MP\nMember of Parliament for Bristol East\n" in text
    assert "For the attention of Tom Reyes" in text
    assert "Dear Dr Whitfield\n" in text
    assert "Ann Lee\nSEND Casework Team" in text
    assert "Email: ann.lee@example.org" in text
