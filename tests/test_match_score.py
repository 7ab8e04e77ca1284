"""Scoring and deciding on hand-made records (pure: no database), as a caseworker sees it."""

from __future__ import annotations

from datetime import date

from correspond.match.compare import first_name_level, parts_of, school_key, surname_level
from correspond.match.score import Frequencies, MatchPolicy, decide, query_for, score
from correspond.records import CaseRecord, Child, Constituent, School

FAMILY = dict(school="Meanwood CE Primary School", postcode="LS6 2AB",
              parent_names=("Sarah Khan", "Imran Khan"), address="27 Brookfield Road, Leeds")
ADAM = CaseRecord("C1", "Adam", "Khan", date(2015, 4, 3), **FAMILY)
ZARA = CaseRecord("C2", "Zara", "Khan", date(2015, 4, 3), **FAMILY)  # Adam's twin
AMIR = CaseRecord("C5", "Amir", "Khan", date(2017, 9, 12), **FAMILY)  # their brother
NAMESAKE = CaseRecord("C3", "Adam", "Khan", date(2011, 9, 14), school="Allerton High School",
                      postcode="LS17 6AA", parent_names=("Nadia Khan",))
ALFIE = CaseRecord("C4", "Alfred", "Smith", date(2014, 11, 30), known_as="Alfie",
                   postcode="BS5 7QT")

MRS_KHAN = Constituent(name="Mrs Sarah Khan", postcode="LS6 2AB",
                       address="27 Brookfield Rd, Leeds LS6 2AB")
COUNTS = Frequencies(5000, first={"adam": 20, "zara": 8, "alfie": 5},
                     last={"khan": 60, "smith": 70})
POLICY = MatchPolicy.from_settings()
ON = date(2026, 11, 2)


def decide_for(child: Child, constituent: Constituent, *cases: CaseRecord,
               counts: Frequencies = COUNTS):
    query = query_for(child, constituent, ON)
    return decide([score(query, case, counts) for case in cases], POLICY)


def levels(candidate) -> dict[str, str]:
    return {field: reason["level"] for field, reason in candidate.reasons.items()}


def test_a_named_twin_links_to_their_own_record_with_reasons():
    adam = Child("Adam", "Khan", date(2015, 4, 3),
                 school=School("Meanwood Church of England Primary School"))
    decision = decide_for(adam, MRS_KHAN, ZARA, ADAM, NAMESAKE, AMIR)
    assert (decision.status, decision.case_id) == ("matched", "C1")
    best, twin = decision.candidates[:2]
    assert levels(best) == {"first_name": "exact", "last_name": "exact",
                            "date_of_birth": "exact", "school": "exact", "postcode": "exact",
                            "address": "exact", "parent": "exact"}
    assert levels(twin)["first_name"] == "different"
    assert twin.reasons["first_name"]["weight"] < 0 < best.reasons["first_name"]["weight"]
    # The weights explain the score: prior plus the fields, in bits.
    assert best.score > 0.999 and twin.score < 0.001
    assert "ahead of the next" in decision.reason


def test_twins_go_to_review_when_the_letter_does_not_say_which():
    twins = [CaseRecord("T1", "Alexander", "Okafor", date(2016, 5, 1), postcode="BS5 7QT"),
             CaseRecord("T2", "Alexandra", "Okafor", date(2016, 5, 1), postcode="BS5 7QT")]
    for written in ("Alex", None):
        child = Child(written, "Okafor", date(2016, 5, 1))
        decision = decide_for(child, Constituent(postcode="BS5 7QT"), *twins)
        assert decision.status == "review" and decision.case_id is None
        assert {c.case_id for c in decision.candidates} == {"T1", "T2"}


def test_a_known_as_name_or_a_nickname_links():
    alfie = Child("Alfie", "Smith", date(2014, 11, 30))
    decision = decide_for(alfie, Constituent(postcode="BS5 7QT"), ALFIE)
    assert (decision.status, decision.case_id) == ("matched", "C4")
    assert levels(decision.candidates[0])["first_name"] == "known_as"

    sasha = CaseRecord("C6", "Alexandra", "Nowak", date(2012, 2, 2), postcode="M1 1AA",
                       parent_names=("Ewa Nowak",))
    decision = decide_for(Child("Sasha", "Nowak", date(2012, 2, 2)),
                          Constituent(name="Ms Ewa Nowak", postcode="M1 1AA"), sasha)
    assert (decision.status, decision.case_id) == ("matched", "C6")
    assert levels(decision.candidates[0])["first_name"] == "nickname"


