"""The council's words for what a letter says in sentences: the concerns as a family
would put them, the state of a plan, the statutory clocks, and the reasons a holding
reply gives. Pure: names and dates in, plain sentences out."""

from __future__ import annotations

from datetime import date

from correspond.domain.dates import written_date
from correspond.domain.statutory import (
    AMENDED_PLAN,
    ASSESSMENT_DECISION,
    FINAL_PLAN,
    PHASE_TRANSFER,
    REVIEW_DECISION,
    Clock,
    weeks_and_days,
)

# Each concern as it reads after "including" or "about": what the family would call it.
CONCERN_PHRASES: dict[str, str] = {
    "assessment": "the request for an education, health and care (EHC) needs assessment",
    "plan_issue": "the time being taken to issue the EHC plan",
    "plan_content": "what the EHC plan says about needs and support",
    "annual_review": "the annual review of the EHC plan",
    "placement": "the choice of school or setting",
    "out_of_education": "time out of full-time education",
    "provision_delivery": "support in the EHC plan that is not being provided",
    "transport": "home to school transport",
    "tribunal": "the appeal to the SEND Tribunal",
    "communication": "the difficulty in getting answers from us",
    "exclusion": "exclusion from school",
    "complaint": "the formal complaint to the council",
    "wellbeing_risk": "worries about wellbeing and safety",
}

# Why a full reply needs longer, for a holding reply: the caseworker chooses one of
# these sentences or writes their own.
HOLDING_REASONS: tuple[str, ...] = (
    "We are waiting for information from the school, which we need to answer your points "
    "in full.",
    "We are waiting for advice from the educational psychology service.",
    "We are waiting for advice from health colleagues.",
    "We are consulting the schools the family have asked for, and not all of them have "
    "replied yet.",
    "The case is going to the council's SEND panel for a decision.",
    "The caseworker needs to meet the family before we can reply in full.",
)

# A plan's status as case systems record it, as a sentence about the child.
_PLAN_STATUS: dict[str, str] = {
    "requested": "{name}'s family have asked us for an EHC needs assessment",
    "assessing": "We are carrying out an EHC needs assessment for {name}",
    "draft": "{name} has a draft EHC plan",
    "final": "{name} has an EHC plan",
    "ceased": "{name}'s EHC plan has ended",
}


def join(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def concerns_sentence_part(categories: list[str]) -> str:
    """'the request for an ... assessment and home to school transport'; 'other' (which
    says nothing in a sentence) is left out."""
    phrases = [CONCERN_PHRASES[category] for category in categories
               if category in CONCERN_PHRASES]
    return join(list(dict.fromkeys(phrases)))


def plan_sentence(name: str, status: str | None, issued: date | None) -> str:
    """'Adam has an EHC plan, issued on 3 March 2024.'; '' when the status is unknown."""
    pattern = _PLAN_STATUS.get((status or "").strip().lower())
    if pattern is None:
        return ""
    sentence = pattern.format(name=name)
    if issued is not None and status in ("draft", "final"):
        sentence += f", issued on {written_date(issued)}"
    return sentence + "."


def clock_sentence(clock: Clock, name: str) -> str:
    """The statutory clock as a fact the caseworker has confirmed, with how it stands."""
    due = written_date(clock.due)
    started = written_date(clock.started)
    if clock.key == ASSESSMENT_DECISION:
        opening = (f"We received the request for an EHC needs assessment for {name} on "
                   f"{started}. The decision whether to assess")
        return _stated(opening, clock, due, "within 6 weeks", "made")
    if clock.key == FINAL_PLAN:
        opening = f"{name}'s final EHC plan"
        return _stated(opening, clock, due, "within 20 weeks of the request", "issued")
    if clock.key == REVIEW_DECISION:
        opening = (f"{name}'s annual review meeting was held on {started}. Our decision "
                   "after the review")
        return _stated(opening, clock, due, "within 4 weeks of the meeting", "sent")
    if clock.key == AMENDED_PLAN:
        opening = f"{name}'s amended EHC plan"
        return _stated(opening, clock, due, "within 8 weeks of that decision", "issued")
    if clock.key == PHASE_TRANSFER:
        opening = f"{name}'s EHC plan naming the school for the next phase of education"
        return _stated(opening, clock, due, "", "issued")
    raise ValueError(f"unknown clock {clock.key}")


def _stated(opening: str, clock: Clock, due: str, within: str, done_verb: str) -> str:
    by = f" {within}, by {due}" if within else f" by {due}"
    if clock.state == "due":
        return f"{opening} is due{by}."
    if clock.state == "met":
        assert clock.done is not None
        return (f"{opening} was due{by}, and was {done_verb} on "
                f"{written_date(clock.done)}, in time.")
    late = weeks_and_days(clock.late_days)
    if clock.done is not None:
        return (f"{opening} was due{by}; it was {done_verb} on "
                f"{written_date(clock.done)}, {late} late.")
    return (f"{opening} was due{by}, and has not yet been {done_verb}: it is now {late} "
            "late.")


__all__ = ["CONCERN_PHRASES", "HOLDING_REASONS", "clock_sentence", "concerns_sentence_part",
           "join", "plan_sentence"]
