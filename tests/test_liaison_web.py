"""The liaison pages over real HTTP to the real desk: the reports for a period, the list
behind a figure, the downloads, the pack and the audit; and, on a referral's page, who
wrote it and closing it with its outcome."""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter

import openpyxl
import pytest
import sqlalchemy as sa
from docx import Document

from correspond.domain.clock import local_date, utc_now
from correspond.domain.dates import written_date
from correspond.domain.workdays import add_working_days
from correspond.liaison.periods import preset_period
from tools.liaison_history import FALLING, make_history

from support import (
    LIAISON_PROTOCOL,
    SAMPLES,
    RunningDesk,
    draft_id_of,
    draft_path_of,
    draft_text,
    liaison_protocol,
    raw_get,
    signed_in,
)

pytestmark = pytest.mark.slow
REFERENCE = re.compile(r"MP-\d{4}-\d{4}")


@pytest.fixture
def liaison_desk(desk_factory):
    """The desk with the tests' protocol and 25 months of made-up referrals to today, half
    as many a month as tools/liaison_history.py's usual (Alex Baker's fall to 8 from 10)."""
    desk = desk_factory(protocol=LIAISON_PROTOCOL)
    history = make_history(desk.app.db, liaison_protocol(), today=local_date(utc_now()),
                           months=25, seed=3, scale=0.5)
    return desk, history


def references_in(page: str) -> set[str]:
    return set(REFERENCE.findall(page))


