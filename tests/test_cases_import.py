"""Importing case records from a CSV export into a real SQLite database."""

from __future__ import annotations

import io
import json
import time
from datetime import date

import pytest
import sqlalchemy as sa

from correspond.errors import CaseImportError
from correspond.imports.cases import ParsedRow, RowProblem, read_case_rows
from correspond.store.cases import case_by_id, count_cases, save_cases
from correspond.store.database import Database

HEADER = ("case_id,child_first_name,child_last_name,date_of_birth,known_as,school,"
          "parent_names,postcode,caseworker\n")


@pytest.fixture
def db(database_url):
    database = Database(database_url)
    yield database
    database.close()


def load(db: Database, text: str, mapping=None):
    rows = list(read_case_rows(io.StringIO(text), mapping))
    report = save_cases(db, [row.record for row in rows if isinstance(row, ParsedRow)])
    return report, [row for row in rows if isinstance(row, RowProblem)]


def test_rows_load_with_uk_dates_and_normalised_postcodes(db):
    report, problems = load(db, HEADER + (
        "C1,Adam,Khan,03/04/2015,,Meanwood CE Primary,Sarah Khan; Imran Khan,ls62ab,Jo Bell\n"
        "C2,Alfred,Smith,2014-11-30,Alfie,Briarwood School,,BS5 7QT,\n"
    ))
    assert (report.added, problems) == (2, [])
    with db.reading() as connection:
        adam = case_by_id(db, connection, "C1")
    assert adam.date_of_birth == date(2015, 4, 3)  # UK order, never 4 March
    assert adam.postcode == "LS6 2AB"
    assert adam.parent_names == ("Sarah Khan", "Imran Khan")


def test_bad_rows_are_reported_by_line_and_the_rest_load(db):
    report, problems = load(db, HEADER + (
        "C1,Adam,Khan,03/04/2015,,,,,\n"
        "C2,Grace,,2012-11-21,,,,,\n"
        "C3,Zara,Khan,04/31/2016,,,,,\n"
        "C4,Leo,Hart,2016-01-09,,,,not a postcode,\n"
        "C5,Mia,Hart,2016-01-09,,,,,\n"
    ))
    assert report.added == 2
    assert [(p.line, p.reason) for p in problems] == [
        (3, "child_last_name is empty"),
        (4, "date_of_birth: '04/31/2016' is not a date in the form YYYY-MM-DD or DD/MM/YYYY"),
        (5, "postcode 'not a postcode' is not a UK postcode"),
    ]


def test_reimport_is_idempotent_and_changes_keep_history(db):
    original = HEADER + "C1,Adam,Khan,03/04/2015,,Meanwood CE Primary,,LS6 2AB,Jo Bell\n"
    load(db, original)
    again, _ = load(db, original)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)

    moved = original.replace("Meanwood CE Primary", "Allerton High School")
    changed, _ = load(db, moved)
    assert (changed.added, changed.updated) == (0, 1)
    with db.reading() as connection:
        assert case_by_id(db, connection, "C1").school == "Allerton High School"
        assert count_cases(db, connection) == 1
        history = connection.execute(sa.text("SELECT previous_json FROM case_history")).all()
    assert len(history) == 1
    assert json.loads(history[0][0])["school"] == "Meanwood CE Primary"


def test_a_column_mapping_reads_another_systems_headers(db):
    export = ("Person ID,Forename,Surname,DOB\n"
              "P-77,Grace,Okafor,21/11/2012\n")
    mapping = {"case_id": "Person ID", "child_first_name": "Forename",
               "child_last_name": "Surname", "date_of_birth": "DOB"}
    report, problems = load(db, export, mapping)
    assert (report.added, problems) == (1, [])


def test_missing_required_column_is_refused_with_its_name(db):
    with pytest.raises(CaseImportError, match="'date_of_birth'"):
        load(db, "case_id,child_first_name,child_last_name\nC1,Adam,Khan\n")


def test_names_are_counted_at_import_for_weighing_evidence(db):
    load(db, HEADER + "C1,Adam,Khan,2015-04-03,,,,,\nC2,Zara,Khan,2015-04-03,,,,,\n"
                      "C3,Adam,Okafor,2012-11-21,,,,,\n")
    load(db, HEADER + "C4,Grace,O'Neill,2012-01-02,,,,,\n")  # a later import adds to it
    with db.reading() as connection:
        counts = {(kind, key): count for kind, key, count in connection.execute(
            sa.text("SELECT kind, key, count FROM name_frequencies"))}
    assert counts[("total", "")] == 4
    assert counts[("last", "khan")] == 2 and counts[("last", "oneill")] == 1
    assert counts[("first", "adam")] == 2


