"""Who wrote, checked against the registers: the shipped House of Commons list, the
council's councillors, and the protocol's targets that follow from who wrote."""

from __future__ import annotations

from datetime import date

import pytest

from correspond.config import load_settings, settings_in_force
from correspond.domain.correspondents import Claim, RegisterEntry, RegisterIndex
from correspond.errors import RegisterImportError, SettingsError
from correspond.imports.registers import (
    SHIPPED_MPS,
    import_members,
    load_shipped_mps,
    read_councillor_list,
)
from correspond.store import registers
from correspond.store.database import Database

from support import correspond, protocol_toml


@pytest.fixture
def db(database_url):
    database = Database(database_url)
    yield database
    database.close()


MEMBERS = RegisterIndex([
    RegisterEntry(1, "mp", "Alex Baker", "Aldershot"),
    RegisterEntry(2, "mp", "Sir Julian Lewis", "New Forest East"),
    RegisterEntry(3, "mp", "Dr Danny Chambers", "Winchester"),
    RegisterEntry(4, "mp", "Llinos Medi", "Ynys Môn"),
    RegisterEntry(5, "mp", "Mr Connor Rand", "Altrincham and Sale West"),
    RegisterEntry(6, "mp", "Ed Davey", "Kingston and Surbiton"),
    RegisterEntry(7, "mp", "Ed Miliband", "Doncaster North"),
    RegisterEntry(8, "mp", "Edward Leigh", "Gainsborough"),
    RegisterEntry(9, "mp", "Alan Leigh", "Somewhere"),
    RegisterEntry(10, "councillor", "Jo Bloggs", "Brighton Hill"),
])


@pytest.mark.parametrize(("claim", "expected"), [
    (Claim("mp", "Alex Baker", "Aldershot"), 1),
    (Claim("mp_office", None, "Aldershot"), 1),  # the constituency alone
    (Claim("mp", "The Rt Hon Sir Julian Lewis MP", None), 2),  # honours and titles aside
    (Claim("mp", "Danny Chambers", "Winchester"), 3),  # "Dr" on the list only
    (Claim("mp", "Llinos Medi", "Ynys Mon"), 4),  # accents
    (Claim("mp", "Connor Rand", "Altrincham & Sale West"), 5),  # & for and
    (Claim("mp", "Edward Davey", None), 6),  # Ed for Edward
    (Claim("councillor", "Cllr Jo Bloggs", "Brighton Hill Ward"), 10),
    (Claim("councillor", "Jo Bloggs", None), 10),
])
def test_a_letter_counts_as_from_the_listed_member_who_fits(claim, expected):
    found = MEMBERS.match(claim)
    assert found is not None and found.id == expected


@pytest.mark.parametrize("claim", [
    Claim("mp", "Hannah Greaves", "Aldershot"),  # not the MP for Aldershot
    Claim("mp", "Prince Vasíli", None),
    Claim("mp", "Leigh", None),  # two MPs called Leigh: not guessed
    Claim("other", "Alex Baker", "Aldershot"),  # a parent who shares the MP's name
    Claim("other", None, None),
    Claim("councillor", "Alex Baker", "Aldershot"),  # an MP is not a councillor
    Claim("mp", None, None),
])
def test_no_member_is_guessed(claim):
    assert MEMBERS.match(claim) is None


def test_the_shipped_house_of_commons_list_loads_once_with_its_licence(db):
    assert (SHIPPED_MPS.parent / "current-MPs.LICENCE.md").read_text("utf-8").count(
        "Open Parliament Licence") == 1
    first = load_shipped_mps(db)
    assert first is not None
    assert (first.saved.added, first.problems) == (650, [])
    assert load_shipped_mps(db) is None  # already loaded: an import refreshes it
    again = import_members(db, "mp", SHIPPED_MPS.read_bytes())
    assert (again.saved.added, again.saved.unchanged) == (0, 650)


def test_a_refreshed_list_keeps_former_members_and_links_earlier_letters(db):
    load_shipped_mps(db)
    lines = SHIPPED_MPS.read_text("utf-8").splitlines()
    aldershot = next(line for line in lines if ",Aldershot," in line)
    by_election = aldershot.replace("Alex Baker", "Jane Doe").replace(",5173,", ",9999,")
    with db.writing() as connection:
        before = registers.match_claim(db, connection, Claim("mp", "Jane Doe", "Aldershot"))
    assert before.kind == "mp" and before.correspondent_id is None

    refreshed = import_members(db, "mp", "\n".join(
        by_election if line == aldershot else line for line in lines).encode())

    assert (refreshed.saved.added, refreshed.saved.no_longer_listed) == (1, 1)
    with db.reading() as connection:
        now = registers.match_claim(db, connection, Claim("mp", "Jane Doe", "Aldershot"))
        former = registers.match_claim(db, connection, Claim("mp", "Alex Baker", "Aldershot"))
        states = registers.register_states(db, connection)
    assert now.correspondent_id is not None
    assert former.correspondent_id is None  # no longer listed
    assert states["mp"].listed == 650