def test_day_and_month_swapped_links_the_right_child_never_the_namesake_born_that_day():
    decoy = CaseRecord("C9", "Adam", "Khan", date(2015, 3, 4), postcode="M14 5RT",
                       parent_names=("Asma Khan",), school="Ladybarn Primary School")
    adam = Child("Adam", "Khan", date(2015, 3, 4))  # 03/04/2015 read the US way
    decision = decide_for(adam, MRS_KHAN, ADAM, decoy, ZARA)
    assert decision.case_id in (None, "C1")
    assert decision.status in ("matched", "review")
    assert levels(decision.candidates[0])["date_of_birth"] == "swapped"
    assert decision.candidates[0].case_id == "C1"


def test_a_rare_surname_is_stronger_evidence_than_a_common_one():
    counts = Frequencies(100_000, first={"adam": 300}, last={"smith": 1300, "nakashima": 1})
    rare = CaseRecord("R1", "Adam", "Nakashima", date(2015, 4, 3))
    common = CaseRecord("R2", "Adam", "Smith", date(2015, 4, 3))
    rare_weight = score(query_for(Child("Adam", "Nakashima"), Constituent(), ON), rare,
                        counts).reasons["last_name"]["weight"]
    common_weight = score(query_for(Child("Adam", "Smith"), Constituent(), ON), common,
                          counts).reasons["last_name"]["weight"]
    assert rare_weight > common_weight + 5


def test_a_sibling_without_a_record_is_new_not_their_brothers_case():
    # Same family in every way, but another first name and date of birth.
    yusuf = Child("Yusuf", "Khan", date(2019, 1, 20), school=School("Meanwood CE Primary"))
    decision = decide_for(yusuf, MRS_KHAN, ADAM, ZARA, AMIR)
    assert decision.status == "new" and decision.case_id is None


def test_without_a_date_of_birth_the_family_decides_and_namesakes_do_not_link():
    adam = Child("Adam", "Khan")
    decision = decide_for(adam, MRS_KHAN, ADAM, NAMESAKE)
    assert (decision.status, decision.case_id) == ("matched", "C1")
    decision = decide_for(adam, Constituent(), ADAM, NAMESAKE)
    assert decision.status == "review"


def test_a_parent_with_another_surname_still_links():
    record = CaseRecord("C7", "Leo", "Hart", date(2016, 1, 9), postcode="NE1 4ST",
                        parent_names=("Gemma Walsh",), school="Hollybush Academy")
    letter = Child("Leo", "Walsh", date(2016, 1, 9))  # given the mother's surname
    decision = decide_for(letter, Constituent(name="Ms Gemma Walsh", postcode="NE1 4ST"),
                          record)
    assert (decision.status, decision.case_id) == ("matched", "C7")
    assert levels(decision.candidates[0])["last_name"] == "different"


def test_nobody_plausible_means_a_new_case():
    stranger = Child("Maya", "Lindqvist", date(2016, 2, 2))
    assert decide_for(stranger, Constituent(), ADAM, ZARA, ALFIE).status == "new"


def test_comparison_levels_for_names_and_schools():
    assert surname_level("oneillsmith", parts_of("O'Neill Smith"), "oneillsmith",
                         parts_of("O’Neill-Smith")) == "exact"
    assert surname_level("smith", parts_of("Smith"), "oneillsmith",
                         parts_of("O'Neill-Smith")) == "part"
    assert surname_level("kahn", parts_of("Kahn"), "khan", parts_of("Khan")) == "near"
    assert first_name_level("zoe", "zoe", "") == "exact"  # Zoë, accents folded
    assert first_name_level("sasha", "alexandra", "") == "nickname"
    assert first_name_level("alfie", "fred", "") == "different"  # both Alfred, not each other
    assert school_key("St. Mary's C of E Primary") == school_key(
        "Saint Marys Church of England Primary School")