def links(page: str) -> dict[str, str]:
    """Each link's text -> its address."""
    return {html.unescape(re.sub(r"<[^>]+>", "", text)).strip(): html.unescape(href)
            for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', page)}


def test_the_reports_page_gives_the_chosen_periods_figures_with_their_lists(liaison_desk):
    desk, history = liaison_desk
    browser = signed_in(desk, "lia")
    period = preset_period("last_quarter", local_date(utc_now()))
    plans = [plan for plan in history.send() if period.contains(plan.received)]

    status, _, page = browser.get("/reports/?period=last_quarter")

    assert status == 200
    assert f"received <strong>{period.label}</strong>" in page
    overdue = {plan.reference for plan in plans if plan.reply_verdict == "overdue"}
    late = {plan.reference for plan in plans if plan.acknowledgement_verdict == "late"}
    late_link = next(href for href in re.findall(r'href="([^"]+)"', page)
                     if "ack=late" in href and "group" not in href)
    _, _, listed = browser.get(html.unescape(late_link))
    assert references_in(listed) == late
    assert f"<h1>{len(late)} referral" in listed
    reply_overdue = next((href for href in re.findall(r'href="([^"]+)"', page)
                          if "reply=overdue" in href and "group" not in href), None)
    if overdue:
        assert references_in(browser.get(html.unescape(reply_overdue))[2]) == overdue
    # By MP: listed members only, each linking to exactly their referrals.
    counts = Counter(plan.writer for plan in plans if plan.listed)
    falling = history.member_ids[FALLING]
    falling_link = next(href for href in re.findall(r'href="([^"]+)"', page)
                        if f"member={falling}" in href and "/reports/referrals" in href
                        and "period=last_quarter" in href)
    assert len(references_in(browser.get(html.unescape(falling_link))[2])) == counts[FALLING]
    assert "Prince Vasíli" not in page and "Unknown" not in page
    # Replies a holding reply gave a new date for, kept or not, each with its list.
    for verdict in ("kept", "missed"):
        expected = {plan.reference for plan in plans if plan.holding_verdict == verdict}
        link = next((href for href in re.findall(r'href="([^"]+)"', page)
                     if f"holding={verdict}" in href), None)
        assert (link is not None) == bool(expected)
        if link:
            assert references_in(browser.get(html.unescape(link))[2]) == expected


def test_a_list_behind_a_figure_holds_no_child_or_family_details(liaison_desk):
    desk, history = liaison_desk
    browser = signed_in(desk, "lia")
    page = browser.get("/reports/referrals?period=last_12_months")[2]
    assert references_in(page)
    for plan in history.plans[:200]:
        first, last = plan.child
        assert f"{first} {last}" not in page
    assert "Mrs " not in page  # the constituents are all "Mrs <surname>"


def test_chosen_dates_and_dates_that_make_no_period(liaison_desk):
    desk, history = liaison_desk
    browser = signed_in(desk, "lia")
    page = browser.get("/reports/?period=custom&from=2026-01-05&to=2026-01-11")[2]
    assert "5 January to 11 January 2026" in page
    page = browser.get("/reports/?period=custom&from=2026-02-01&to=2026-01-01")[2]
    assert "The end date is before the start date: swap them round." in page
    assert "received <strong>" in page  # this month is shown instead
    page = browser.get("/reports/?period=custom&from=31/13/2026&to=2026-01-01")[2]
    assert "is not a date" in page


def test_the_downloads_are_csv_and_excel_with_typed_cells(liaison_desk):
    desk, history = liaison_desk
    browser = signed_in(desk, "lia")
    period = preset_period("last_month", local_date(utc_now()))
    plans = [plan for plan in history.send() if period.contains(plan.received)]

    status, headers, data = raw_get(browser, "/reports/referrals.xlsx?period=last_month")
    assert status == 200 and headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Referrals"]
    header = [cell.value for cell in sheet[3]]
    rows = [dict(zip(header, (cell for cell in row))) for row in sheet.iter_rows(min_row=4)]
    assert {row["Reference"].value for row in rows} == {plan.reference for plan in plans}
    assert all(row["Received"].is_date for row in rows)
    assert all(isinstance(row["Working days to acknowledge"].value, int)
               for row in rows if row["Acknowledged on"].value)

    text = browser.get("/reports/referrals.csv?period=last_month")[2].lstrip("\ufeff")
    assert {row["Reference"] for row in csv.DictReader(io.StringIO(text))} == {
        plan.reference for plan in plans}
    summary = browser.get("/reports/summary.csv?period=last_month")[2]
    assert f"Report,SEND referrals,{len(plans)}" in summary
    trend = openpyxl.load_workbook(io.BytesIO(raw_get(browser, "/reports/trend.xlsx")[2]))
    assert trend.sheetnames == ["Referrals per month", "Concern mix"]
    with desk.app.db.reading() as connection:
        exported = connection.execute(sa.text(
            "SELECT count(*) FROM audit_events WHERE action = 'exported'")).scalar_one()
    assert exported >= 2  # the referral lists, recorded as exports


def test_the_trend_warns_of_the_mp_whose_referrals_fell(liaison_desk):
    desk, history = liaison_desk
    browser = signed_in(desk, "lia")
    falling = history.member_ids[FALLING]

    for page in (browser.get("/reports/")[2], browser.get("/reports/trend")[2]):
        assert "Referrals from Alex Baker MP (Aldershot) fell by 20% year on year: 96" in \
            html.unescape(page)
        assert page.count("fell by") == 1  # every other member wrote as much as before

    page = browser.get("/reports/trend")[2]
    assert "SEND referrals each month" in page and "The mix of concerns" in page
    see = next(href for href in re.findall(r'href="([^"]+)"', page)
               if f"member={falling}" in href)
    listed = references_in(browser.get(html.unescape(see))[2])
    this_month = local_date(utc_now()).replace(day=1)
    last_year = {plan.reference for plan in history.send() if plan.writer == FALLING
                 and preset_period("last_12_months", this_month).contains(plan.received)}
    assert listed == last_year and len(listed) == 96


def test_the_pack_downloads_as_word_with_only_that_mps_referrals(liaison_desk):
    desk, history = liaison_desk
    browser = signed_in(desk, "lia")
    member = history.member_ids[FALLING]
    page = browser.get(f"/reports/pack?member={member}&period=last_quarter")[2]
    assert "Alex Baker MP (Aldershot): " in page
    word = next(href for href in re.findall(r'href="([^"]+)"', page) if ".docx" in href)

    status, headers, data = raw_get(browser, html.unescape(word))

    assert status == 200 and 'filename="pack-aldershot-' in headers["Content-Disposition"]
    document = Document(io.BytesIO(data))
    text = "\n".join([p.text for p in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells])
    shown = references_in(text)
    theirs = {plan.reference for plan in history.plans if plan.writer == FALLING}
    assert shown and shown <= theirs
    assert "Meeting with Alex Baker MP (Aldershot)" in text
    assert raw_get(browser, f"/reports/pack/{member}.xlsx?period=last_quarter")[0] == 200
    assert browser.get("/reports/pack/999999.docx")[0] == 404


def test_a_broken_pack_template_is_explained(liaison_desk):
    desk, history = liaison_desk
    (desk.settings.templates_dir / "mp-pack.docx").write_bytes(b"not a Word document")
    browser = signed_in(desk, "lia")
    member = history.member_ids[FALLING]
    status, headers, _ = browser.get(f"/reports/pack/{member}.docx")
    assert status == 302
    page = browser.get(headers["Location"])[2]
    assert "could not be read as a Word document" in page


def test_an_audit_sample_is_drawn_recorded_and_in_the_downloads(liaison_desk):
    desk, history = liaison_desk
    browser = signed_in(desk, "lia")
    page = "/reports/audit?period=last_quarter"
    status, headers, _ = browser.post(
        "/reports/audit/sample", {"period": "last_quarter", "size": "6", "seed": "42"},
        token_from=page)
    assert status == 302
    shown = browser.get(headers["Location"])[2]
    assert "Sample 1 drawn: 6 referrals, seed 42." in shown
    sampled = references_in(shown.split("Sample 1:")[1].split("</table>")[0])
    assert len(sampled) == 6
    again = browser.post("/reports/audit/sample",
                         {"period": "last_quarter", "size": "6", "seed": "42"},
                         token_from=page)[1]["Location"]
    assert references_in(browser.get(again)[2].split("Sample 2:")[1].split("</table>")[0]) \
        == sampled
    document = Document(io.BytesIO(raw_get(
        browser, "/reports/audit.docx?period=last_quarter&sample=1")[2]))
    text = "\n".join(cell.text for table in document.tables for row in table.rows
                     for cell in row.cells)
    assert sampled <= references_in(text)
    text = browser.get("/reports/audit.csv?period=last_quarter&sample=1")[2]
    assert sum(1 for line in text.splitlines() if line.startswith("Sample,MP-")) == 6
    refused = browser.post("/reports/audit/sample", {"period": "last_quarter", "size": "0"},
                           token_from=page)[1]["Location"]
    assert "Give the sample&#39;s size as a number from 1 to 200." in browser.get(refused)[2]
    assert browser.get("/reports/audit?period=last_month&sample=1")[0] == 404


def test_the_protocol_is_shown_with_its_versions(liaison_desk):
    desk, _ = liaison_desk
    page = signed_in(desk, "casey").get("/reports/protocol")[2]
    assert "Joint protocol 2025" in page and "Joint protocol 2024" in page
    assert "In force from 1 September 2025" in page
    assert "<td>650</td>" in page  # the House of Commons list, shipped


def test_only_the_reporting_roles_reach_the_liaison_pages(liaison_desk):
    desk, history = liaison_desk
    member = history.member_ids[FALLING]
    pages = ("/reports/", "/reports/referrals", "/reports/protocol", "/reports/pack",
             f"/reports/pack/{member}.xlsx", "/reports/audit", "/reports/trend",
             "/reports/trend.csv")
    for name, allowed in (("lia", True), ("casey", True), ("ada", True), ("bea", False)):
        browser = signed_in(desk, name)
        for path in pages:
            assert browser.get(path)[0] == (200 if allowed else 403), (name, path)


# --- on a referral's page ---------------------------------------------------------------

def test_a_letter_from_an_mp_not_on_the_list_says_so_until_corrected(desk: RunningDesk):
    referral = desk.referral_id(desk.ingest(SAMPLES / "khan_letter.docx"))
    browser = signed_in(desk, "casey")
    page = f"/referrals/{referral}"
    # Hannah Greaves is not the MP for Leeds Central and Headingley.
    assert "who is not on the House of Commons list" in browser.get(page)[2]
    browser.post(f"{page}/fields", {"correspondent.name": "Alex Sobel"}, token_from=page)
    shown = browser.get(page)[2]
    assert "who is not on the House of Commons list" not in shown
    assert "Written by Alex Sobel MP (Leeds Central and Headingley), on the House of " \
           "Commons list" in shown
    report = signed_in(desk, "lia").get("/reports/")[2]
    assert "Alex Sobel MP (Leeds Central and Headingley)" in report


def test_closing_a_referral_asks_for_its_outcome_and_counts_it(desk: RunningDesk):
    referral = desk.referral_id(desk.ingest(SAMPLES / "khan_letter.docx"))
    browser = signed_in(desk, "casey")
    page = f"/referrals/{referral}"
    close = f"{page}/close"
    outcome = {"outcome": "resolved", "changes": ["assessment:assessment_agreed"],
               "notes": "Assessment agreed at panel."}
    browser.post(close, outcome, token_from=page)
    assert "Record that the full reply was sent before closing" in browser.get(page)[2]
    browser.post(f"{page}/letters/{draft_id_of(desk, referral)}/approve", token_from=page)
    browser.post(f"{page}/reply-sent", token_from=page)
    shown = browser.get(page)[2]
    assert "Close the referral with its outcome" in shown
    assert 'value="assessment:assessment_agreed"' in shown  # offered for its concern
    browser.post(close, {"outcome": "sorted"}, token_from=page)
    assert "Choose the outcome: what happened in the end." in browser.get(page)[2]

    browser.post(close, outcome, token_from=page)

    shown = browser.get(page)[2]
    assert "The referral is closed with its outcome." in shown
    assert "<strong>Resolved</strong>. Closed by casey" in shown
    assert "Assessment agreed (EHC needs assessment)" in shown
    with desk.app.db.reading() as connection:
        assert connection.execute(sa.text("SELECT status FROM referrals WHERE id = :id"),
                                  {"id": referral}).scalar_one() == "closed"
        assert connection.execute(sa.text(
            "SELECT count(*) FROM audit_events WHERE action = 'closed' AND referral_id = :id"),
            {"id": referral}).scalar_one() == 1
    browser.post(close, outcome, token_from=page)
    assert "This referral is already closed." in browser.get(page)[2]
    browser.post(f"{page}/reply-sent", token_from=page)
    assert "The full reply is already recorded as sent." in browser.get(page)[2]
    figures = signed_in(desk, "lia").get("/reports/")[2]
    resolved = re.search(r"<td>Resolved</td><td><a href=\"[^\"]+\">(\d+)</a>", figures)
    assert resolved and resolved.group(1) == "1"
    liaison = signed_in(desk, "lia")
    assert liaison.post(close, outcome, token_from="/reports/")[0] == 403


def test_marking_a_letter_urgent_brings_its_deadlines_to_the_urgent_targets(desk_factory):
    desk = desk_factory(protocol=LIAISON_PROTOCOL)
    referral = desk.referral_id(desk.ingest(SAMPLES / "khan_letter.docx"))
    browser = signed_in(desk, "casey")
    page = f"/referrals/{referral}"

    def dates():
        referrals = desk.app.db.table("referrals")
        with desk.app.db.reading() as connection:
            return connection.execute(sa.select(
                referrals.c.received_date, referrals.c.acknowledgement_due,
                referrals.c.reply_due, referrals.c.urgent)
                .where(referrals.c.id == referral)).one()

    received, acknowledgement_due, reply_due, urgent = dates()
    assert not urgent
    assert reply_due == add_working_days(received, 15)  # an MP's letter

    browser.post(f"{page}/fields", {"urgent": "yes"}, token_from=page)

    _, acknowledgement_due, reply_due, urgent = dates()
    assert urgent
    assert acknowledgement_due == add_working_days(received, 1)
    assert reply_due == add_working_days(received, 5)
    letter = draft_text(draft_path_of(desk, draft_id_of(desk, referral)))
    assert f"full reply by {written_date(add_working_days(received, 5))}" in letter


def test_marking_urgent_after_a_holding_reply_keeps_the_date_it_promised(desk_factory):
    desk = desk_factory(protocol=LIAISON_PROTOCOL)
    referral = desk.referral_id(desk.ingest(SAMPLES / "khan_letter.docx"))
    browser = signed_in(desk, "casey")
    page = f"/referrals/{referral}"
    referrals = desk.app.db.table("referrals")
    with desk.app.db.writing() as connection:
        received = connection.execute(sa.select(referrals.c.received_date)
                                      .where(referrals.c.id == referral)).scalar_one()
        # As approving a holding reply leaves it: the new date, the protocol's kept.
        promised = add_working_days(received, 30)
        connection.execute(sa.text(
            "UPDATE referrals SET first_reply_due = reply_due, reply_due = :promised "
            "WHERE id = :id"), {"promised": promised.isoformat(), "id": referral})

    browser.post(f"{page}/fields", {"urgent": "yes"}, token_from=page)

    with desk.app.db.reading() as connection:
        reply_due, first_reply_due = connection.execute(
            sa.select(referrals.c.reply_due, referrals.c.first_reply_due)
            .where(referrals.c.id == referral)).one()
    assert reply_due == promised  # what the MP was told stands
    assert first_reply_due == add_working_days(received, 5)