def test_councillors_are_read_as_excel_saves_them_and_bad_rows_are_reported(db):
    data = "Councillor,Ward,Political group\r\nZoë Ashworth,Brighton Hill,Lib Dem\r\n" \
           ",Kempshott,Labour\r\nJo Bloggs,Popley,Independent,extra\r\n".encode("cp1252")

    imported = import_members(db, "councillor", data)

    assert imported.encoding == "Windows-1252"
    assert imported.saved.added == 1
    assert [(problem.line, problem.reason) for problem in imported.problems] == [
        (3, "Councillor is empty"),
        (4, "it has 4 fields where the header has 3; a comma or quote may be out of place")]
    with db.reading() as connection:
        found = registers.match_claim(db, connection, Claim("councillor", "Zoe Ashworth",
                                                            "Brighton Hill"))
    assert found.correspondent_id is not None


def test_a_file_that_is_not_a_list_of_councillors_is_refused_in_a_sentence():
    with pytest.raises(RegisterImportError, match="no 'Name' column"):
        read_councillor_list(b"Ward,Party\nBrighton Hill,Labour\n")


@pytest.mark.slow
def test_the_lists_are_imported_from_the_command_line(tmp_path):
    home = tmp_path / "home"
    result = correspond(home, "mps", "import")
    assert result.stdout.startswith("650 added, 0 updated, 0 unchanged, 0 no longer listed")
    (tmp_path / "councillors.csv").write_text("Name,Ward\nJo Bloggs,Brighton Hill\n")
    result = correspond(home, "councillors", "import", str(tmp_path / "councillors.csv"))
    assert result.stdout.startswith("1 added")
    (tmp_path / "wrong.csv").write_text("Ward\nBrighton Hill\n")
    result = correspond(home, "councillors", "import", str(tmp_path / "wrong.csv"), check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("wrong.csv: This does not look like a list of councillors")


# --- the protocol ---------------------------------------------------------------------

def test_the_protocol_is_read_from_correspond_toml_in_versions(tmp_path):
    (tmp_path / "correspond.toml").write_text(protocol_toml())
    protocol = load_settings(tmp_path).joint_protocol

    assert [version.name for version in protocol.versions] == [
        "Joint protocol 2024", "Joint protocol 2025"]
    assert protocol.in_force(date(2025, 8, 31)).name == "Joint protocol 2024"
    assert protocol.in_force(date(2025, 9, 1)).name == "Joint protocol 2025"
    assert protocol.in_force(date(2020, 1, 1)).name == "Joint protocol 2024"  # the first
    # Friday 29 August 2025: an MP's letter acknowledged in 3 working days then, 2 after.
    assert protocol.due_dates(date(2025, 8, 29), "mp", False, "ENG") == (
        date(2025, 9, 3), date(2025, 9, 26))
    assert protocol.due_dates(date(2025, 9, 1), "mp", False, "ENG")[0] == date(2025, 9, 3)
    assert protocol.due_dates(date(2025, 9, 1), "other", True, "ENG") == (
        date(2025, 9, 2), date(2025, 9, 8))  # urgent: 1 and 5 working days
    shown = {name: value for name, _, value in settings_in_force(load_settings(tmp_path))}
    assert "Joint protocol 2025 from 1 September 2025" in shown["protocol"]


def test_without_a_protocol_the_two_deadlines_apply_to_everyone(tmp_path):
    protocol = load_settings(tmp_path, acknowledgement_working_days=3,
                             reply_working_days=12).joint_protocol
    [version] = protocol.versions
    assert version.acknowledgement.days_for("mp", True) == 3
    assert version.reply.days_for("councillor", False) == 12


def test_deadlines_set_both_ways_are_refused(tmp_path):
    (tmp_path / "correspond.toml").write_text("reply_working_days = 5\n" + protocol_toml())
    with pytest.raises(SettingsError, match=r"put the targets in \[protocol\] only"):
        load_settings(tmp_path)


def test_two_versions_taking_effect_on_one_day_are_refused(tmp_path):
    (tmp_path / "correspond.toml").write_text(
        protocol_toml().replace("effective = 2025-09-01", "effective = 2024-01-01"))
    with pytest.raises(SettingsError, match="two versions take effect on the same date"):
        load_settings(tmp_path)
