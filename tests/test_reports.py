"""The liaison team's reports, against a real SQLite database, and the charts they show."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
from markupsafe import Markup

from correspond.config import single_version
from correspond.domain.workdays import add_working_days, working_days_between
from correspond.liaison.facts import referral_facts
from correspond.liaison.figures import TargetFigures, period_report
from correspond.liaison.periods import Period
from correspond.liaison.reports import csv_text, referrals_csv, summary_csv
from correspond.store.database import Database
from correspond.store.referrals import with_sent_dates
from correspond.store.reporting import Window
from correspond.web.charts import bar_chart, column_chart

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def db(database_url):
    database = Database(database_url)
    yield database
    database.close()


def utc(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def add_referral(db: Database, reference: str, received: date, *,
                 status: str = "awaiting_approval",
                 acknowledgement_due: date | None = None, reply_due: date | None = None,
                 acknowledged_at: datetime | None = None, replied_at: datetime | None = None,
                 mp_name: str | None = "Zoe Adams MP", constituency: str | None = "Northtown",
                 urgent: bool = False, concerns: tuple[str, ...] = (),
                 letter_text: str = "Dear Sir or Madam", extraction: dict | None = None,
                 constituent_name: str | None = None, child: tuple[str, str] | None = None) -> int:
    sha256 = hashlib.sha256(reference.encode()).hexdigest()
    with db.writing() as connection:
        connection.execute(db.table("files").insert().values(
            sha256=sha256, size=100, archive_path=f"archive/{sha256}",
            first_seen_at=utc(received.year, received.month, received.day)))
        referral_id = connection.execute(db.table("referrals").insert().values(
            reference=reference, sha256=sha256, format="eml",
            received_at=utc(received.year, received.month, received.day, 9),
            received_date=received,
            acknowledgement_due=acknowledgement_due or add_working_days(received, 2),
            reply_due=reply_due or add_working_days(received, 20),
            status=status, is_send=status != "not_send", urgent=urgent,
            mp_name=mp_name, constituency=constituency, constituent_name=constituent_name,
            **with_sent_dates({"acknowledged_at": acknowledged_at, "replied_at": replied_at}),
            letter_source="body", letter_text=letter_text,
            extraction_json=json.dumps(extraction or {}),
        )).inserted_primary_key[0]
        for position, category in enumerate(concerns):
            connection.execute(db.table("referral_concerns").insert().values(
                referral_id=referral_id, position=position, category=category))
        if child:
            connection.execute(db.table("referral_children").insert().values(
                referral_id=referral_id, position=0, first_name=child[0],
                last_name=child[1], date_of_birth=date(2014, 5, 6),
                match_status="new", candidates_json="[]"))
    return referral_id


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- working days ----------------------------------------------------------------------

@pytest.mark.parametrize("region", ["ENG", "WLS"])
def test_working_days_between_undoes_add_working_days_for_a_year_of_start_dates(region):
    start = date(2026, 1, 1)
    for offset in range(366):
        day = start + timedelta(days=offset)
        for days in range(0, 25):
            end = add_working_days(day, days, region)
            assert working_days_between(day, end, region) == days, (day, days)


def test_working_days_between_skips_christmas_and_easter():
    # Christmas Day Friday, Boxing Day observed Monday 28 December, New Year's Day Friday.
    assert working_days_between(date(2026, 12, 23), date(2026, 12, 29)) == 2
    assert working_days_between(date(2026, 12, 24), date(2027, 1, 4)) == 4
    # Good Friday 3 April, Easter Monday 6 April 2026.
    assert working_days_between(date(2026, 4, 2), date(2026, 4, 7)) == 1
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1  # Fri -> Mon


def test_working_days_between_is_zero_when_the_end_is_not_after_the_start():
    assert working_days_between(date(2026, 3, 5), date(2026, 3, 5)) == 0
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 2)) == 0
    with pytest.raises(ValueError):
        working_days_between(date(2026, 3, 2), date(2026, 3, 9), "SCT")


# --- the liaison report ----------------------------------------------------------------

PROTOCOL = single_version(2, 20)


def report_for(db, start: date, end: date, today: date):
    return period_report(db, Period(start, end), today=today, protocol=PROTOCOL)


def facts_for(db, start: date, end: date, today: date):
    return referral_facts(db, Window(start, end), today=today)


def test_acknowledgements_and_replies_against_their_targets(db):
    # Today is Friday 19 June 2026 (British Summer Time).
    june = lambda day: date(2026, 6, day)  # noqa: E731
    add_referral(db, "MP-A", june(1), acknowledgement_due=june(3), reply_due=june(29),
                 acknowledged_at=utc(2026, 6, 3, 10), status="acknowledged")
    # 23:30 UTC on 3 June is 00:30 on 4 June in England: a day late.
    add_referral(db, "MP-B", june(1), acknowledgement_due=june(3), reply_due=june(15),
                 acknowledged_at=utc(2026, 6, 3, 23, 30), status="acknowledged")
    add_referral(db, "MP-C", june(1), acknowledgement_due=june(3), reply_due=june(10),
                 acknowledged_at=utc(2026, 6, 8, 9), replied_at=utc(2026, 6, 12),
                 status="replied")
    add_referral(db, "MP-D", june(15), acknowledgement_due=june(17))  # overdue
    add_referral(db, "MP-E", june(18), acknowledgement_due=june(22))  # not yet due
    add_referral(db, "MP-F", june(17), acknowledgement_due=june(19),  # due today
                 status="returned")
    add_referral(db, "MP-H", june(1), acknowledgement_due=june(3), reply_due=june(29),
                 acknowledged_at=utc(2026, 6, 2), replied_at=utc(2026, 6, 26),
                 status="replied")
    # Not SEND: never counted against a target, however old.
    add_referral(db, "MP-G", june(1), acknowledgement_due=june(3), reply_due=june(5),
                 status="not_send")

    report = report_for(db, june(1), june(30), june(19))

    assert report.acknowledgements == TargetFigures(
        within_target=2, late=2, overdue=1, outstanding_in_time=2)
    assert report.acknowledgements.percent_within_target == 50.0
    assert report.replies == TargetFigures(
        within_target=1, late=1, overdue=1, outstanding_in_time=4)
    # A 2, B 3 (its local date is 4 June), C 5 (Monday 8 June), H 1.
    assert report.median_working_days_to_acknowledge == 2.5
    assert report.total == 8 and report.send_total == 7
    assert [(s.label, s.count) for s in report.statuses] == [
        ("Awaiting approval", 2), ("Returned to caseworker", 1), ("Acknowledged", 2),
        ("Replied", 2), ("Closed", 0), ("Not SEND", 1)]


def test_median_working_days_counts_christmas_and_easter_as_holidays(db):
    add_referral(db, "MP-1", date(2026, 12, 23), acknowledged_at=utc(2026, 12, 29),
                 status="acknowledged")  # Thu 24, Tue 29: 2
    add_referral(db, "MP-2", date(2026, 12, 24), acknowledged_at=utc(2027, 1, 4),
                 status="acknowledged")  # 29, 30, 31 Dec, 4 Jan: 4
    add_referral(db, "MP-3", date(2026, 4, 2), acknowledged_at=utc(2026, 4, 7),
                 status="acknowledged")  # after Good Friday and Easter Monday: 1

    report = report_for(db, date(2026, 1, 1), date(2026, 12, 31), date(2027, 1, 8))

    # Counting weekdays alone would give 4, 7 and 3, a median of 4.
    assert report.median_working_days_to_acknowledge == 2.0


def test_no_acknowledgements_yet_gives_no_median_or_percentage(db):
    add_referral(db, "MP-1", date(2026, 3, 2))
    report = report_for(db, date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 3))
    assert report.median_working_days_to_acknowledge is None
    assert report.acknowledgements.percent_within_target is None
    assert report.acknowledgements.outstanding_in_time == 1


def test_an_empty_period_still_lists_every_status_and_week(db):
    report = report_for(db, date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 18))
    assert [s.count for s in report.statuses] == [0, 0, 0, 0, 0, 0]
    assert report.volume_unit == "week"
    assert [volume.count for volume in report.volumes] == [0] * 6
    assert report.volumes[0].start == date(2026, 3, 1)  # the week is cut to the period
    assert report.by_member == () and report.by_concern == ()


def test_weekly_volumes_count_send_referrals_in_the_period(db):
    add_referral(db, "MP-0", date(2026, 2, 20))  # the Friday before the period
    add_referral(db, "MP-1", date(2026, 2, 23))  # Monday
    add_referral(db, "MP-2", date(2026, 3, 1))  # Sunday: still the week of 23 February
    add_referral(db, "MP-3", date(2026, 3, 9))
    add_referral(db, "MP-4", date(2026, 3, 13), status="not_send")  # not counted
    add_referral(db, "MP-5", date(2026, 3, 18))

    report = report_for(db, date(2026, 2, 23), date(2026, 3, 22), date(2026, 3, 18))

    assert [(volume.start, volume.count) for volume in report.volumes] == [
        (date(2026, 2, 23), 2), (date(2026, 3, 2), 0), (date(2026, 3, 9), 1),
        (date(2026, 3, 16), 1)]


def test_a_long_period_is_shown_by_month(db):
    add_referral(db, "MP-1", date(2026, 1, 31))
    add_referral(db, "MP-2", date(2026, 3, 1))
    report = report_for(db, date(2025, 9, 1), date(2026, 8, 31), date(2026, 3, 18))
    assert report.volume_unit == "month"
    assert len(report.volumes) == 12
    assert {volume.label: volume.count for volume in report.volumes if volume.count} == {
        "January 2026": 1, "March 2026": 1}


def test_letters_from_no_listed_member_are_not_counted_by_mp(db):
    received = date(2026, 3, 2)
    for number, name in enumerate(["Zoe Adams MP", "Prince Vasíli", None, "  "]):
        add_referral(db, f"MP-{number}", received, mp_name=name)

    report = report_for(db, received, received, received)

    assert report.by_member == ()  # none is on a list: no "Unknown", no "Prince Vasíli"
    assert {item.label: item.count for item in report.writers}[
        "Others (not MPs or councillors)"] == 4


def test_concerns_count_send_referrals_once_each_with_plain_labels(db):
    received = date(2026, 3, 2)
    add_referral(db, "MP-1", received, concerns=("transport", "assessment"))
    add_referral(db, "MP-2", received, concerns=("transport", "transport"))
    add_referral(db, "MP-3", received, concerns=("annual_review",), status="replied",
                 acknowledged_at=utc(2026, 3, 3), replied_at=utc(2026, 3, 20))
    add_referral(db, "MP-4", received, concerns=("transport", "annual_review"),
                 status="not_send")

    report = report_for(db, received, received, received)

    assert [(item.label, item.count) for item in report.by_concern] == [
        ("Home to school transport", 2), ("Annual review", 1), ("EHC needs assessment", 1)]


# --- CSV exports -----------------------------------------------------------------------

def test_referrals_csv_has_the_figures_and_no_child_or_constituent_details(db):
    extraction = {"children": [{"first_name": "Poppy", "last_name": "Featherstonehaugh",
                                "date_of_birth": "2014-05-06"}],
                  "constituent": {"name": "Eleanor Featherstonehaugh",
                                  "address": "1 Quillfeather Lane", "postcode": "ZZ9 9ZZ"}}
    add_referral(db, "MP-2026-0001", date(2026, 3, 2), urgent=True,
                 concerns=("assessment", "transport", "assessment"),
                 acknowledged_at=utc(2026, 3, 5), status="acknowledged",
                 letter_text="My constituent Eleanor Featherstonehaugh of 1 Quillfeather "
                             "Lane writes about Poppy Featherstonehaugh (born 6 May 2014).",
                 extraction=extraction, constituent_name="Eleanor Featherstonehaugh",
                 child=("Poppy", "Featherstonehaugh"))
    add_referral(db, "MP-2026-0002", date(2026, 3, 9), mp_name=None, constituency=None)
    add_referral(db, "MP-2026-0003", date(2026, 3, 16))
    add_referral(db, "MP-2026-0004", date(2026, 3, 2), status="not_send")

    text = referrals_csv(facts_for(db, date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 17)))

    for personal in ("Poppy", "Featherstonehaugh", "Quillfeather", "ZZ9", "2014", "May"):
        assert personal not in text
    rows = read_csv(text)
    assert [row["Reference"] for row in rows] == [
        "MP-2026-0001", "MP-2026-0004", "MP-2026-0002", "MP-2026-0003"]
    first = rows[0]
    assert first == {
        "Reference": "MP-2026-0001", "Received": "2026-03-02", "Status": "Acknowledged",
        "Written by": "Others (not MPs or councillors)", "On the list": "no",
        "Concerns": "EHC needs assessment; Home to school transport", "Urgent": "yes",
        "Acknowledgement due": "2026-03-04", "Acknowledged on": "2026-03-05",
        "Acknowledgement within target": "no", "Working days to acknowledge": "3",
        "Reply due": "2026-03-30", "New reply-by date (holding reply)": "", "Replied on": "",
        "Reply within target": "",
        "Outcome": "", "Closed on": "",
    }
    not_send, overdue, not_yet_due = rows[1], rows[2], rows[3]
    assert not_send["Status"] == "Not SEND"
    assert not_send["Acknowledgement within target"] == ""  # no target to meet
    assert overdue["Urgent"] == "no"
    assert overdue["Acknowledgement within target"] == "no"  # due 11 March, not sent
    assert not_yet_due["Acknowledgement within target"] == ""  # due 18 March
    assert not_yet_due["Working days to acknowledge"] == ""


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    rows = read_csv(csv_text([("MP", "Constituency"),
                              ('=HYPERLINK("http://example.test","Click")', "+44 20 7946 0000"),
                              ("@SUM(A1:A9)", "-2+3"), ("\t=1+1", "\r=1+1")]))

    assert [(row["MP"], row["Constituency"]) for row in rows] == [
        ("'=HYPERLINK(\"http://example.test\",\"Click\")", "'+44 20 7946 0000"),
        ("'@SUM(A1:A9)", "'-2+3"),
        ("'\t=1+1", "'\r=1+1"),
    ]


def test_summary_csv_lists_the_report_figures(db):
    add_referral(db, "MP-1", date(2026, 3, 2), acknowledged_at=utc(2026, 3, 4),
                 status="acknowledged", concerns=("transport",))
    add_referral(db, "MP-2", date(2026, 3, 2), acknowledged_at=utc(2026, 3, 5),
                 status="acknowledged")
    add_referral(db, "MP-3", date(2026, 3, 2), mp_name="Bob Brown MP")

    report = report_for(db, date(2026, 3, 2), date(2026, 3, 15), date(2026, 3, 10))
    rows = read_csv(summary_csv(report))
    figures = {(row["Section"], row["Item"]): row["Value"] for row in rows}

    assert figures[("Report", "Figures as at")] == "2026-03-10"
    assert figures[("Report", "Period")] == "2 March to 15 March 2026"
    assert figures[("Status", "Acknowledged")] == "2"
    assert figures[("Status", "Returned to caseworker")] == "0"
    assert figures[("Status", "Total")] == "3"
    assert figures[("Acknowledgements", "Sent within target")] == "1"
    assert figures[("Acknowledgements", "Sent late")] == "1"
    assert figures[("Acknowledgements", "Outstanding and overdue")] == "1"
    assert figures[("Acknowledgements", "Percentage of those sent within target")] == "50"
    assert figures[("Acknowledgements", "Median working days to acknowledge")] == "2.5"
    assert figures[("Replies", "Percentage of those sent within target")] == ""
    assert figures[("Week commencing", "2026-03-02")] == "3"
    assert figures[("Week commencing", "2026-03-09")] == "0"
    assert figures[("Written by", "Others (not MPs or councillors)")] == "3"
    assert figures[("Concern", "Home to school transport")] == "1"


# --- charts ----------------------------------------------------------------------------

def test_bar_chart_is_labelled_escaped_and_well_formed():
    chart = bar_chart('Letters by MP "this year"',
                      [("<script>alert(1)</script>", 12), ("Smith & Jones", 3), ("Nobody", 0)])

    assert isinstance(chart, Markup)
    assert "<script>" not in chart
    assert "&lt;script&gt;" in chart
    root = ET.fromstring(str(chart))  # well-formed XML, so nothing broke out of the text
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title.get("id") == title_id and title.text == 'Letters by MP "this year"'
    assert desc.get("id") == desc_id
    assert desc.text == "<script>alert(1)</script>: 12; Smith & Jones: 3; Nobody: 0."
    assert root.get("viewBox").startswith("0 0 ") and root.get("width") == "100%"
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert texts == ["<script>alert(1)</script>", "12", "Smith & Jones", "3", "Nobody", "0"]
    bars = [int(rect.get("width")) for rect in root.iter(f"{SVG}rect")
            if rect.get("fill") == "#1d70b8"]
    assert bars[0] > bars[1] > bars[2] == 0
    assert bars[0] == 4 * bars[1]


def test_bar_chart_uses_a_given_description_and_unique_ids():
    first = ET.fromstring(str(bar_chart("A", [("x", 1)], description="Rising <fast>")))
    second = ET.fromstring(str(bar_chart("B", [("y", 2)])))
    assert first.find(f"{SVG}desc").text == "Rising <fast>"
    assert first.get("aria-labelledby") != second.get("aria-labelledby")


def test_an_empty_bar_chart_says_there_is_no_data_yet():
    chart = bar_chart("Letters by MP", [])
    assert "No data yet" in chart and "<svg" not in chart


def test_a_column_chart_keeps_its_height_however_many_empty_weeks():
    busy = ET.fromstring(str(column_chart("Weekly", [("2 Mar", 3), ("9 Mar", 5)])))
    sparse = ET.fromstring(str(column_chart(
        "Weekly", [(f"{day} Jan", 0) for day in range(1, 51)] + [("2 Mar", 3), ("9 Mar", 5)])))

    assert busy.get("viewBox") == sparse.get("viewBox")  # empty weeks add no height
    columns = [rect for rect in sparse.iter(f"{SVG}rect") if rect.get("fill") == "#1d70b8"]
    assert len(columns) == 2  # an empty week draws no column
    labels = [text.text for text in sparse.iter(f"{SVG}text") if "Jan" in (text.text or "")
              or "Mar" in (text.text or "")]
    assert 0 < len(labels) <= 13  # every fifth week named; the table has them all
    tooltips = [title.text for title in sparse.iter(f"{SVG}title")][1:]
    assert len(tooltips) == 52 and tooltips[-1] == "9 Mar: 5"
    assert "None in this period" in column_chart("Weekly", [("2 Mar", 0)])
