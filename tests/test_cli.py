"""The command line as tools and people use it: real processes, real files, real SQLite."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO, SAMPLES

pytestmark = pytest.mark.slow

CASES_CSV = """case_id,child_first_name,child_last_name,date_of_birth,school,parent_names,postcode
C-1001,Adam,Khan,2015-04-03,Meanwood Church of England Primary School,Sarah Khan,LS6 2AB
C-1002,Amir,Khan,2017-09-12,Meanwood Church of England Primary School,Sarah Khan,LS6 2AB
C-2001,Grace,Okafor,21/11/2012,Briarwood School,Daniel Okafor,BS5 7QT
"""


def correspond(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "correspond", "--home", str(home), *args],
                          capture_output=True, text=True, check=check, cwd=REPO)


@pytest.fixture(scope="module")
def schema(spec_dir: Path) -> dict:
    return json.loads((spec_dir / "referral.schema.json").read_text("utf-8"))


def validate(referral: dict, schema: dict) -> None:
    jsonschema.validate(referral, schema, format_checker=jsonschema.FormatChecker())


def test_extract_prints_the_referral_as_the_schema_says(home, schema):
    result = correspond(home, "extract", str(SAMPLES / "khan_covering_note.msg"), "--json")

    referral = json.loads(result.stdout)
    validate(referral, schema)
    assert referral["format"] == "msg"
    assert referral["correspondent"]["name"] == "Hannah Greaves"
    assert referral["children"][0]["date_of_birth"] == "2015-04-03"
    assert "match" not in referral["children"][0]  # extract touches no database
    assert not (home / "data").exists()


def test_extract_refuses_an_unreadable_file_with_one_line(home):
    result = correspond(home, "extract", str(SAMPLES / "scan_no_text.pdf"), check=False)

    assert result.returncode != 0
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("scan_no_text.pdf: ") and "scan" in line


def test_ingest_links_cases_and_drafts_printing_json_lines(home, schema, tmp_path):
    cases = tmp_path / "cases.csv"
    cases.write_text(CASES_CSV, "utf-8")
    imported = correspond(home, "cases", "import", str(cases))
    assert "3 added" in imported.stdout

    result = correspond(home, "ingest", str(SAMPLES / "khan_letter.docx"),
                        str(SAMPLES / "okafor_email.msg"), "--json")

    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    khan, okafor = (json.loads(line) for line in lines)
    for referral in (khan, okafor):
        validate(referral, schema)
        assert Path(referral["drafts"][0]["path"]).is_file()
    assert khan["children"][0]["match"]["status"] == "matched"
    assert khan["children"][0]["match"]["case_id"] == "C-1001"
    assert okafor["children"][0]["match"]["case_id"] == "C-2001"
    assert okafor["urgent"] is True
    assert khan["reference"] != okafor["reference"]

    status = json.loads(correspond(home, "status", "--json").stdout)
    assert (status["processed"], status["failed"], status["duplicates"]) == (2, 0, 0)

    again = correspond(home, "ingest", str(SAMPLES / "khan_letter.docx"))
    assert f"already recorded as {khan['reference']}" in again.stdout
    status = json.loads(correspond(home, "status", "--json").stdout)
    assert (status["processed"], status["duplicates"]) == (2, 1)


def test_a_child_with_no_case_is_new(home):
    result = correspond(home, "ingest", str(SAMPLES / "khan_letter.txt"), "--json")

    match = json.loads(result.stdout)["children"][0]["match"]
    assert match == {"status": "new", "case_id": None, "score": None, "candidates": [],
                     "reason": "No case record is plausibly this child."}


def test_a_caseworker_confirms_a_match_and_the_family_and_a_chaser_then_link(
        home, schema, tmp_path):
    # The record knows Adam by his registered first name: a person has to decide.
    cases = tmp_path / "cases.csv"
    cases.write_text(CASES_CSV.replace("C-1001,Adam,", "C-1001,Mohammed,"), "utf-8")
    correspond(home, "cases", "import", str(cases))
    letter = (SAMPLES / "khan_letter.txt").read_text("utf-8")

    first = json.loads(correspond(home, "ingest", str(SAMPLES / "khan_letter.txt"),
                                  "--json").stdout)
    validate(first, schema)
    match = first["children"][0]["match"]
    assert (match["status"], match["case_id"]) == ("review", None)
    best = match["candidates"][0]
    assert best["case_id"] == "C-1001" and best["weight"] is not None
    assert best["reasons"]["first_name"] == {"level": "different",
                                             "weight": pytest.approx(-5.2, abs=0.5)}
    assert best["reasons"]["date_of_birth"]["level"] == "exact"

    confirmed = correspond(home, "match", "confirm", first["reference"], "1", "C-1001",
                           "--by", "Jo Bell")
    assert "linked to C-1001" in confirmed.stdout
    refused = correspond(home, "match", "confirm", first["reference"], "1", "C-9", "--by",
                         "Jo Bell", check=False)
    assert refused.returncode == 1 and "no case record C-9" in refused.stderr

    # The same family writes again, a month later.
    again = tmp_path / "khan_again.txt"
    again.write_text(letter.replace("14 October 2026", "16 November 2026"), "utf-8")
    # The MP's office chases, quoting the council's reference and no family details.
    chaser = tmp_path / "chaser.txt"
    chaser.write_text(
        f"Your ref: {first['reference']}\n\n20 November 2026\n\nDear Director,\n\n"
        "I wrote to you on 14 October about my constituent's son, Adam Khan, who has "
        "special educational needs. I have not yet received a reply and would be grateful "
        "for one.\n\nYours sincerely,\n\nHannah Greaves MP\n", "utf-8")
    lines = correspond(home, "ingest", str(again), str(chaser), "--json").stdout.splitlines()
    family, chased = (json.loads(line)["children"][0]["match"] for line in lines)
    assert (family["status"], family["case_id"]) == ("matched", "C-1001")
    assert family["candidates"][0]["reasons"]["confirmed"]["by"] == "Jo Bell"
    assert (chased["status"], chased["case_id"]) == ("matched", "C-1001")
    assert chased["candidates"][0]["reasons"]["council_reference"]["quoted"] == \
        first["reference"]


def test_a_generated_case_set_is_evaluated(home, tmp_path):
    folder = tmp_path / "set"
    made = correspond(home, "cases", "generate", str(folder), "--records", "600",
                      "--seed", "4")
    assert "600 case records" in made.stdout
    figures = tmp_path / "figures.json"
    result = correspond(home, "evaluate", str(folder), "--json", str(figures))
    assert "Wrong links" in result.stdout and "Sent to review" in result.stdout
    report = json.loads(figures.read_text("utf-8"))
    assert report["cases"] == 600 and report["wrong"] == 0


def test_settings_lists_every_setting_with_its_default(home):
    result = correspond(home, "settings")
    assert "acknowledgement_working_days" in result.stdout
    assert "settle_seconds" in result.stdout


def test_a_bad_setting_fails_at_start_with_a_clear_message(home):
    home.mkdir(parents=True)
    (home / "correspond.toml").write_text("settle_seconds = 'soon'\n", "utf-8")
    result = correspond(home, "status", check=False)
    assert result.returncode != 0
    assert "settle_seconds" in result.stderr and "Traceback" not in result.stderr
