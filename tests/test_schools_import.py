"""Importing the Department for Education's school register (GIAS) into a real SQLite
database: the shared real exports, and small synthetic ones for the awkward cases."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from correspond.errors import SchoolImportError
from correspond.schools.gias import ParsedSchool, RowProblem, read_school_export
from correspond.store.database import Database
from correspond.store.schools import all_schools, save_schools, school_by_urn

HEADER = ('"URN","LA (code)","LA (name)","EstablishmentName","TypeOfEstablishment (name)",'
          '"EstablishmentStatus (name)","PhaseOfEducation (name)","Town","Postcode"\r\n')


@pytest.fixture
def db(database_url):
    database = Database(database_url)
    yield database
    database.close()


def read(data: bytes):
    export = read_school_export(io.BytesIO(data))
    rows = list(export.rows)
    return (export.encoding, [row.record for row in rows if isinstance(row, ParsedSchool)],
            [(row.line, row.reason) for row in rows if isinstance(row, RowProblem)])


def load(db: Database, data: bytes):
    encoding, records, problems = read(data)
    return save_schools(db, records), problems


@pytest.mark.corpus
def test_the_gias_sample_loads_every_school(db, corpus_dir: Path):
    path = corpus_dir / "reference/dfe_gias_edubase_sample.csv"
    report, problems = load(db, path.read_bytes())

    assert (report.added, problems) == (4, [])
    with db.reading() as connection:
        school = school_by_urn(db, connection, "100492")
    assert school.name == "St Thomas' CofE Primary School"
    assert (school.la_name, school.town, school.postcode) == (
        "Kensington and Chelsea", "London", "W10 5EF")
    assert (school.status, school.phase) == ("Open", "Primary")
    assert school.establishment_type == "Voluntary aided school"


@pytest.mark.corpus
def test_the_newer_layout_loads_and_keeps_closed_schools(db, corpus_dir: Path):
    path = corpus_dir / "reference/dfe_gias_example_schools.csv"
    report, problems = load(db, path.read_bytes())

    assert (report.added, problems) == (2, [])
    with db.reading() as connection:
        closed = school_by_urn(db, connection, "140134")
    assert (closed.name, closed.status) == ("Example School", "Closed")


@pytest.mark.corpus
def test_the_2017_register_loads_its_6022_schools_and_names_the_bad_line(db, corpus_dir: Path):
    data = (corpus_dir / "reference/edubase_july2017_schools_to_geocode.csv").read_bytes()

    report, problems = load(db, data)

    assert report.added == 6022
    # The file's last line is all "NA" (written by R): refused, the rest loaded.
    assert problems == [(6024, "URN is empty")]
    with db.reading() as connection:
        allerton = school_by_urn(db, connection, "108057")
        no_town = school_by_urn(db, connection, "123039")
    assert (allerton.name, allerton.la_name, allerton.la_code) == (
        "Allerton High School", "Leeds", "383")
    assert allerton.phase == "Secondary"
    assert no_town.town is None  # "NA" is read as missing, not as a town called NA

    again, _ = load(db, data)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 6022)


def test_a_changed_row_is_updated_and_the_rest_left_alone(db):
    first = HEADER + (
        '"900001","383","Leeds","Meanwood CofE Primary School","Voluntary aided school",'
        '"Open","Primary","Leeds","LS6 4LD"\r\n'
        '"900002","383","Leeds","Oakfield Primary School","Community school","Open",'
        '"Primary","Leeds","ls7 1aa"\r\n'
    )
    load(db, first.encode())
    second = first.replace('"Oakfield Primary School","Community school","Open"',
                           '"Oakfield Primary Academy","Academy converter","Open"')

    report, problems = load(db, second.encode())

    assert (report.added, report.updated, report.unchanged, problems) == (0, 1, 1, [])
    with db.reading() as connection:
        oakfield = school_by_urn(db, connection, "900002")
        assert len(list(all_schools(db, connection))) == 2
    assert (oakfield.name, oakfield.establishment_type) == (
        "Oakfield Primary Academy", "Academy converter")
    assert oakfield.postcode == "LS7 1AA"


def test_bad_rows_are_reported_by_line_and_the_rest_load(db):
    text = HEADER + (
        '"900001","383","Leeds","Meanwood CofE Primary School","","Open","Primary","Leeds",""\r\n'
        '"","383","Leeds","No Number School","","Open","Primary","Leeds",""\r\n'
        '"9000X3","383","Leeds","Typo School","","Open","Primary","Leeds",""\r\n'
        '"900004","383","Leeds","","","Open","Primary","Leeds",""\r\n'
        '"900001","383","Leeds","Meanwood Again","","Open","Primary","Leeds",""\r\n'
        '"900006","383","Leeds","Short Row School"\r\n'
        '\r\n'
        '"900007","383","Leeds","Quoted, ""Comma"" School","","Open","Primary","Leeds",""\r\n'
    )

    report, problems = load(db, text.encode())

    assert report.added == 2
    assert problems == [
        (3, "URN is empty"),
        (4, "URN '9000X3' is not a number"),
        (5, "EstablishmentName is empty"),
        (6, "URN 900001 is already on line 2; this row was not loaded"),
        (7, "it has 4 fields where the header has 9; a comma or quote may be out of place"),
    ]
    with db.reading() as connection:
        assert school_by_urn(db, connection, "900007").name == 'Quoted, "Comma" School'


def test_a_windows_1252_export_reads_its_apostrophes_and_accents():
    text = HEADER + (
        '"900001","383","Leeds","St Mary\u2019s CE Primary School","","Open","Primary",'
        '"Leeds",""\r\n'
        '"900002","202","Camden","\u00c9cole Fran\u00e7aise Jacques Prevert","","Open",'
        '"Primary","London",""\r\n'
    )

    encoding, records, problems = read(text.encode("cp1252"))

    assert (encoding, problems) == ("Windows-1252", [])
    assert [record.name for record in records] == [
        "St Mary\u2019s CE Primary School", "\u00c9cole Fran\u00e7aise Jacques Prevert"]


def test_a_utf8_export_with_a_byte_order_mark_finds_its_urn_column():
    encoding, records, problems = read(
        ("\ufeff" + HEADER + '"900001","383","Leeds","Meanwood CofE Primary School",'
         '"","Open","Primary","Leeds",""\r\n').encode("utf-8"))

    assert (encoding, [record.urn for record in records], problems) == ("UTF-8", ["900001"], [])


def test_a_file_that_is_not_a_register_is_refused_whole():
    with pytest.raises(SchoolImportError) as caught:
        read_school_export(io.BytesIO(b"case_id,child_first_name\r\nC1,Adam\r\n"))
    assert "no 'URN' or 'EstablishmentName' column" in caught.value.reason

    with pytest.raises(SchoolImportError, match="empty"):
        read_school_export(io.BytesIO(b""))
