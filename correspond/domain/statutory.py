"""The statutory clocks of a child's EHC case, from the dates in its case record.

The SEND Regulations 2014 set these in calendar weeks from the day that starts them:
weekends, bank holidays and school holidays all count (the regulations' exceptions, such
as a request made just before the summer holiday, are for the caseworker to judge, so a
letter states a clock only as a fact they have confirmed):

- the decision whether to carry out an EHC needs assessment, 6 weeks from the request
  (regulation 4);
- the final EHC plan, 20 weeks from the request (regulation 13), unless the council
  refused to assess;
- after an annual review meeting, the council's decision within 4 weeks of the meeting
  (regulation 20(10)), and an amended plan within 8 weeks of that decision when it is to
  amend the plan (regulation 22(4));
- on a move between phases of education, the plan naming the next school by 15 February
  of the year of transfer, or 31 March for a move into post-16 education (regulation
  18).

Each clock is met (done by the due date), late (done after it, or still not done once it
has passed: late by how long) or due (not done, and the due date is still to come). A
clock is never worked out from a missing date, nor from dates that contradict each other
(a decision recorded before the request): it is left out instead.

Pure functions of a case record and the day it is worked out on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, Protocol

ClockState = Literal["met", "late", "due"]

ASSESSMENT_DECISION = "assessment_decision"
FINAL_PLAN = "final_plan"
REVIEW_DECISION = "review_decision"
AMENDED_PLAN = "amended_plan"
PHASE_TRANSFER = "phase_transfer"
CLOCK_KEYS = (ASSESSMENT_DECISION, FINAL_PLAN, REVIEW_DECISION, AMENDED_PLAN, PHASE_TRANSFER)

ASSESSMENT_DECISION_WEEKS = 6
FINAL_PLAN_WEEKS = 20
REVIEW_DECISION_WEEKS = 4
AMENDED_PLAN_WEEKS = 8
# Case systems record a plan's status in their own words; these mean the council agreed
# to assess (a plan may follow), so the 20-week clock runs.
_ASSESSING_STATUSES = frozenset({"assessing", "draft", "final"})


class CaseDates(Protocol):
    """The dates of a case the clocks read (a CaseRecord has them all)."""

    @property
    def ehcp_status(self) -> str | None: ...
    @property
    def ehcp_issued(self) -> date | None: ...
    @property
    def assessment_requested(self) -> date | None: ...
    @property
    def assessment_decision(self) -> date | None: ...
    @property
    def assessment_decision_outcome(self) -> str | None: ...
    @property
    def draft_plan_issued(self) -> date | None: ...
    @property
    def last_review_held(self) -> date | None: ...
    @property
    def review_decision(self) -> date | None: ...
    @property
    def phase_transfer_due(self) -> date | None: ...


@dataclass(frozen=True)
class Clock:
    key: str  # one of CLOCK_KEYS
    started: date  # the day the clock ran from (the request, the review meeting...)
    due: date
    done: date | None  # when what was due happened; None while it has not
    state: ClockState
    late_days: int = 0  # for a late clock: the days after the due date, done or to today

    @property
    def outstanding(self) -> bool:
        return self.done is None


def weeks_after(start: date, weeks: int) -> date:
    """The day `weeks` calendar weeks after `start` (the same weekday)."""
    return start + timedelta(weeks=weeks)


def phase_transfer_deadline(year: int, *, post_16: bool) -> date:
    """15 February of the year of transfer; 31 March for a move into post-16."""
    return date(year, 3, 31) if post_16 else date(year, 2, 15)


def clock(key: str, started: date, due: date, done: date | None, today: date) -> Clock:
    """Met, late or due, as of `today`."""
    if done is not None:
        if done <= due:
            return Clock(key, started, due, done, "met")
        return Clock(key, started, due, done, "late", (done - due).days)
    if today > due:
        return Clock(key, started, due, None, "late", (today - due).days)
    return Clock(key, started, due, None, "due")


def case_clocks(record: CaseDates, today: date) -> tuple[Clock, ...]:
    """Every clock the record's dates allow, in the order a case goes through them."""
    found = [
        _assessment_decision(record, today),
        _final_plan(record, today),
        _review_decision(record, today),
        _amended_plan(record, today),
        _phase_transfer(record, today),
    ]
    return tuple(item for item in found if item is not None)


def _assessment_decision(record: CaseDates, today: date) -> Clock | None:
    requested, decided = record.assessment_requested, record.assessment_decision
    if requested is None or (decided is not None and decided < requested):
        return None
    return clock(ASSESSMENT_DECISION, requested,
                 weeks_after(requested, ASSESSMENT_DECISION_WEEKS), decided, today)


def _final_plan(record: CaseDates, today: date) -> Clock | None:
    requested = record.assessment_requested
    if requested is None:
        return None
    if record.assessment_decision is not None and record.assessment_decision < requested:
        return None
    issued = record.ehcp_issued if record.ehcp_issued and record.ehcp_issued >= requested \
        else None
    agreed = (record.assessment_decision_outcome == "agreed"
              or (record.ehcp_status or "") in _ASSESSING_STATUSES or issued is not None)
    if record.assessment_decision_outcome == "refused" or not agreed:
        return None  # no assessment, or none known of: no plan is due
    return clock(FINAL_PLAN, requested, weeks_after(requested, FINAL_PLAN_WEEKS), issued,
                 today)


def _review_decision(record: CaseDates, today: date) -> Clock | None:
    held, decided = record.last_review_held, record.review_decision
    if held is None or (decided is not None and decided < held):
        return None
    return clock(REVIEW_DECISION, held, weeks_after(held, REVIEW_DECISION_WEEKS), decided,
                 today)


def _amended_plan(record: CaseDates, today: date) -> Clock | None:
    held, decided = record.last_review_held, record.review_decision
    if held is None or decided is None or decided < held:
        return None
    # Only a decision to amend starts this clock: the amendment notice (a draft of the
    # amended plan) sent after the meeting says it was one.
    notice = record.draft_plan_issued
    if notice is None or notice < held:
        return None
    issued = record.ehcp_issued if record.ehcp_issued and record.ehcp_issued > held else None
    return clock(AMENDED_PLAN, decided, weeks_after(decided, AMENDED_PLAN_WEEKS), issued,
                 today)


def _phase_transfer(record: CaseDates, today: date) -> Clock | None:
    due = record.phase_transfer_due
    if due is None:
        return None
    # The plan naming the next school is one issued in the year before the deadline
    # (or after it, late); an older plan named the current one.
    year_before = _same_day_a_year_earlier(due)
    issued = record.ehcp_issued if record.ehcp_issued and record.ehcp_issued > year_before \
        else None
    return clock(PHASE_TRANSFER, year_before, due, issued, today)


def _same_day_a_year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return date(day.year - 1, 2, 28)


def weeks_and_days(days: int) -> str:
    """'3 weeks and 2 days', '1 week', '4 days', '1 day'."""
    weeks, rest = divmod(days, 7)
    parts = []
    if weeks:
        parts.append(f"{weeks} week{'s' if weeks != 1 else ''}")
    if rest or not weeks:
        parts.append(f"{rest} day{'s' if rest != 1 else ''}")
    return " and ".join(parts)


__all__ = ["AMENDED_PLAN", "ASSESSMENT_DECISION", "CLOCK_KEYS", "FINAL_PLAN",
           "PHASE_TRANSFER", "REVIEW_DECISION", "CaseDates", "Clock", "case_clocks", "clock",
           "phase_transfer_deadline", "weeks_after", "weeks_and_days"]