@pytest.mark.slow
def test_a_hundred_thousand_rows_import_well_under_a_minute(db, tmp_path):
    from tools.synthetic_cases.generate import generate_case_set

    generate_case_set(tmp_path / "set", records=100_000, letters=0, seed=3)
    started = time.perf_counter()
    with (tmp_path / "set" / "cases.csv").open(encoding="utf-8", newline="") as stream:
        report = save_cases(db, (row.record for row in read_case_rows(stream)
                                 if isinstance(row, ParsedRow)))
    elapsed = time.perf_counter() - started
    assert report.added == 100_000
    assert elapsed < 45, f"{elapsed:.0f} s"
    with (tmp_path / "set" / "cases.csv").open(encoding="utf-8", newline="") as stream:
        again = save_cases(db, (row.record for row in read_case_rows(stream)
                                if isinstance(row, ParsedRow)))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 100_000)


TIMELINE_HEADER = (
    "case_id,child_first_name,child_last_name,date_of_birth,ehcp_status,ehcp_issued,"
    "assessment_requested,assessment_decision,assessment_decision_outcome,"
    "draft_plan_issued,last_review_held,review_decision,phase_transfer_due,"
    "tribunal_lodged,placement_sought\n")


def test_the_case_timeline_loads_for_the_statutory_clocks(db):
    report, problems = load(db, TIMELINE_HEADER + (
        "C1,Adam,Khan,03/04/2015,final,2026-05-20,02/01/2026,10/02/2026,Agreed,"
        "01/04/2026,,,15/02/2027,,Allerton High School\n"
        "C2,Zara,Khan,03/04/2015,,,,,maybe,,,,,,\n"
        "C3,Omar,Khan,2017-09-12,,,,,,,2026-13-01,,,,\n"
    ))
    assert report.added == 1
    assert [(p.line, p.reason) for p in problems] == [
        (3, "assessment_decision_outcome 'maybe' is neither 'agreed' nor 'refused'"),
        (4, "last_review_held: '2026-13-01' is not a date in the form YYYY-MM-DD or "
            "DD/MM/YYYY"),
    ]
    with db.reading() as connection:
        adam = case_by_id(db, connection, "C1")
    assert (adam.assessment_requested, adam.assessment_decision) == (
        date(2026, 1, 2), date(2026, 2, 10))
    assert adam.assessment_decision_outcome == "agreed"
    assert adam.draft_plan_issued == date(2026, 4, 1)
    assert adam.phase_transfer_due == date(2027, 2, 15)
    assert adam.placement_sought == "Allerton High School"
    assert adam.last_review_held is None and adam.tribunal_lodged is None


def test_records_imported_before_the_timeline_existed_are_not_changed_by_a_reimport(db):
    from correspond.records import CaseRecord
    from correspond.store.cases import _row_values

    # The fingerprint as it was taken before the timeline's fields existed.
    record = CaseRecord("C1", "Adam", "Khan", date(2015, 4, 3), school="Meanwood")
    before = {name: value for name, value in _row_values(record).items()
              if name not in ("row_hash", "known_as_key")}
    for name in ("assessment_requested", "assessment_decision", "assessment_decision_outcome",
                 "draft_plan_issued", "last_review_held", "review_decision",
                 "phase_transfer_due", "tribunal_lodged", "placement_sought"):
        before.pop(name)
    import hashlib

    old_hash = hashlib.sha256(json.dumps(before, sort_keys=True, default=str).encode())
    assert _row_values(record)["row_hash"] == old_hash.hexdigest()
    # A timeline date, once exported, does change the record.
    dated = CaseRecord("C1", "Adam", "Khan", date(2015, 4, 3), school="Meanwood",
                       assessment_requested=date(2026, 1, 2))
    assert _row_values(dated)["row_hash"] != old_hash.hexdigest()
    report, _ = load(db, HEADER + "C1,Adam,Khan,03/04/2015,,Meanwood,,,\n")
    assert report.added == 1
    again, _ = load(db, TIMELINE_HEADER + "C1,Adam,Khan,03/04/2015,,,,,,,,,,,\n")
    assert (again.updated, again.unchanged) == (1, 0)  # the school went
    same, _ = load(db, HEADER + "C1,Adam,Khan,03/04/2015,,,,,\n")
    assert (same.updated, same.unchanged) == (0, 1)
