"""The command line as tools and people use it: real processes, real files, real SQLite."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa

from correspond.config import load_settings

from databases import on_postgres
from support import REPO, SAMPLES, correspond, migrate_to

pytestmark = pytest.mark.slow

CASES_CSV = """case_id,child_first_name,child_last_name,date_of_birth,school,parent_names,postcode
C-1001,Adam,Khan,2015-04-03,Meanwood Church of England Primary School,Sarah Khan,LS6 2AB
C-1002,Amir,Khan,2017-09-12,Meanwood Church of England Primary School,Sarah Khan,LS6 2AB
C-2001,Grace,Okafor,21/11/2012,Briarwood School,Daniel Okafor,BS5 7QT
"""


def tool(module: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """A tool of tools/, run from the checkout as its README says."""
    result = subprocess.run([sys.executable, "-m", module, *args], capture_output=True,
                            text=True, cwd=REPO, timeout=600)
    if check:
        assert result.returncode == 0, result.stderr
    return result


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
    made = tool("tools.synthetic_cases", str(folder), "--records", "600", "--seed", "4")
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


# Settings and the home folder ---------------------------------------------------------

def run_correspond(*args: str, env: dict[str, str] | None = None,
                   check: bool = False) -> subprocess.CompletedProcess:
    """The command with exactly the CORRESPOND_* variables given (none from the test run)."""
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("CORRESPOND_")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "correspond", *args], capture_output=True,
                          text=True, check=check, cwd=REPO, env=environment)


def columns(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def test_settings_shows_each_value_in_force_and_where_it_came_from(home):
    home.mkdir()
    (home / "correspond.toml").write_text(
        'council_name = "Northshire County Council"\nwatch_mode = "polling"\n', "utf-8")
    result = run_correspond("--home", str(home), "settings", check=True, env={
        "CORRESPOND_WORKERS": "3", "CORRESPOND_WATCH_MODE": "events"})

    lines = result.stdout.splitlines()
    rows = {columns(line)[0]: columns(line) for line in lines}
    assert rows["workers"] == ["workers", "environment", "3"]
    assert rows["council_name"] == ["council_name", "correspond.toml", "Northshire County Council"]
    assert rows["watch_mode"] == ["watch_mode", "environment", "events"]  # beats the file
    assert rows["settle_seconds"] == ["settle_seconds", "default", "0.5"]
    assert rows["secure_cookies"] == ["secure_cookies", "default", "false"]
    assert rows["home"] == ["home", "flag", str(home.resolve())]
    assert rows["inbox"] == ["inbox", "default", str(home.resolve() / "inbox")]
    # Plain values in aligned columns, not Python's reprs.
    assert not any(mark in result.stdout for mark in ("'", "PosixPath", "None"))
    assert len({line.index(rows[line.split()[0]][1]) for line in lines[1:]}) == 1
    assert len({line.index(rows[line.split()[0]][2]) for line in lines[1:]}) == 1


def test_the_home_flag_beats_correspond_home(tmp_path):
    flagged, other = tmp_path / "flagged", tmp_path / "other"
    flagged.mkdir()
    (flagged / "correspond.toml").write_text('council_name = "Flagged Council"\n', "utf-8")
    cases = tmp_path / "cases.csv"
    cases.write_text(CASES_CSV, "utf-8")
    environment = {"CORRESPOND_HOME": str(other)}

    run_correspond("--home", str(flagged), "cases", "import", str(cases), env=environment,
                   check=True)
    assert (flagged / "data" / "correspond.db").is_file()
    assert not other.exists()  # not one home's settings with the other's database
    shown = run_correspond("--home", str(flagged), "settings", env=environment, check=True)
    rows = {columns(line)[0]: columns(line) for line in shown.stdout.splitlines()}
    assert rows["home"] == ["home", "flag", str(flagged.resolve())]
    assert rows["database_url"][2] == f"sqlite:///{flagged.resolve()}/data/correspond.db"

    # Without the flag, the environment chooses the home.
    run_correspond("cases", "import", str(cases), env=environment, check=True)
    assert (other / "data" / "correspond.db").is_file()
    shown = run_correspond("settings", env=environment, check=True)
    rows = {columns(line)[0]: columns(line) for line in shown.stdout.splitlines()}
    assert rows["home"] == ["home", "environment", str(other.resolve())]


def test_home_cannot_be_set_in_correspond_toml(home):
    home.mkdir()
    (home / "correspond.toml").write_text('home = "/somewhere/else"\n', "utf-8")
    result = correspond(home, "settings", check=False)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "home" in line and "--home" in line and "CORRESPOND_HOME" in line


# Importing what Excel saves ------------------------------------------------------------

def test_cases_import_reads_what_excel_saves_and_reports_bad_rows_by_line(home, tmp_path):
    export = tmp_path / "from-excel.csv"
    export.write_bytes((
        "case_id,child_first_name,child_last_name,date_of_birth,school,parent_names,postcode\r\n"
        "C-1,Zoë,O’Neill,03/04/2015,Meanwood Primary School,Siobhán O’Neill,LS6 2AB\r\n"
        "C-2,Adam,Khan,31/02/2014,,,\r\n"
        "C-3,Amir,Khan,2017-09-12,Meanwood Primary, Leeds,Sarah Khan,LS6 2AB\r\n"
        "C-4,Grace,Okafor,21/11/2012,Briarwood School,Daniel Okafor,BS5 7QT\r\n"
    ).encode("cp1252"))

    result = correspond(home, "cases", "import", str(export), check=False)

    assert result.returncode == 1  # some rows were refused
    assert "Traceback" not in result.stderr
    assert "2 added" in result.stdout and "2 rejected" in result.stdout
    assert "read as Windows-1252" in result.stdout
    assert result.stderr.splitlines() == [
        "line 3: date_of_birth: '31/02/2014' is not a date in the form YYYY-MM-DD or "
        "DD/MM/YYYY",
        "line 4: it has 8 fields where the header has 7; a comma or quote may be out of place",
    ]
    engine = sa.create_engine(load_settings(home).database_url)
    with engine.connect() as connection:
        names = connection.execute(sa.text("SELECT child_first_name, child_last_name FROM "
                                           "cases WHERE case_id = 'C-1'")).one()
    engine.dispose()
    assert tuple(names) == ("Zoë", "O’Neill")


# Reading commands change nothing ---------------------------------------------------------

@pytest.mark.sqlite_only  # a PostgreSQL database with nothing in it: test_operations.py
def test_status_of_a_home_with_no_database_says_so_and_changes_nothing(home):
    home.mkdir()
    result = correspond(home, "status", check=False)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "no database" in line and "correspond serve" in line
    assert list(home.iterdir()) == []


def test_status_of_an_old_database_asks_for_a_migration_and_leaves_it_as_it_was(
        home, empty_database):
    if on_postgres():
        home.mkdir()
        database = empty_database
        made_in_home = []
    else:
        (home / "data").mkdir(parents=True)
        database = f"sqlite:///{home / 'data' / 'correspond.db'}"
        made_in_home = ["data"]
    migrate_to(database, "0003")

    result = correspond(home, "status", check=False)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "older" in line and "correspond migrate" in line
    assert _revision(database) == "0003"
    assert sorted(path.name for path in home.iterdir()) == made_in_home

    migrated = correspond(home, "migrate")
    assert "up to date" in migrated.stdout
    assert _revision(database) != "0003"
    status = json.loads(correspond(home, "status", "--json").stdout)
    assert status["processed"] == 0


def _revision(database: str) -> str:
    engine = sa.create_engine(database)
    with engine.connect() as connection:
        revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")
                                      ).scalar_one()
    engine.dispose()
    return revision


# Progress on a terminal, quiet in a pipe -------------------------------------------------

def test_a_long_import_shows_progress_on_a_terminal_and_nothing_when_piped(home, tmp_path):
    from tools.synthetic_cases.generate import generate_case_set

    generate_case_set(tmp_path / "set", records=3000, letters=0, seed=2)
    cases = tmp_path / "set" / "cases.csv"

    piped = correspond(home, "cases", "import", str(cases))
    assert piped.stderr == ""
    assert piped.stdout.startswith("3000 added")

    shown = _stderr_on_a_terminal(home, "cases", "import", str(cases))
    assert "Importing case records" in shown and "3000/3000" in shown

    generated = tool("tools.synthetic_cases", str(tmp_path / "again"), "--records", "2000",
                     "--letters", "10")
    assert generated.stderr == ""


def _stderr_on_a_terminal(home: Path, *args: str) -> str:
    """What the command writes to standard error when that is a terminal (a real pty)."""
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "correspond", "--home", str(home), *args],
        stdout=subprocess.DEVNULL, stderr=secondary, cwd=REPO)
    os.close(secondary)
    chunks = []
    while True:  # read as it comes, so a full terminal buffer never blocks the command
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the command has closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    assert process.wait(timeout=120) == 0
    return b"".join(chunks).decode("utf-8", "replace")


# Evaluate's exit status -----------------------------------------------------------------

def test_evaluate_exits_non_zero_when_a_target_is_missed(home, tmp_path):
    labelled = tmp_path / "labelled"
    labelled.mkdir()
    letter = REPO / "tests" / "devset" / "01_sobel_ehcna_refused.txt"
    shutil.copy(letter, labelled)
    gold = json.loads(letter.with_suffix(".gold.json").read_text("utf-8"))
    gold["children"][0]["first_name"] = "Zebedee"  # the extractor will not say that
    (labelled / "01_sobel_ehcna_refused.gold.json").write_text(json.dumps(gold), "utf-8")

    missed = correspond(home, "evaluate", str(labelled), check=False)
    assert missed.returncode == 1
    assert "child first name" in missed.stdout
    [line] = missed.stderr.strip().splitlines()
    assert "target" in line and "missed" in line

    allowed = correspond(home, "evaluate", str(labelled), "--no-fail")
    assert allowed.returncode == 0


def test_train_without_its_reference_lists_says_which_is_missing(tmp_path):
    empty = tmp_path / "reference"
    empty.mkdir()
    result = tool("tools.training", "--reference", str(empty), "--output",
                  str(tmp_path / "model"), check=False)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "sdglinkage_firstname_uk.csv" in line and "--reference" in line
    assert not (tmp_path / "model").exists()


def test_train_refuses_reference_lists_it_was_not_built_from(corpus_dir, tmp_path):
    changed = tmp_path / "reference"
    shutil.copytree(corpus_dir / "reference", changed)
    with (changed / "oi_current-MPs.csv").open("a", encoding="utf-8") as extra:
        extra.write("E14999999,Nowhere,Jo Nobody,F,1,1,x,2024-07-04T00:00:00,Ind,Ind,#000,#fff,x\n")
    result = tool("tools.training", "--reference", str(changed), "--output",
                  str(tmp_path / "model"), check=False)
    assert result.returncode == 1
    assert "oi_current-MPs.csv is not the list models/ was built from" in result.stderr
    assert "--accept-new-assets" in result.stderr
    assert not (tmp_path / "model").exists()
