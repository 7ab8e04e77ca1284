"""Linking each child in a letter to a case record: candidates by blocking, then scoring."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from correspond.model import Child, Constituent, Extraction, MatchDecision
from correspond.match.score import decide, query_for, score
from correspond.normalise import name_key
from correspond.store import cases as case_store
from correspond.store.database import Database


class Matcher(Protocol):
    def match(self, extraction: Extraction) -> list[MatchDecision]: ...


class CaseMatcher:
    """Matches against the case records in the database; each child on its own."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def match(self, extraction: Extraction) -> list[MatchDecision]:
        with self.db.reading() as connection:
            return [self._match_child(connection, child, extraction.constituent)
                    for child in extraction.children]

    def _match_child(self, connection, child: Child, constituent: Constituent) -> MatchDecision:
        if not (child.first_name or child.last_name or child.date_of_birth):
            return MatchDecision(status="new")
        query = query_for(child, constituent)
        candidates = case_store.find_candidates(
            self.db,
            connection,
            dates_of_birth=_dates_worth_trying(child.date_of_birth),
            last_name_keys=[key for key in [name_key(child.last_name)] if key],
            first_name_keys=[key for key in [name_key(child.first_name)] if key],
            postcodes=[query.postcode] if query.postcode else [],
        )
        return decide([score(query, case) for case in candidates])


def _dates_worth_trying(value: date | None) -> list[date]:
    """The date as written, and with day and month swapped (a common slip)."""
    if value is None:
        return []
    dates = [value]
    if value.day <= 12 and value.day != value.month:
        dates.append(date(value.year, value.day, value.month))
    return dates
