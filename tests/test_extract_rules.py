"""The first, rule-based extractor on clear synthetic letters (all names fictional)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from correspond.extract import load_extractor
from correspond.records import Letter

LETTERS = Path(__file__).parent / "samples" / "letters"


@pytest.fixture(scope="module")
def extractor():
    return load_extractor()


def read(extractor, text: str, **letter):
    return extractor.extract(Letter(text=text, source="body", **letter))


def test_reads_a_clear_assessment_letter(extractor):
    found = read(extractor, (LETTERS / "khan_assessment.txt").read_text("utf-8"))

    assert found.is_send
    assert found.correspondent.type == "mp"
    assert found.correspondent.name == "Hannah Greaves"
    assert found.correspondent.constituency == "Leeds Central and Headingley"
    assert found.correspondent.reference == "HG/2026/0412"
    assert found.constituent.name == "Mrs Sarah Khan"
    assert found.constituent.postcode == "LS6 2AB"
    assert found.constituent.email == "sarah.khan@example.com"
    assert found.constituent.phone == "07700 900123"
    [child] = found.children
    assert (child.first_name, child.last_name) == ("Adam", "Khan")
    assert child.date_of_birth == date(2015, 4, 3)  # day first: 03/04/2015
    assert child.year_group == "Year 6"
    assert child.school.name == "Meanwood Church of England Primary School"
    assert found.concerns[0].category == "assessment"
    assert "communication" in {concern.category for concern in found.concerns}
    assert found.letter_date == date(2026, 10, 14)
    assert not found.urgent
    assert found.council_reference is None  # "Your ref:" is blank in this letter


def test_reads_a_caseworker_email_and_flags_urgency(extractor):
    found = read(extractor, (LETTERS / "okafor_transport_urgent.txt").read_text("utf-8"))

    assert found.correspondent.type == "mp_office"
    assert found.correspondent.name == "Jane Whitfield"  # title dropped
    assert found.correspondent.caseworker == "Tom Reyes"
    assert found.correspondent.reference == "JW12345"
    assert found.constituent.name == "Mr Daniel Okafor"
    assert found.constituent.postcode == "BS5 7QT"
    assert found.children[0].date_of_birth == date(2012, 11, 21)
    assert found.children[0].school.name == "Briarwood School"
    categories = [concern.category for concern in found.concerns]
    assert {"transport", "out_of_education", "wellbeing_risk"} <= set(categories)
    assert found.urgent
    assert any("Out of education" in reason for reason in found.urgency_reasons)


def test_a_misrouted_housing_letter_is_not_send(extractor):
    found = read(extractor, (LETTERS / "housing_misrouted.txt").read_text("utf-8"))

    assert not found.is_send
    assert found.children == ()
    assert found.concerns == ()
    assert found.correspondent.name == "Rupert Ellison"
    assert found.constituent.postcode == "LE1 6GD"


def test_unknown_values_stay_empty_rather_than_invented(extractor):
    text = ("Dear Sir or Madam,\n\nMy constituent has asked me to raise the EHC plan for "
            "her son Leo, which has still not been issued.\n\nYours sincerely,\n\n"
            "Owen Marsh MP\nMember of Parliament for Northwick")
    found = read(extractor, text)

    [child] = found.children
    assert child.first_name == "Leo"
    assert child.last_name is None  # only a first name is given
    assert child.date_of_birth is None and child.school is None
    assert found.constituent.name is None
    assert found.correspondent.reference is None


def test_two_children_a_requested_school_and_a_chaser(extractor):
    text = (
        "Your ref: MP-2026-0042\n\n2 November 2026\n\nDear Director,\n\n"
        "Further to my letter of 1 September, I write again on behalf of my constituent "
        "Ms Ruth Adeyemi about her twins. Her son, Sam Adeyemi (DOB 14/02/2014), attends "
        "Oakfield Primary School; the family wants a place at Hollins Park Academy for him. "
        "Her daughter, Tia Adeyemi, aged 12, is on a reduced timetable at Hollins Park "
        "Academy and has been excluded twice this term.\n\n"
        "Yours sincerely,\n\nCllr Peter Vance\nWard Councillor"
    )
    found = read(extractor, text)

    assert found.is_chaser
    assert found.council_reference == "MP-2026-0042"
    assert found.correspondent.type == "councillor"
    assert [child.first_name for child in found.children] == ["Sam", "Tia"]
    sam, tia = found.children
    assert sam.school.name == "Oakfield Primary School"
    assert sam.requested_school == "Hollins Park Academy"
    assert tia.age == 12
    assert {"out_of_education", "exclusion"} <= {c.category for c in found.concerns}
    assert found.urgent
