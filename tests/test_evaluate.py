"""Extraction quality figures: a tiny labelled set of real letters, scored for real."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from correspond.errors import LabelledSetError
from correspond.evaluation.compare import (
    same_constituent_name,
    same_name,
    same_postcode,
    same_reference,
    same_school,
)
from correspond.evaluation.extraction import (
    FIELDS,
    align_children,
    evaluate_extraction,
    format_extraction_report,
)

from support import LETTERS, REPO, SAMPLES, settings_for

# What a careful reader writes for tests/samples/files/khan_letter.txt. The concerns and
# the urgent flag and the letter's date are taken from the extractor's own output (see
# `label`), so these tests check the scoring, not the rules, which others are tuning.
KHAN = {
    "is_send": True, "is_chaser": False, "council_reference": None,
    "correspondent": {"type": "mp", "name": "Hannah Greaves",
                      "constituency": "Leeds Central and Headingley",
                      "reference": "HG/2026/0412", "caseworker": None},
    "constituent": {"name": "Mrs Sarah Khan", "postcode": "LS6 2AB"},
    "children": [{"first_name": "Adam", "last_name": "Khan", "date_of_birth": "2015-04-03",
                  "school": "Meanwood C of E Primary School", "requested_school": None}],
}
HOUSING = {
    "is_send": False, "is_chaser": False, "council_reference": None, "urgent": False,
    "correspondent": {"type": "mp", "name": "Rupert Ellison", "constituency": "Leicester South",
                      "reference": "HS/88213", "caseworker": None},
    "constituent": {"name": "Ms Priya Natarajan", "postcode": "LE1 6GD"},
    "children": [], "concerns": [],
}


@pytest.fixture
def settings(tmp_path):
    return settings_for(tmp_path / "home")


def extracted(path: Path) -> dict:
    from correspond.extract import load_extractor
    from correspond.pipeline.workers import read_and_extract

    extraction = read_and_extract(path.read_bytes(), path.name, load_extractor()).extraction
    return {"concerns": sorted(c.category for c in extraction.concerns),
            "urgent": extraction.urgent,
            "letter_date": extraction.letter_date.isoformat() if extraction.letter_date
            else None}


def label(folder: Path, name: str, source: Path, gold: dict) -> None:
    folder.mkdir(exist_ok=True)
    target = folder / f"{name}{source.suffix}"
    shutil.copyfile(source, target)
    answers = gold if "concerns" in gold else {**extracted(target), **gold}
    (folder / f"{name}.gold.json").write_text(json.dumps(answers, ensure_ascii=False), "utf-8")


@pytest.fixture
def devset(tmp_path) -> Path:
    folder = tmp_path / "devset"
    label(folder, "01_khan", SAMPLES / "khan_letter.txt", KHAN)
    label(folder, "02_khan_email", SAMPLES / "khan_covering_note.eml", KHAN)
    label(folder, "03_housing", LETTERS / "housing_misrouted.txt",
          {**HOUSING, "letter_date": "2026-11-03"})
    return folder


def test_a_set_labelled_as_the_extractor_reads_it_scores_full_marks(devset, settings):
    report = evaluate_extraction(devset, settings)

    assert report["letters"] == 3
    assert report["misses"] == []
    for key, _, _ in FIELDS:
        figure = report["fields"][key]
        assert figure["accuracy"] == 1.0, key
    # Gold nulls predicted null are counted, not skipped: three letters, three answers.
    assert report["fields"]["council_reference"]["total"] == 3
    assert report["fields"]["correspondent.caseworker"]["correct"] == 3
    # Child fields count the two Khan letters' one child each; the housing letter has none.
    assert report["fields"]["child.first_name"]["total"] == 2
    assert report["fields"]["is_send"]["correct"] == 3
    assert report["concerns"]["micro"]["f1"] in (1.0, None)
    json.dumps(report)  # JSON-serialisable as it stands


def test_a_wrong_answer_is_listed_and_lowers_the_figure(devset, settings):
    gold_path = devset / "01_khan.gold.json"
    gold = json.loads(gold_path.read_text("utf-8"))
    gold["children"][0]["date_of_birth"] = "2015-03-04"  # read the US way round
    gold["urgent"] = True
    gold["concerns"] = sorted(set(gold["concerns"]) | {"transport"})
    gold_path.write_text(json.dumps(gold), "utf-8")

    report = evaluate_extraction(devset, settings)

    dob = report["fields"]["child.date_of_birth"]
    assert (dob["correct"], dob["total"], dob["accuracy"]) == (1, 2, 0.5)
    assert dob["passed"] is False
    assert {"file": "01_khan.txt", "field": "children[0].date_of_birth",
            "expected": "2015-03-04", "got": "2015-04-03"} in report["misses"]
    assert report["fields"]["child.first_name"]["accuracy"] == 1.0
    assert report["urgent"]["fn"] == 1 and report["urgent"]["recall"] == 0.0
    assert report["concerns"]["per_category"]["transport"]["fn"] == 1
    assert report["concerns"]["micro"]["recall"] < 1.0
    table = format_extraction_report(report)
    assert "child date of birth" in table and "FAIL" in table
    assert "01_khan.txt  children[0].date_of_birth: expected \"2015-03-04\"" in table


def test_a_child_the_extractor_missed_is_wrong_in_every_field(devset, settings):
    gold_path = devset / "03_housing.gold.json"
    gold = json.loads(gold_path.read_text("utf-8"))
    # An unnamed child: all nulls would "agree" with nothing found, but nothing was found.
    gold["children"] = [{"first_name": None, "last_name": None, "date_of_birth": None,
                         "school": None, "requested_school": None}]
    gold_path.write_text(json.dumps(gold), "utf-8")

    report = evaluate_extraction(devset, settings)

    assert report["fields"]["child.first_name"]["correct"] == 2
    assert report["fields"]["child.first_name"]["total"] == 3
    assert report["fields"]["children.count"]["correct"] == 2
    assert any(miss["field"] == "children[0] (not found)" for miss in report["misses"])


def test_an_unreadable_letter_is_wrong_throughout(devset, settings):
    label(devset, "04_scan", SAMPLES / "scan_no_text.pdf", HOUSING)

    report = evaluate_extraction(devset, settings)

    assert [item["file"] for item in report["unreadable"]] == ["04_scan.pdf"]
    for key in ("council_reference", "correspondent.caseworker", "is_send"):
        assert report["fields"][key]["correct"] == 3
        assert report["fields"][key]["total"] == 4


def test_a_gold_file_without_a_letter_or_a_field_is_refused(tmp_path, settings):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "01_lonely.gold.json").write_text(json.dumps(HOUSING), "utf-8")
    with pytest.raises(LabelledSetError, match="01_lonely.gold.json has no letter"):
        evaluate_extraction(folder, settings)

    shutil.copyfile(LETTERS / "housing_misrouted.txt", folder / "01_lonely.txt")
    (folder / "01_lonely.gold.json").write_text(json.dumps({"is_send": False}), "utf-8")
    with pytest.raises(LabelledSetError, match="lacks is_chaser"):
        evaluate_extraction(folder, settings)


def test_names_compare_on_letters_not_typography():
    assert same_name("Siobhán O'Brien", "siobhán  O\u2019Brien").correct
    accent = same_name("Zoë", "Zoe")
    assert accent.correct and accent.note
    assert not same_name("Adam", "Adnan").correct
    assert same_name(None, None).correct
    assert not same_name(None, "Adam").correct  # inventing is wrong
    assert not same_name("Adam", None).correct


def test_constituent_titles_count_only_when_gold_has_one():
    assert same_constituent_name("Łukasz Kowalczyk", "Mr Łukasz Kowalczyk").correct
    assert not same_constituent_name("Mrs Sarah Khan", "Sarah Khan").correct
    assert not same_constituent_name("Mrs Sarah Khan", "Ms Sarah Khan").correct


def test_schools_compare_loosely_but_not_on_generic_words():
    assert same_school("Meanwood Church of England Primary School",
                       "Meanwood C of E Primary School").correct
    assert same_school("St Hilda's", "Saint Hilda's Catholic High School").correct
    assert same_school("Dore Primary", "Dore Primary School").correct
    assert not same_school("Dore Primary", "Totley Primary").correct
    assert not same_school("Brudenell Primary School", "Primary School").correct
    assert not same_school("St Mary's CE Primary School",
                           "St Mary's Catholic Primary School").correct
    assert not same_school("Oakfield Infant School", "Oakfield Junior School").correct
    assert not same_school(None, "Trinity CofE High School").correct


def test_postcodes_and_references():
    assert same_postcode("LS6 2AB", "ls62ab").correct
    assert same_reference("HG/2026/0412", " HG/2026/0412.").correct
    assert not same_reference("HG/2026/0412", "hg/2026/0412").correct


def test_children_align_by_first_name_then_order():
    gold = [{"first_name": "Ayaan"}, {"first_name": "Inaya"}, {"first_name": None}]
    got = [{"first_name": "Inaya"}, {"first_name": "Ayan"}]

    pairs = align_children(gold, got)

    assert pairs == [{"first_name": "Ayan"}, {"first_name": "Inaya"}, None]


@pytest.mark.slow
def test_the_command_writes_the_figures_as_json(devset, tmp_path):
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, "-m", "correspond", "--home", str(tmp_path / "home"), "evaluate",
         str(devset), "--json", str(out)],
        capture_output=True, text=True, check=True, cwd=REPO)

    figures = json.loads(out.read_text("utf-8"))
    assert figures["letters"] == 3
    assert set(figures["fields"]) == {key for key, _, _ in FIELDS}
    assert {"micro", "per_category"} <= set(figures["concerns"])
    assert {"recall", "precision", "tp", "fp", "fn"} <= set(figures["urgent"])
    assert figures["misses"] == []
    assert "child first name" in result.stdout and "PASS" in result.stdout
