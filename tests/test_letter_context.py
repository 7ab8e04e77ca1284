"""What the letters say, as a council officer would write it: the greeting and address
from the letter's own titles and letterhead, sentences for one child, several children,
a young person and a parent, concerns in plain words, and a signature with a named
officer and the council's details."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from correspond.config import load_settings
from correspond.draft.context import letter_context
from correspond.records import (
    CaseRecord,
    Casework,
    Child,
    Concern,
    Constituent,
    Correspondent,
    Extraction,
    School,
)

MP = Correspondent(type="mp", name="Jane Doe", constituency="Upton", reference="JD/1")
PARENT = Constituent(name="Mrs Sarah Khan", postcode="LS6 2AB")
ADAM = Child(first_name="Adam", last_name="Khan", school=School("Meanwood Primary School"))
ZARA = Child(first_name="Zara", last_name="Khan", school=School("Meanwood Primary School"))
EXTRACTION = Extraction(is_send=True, correspondent=MP, constituent=PARENT, children=(ADAM,),
                        concerns=(Concern("transport"),), letter_date=date(2026, 3, 2))
LETTERHEAD = ("THE RT HON DAME JANE DOE DBE MP\nMember of Parliament for Upton\n"
              "Constituency Office, 4 Mill Lane\nUpton\nUP1 2AB\n\nDear Sir or Madam\n\n"
              "I write about my constituent.\n\nYours sincerely\n\nJane Doe MP\n")


@pytest.fixture
def settings(tmp_path: Path):
    return load_settings(home=tmp_path)


def context(settings, extraction: Extraction = EXTRACTION, letter_text: str = "",
            casework: Casework | None = None) -> dict:
    return letter_context(extraction=extraction, council_reference="MP-2026-0001",
                          received=date(2026, 3, 3), acknowledgement_due=date(2026, 3, 5),
                          reply_due=date(2026, 3, 17), settings=settings,
                          letter_text=letter_text, casework=casework)


def test_titles_and_honours_come_from_the_letterhead(settings):
    found = context(settings, letter_text=LETTERHEAD)
    assert found["mp_addressee"] == "The Rt Hon Dame Jane Doe DBE MP"
    assert found["mp_salutation"] == "Dame Jane"
    assert found["mp_role"] == "Member of Parliament for Upton"


def test_a_house_style_of_first_names(tmp_path):
    settings = load_settings(home=tmp_path, salutation_style="first_name")
    assert context(settings, letter_text=LETTERHEAD)["mp_salutation"] == "Jane"


def test_the_reply_goes_to_the_letterhead_address_else_the_house_of_commons(settings):
    assert context(settings, letter_text=LETTERHEAD)["mp_address"] == \
        "Constituency Office\n4 Mill Lane\nUpton\nUP1 2AB"
    assert context(settings, letter_text="Dear Sir\n\nA letter with no letterhead.\n")[
        "mp_address"] == "House of Commons\nLondon\nSW1A 0AA"


def test_for_the_attention_of_only_a_caseworker_in_the_mps_office(settings):
    office = replace(EXTRACTION, correspondent=replace(MP, type="mp_office",
                                                       caseworker="Rebecca Hollis"))
    assert context(settings, office)["mp_caseworker"] == "Rebecca Hollis"
    herself = replace(EXTRACTION, correspondent=replace(MP, caseworker="Jane Doe"))
    assert context(settings, herself)["mp_caseworker"] == ""
    assert context(settings)["mp_caseworker"] == ""


def test_a_councillor_is_addressed_as_one_and_writes_for_a_resident(settings):
    councillor = Extraction(
        is_send=True, correspondent=Correspondent(type="councillor", name="Margaret Ashworth",
                                                  constituency="Horwich North"),
        constituent=Constituent(), children=(ADAM,))
    found = context(settings, councillor)
    assert (found["mp_addressee"], found["mp_salutation"]) == (
        "Councillor Margaret Ashworth", "Councillor Ashworth")
    assert found["mp_role"] == "Councillor for Horwich North"
    assert found["mp_address"] == ""
    assert found["about_text"].startswith("on behalf of your resident about Adam Khan")


def test_one_child_two_at_one_school_and_siblings_at_different_schools(settings):
    assert context(settings)["about_text"] == (
        "on behalf of Mrs Sarah Khan about Adam Khan, who attends Meanwood Primary School")
    twins = replace(EXTRACTION, children=(ADAM, ZARA))
    assert context(settings, twins)["about_text"] == (
        "on behalf of Mrs Sarah Khan about Adam Khan and Zara Khan, who both attend "
        "Meanwood Primary School")
    siblings = replace(EXTRACTION, children=(ADAM, replace(ZARA, school=School(
        "Allerton High School"))))
    assert context(settings, siblings)["about_text"] == (
        "on behalf of Mrs Sarah Khan about Adam Khan, who attends Meanwood Primary School, "
        "and Zara Khan, who attends Allerton High School")
    three = replace(EXTRACTION, children=(ADAM, replace(ZARA, school=None),
                                          Child(first_name="Omar", last_name="Khan",
                                                school=School("Allerton High School"))))
    assert context(settings, three)["about_text"] == (
        "on behalf of Mrs Sarah Khan about Adam Khan (Meanwood Primary School), Zara Khan "
        "and Omar Khan (Allerton High School)")
    assert context(settings, twins)["child_first_names"] == "Adam and Zara"


def test_a_young_person_writing_about_themselves(settings):
    amy = Child(first_name="Amy", last_name="Clarke", school=School("Allerton High School"))
    young = replace(EXTRACTION, constituent=Constituent(name="Miss Amy Clarke"),
                    children=(amy,))
    found = context(settings, young)
    assert found["young_person"] is True
    assert found["about_text"] == (
        "on behalf of Miss Amy Clarke about her own education at Allerton High School")


def test_a_parent_with_no_child_named(settings):
    found = context(settings, replace(EXTRACTION, children=()))
    assert found["about_text"] == "on behalf of Mrs Sarah Khan about her child"
    nameless = replace(EXTRACTION, constituent=Constituent(), children=())
    assert context(settings, nameless)["about_text"] == \
        "on behalf of your constituent about their child"


def test_concerns_read_as_a_family_would_say_them(settings):
    found = context(settings, replace(EXTRACTION, concerns=(
        Concern("provision_delivery"), Concern("annual_review"))))
    assert found["concerns_text"] == (
        "support in the EHC plan that is not being provided and the annual review of the "
        "EHC plan")
    only_other = context(settings, replace(EXTRACTION, concerns=(Concern("other"),)))
    assert only_other["concerns_text"] == ""


def test_the_officer_who_signs(settings):
    record = CaseRecord("C-1", "Adam", "Khan", date(2015, 4, 3), caseworker="Priya Shah",
                        caseworker_email="priya.shah@example.org")
    linked = context(settings, casework=Casework(cases=(record,), drafted_by="casey"))
    assert (linked["officer_name"], linked["contact_email"]) == (
        "Priya Shah", "priya.shah@example.org")
    drafted = context(settings, casework=Casework(drafted_by="Tom Reid"))
    assert (drafted["officer_name"], drafted["contact_email"]) == (
        "Tom Reid", settings.council_email)
    # A desk name that is not a person's name ("casey") does not sign a letter.
    assert context(settings, casework=Casework(drafted_by="casey"))["officer_name"] == ""
    assert context(settings)["council_address"] == "County Hall\nExample Street\nExampleton\n" \
        "ZZ1 1ZZ"


def test_sir_or_madam_is_closed_yours_faithfully(settings):
    assert context(settings)["closing"] == "Yours sincerely"
    unnamed = replace(EXTRACTION, correspondent=Correspondent(type="mp"))
    found = context(settings, unnamed)
    assert (found["mp_salutation"], found["closing"]) == ("Sir or Madam", "Yours faithfully")


def test_the_readme_lists_every_variable_a_template_can_use():
    from correspond.draft.context import CONTEXT_VARIABLES

    from support import REPO

    readme = (REPO / "README.md").read_text("utf-8")
    section = readme[readme.index("**Every variable a template"):]
    missing = [name for name in sorted(CONTEXT_VARIABLES) if f"`{name}`" not in section]
    assert missing == []
