"""The MP meeting pack and the protocol audit, rendered from the made-up history with
known answers (tools/liaison_history.py): the Word documents' text and the workbooks'
cells are read back and checked."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date

import openpyxl
import pytest
from docx import Document

from correspond.domain.workdays import add_working_days
from correspond.liaison.audit import (
    audit_csv,
    audit_docx,
    draw_sample,
    protocol_audit,
    sample_references,
)
from correspond.liaison.pack import member_pack, pack_docx, pack_xlsx
from correspond.liaison.periods import Period, preset_period
from correspond.liaison.spreadsheets import DAY, PERCENT, WHOLE, Column, Sheet, workbook
from correspond.store import reporting
from tools.liaison_history import FALLING

from support import LIAISON_TODAY, REPO, liaison_protocol

PROTOCOL = liaison_protocol()
TEMPLATE = REPO / "templates" / "mp-pack.docx"
REFERENCE = re.compile(r"MP-\d{4}-\d{4}")


def document_text(path) -> str:
    document = Document(str(path))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_mp_pack_holds_that_mps_referrals_and_no_one_elses(liaison_history, tmp_path):
    db, history = liaison_history
    member_id = history.member_ids[FALLING]
    period = preset_period("last_quarter", LIAISON_TODAY)
    pack = member_pack(db, member_id, period, today=LIAISON_TODAY, protocol=PROTOCOL)
    destination = tmp_path / "pack.docx"

    pack_docx(pack, TEMPLATE, destination, council_name="Northshire County Council",
              service_name="SEND Service")

    text = document_text(destination)
    theirs = {plan.reference for plan in history.plans if plan.writer == FALLING}
    others = {plan.reference for plan in history.plans if plan.writer != FALLING}
    shown = set(REFERENCE.findall(text))
    still_open = {plan.reference for plan in history.plans if plan.writer == FALLING
                  and plan.status in ("awaiting_approval", "returned", "acknowledged")}
    assert shown == still_open and shown  # every open referral of theirs, and only those
    assert not shown & others
    assert others & {plan.reference for plan in history.plans
                     if plan.status == "acknowledged"}  # others did have open ones to leak
    assert "Meeting with Alex Baker MP (Aldershot)" in text
    plans = [plan for plan in history.plans
             if plan.writer == FALLING and period.contains(plan.received)]
    assert f"{len(plans)} referrals from Alex Baker in the period" in text
    assert set(pack.references) == {plan.reference for plan in plans}
    assert set(pack.references) <= theirs
    within = sum(plan.acknowledgement_verdict == "within" for plan in plans)
    sent = sum(plan.acknowledged_after is not None for plan in plans)
    assert f"Acknowledgements: {within} of {sent} sent within target" in text


def test_children_are_shown_by_initials_unless_the_council_allows_names(liaison_history,
                                                                        tmp_path):
    db, history = liaison_history
    member_id = history.member_ids[FALLING]
    period = preset_period("last_month", LIAISON_TODAY)
    open_plans = {plan.reference: plan for plan in history.plans if plan.writer == FALLING
                  and plan.status in ("awaiting_approval", "acknowledged")}
    initials = member_pack(db, member_id, period, today=LIAISON_TODAY, protocol=PROTOCOL)
    named = member_pack(db, member_id, period, today=LIAISON_TODAY, protocol=PROTOCOL,
                        name_children=True)
    for item in initials.open_referrals:
        first, last = open_plans[item.reference].child
        assert item.child == f"{first[0]} {last[0]}"
    for item in named.open_referrals:
        assert item.child == " ".join(open_plans[item.reference].child)

    pack_docx(initials, TEMPLATE, tmp_path / "pack.docx", council_name="C", service_name="S")
    text = document_text(tmp_path / "pack.docx")
    assert "Children are shown by their initials" in text
    surnames = {plan.child[1] for plan in open_plans.values()}
    assert not any(re.search(rf"\b{re.escape(name)}\b", text) for name in surnames)


def test_the_pack_workbook_has_dates_as_dates_and_counts_as_numbers(liaison_history):
    db, history = liaison_history
    period = preset_period("last_12_months", LIAISON_TODAY)
    pack = member_pack(db, history.member_ids[FALLING], period, today=LIAISON_TODAY,
                       protocol=PROTOCOL)

    book = openpyxl.load_workbook(io.BytesIO(pack_xlsx(pack)))

    months = book["Months"]
    assert months["A1"].value == "Alex Baker MP (Aldershot): 1 March 2025 to 28 February 2026"
    assert [cell.value for cell in months[3]] == ["Month", "Referrals", "A year earlier"]
    assert months["A4"].is_date and months["A4"].value.date() == date(2025, 3, 1)
    counts = [row[1].value for row in months.iter_rows(min_row=4)]
    assert counts == [17] * 12 and all(isinstance(count, int) for count in counts)
    assert [row[2].value for row in months.iter_rows(min_row=4)] == [20] * 12
    opened = book["Open referrals"]
    assert all(row[3].is_date for row in opened.iter_rows(min_row=4))


def test_text_that_looks_like_a_formula_stays_text_in_a_workbook():
    data = workbook([Sheet("Names", [Column("Name"), Column("When", DAY),
                                     Column("How many", WHOLE), Column("Share", PERCENT)],
                           [("=HYPERLINK(\"http://example.test\")", date(2026, 3, 2), 3, 50.0)])])
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Names"]
    name, when, count, share = (cell for cell in sheet[2])
    assert name.data_type == "s" and name.value.startswith("=HYPERLINK")
    assert when.is_date and count.value == 3 and share.value == 0.5
    assert share.number_format == "0.0%"


# --- the audit --------------------------------------------------------------------------

def test_an_audit_sample_is_seeded_recorded_and_drawn_again_the_same(liaison_history):
    db, history = liaison_history
    period = preset_period("last_quarter", LIAISON_TODAY)
    population = sorted(plan.reference for plan in history.send()
                        if period.contains(plan.received))

    first = draw_sample(db, period, size=12, drawn_by="lia", seed=20260316,
                        today=LIAISON_TODAY)
    again = draw_sample(db, period, size=12, drawn_by="ada", seed=20260316,
                        today=LIAISON_TODAY)
    other = draw_sample(db, period, size=12, drawn_by="lia", seed=7, today=LIAISON_TODAY)
    unseeded = draw_sample(db, period, size=12, drawn_by="lia", today=LIAISON_TODAY)

    assert first.references == again.references
    assert first.references != other.references
    assert first.population == len(population) and first.size == 12
    assert set(first.references) <= set(population)
    assert list(first.references) == sample_references(population, 12, 20260316)
    recorded = reporting.sample(db, first.id)
    assert recorded == first and recorded.drawn_by == "lia"
    assert list(unseeded.references) == sample_references(population, 12, unseeded.seed)
    # The record of a draw cannot be changed afterwards.
    with pytest.raises(Exception, match="append-only"):
        with db.writing() as connection:
            connection.exec_driver_sql("UPDATE audit_samples SET seed = 1")


def test_the_audit_lists_every_breach_with_its_timeline(liaison_history, tmp_path):
    db, history = liaison_history
    period = Period(date(2025, 12, 1), date(2026, 2, 28))
    plans = [plan for plan in history.send() if period.contains(plan.received)]
    breached = {plan.reference for plan in plans
                if {plan.acknowledgement_verdict, plan.reply_verdict} & {"late", "overdue"}}
    sample = draw_sample(db, period, size=5, drawn_by="lia", seed=11, today=LIAISON_TODAY)

    audit = protocol_audit(db, period, today=LIAISON_TODAY, protocol=PROTOCOL, sample=sample)

    assert {item.fact.reference for item in audit.breaches} == breached
    assert {item.fact.reference for item in audit.sampled} == set(sample.references)
    rows = list(csv.reader(io.StringIO(audit_csv(audit))))
    by_section = Counter(row[0] for row in rows if row)
    assert by_section["Breach"] == len(breached)
    assert by_section["Target"] == 8
    header = next(row for row in rows if row and row[0] == "Section" and "Reference" in row)
    late = next(dict(zip(header, row)) for row in rows if row and row[0] == "Breach"
                and "Acknowledgement sent late" in row[-1])
    plan = next(plan for plan in plans if plan.reference == late["Reference"])
    assert late["Acknowledgement approved by"] in ("casey", "chris", "sam")
    assert plan.acknowledgement_verdict == "late"
    if plan.listed:
        assert late["Written by"].endswith(f"({plan.writer.split(':', 1)[1]})")
    else:
        assert late["Written by"] in ("Others (not MPs or councillors)",
                                      "Said to be from an MP not on the list")

    # A holding reply moved the reply-by date: the breach is against the protocol's date,
    # and the timeline shows the new one.
    moved = next(item for item in audit.breaches if item.fact.promised_reply is not None)
    promised = moved.fact.promised_reply
    plan = next(plan for plan in plans if plan.reference == moved.fact.reference)
    row = next(dict(zip(header, row)) for row in rows
               if row and row[0] == "Breach" and row[1] == plan.reference)
    assert row["Full reply due"] == add_working_days(plan.received,
                                                     plan.reply_target).isoformat()
    assert row["New reply-by date (holding reply)"] == promised.isoformat()
    assert row["Full reply due"] < row["New reply-by date (holding reply)"]

    audit_docx(audit, tmp_path / "audit.docx", council_name="Northshire County Council")
    text = document_text(tmp_path / "audit.docx")
    assert f"Breaches ({len(breached)})" in text
    assert f"new reply-by date {promised:%d/%m/%Y}" in text
    for reference in sample.references:
        assert reference in text
    assert "seed 11" in text
    assert "Acknowledgement: " in text and "Received: " in text


def test_an_open_referral_in_the_pack_is_due_by_the_date_a_holding_reply_gave(
        liaison_history):
    db, history = liaison_history
    waiting = [plan for plan in history.send() if plan.listed and plan.replied_after is None
               and plan.promised_after is not None]
    assert waiting
    plan = waiting[-1]

    pack = member_pack(db, history.member_ids[plan.writer],
                       preset_period("last_quarter", LIAISON_TODAY), today=LIAISON_TODAY,
                       protocol=PROTOCOL)

    item = next(item for item in pack.open_referrals if item.reference == plan.reference)
    assert item.next_date == add_working_days(plan.received, plan.promised_after)
    assert item.next_date > add_working_days(plan.received, plan.reply_target)
