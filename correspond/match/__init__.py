"""Linking each child in a letter to a case record, each child on its own.

In order: a caseworker's earlier decision for the same family; the case of an earlier
referral the letter quotes (a chaser); otherwise candidates by blocking, scored field by
field (score.py) and decided.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Protocol

from sqlalchemy.engine import Connection

from correspond.domain.clock import local_date, utc_now
from correspond.domain.text import name_key
from correspond.match import compare
from correspond.match.family import family_key
from correspond.match.score import Frequencies, MatchPolicy, Query, decide, query_for, score
from correspond.records import Candidate, Child, Extraction, MatchDecision
from correspond.store import blocking, confirmations
from correspond.store.cases import case_by_id
from correspond.store.database import Database


class Matcher(Protocol):
    def match(self, extraction: Extraction) -> list[MatchDecision]: ...


class CaseMatcher:
    """Matches against the case records in the database; each child on its own."""

    def __init__(self, db: Database, policy: MatchPolicy | None = None,
                 today: Callable[[], date] = lambda: local_date(utc_now())) -> None:
        self.db = db
        self.policy = policy or MatchPolicy.from_settings()
        self.today = today

    def match(self, extraction: Extraction) -> list[MatchDecision]:
        with self.db.reading() as connection:
            quoted = (confirmations.cases_linked_to(self.db, connection,
                                                    extraction.council_reference)
                      if extraction.council_reference else [])
            return [self._match_child(connection, child, extraction, quoted)
                    for child in extraction.children]

    def _match_child(self, connection: Connection, child: Child, extraction: Extraction,
                     quoted: list[confirmations.LinkedChild]) -> MatchDecision:
        query = query_for(child, extraction.constituent, extraction.letter_date or self.today())
        if not query.has_identity:
            return MatchDecision(status="new", reason="The letter gives no name or date of "
                                                      "birth for this child.")
        frequencies = self._frequencies(connection, query)
        confirmed = self._confirmed(connection, child, extraction, query, frequencies)
        if confirmed is not None:
            return confirmed
        by_reference = self._by_reference(connection, query, frequencies, quoted,
                                          extraction.council_reference)
        if by_reference is not None:
            return by_reference
        keys = blocking.BlockingKeys(
            dates_of_birth=_dates_worth_trying(query.date_of_birth),
            first_name_keys=query.first_name_keys,
            last_name_keys=query.last_name_keys,
            postcode=query.postcode,
            born_between=_born_between(query),
        )
        records = blocking.find_candidates(self.db, connection, keys)
        return decide([score(query, record, frequencies) for record in records], self.policy)

    def _frequencies(self, connection: Connection, query: Query) -> Frequencies:
        counts = blocking.name_counts(self.db, connection, [query.first], [query.last])
        return Frequencies(counts.total, counts.first, counts.last)

    def _confirmed(self, connection: Connection, child: Child, extraction: Extraction,
                   query: Query, frequencies: Frequencies) -> MatchDecision | None:
        """A caseworker linked this child, written so, from this family before."""
        found = confirmations.latest_confirmation(
            self.db, connection, family_key(child, extraction.constituent))
        if found is None:
            return None
        case = case_by_id(self.db, connection, found.case_id)
        if case is None:  # the case has left the export since; decide afresh
            return None
        when = found.confirmed_at.date().isoformat()
        candidate = _with_reason(score(query, case, frequencies), "confirmed", {
            "level": "confirmed by a caseworker", "weight": None,
            "by": found.confirmed_by, "on": when})
        return MatchDecision(status="matched", case_id=case.case_id, score=candidate.score,
                             candidates=(candidate,),
                             reason=f"Confirmed for this family by {found.confirmed_by} "
                                    f"on {when}.")

    def _by_reference(self, connection: Connection, query: Query, frequencies: Frequencies,
                      quoted: list[confirmations.LinkedChild],
                      reference: str | None) -> MatchDecision | None:
        """A chaser: the one child of the quoted referral this child does not contradict."""
        fitting = [linked for linked in quoted if not _contradicts(query, linked)]
        if len({linked.case_id for linked in fitting}) != 1:
            return None
        case = case_by_id(self.db, connection, fitting[0].case_id)
        if case is None:
            return None
        candidate = _with_reason(score(query, case, frequencies), "council_reference",
                                 {"level": "exact", "weight": None, "quoted": reference})
        return MatchDecision(status="matched", case_id=candidate.case_id,
                             score=candidate.score, candidates=(candidate,),
                             reason=f"The letter quotes {reference}, linked to this case.")


def _contradicts(query: Query, linked: confirmations.LinkedChild) -> bool:
    """The chaser's child is not the earlier letter's: another first name or birthday."""
    first = compare.first_name_level(query.first, name_key(linked.first_name),
                                     name_key(linked.known_as))
    born = (compare.date_of_birth_level(query.date_of_birth, query.age, linked.date_of_birth,
                                        query.on)
            if linked.date_of_birth else "missing")
    return first == "different" or born in ("different", "age_differs")


def _with_reason(candidate: Candidate, name: str, reason: dict[str, object]) -> Candidate:
    return Candidate(candidate.case_id, candidate.score, {name: reason, **candidate.reasons},
                     candidate.weight)


def _born_between(query: Query) -> tuple[date, date] | None:
    """The years a child could have been born in, given a date with a slip in it (the
    year before to the year after) or an age (which may be a few months stale)."""
    if query.date_of_birth is not None:
        year = query.date_of_birth.year
        return date(year - 1, 1, 1), date(year + 1, 12, 31)
    if query.age is not None and 0 <= query.age < 30:
        year = query.on.year - query.age
        return date(year - 2, 1, 1), date(year, 12, 31)
    return None


def _dates_worth_trying(value: date | None) -> list[date]:
    """The date as written, and with day and month swapped (a common slip)."""
    if value is None:
        return []
    dates = [value]
    if value.day <= 12 and value.day != value.month:
        dates.append(date(value.year, value.day, value.month))
    return dates


__all__ = ["CaseMatcher", "Matcher", "MatchPolicy"]
