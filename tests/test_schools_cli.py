"""`correspond schools import`, `schools find` and school URNs in `ingest`, as staff run
them: real processes, real files, real SQLite."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from support import SAMPLES, correspond

pytestmark = pytest.mark.slow

REGISTER = (
    '"URN","LA (code)","LA (name)","EstablishmentName","TypeOfEstablishment (name)",'
    '"EstablishmentStatus (name)","PhaseOfEducation (name)","Town","Postcode"\r\n'
    '"900001","383","Leeds","Meanwood Church of England Primary School",'
    '"Voluntary aided school","Open","Primary","Leeds","LS6 4LD"\r\n'
    '"900002","383","Leeds","Allerton High School","Community school","Open","Secondary",'
    '"Leeds","LS17 7AG"\r\n'
    '"900003","383","Leeds","Oakfield Primary School","Community school","Open","Primary",'
    '"Leeds","LS7 1AA"\r\n'
    '"","383","Leeds","A Row With No URN","Community school","Open","Primary","Leeds",""\r\n'
)
# The same school name in a second authority: ambiguous until schools_la says which.
SECOND_MEANWOOD = (
    '"900004","335","Walsall","Meanwood Church of England Primary School",'
    '"Voluntary aided school","Open","Primary","Walsall","WS1 1AA"\r\n'
)


def write_register(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "edubasealldata.csv"
    path.write_bytes((REGISTER + extra).encode("cp1252"))  # as GIAS downloads are
    return path


def test_import_reports_counts_and_bad_lines_and_is_idempotent(home, tmp_path):
    register = write_register(tmp_path)

    first = correspond(home, "schools", "import", str(register), check=False)

    assert first.returncode == 1  # a row was refused; the rest loaded
    assert first.stdout.splitlines() == [
        "3 added, 0 updated, 0 unchanged, 1 rejected (read as UTF-8)",
        "3 open schools in the register.",
    ]
    assert "line 5: URN is empty" in first.stderr
    assert "Traceback" not in first.stderr

    again = correspond(home, "schools", "import", str(register), check=False)
    assert again.stdout.startswith("0 added, 0 updated, 3 unchanged, 1 rejected")


@pytest.mark.corpus
def test_import_of_the_6000_school_register(home, corpus_dir: Path):
    path = corpus_dir / "reference/edubase_july2017_schools_to_geocode.csv"
    home.mkdir(parents=True)
    (home / "correspond.toml").write_text('schools_la = "Leeds"\n', "utf-8")

    result = correspond(home, "schools", "import", str(path), check=False)

    assert result.stdout.splitlines() == [
        "6022 added, 0 updated, 0 unchanged, 1 rejected (read as UTF-8)",
        "6022 open schools in the register; 67 in Leeds (schools_la).",
    ]
    assert result.stderr.strip().splitlines()[-1] == "line 6024: URN is empty"

    found = correspond(home, "schools", "find", "Cardinal Heenan")
    assert found.stdout.strip() == ('"Cardinal Heenan" is Cardinal Heenan Catholic High '
                                    'School, URN 108095 (resolved among Leeds schools).')


def test_a_file_that_is_not_a_register_fails_with_one_line(home, tmp_path):
    cases = tmp_path / "cases.csv"
    cases.write_text("case_id,child_first_name\nC1,Adam\n", "utf-8")

    result = correspond(home, "schools", "import", str(cases), check=False)

    assert result.returncode == 1
    assert result.stderr.strip().startswith("cases.csv: This does not look like a GIAS")


def test_find_prints_the_resolution(home, tmp_path):
    empty = correspond(home, "schools", "find", "Allerton High", check=False)
    assert empty.returncode == 1 and "register is empty" in empty.stderr

    correspond(home, "schools", "import", str(write_register(tmp_path, SECOND_MEANWOOD)),
               check=False)

    resolved = correspond(home, "schools", "find", "Allerton High")
    assert resolved.stdout.strip() == (
        '"Allerton High" is Allerton High School, URN 900002 (resolved).')
    ambiguous = correspond(home, "schools", "find", "Meanwood C of E Primary")
    assert "could be any of these schools; none is chosen" in ambiguous.stdout
    assert "900001" in ambiguous.stdout and "900004" in ambiguous.stdout
    unknown = correspond(home, "schools", "find", "Xyzzy Academy")
    assert unknown.stdout.strip() == '"Xyzzy Academy" matches no open school in the register.'

    as_json = json.loads(correspond(home, "schools", "find", "Meanwood", "--json").stdout)
    assert (as_json["status"], as_json["urn"]) == ("ambiguous", None)
    assert [(c["urn"], c["town"]) for c in as_json["candidates"]] == [
        ("900001", "Leeds"), ("900004", "Walsall")]


def test_ingest_prints_the_urn_of_a_registered_school(home, tmp_path, schema):
    correspond(home, "schools", "import", str(write_register(tmp_path)), check=False)

    result = correspond(home, "ingest", str(SAMPLES / "khan_letter.txt"), "--json")

    referral = json.loads(result.stdout)
    jsonschema.validate(referral, schema)
    school = referral["children"][0]["school"]
    assert school["name"] == "Meanwood Church of England Primary School"
    assert school["urn"] == "900001"

    # `extract` touches no database, so it does not resolve.
    extracted = json.loads(correspond(home, "extract", str(SAMPLES / "khan_letter.txt"),
                                      "--json").stdout)
    assert extracted["children"][0]["school"]["urn"] is None


def test_ingest_lists_candidates_for_an_ambiguous_school(home, tmp_path, schema):
    correspond(home, "schools", "import", str(write_register(tmp_path, SECOND_MEANWOOD)),
               check=False)

    referral = json.loads(correspond(home, "ingest", str(SAMPLES / "khan_letter.txt"),
                                     "--json").stdout)

    jsonschema.validate(referral, schema)
    school = referral["children"][0]["school"]
    assert school["urn"] is None
    assert [(c["urn"], c["name"], c["town"]) for c in school["candidates"]] == [
        ("900001", "Meanwood Church of England Primary School", "Leeds"),
        ("900004", "Meanwood Church of England Primary School", "Walsall"),
    ]


def test_with_schools_la_the_council_area_decides(home, tmp_path):
    home.mkdir(parents=True)
    (home / "correspond.toml").write_text('schools_la = "Leeds"\n', "utf-8")
    correspond(home, "schools", "import", str(write_register(tmp_path, SECOND_MEANWOOD)),
               check=False)

    referral = json.loads(correspond(home, "ingest", str(SAMPLES / "khan_letter.txt"),
                                     "--json").stdout)

    assert referral["children"][0]["school"]["urn"] == "900001"
    assert "schools_la" in correspond(home, "settings").stdout
