"""Scoring a child from a letter against case records, and deciding. Pure: no disk, no DB.

Each candidate's match weight is the prior (one record in N) plus, for every field, the
weight of its comparison level (compare.py, weights.py). Every candidate carries those
per-field reasons, so a caseworker sees what agreed, what differed and by how much. When
deciding, each candidate's probability allows for the others: at most one is the child.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from correspond.config import Settings
from correspond.domain.postcodes import normalise_postcode
from correspond.domain.text import name_key
from correspond.match import compare
from correspond.match.nicknames import equivalents
from correspond.match.weights import level_weight, prior_weight, probability
from correspond.records import Candidate, CaseRecord, Child, Constituent, MatchDecision

# The levels at which a candidate may be linked without a person: the child's own first
# name and date of birth must agree. Surname, school, address and parents are shared by
# siblings, so however strongly they agree they never link a child on their own.
_FIRST_NAME_AGREES = frozenset({"exact", "known_as", "nickname", "near"})
_DATE_AGREES = frozenset({"exact", "swapped", "one_digit", "age_agrees", "missing"})
_SHOWN = 5


@dataclass(frozen=True)
class MatchPolicy:
    """When to link, review or call a child new: from the settings of the same names."""

    threshold: float      # match probability needed to link without a person
    margin_bits: float    # and the lead over the next record, in bits
    review_threshold: float  # below this a record is not offered at all

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> MatchPolicy:
        """The policy in `settings`, or the settings' defaults."""
        def value(name: str) -> float:
            if settings is not None:
                return getattr(settings, name)
            return Settings.model_fields[name].default
        return cls(value("match_threshold"), value("match_margin_bits"),
                   value("review_threshold"))


@dataclass(frozen=True)
class Query:
    """What the letter says about one child, as comparison keys."""

    first: str
    last: str
    last_parts: frozenset[str]
    date_of_birth: date | None
    age: int | None
    school: str
    school_urn: str | None
    postcode: str | None
    parent: tuple[str, str]
    address: str
    on: date

    @property
    def first_name_keys(self) -> tuple[str, ...]:
        """The first name and its known-as equivalents, for looking up candidates."""
        return tuple(sorted({self.first, *equivalents(self.first)} - {""}))

    @property
    def last_name_keys(self) -> tuple[str, ...]:
        return tuple(sorted({self.last, *self.last_parts} - {""}))

    @property
    def has_identity(self) -> bool:
        return bool(self.first or self.last or self.date_of_birth)


@dataclass(frozen=True)
class Frequencies:
    """How many records carry each first name and surname (from the import)."""

    total: int
    first: Mapping[str, int] = field(default_factory=dict)
    last: Mapping[str, int] = field(default_factory=dict)

    def share(self, table: Mapping[str, int], key: str) -> float | None:
        count = table.get(key)
        return count / self.total if count and self.total else None


def query_for(child: Child, constituent: Constituent, on: date) -> Query:
    return Query(
        first=name_key(child.first_name),
        last=name_key(child.last_name),
        last_parts=compare.parts_of(child.last_name),
        date_of_birth=child.date_of_birth,
        age=child.age,
        school=compare.school_key(child.school.name if child.school else None),
        school_urn=child.school.urn if child.school else None,
        postcode=normalise_postcode(constituent.postcode),
        parent=compare.person_name(constituent.name),
        address=compare.address_key(constituent.address),
        on=on,
    )


