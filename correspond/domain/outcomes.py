"""What happened in the end: the outcome a referral is closed with, and the changes for
the family a caseworker ticks, offered per concern so the list stays short.

The outcomes and changes are the words the liaison team reports in; their ids are what
the database keeps, so an id is never reused for something else.
"""

from __future__ import annotations

OUTCOMES: dict[str, str] = {
    "resolved": "Resolved",
    "partly_resolved": "Partly resolved",
    "not_upheld": "Not upheld",
    "passed_on": "Passed to another service",
    "withdrawn": "Withdrawn",
}

# Each change a caseworker can tick, with its words.
CHANGES: dict[str, str] = {
    "assessment_agreed": "Assessment agreed",
    "assessment_completed": "Assessment completed",
    "plan_issued": "Plan issued",
    "plan_amended": "Plan amended",
    "review_held": "Annual review held",
    "placement_named": "Placement named",
    "school_place_found": "School place found",
    "back_in_education": "Back in full-time education",
    "interim_provision": "Interim education arranged",
    "provision_restored": "Provision restored",
    "funding_agreed": "Funding agreed",
    "transport_arranged": "Transport arranged",
    "order_implemented": "Tribunal order implemented",
    "mediation_arranged": "Mediation arranged",
    "caseworker_assigned": "Named caseworker assigned",
    "family_updated": "Family given an update",
    "exclusion_support": "Support to prevent exclusion",
    "complaint_answered": "Complaint answered",
    "apology_given": "Apology given",
    "safety_plan": "Safety or support plan in place",
    "referred_on": "Referred to the right service",
    "other_change": "Another change",
}

# The changes offered under each concern of the letter (concerns.json ids); a change may
# answer several concerns.
CHANGES_BY_CONCERN: dict[str, tuple[str, ...]] = {
    "assessment": ("assessment_agreed", "assessment_completed"),
    "plan_issue": ("plan_issued", "plan_amended"),
    "plan_content": ("plan_amended",),
    "annual_review": ("review_held", "plan_amended"),
    "placement": ("placement_named", "school_place_found"),
    "out_of_education": ("back_in_education", "interim_provision"),
    "provision_delivery": ("provision_restored", "funding_agreed"),
    "transport": ("transport_arranged",),
    "tribunal": ("order_implemented", "mediation_arranged"),
    "communication": ("caseworker_assigned", "family_updated"),
    "exclusion": ("exclusion_support", "school_place_found"),
    "complaint": ("complaint_answered", "apology_given"),
    "wellbeing_risk": ("safety_plan", "referred_on"),
    "other": ("other_change",),
}


def changes_for(concerns: list[str] | tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """(concern, the changes offered under it) for a letter's concerns, in their order;
    a letter with no concern is offered the catch-all list."""
    chosen = [concern for concern in dict.fromkeys(concerns) if concern in CHANGES_BY_CONCERN]
    return [(concern, list(CHANGES_BY_CONCERN[concern])) for concern in chosen or ["other"]]


def outcome_label(outcome: str | None) -> str:
    if outcome is None:
        return "Not yet closed"
    return OUTCOMES.get(outcome, outcome.replace("_", " ").capitalize())


def change_label(change: str) -> str:
    return CHANGES.get(change, change.replace("_", " ").capitalize())


__all__ = ["CHANGES", "CHANGES_BY_CONCERN", "OUTCOMES", "change_label", "changes_for",
           "outcome_label"]
