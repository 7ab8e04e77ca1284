"""Scoring a child from a letter against case records, and deciding. Pure: no disk, no DB.

A first version: per-field comparison levels with fixed weights, summed and scaled to
[0, 1]. Every candidate carries the reasons for its score. The decision is automatic
only when the best candidate is strong and clearly ahead of the next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from correspond.model import Candidate, CaseRecord, Child, Constituent, MatchDecision
from correspond.normalise import name_key, normalise_postcode

# Weight of each comparison level. Date of birth and surname carry most of the evidence;
# a school or postcode agreeing separates namesakes.
_WEIGHTS = {
    "first_name": {"exact": 3.0, "near": 1.5, "different": -3.0},
    "last_name": {"exact": 4.0, "near": 2.0, "different": -4.0},
    "date_of_birth": {"exact": 5.0, "swapped": 2.0, "near": 1.0, "different": -5.0},
    "school": {"exact": 1.5, "near": 0.75, "different": -0.5},
    "postcode": {"exact": 1.5, "different": -0.5},
}
_BEST_POSSIBLE = sum(max(levels.values()) for levels in _WEIGHTS.values())

MATCH_THRESHOLD = 0.75
SEPARATION = 0.15
REVIEW_THRESHOLD = 0.35


@dataclass(frozen=True)
class Query:
    """What the letter says about one child, ready for comparison."""

    child: Child
    postcode: str | None


def query_for(child: Child, constituent: Constituent) -> Query:
    return Query(child=child, postcode=normalise_postcode(constituent.postcode))


def score(query: Query, case: CaseRecord) -> Candidate:
    child = query.child
    levels = {
        "first_name": _name_level(child.first_name, (case.child_first_name, case.known_as)),
        "last_name": _name_level(child.last_name, (case.child_last_name,)),
        "date_of_birth": _date_level(child.date_of_birth, case.date_of_birth),
        "school": _school_level(child.school.name if child.school else None, case.school),
        "postcode": _exact_level(query.postcode, case.postcode),
    }
    reasons: dict[str, object] = {}
    total = 0.0
    for field, level in levels.items():
        weight = _WEIGHTS[field].get(level, 0.0)  # "missing" moves nothing
        total += weight
        reasons[field] = {"level": level, "weight": weight}
    return Candidate(case_id=case.case_id, score=round(max(total, 0.0) / _BEST_POSSIBLE, 3),
                     reasons=reasons)


def decide(candidates: Sequence[Candidate]) -> MatchDecision:
    ranked = sorted(candidates, key=lambda candidate: candidate.score, reverse=True)
    plausible = tuple(c for c in ranked if c.score >= REVIEW_THRESHOLD)[:5]
    if not plausible:
        return MatchDecision(status="new")
    best = plausible[0]
    runner_up = plausible[1].score if len(plausible) > 1 else 0.0
    if best.score >= MATCH_THRESHOLD and best.score - runner_up >= SEPARATION \
            and _decisive(best):
        return MatchDecision(status="matched", case_id=best.case_id, score=best.score,
                             candidates=plausible)
    return MatchDecision(status="review", score=best.score, candidates=plausible)


def _decisive(candidate: Candidate) -> bool:
    """Never link automatically without an exact date of birth and a matching surname."""
    reasons = candidate.reasons
    return (
        reasons["date_of_birth"]["level"] == "exact"  # type: ignore[index]
        and reasons["last_name"]["level"] == "exact"  # type: ignore[index]
        and reasons["first_name"]["level"] in ("exact", "near")  # type: ignore[index]
    )


def _name_level(value: str | None, record_values: Sequence[str | None]) -> str:
    key = name_key(value)
    keys = [name_key(v) for v in record_values if v]
    if not key or not keys:
        return "missing"
    if key in keys:
        return "exact"
    if max(fuzz.ratio(key, other) for other in keys) >= 85:
        return "near"
    return "different"


def _date_level(value: date | None, record: date | None) -> str:
    if value is None or record is None:
        return "missing"
    if value == record:
        return "exact"
    if (value.year, value.month, value.day) == (record.year, record.day, record.month):
        return "swapped"
    same_parts = sum(a == b for a, b in zip((value.year, value.month, value.day),
                                            (record.year, record.month, record.day)))
    return "near" if same_parts == 2 else "different"


def _school_level(value: str | None, record: str | None) -> str:
    if not value or not record:
        return "missing"
    similarity = fuzz.token_set_ratio(value.casefold(), record.casefold())
    if similarity >= 95:
        return "exact"
    if similarity >= 80:
        return "near"
    return "different"


def _exact_level(value: str | None, record: str | None) -> str:
    if not value or not record:
        return "missing"
    return "exact" if value == record else "different"