def score(query: Query, case: CaseRecord, frequencies: Frequencies) -> Candidate:
    first, known_as = name_key(case.child_first_name), name_key(case.known_as)
    last = name_key(case.child_last_name)
    postcode = compare.postcode_level(query.postcode, case.postcode)
    levels = {
        "first_name": compare.first_name_level(query.first, first, known_as),
        "last_name": compare.surname_level(query.last, query.last_parts, last,
                                           compare.parts_of(case.child_last_name)),
        "date_of_birth": compare.date_of_birth_level(query.date_of_birth, query.age,
                                                     case.date_of_birth, query.on),
        "school": compare.school_level(query.school, query.school_urn,
                                       compare.school_key(case.school), case.school_urn),
        "postcode": postcode,
        "address": compare.address_level(query.address, compare.address_key(case.address)),
        "parent": compare.parent_level(
            query.parent, tuple(compare.person_name(name) for name in case.parent_names)),
    }
    term_u = {
        "first_name": frequencies.share(frequencies.first, query.first),
        "last_name": frequencies.share(frequencies.last, query.last),
    }
    reasons: dict[str, object] = {}
    total = prior_weight(frequencies.total)
    for name, level in levels.items():
        weight = round(level_weight(name, level, term_u=term_u.get(name),
                                    postcode_level=postcode), 2)
        total += weight
        reasons[name] = {"level": level, "weight": weight}
    return Candidate(case_id=case.case_id, score=round(probability(total), 4),
                     reasons=reasons, weight=round(total, 2))


def decide(candidates: Sequence[Candidate], policy: MatchPolicy) -> MatchDecision:
    """`matched` only when the best record is probable, its child's own first name and date
    of birth agree, and it is well ahead of the next; `review` when some record is
    plausible; otherwise `new`."""
    ranked = sorted(_competing(candidates), key=lambda candidate: candidate.weight or 0.0,
                    reverse=True)
    plausible = tuple(c for c in ranked
                      if c.score >= policy.review_threshold and not _another_child(c))[:_SHOWN]
    if not plausible:
        return MatchDecision(status="new", reason="No case record is plausibly this child.")
    best = ranked[0]
    lead = (best.weight or 0.0) - (ranked[1].weight or 0.0) if len(ranked) > 1 else None
    problem = _why_not_automatic(best, lead, policy)
    if problem is None:
        ahead = "no other record" if lead is None else f"{lead:.1f} bits ahead of the next"
        # The caseworker also sees the record it was separated from (a twin, a sibling).
        shown = plausible if len(ranked) < 2 or ranked[1] in plausible \
            else (*plausible, ranked[1])
        return MatchDecision(status="matched", case_id=best.case_id, score=best.score,
                             candidates=shown,
                             reason=f"Probability {best.score:.4f}, {ahead}.")
    return MatchDecision(status="review", score=best.score, candidates=plausible,
                         reason=problem)


def level_of(candidate: Candidate, field_name: str) -> str:
    return candidate.reasons[field_name]["level"]  # type: ignore[index]


def _another_child(candidate: Candidate) -> bool:
    """Both the first name and the date of birth differ: a sibling's record, however much
    of the family agrees, is not this child's."""
    return (level_of(candidate, "first_name") == "different"
            and level_of(candidate, "date_of_birth") in ("different", "age_differs"))


def _competing(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Each candidate's probability of being the child given the others: at most one
    record is, so a twin as likely as the best halves the best's probability.

    P(record i) = 2^w_i / (1 + sum of 2^w_j), the 1 standing for "none of them".
    """
    if not candidates:
        return []
    top = max(max(c.weight or 0.0 for c in candidates), 0.0)
    total = 2.0 ** -top + sum(2.0 ** ((c.weight or 0.0) - top) for c in candidates)
    return [replace(c, score=round(2.0 ** ((c.weight or 0.0) - top) / total, 4))
            for c in candidates]


def _why_not_automatic(best: Candidate, lead: float | None,
                       policy: MatchPolicy) -> str | None:
    if level_of(best, "first_name") not in _FIRST_NAME_AGREES:
        return "The first name does not agree with the best record."
    if level_of(best, "date_of_birth") not in _DATE_AGREES:
        return "The date of birth does not agree with the best record."
    if best.score < policy.threshold:
        return (f"The best record's probability {best.score:.4f} is below the "
                f"{policy.threshold} needed to link without a person.")
    if lead is not None and lead < policy.margin_bits:
        return (f"The next record is only {lead:.1f} bits behind (a twin, sibling or "
                "namesake?).")
    return None
