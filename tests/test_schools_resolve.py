"""Resolving school names as letters write them against the real 2017 register of 6,022
schools: one clear school gets its URN, a shared name is reported with its candidates,
and nonsense is unknown."""

from __future__ import annotations

from pathlib import Path

import pytest

from correspond.records import SchoolRecord
from correspond.schools.gias import ParsedSchool, read_school_export
from correspond.schools.names import parse_school_name
from correspond.schools.register import SchoolRegister


@pytest.fixture(scope="module")
def records(corpus_dir: Path) -> list[SchoolRecord]:
    path = corpus_dir / "reference/edubase_july2017_schools_to_geocode.csv"
    with path.open("rb") as stream:
        return [row.record for row in read_school_export(stream).rows
                if isinstance(row, ParsedSchool)]


@pytest.fixture(scope="module")
def england(records) -> SchoolRegister:
    return SchoolRegister(records)


def urns(resolution) -> set[str]:
    return {candidate.urn for candidate in resolution.candidates}


@pytest.mark.corpus
@pytest.mark.parametrize(("written", "urn", "official"), [
    ("Allerton High", "108057", "Allerton High School"),
    ("Alerton High School", "108057", "Allerton High School"),  # misspelt
    ("Harewood C of E Primary", "107989",
     "Harewood Church of England Voluntary Controlled Primary School"),
    ("Pudsey Grangefield", "108079", "Pudsey Grangefield School"),
    ("Grange Park Infants", "102433", "Grange Park Infant and Nursery School"),
    ("the Farnley Academy", "137577", "The Farnley Academy"),
    ("Oakwood Academy", "139077", "Oakwood Primary Academy"),
    ("Roundhay St Johns CE Primary", "108007",
     "Roundhay St John's Church of England Primary School"),
    ("St John's, Roundhay", "108007", "Roundhay St John's Church of England Primary School"),
    ("Corpus Christi Catholic College", "108096", "Corpus Christi Catholic College"),
])
def test_an_informal_name_resolves_to_its_school(england, written, urn, official):
    resolution = england.resolve(written)

    assert (resolution.status, resolution.urn, resolution.name) == ("resolved", urn, official)
    assert resolution.candidates == ()


@pytest.mark.corpus
def test_a_name_shared_by_several_schools_is_ambiguous_with_them_as_candidates(england):
    heenan = england.resolve("Cardinal Heenan")

    assert (heenan.status, heenan.urn) == ("ambiguous", None)
    assert [(c.urn, c.name, c.town) for c in heenan.candidates] == [
        ("104714", "Cardinal Heenan Catholic High School", "Liverpool"),
        ("108095", "Cardinal Heenan Catholic High School", "Leeds"),
    ]

    grange = england.resolve("the Grange")
    assert grange.status == "ambiguous"
    assert {"110488", "104859", "111661"} <= urns(grange)  # Aylesbury, Bootle, Hartlepool
    assert "102432" not in urns(grange)  # Grange Park Junior is another name


@pytest.mark.corpus
def test_what_the_letter_says_about_a_school_rules_out_those_it_contradicts(england):
    catholic = england.resolve("St Mary's RC Primary")
    church = england.resolve("St Mary's C of E Primary")

    assert catholic.status == church.status == "ambiguous"  # dozens of each in England
    assert all("Catholic" in c.name or "RC" in c.name for c in catholic.candidates)
    assert not any("Catholic" in c.name for c in church.candidates)


@pytest.mark.corpus
@pytest.mark.parametrize("written", ["Xyzzy Plugh Academy", "Hogwarts School of Witchcraft",
                                     "the School", ""])
def test_nonsense_is_unknown(england, written):
    resolution = england.resolve(written)
    assert (resolution.status, resolution.urn, resolution.candidates) == ("unknown", None, ())


@pytest.mark.corpus
def test_with_schools_la_a_name_ambiguous_in_england_resolves_in_the_council_area(records):
    leeds = SchoolRegister(records, local_la="Leeds")
    brent_by_code = SchoolRegister(records, local_la="304")

    heenan = leeds.resolve("Cardinal Heenan")
    assert (heenan.status, heenan.urn, heenan.area) == ("resolved", "108095", "Leeds")
    # Only one St Mary's in Brent: "St Mary's" means St Mary's CofE Primary School there.
    brent = brent_by_code.resolve("St Mary's")
    assert (brent.status, brent.urn, brent.name, brent.area) == (
        "resolved", "101537", "St Mary's CofE Primary School", "Brent")


@pytest.mark.corpus
def test_in_the_council_area_a_shared_name_is_still_ambiguous_and_details_decide(records):
    leeds = SchoolRegister(records, local_la="Leeds")

    st_marys = leeds.resolve("St Mary's")
    assert (st_marys.status, st_marys.area) == ("ambiguous", "Leeds")
    assert [(c.urn, c.name) for c in st_marys.candidates] == [
        ("108053", "Hunslet St Mary's Church of England Primary School"),
        ("108097", "Mount St Mary's Catholic High School"),
    ]
    assert leeds.resolve("St Marys CE Primary").urn == "108053"
    assert leeds.resolve("St Mary's Catholic High").urn == "108097"
    assert leeds.resolve("Allerton").status == "ambiguous"  # the High and the CofE Primary
    assert leeds.resolve("Allerton High").urn == "108057"


@pytest.mark.corpus
def test_a_school_out_of_the_council_area_is_still_found(records):
    leeds = SchoolRegister(records, local_la="Leeds")

    resolution = leeds.resolve("Grange Park Infants")

    assert (resolution.status, resolution.urn, resolution.area) == ("resolved", "102433", None)


def test_closed_schools_are_not_resolved():
    register = SchoolRegister([
        SchoolRecord("900001", "Meanwood Primary School", status="Closed", phase="Primary"),
        SchoolRecord("900002", "Meanwood Primary Academy", status="Open", phase="Primary",
                     establishment_type="Academy converter"),
    ])
    assert register.resolve("Meanwood Primary").urn == "900002"


@pytest.mark.parametrize("written", [
    "St Mary's CE Primary School", "St Marys C of E Primary", "Saint Mary's CofE Primary",
    "St. Mary’s Church of England Primary School", "St Mary's C.E. Junior and Infant School",
    "The St Mary's Church of England (VA) Primary",
])
def test_the_usual_ways_of_writing_a_name_come_to_the_same_thing(written):
    parts = parse_school_name(written)
    assert (parts.core, parts.religion, parts.phase) == ("st mary", {"ce"}, "primary")


@pytest.mark.parametrize(("written", "core", "religion"), [
    ("St Anne's Roman Catholic Primary", "st anne", {"rc"}),
    ("St Anne's RC Primary", "st anne", {"rc"}),
    ("St Anne's Catholic Primary School", "st anne", {"rc"}),
    ("Christ Church CE Primary", "christ church", {"ce"}),  # "Church" alone is a name
])
def test_religious_character_is_read_from_any_spelling(written, core, religion):
    parts = parse_school_name(written)
    assert (parts.core, parts.religion) == (core, religion)
