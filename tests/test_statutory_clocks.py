"""The statutory clocks of an EHC case (SEND Regulations 2014), worked out from a case
record's dates: calendar weeks whatever the bank holidays, leap days, missing dates, and
every way a clock can be late."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from correspond.domain.statutory import (
    AMENDED_PLAN,
    ASSESSMENT_DECISION,
    FINAL_PLAN,
    PHASE_TRANSFER,
    REVIEW_DECISION,
    case_clocks,
    phase_transfer_deadline,
    weeks_and_days,
)
from correspond.domain.workdays import is_working_day
from correspond.draft.wording import clock_sentence
from correspond.records import CaseRecord

CHILD = CaseRecord("C-1", "Adam", "Khan", date(2015, 4, 3))


def clocks(record: CaseRecord, today: date) -> dict[str, object]:
    return {clock.key: clock for clock in case_clocks(record, today)}


def test_no_dates_no_clocks():
    assert case_clocks(CHILD, date(2026, 6, 1)) == ()


def test_the_decision_to_assess_is_due_six_calendar_weeks_after_the_request():
    record = replace(CHILD, assessment_requested=date(2026, 3, 2))
    found = clocks(record, today=date(2026, 3, 20))[ASSESSMENT_DECISION]
    assert (found.due, found.state, found.done) == (date(2026, 4, 13), "due", None)


def test_bank_holidays_do_not_stop_the_calendar_weeks():
    # Requested just before Christmas: 25, 26 and 28 December and 1 January are bank
    # holidays, and the deadline is still six weeks to the day.
    record = replace(CHILD, assessment_requested=date(2026, 12, 21))
    assert not is_working_day(date(2026, 12, 28))
    found = clocks(record, today=date(2027, 1, 4))[ASSESSMENT_DECISION]
    assert found.due == date(2027, 2, 1)
    # Easter Monday 2027 (29 March) is inside the 20 weeks and changes nothing either.
    plan = clocks(replace(record, assessment_decision=date(2027, 1, 20),
                          assessment_decision_outcome="agreed"), date(2027, 1, 21))
    assert plan[FINAL_PLAN].due == date(2027, 5, 10)


def test_leap_days_count_as_days():
    six_weeks = replace(CHILD, assessment_requested=date(2024, 1, 18))
    assert clocks(six_weeks, date(2024, 1, 20))[ASSESSMENT_DECISION].due == date(2024, 2, 29)
    twenty_weeks = replace(CHILD, assessment_requested=date(2023, 10, 12),
                           assessment_decision_outcome="agreed",
                           assessment_decision=date(2023, 11, 20))
    assert clocks(twenty_weeks, date(2024, 1, 1))[FINAL_PLAN].due == date(2024, 2, 29)
    # In a year with no 29 February the same request is due a day later in the calendar.
    plain = replace(twenty_weeks, assessment_requested=date(2022, 10, 12),
                    assessment_decision=date(2022, 11, 20))
    assert clocks(plain, date(2023, 1, 1))[FINAL_PLAN].due == date(2023, 3, 1)


def test_a_decision_on_the_last_day_is_in_time_and_one_day_later_is_late():
    requested = replace(CHILD, assessment_requested=date(2026, 3, 2))
    on_time = clocks(replace(requested, assessment_decision=date(2026, 4, 13)),
                     date(2026, 6, 1))[ASSESSMENT_DECISION]
    assert (on_time.state, on_time.late_days) == ("met", 0)
    late = clocks(replace(requested, assessment_decision=date(2026, 4, 14)),
                  date(2026, 6, 1))[ASSESSMENT_DECISION]
    assert (late.state, late.late_days, late.done) == ("late", 1, date(2026, 4, 14))


def test_a_request_with_no_decision_is_due_then_late_and_still_outstanding():
    record = replace(CHILD, assessment_requested=date(2026, 3, 2))
    assert clocks(record, date(2026, 4, 13))[ASSESSMENT_DECISION].state == "due"
    late = clocks(record, date(2026, 5, 6))[ASSESSMENT_DECISION]
    assert (late.state, late.late_days, late.outstanding) == ("late", 23, True)
    # With no decision, whether a plan is due is not known: no 20-week clock is stated.
    assert FINAL_PLAN not in clocks(record, date(2026, 5, 6))


def test_a_final_plan_is_due_twenty_weeks_from_the_request_unless_assessment_was_refused():
    record = replace(CHILD, assessment_requested=date(2026, 1, 5),
                     assessment_decision=date(2026, 2, 9), assessment_decision_outcome="agreed")
    due = clocks(record, date(2026, 4, 1))[FINAL_PLAN]
    assert (due.due, due.state) == (date(2026, 5, 25), "due")
    outstanding = clocks(record, date(2026, 6, 15))[FINAL_PLAN]
    assert (outstanding.state, outstanding.late_days, outstanding.done) == ("late", 21, None)
    issued_late = clocks(replace(record, ehcp_issued=date(2026, 7, 6), ehcp_status="final"),
                         date(2026, 8, 1))[FINAL_PLAN]
    assert (issued_late.state, issued_late.late_days) == ("late", 42)
    in_time = clocks(replace(record, ehcp_issued=date(2026, 5, 20)), date(2026, 8, 1))
    assert in_time[FINAL_PLAN].state == "met"
    refused = replace(record, assessment_decision_outcome="refused")
    assert FINAL_PLAN not in clocks(refused, date(2026, 8, 1))
    assert clocks(refused, date(2026, 8, 1))[ASSESSMENT_DECISION].state == "met"


def test_an_older_plan_does_not_end_a_new_request():
    # A plan issued before the request is the previous one, not the answer to it.
    record = replace(CHILD, assessment_requested=date(2026, 1, 5), ehcp_status="assessing",
                     ehcp_issued=date(2021, 3, 1))
    found = clocks(record, date(2026, 6, 15))[FINAL_PLAN]
    assert (found.done, found.state) == (None, "late")


def test_dates_that_contradict_each_other_state_no_clock():
    record = replace(CHILD, assessment_requested=date(2026, 3, 2),
                     assessment_decision=date(2026, 2, 1),
                     last_review_held=date(2026, 5, 1), review_decision=date(2026, 4, 1))
    assert case_clocks(record, date(2026, 6, 1)) == ()


def test_after_an_annual_review_the_decision_is_due_in_four_weeks():
    record = replace(CHILD, last_review_held=date(2026, 5, 1))
    assert clocks(record, date(2026, 5, 10))[REVIEW_DECISION].due == date(2026, 5, 29)
    outstanding = clocks(record, date(2026, 6, 5))[REVIEW_DECISION]
    assert (outstanding.state, outstanding.late_days) == ("late", 7)
    decided_late = clocks(replace(record, review_decision=date(2026, 6, 10)),
                          date(2026, 7, 1))[REVIEW_DECISION]
    assert (decided_late.state, decided_late.late_days) == ("late", 12)
    # No decision date: whether the plan is to be amended is unknown, so no 8-week clock.
    assert AMENDED_PLAN not in clocks(record, date(2026, 6, 5))


def test_an_amended_plan_is_due_eight_weeks_after_a_decision_to_amend():
    record = replace(CHILD, last_review_held=date(2026, 5, 1), review_decision=date(2026, 5, 20),
                     draft_plan_issued=date(2026, 5, 20))
    due = clocks(record, date(2026, 6, 1))[AMENDED_PLAN]
    assert (due.started, due.due, due.state) == (date(2026, 5, 20), date(2026, 7, 15), "due")
    outstanding = clocks(record, date(2026, 8, 1))[AMENDED_PLAN]
    assert (outstanding.state, outstanding.late_days) == ("late", 17)
    issued_late = clocks(replace(record, ehcp_issued=date(2026, 7, 29)), date(2026, 8, 1))
    assert (issued_late[AMENDED_PLAN].state, issued_late[AMENDED_PLAN].late_days) == ("late", 14)
    in_time = clocks(replace(record, ehcp_issued=date(2026, 7, 15)), date(2026, 8, 1))
    assert in_time[AMENDED_PLAN].state == "met"
    # A decision to keep the plan as it is sends no amendment notice: no 8-week clock.
    kept = replace(record, draft_plan_issued=None)
    assert AMENDED_PLAN not in clocks(kept, date(2026, 8, 1))


def test_phase_transfer_deadlines():
    assert phase_transfer_deadline(2027, post_16=False) == date(2027, 2, 15)
    assert phase_transfer_deadline(2028, post_16=True) == date(2028, 3, 31)
    record = replace(CHILD, phase_transfer_due=date(2027, 2, 15), ehcp_issued=date(2024, 3, 1))
    assert clocks(record, date(2027, 1, 10))[PHASE_TRANSFER].state == "due"
    late = clocks(record, date(2027, 2, 20))[PHASE_TRANSFER]
    assert (late.state, late.late_days, late.done) == ("late", 5, None)
    named = clocks(replace(record, ehcp_issued=date(2027, 2, 10)), date(2027, 3, 1))
    assert named[PHASE_TRANSFER].state == "met"
    named_late = clocks(replace(record, ehcp_issued=date(2027, 3, 1)), date(2027, 3, 2))
    assert (named_late[PHASE_TRANSFER].state, named_late[PHASE_TRANSFER].late_days) == \
        ("late", 14)


def test_a_phase_transfer_on_29_february_looks_back_a_year_without_failing():
    record = replace(CHILD, phase_transfer_due=date(2028, 2, 29), ehcp_issued=date(2027, 3, 1))
    assert clocks(record, date(2028, 3, 1))[PHASE_TRANSFER].state == "met"


@pytest.mark.parametrize(("days", "words"), [
    (1, "1 day"), (6, "6 days"), (7, "1 week"), (8, "1 week and 1 day"),
    (23, "3 weeks and 2 days"), (14, "2 weeks"),
])
def test_how_late_is_said_in_weeks_and_days(days, words):
    assert weeks_and_days(days) == words


def test_each_state_reads_as_a_plain_sentence():
    record = replace(CHILD, assessment_requested=date(2026, 3, 2))
    due = clocks(record, date(2026, 3, 20))[ASSESSMENT_DECISION]
    assert clock_sentence(due, "Adam") == (
        "We received the request for an EHC needs assessment for Adam on 2 March 2026. "
        "The decision whether to assess is due within 6 weeks, by 13 April 2026.")
    outstanding = clocks(record, date(2026, 5, 6))[ASSESSMENT_DECISION]
    assert clock_sentence(outstanding, "Adam").endswith(
        "was due within 6 weeks, by 13 April 2026, and has not yet been made: it is now "
        "3 weeks and 2 days late.")
    late = clocks(replace(record, assessment_decision=date(2026, 4, 20)),
                  date(2026, 5, 6))[ASSESSMENT_DECISION]
    assert clock_sentence(late, "Adam").endswith(
        "was due within 6 weeks, by 13 April 2026; it was made on 20 April 2026, 1 week late.")
    met = clocks(replace(record, assessment_decision=date(2026, 4, 1)),
                 date(2026, 5, 6))[ASSESSMENT_DECISION]
    assert clock_sentence(met, "Adam").endswith("and was made on 1 April 2026, in time.")
    transfer = clocks(replace(CHILD, phase_transfer_due=date(2027, 2, 15)),
                      date(2027, 1, 10))[PHASE_TRANSFER]
    assert clock_sentence(transfer, "Adam") == (
        "Adam's EHC plan naming the school for the next phase of education is due by "
        "15 February 2027.")
