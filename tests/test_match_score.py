"""The first matcher's scoring and decisions, on hand-made records (pure: no database)."""

from __future__ import annotations

from datetime import date

from correspond.match.score import decide, query_for, score
from correspond.model import CaseRecord, Child, Constituent, School

ADAM = CaseRecord("C1", "Adam", "Khan", date(2015, 4, 3), school="Meanwood CE Primary School",
                  postcode="LS6 2AB")
ZARA = CaseRecord("C2", "Zara", "Khan", date(2015, 4, 3), school="Meanwood CE Primary School",
                  postcode="LS6 2AB")  # Adam's twin
NAMESAKE = CaseRecord("C3", "Adam", "Khan", date(2011, 9, 14), school="Allerton High School",
                      postcode="LS17 6AA")
ALFIE = CaseRecord("C4", "Alfred", "Smith", date(2014, 11, 30), known_as="Alfie")

MRS_KHAN = Constituent(name="Mrs Sarah Khan", postcode="LS6 2AB")


def decide_for(child: Child, constituent: Constituent, *cases: CaseRecord):
    query = query_for(child, constituent)
    return decide([score(query, case) for case in cases])


def test_a_clear_match_links_even_beside_a_twin_and_a_namesake():
    adam = Child("Adam", "Khan", date(2015, 4, 3), school=School("Meanwood Church of England "
                                                                  "Primary School"))
    decision = decide_for(adam, MRS_KHAN, ADAM, ZARA, NAMESAKE)
    assert (decision.status, decision.case_id) == ("matched", "C1")
    reasons = decision.candidates[0].reasons
    assert reasons["date_of_birth"]["level"] == "exact"
    assert reasons["first_name"]["level"] == "exact"


def test_without_a_date_of_birth_a_namesake_goes_to_review_not_a_link():
    adam = Child("Adam", "Khan")
    decision = decide_for(adam, MRS_KHAN, ADAM, NAMESAKE)
    assert decision.status == "review"
    assert decision.case_id is None
    assert [c.case_id for c in decision.candidates][:1] == ["C1"]  # same postcode ranks first


def test_day_and_month_swapped_is_offered_for_review_only():
    adam = Child("Adam", "Khan", date(2015, 3, 4))
    decision = decide_for(adam, MRS_KHAN, ADAM)
    assert decision.status == "review"
    assert decision.candidates[0].reasons["date_of_birth"]["level"] == "swapped"


def test_known_as_name_counts_as_the_first_name():
    alfie = Child("Alfie", "Smith", date(2014, 11, 30))
    decision = decide_for(alfie, Constituent(), ALFIE)
    assert (decision.status, decision.case_id) == ("matched", "C4")


def test_nobody_plausible_means_a_new_case():
    stranger = Child("Maya", "Lindqvist", date(2016, 2, 2))
    assert decide_for(stranger, Constituent(), ADAM, ZARA, ALFIE).status == "new"
