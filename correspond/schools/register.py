"""The school register in memory, and what a school name written in a letter means in it.

Pure: built from SchoolRecords, no database. A name is taken apart (names.py); schools
whose identifying words are the same are the candidates, or, when none are, those within
a small edit distance (rapidfuzz). Each candidate then loses points for descriptions the
letter gives that the register does not confirm ("CE" for a school with no religious
character recorded) and is dropped for ones it contradicts ("Catholic" for a Church of
England school, "Primary" for a secondary). One clear winner is resolved; close runners
make the name ambiguous, and the candidates are reported instead of guessed between.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property

from rapidfuzz import fuzz, process

from correspond.records import SchoolCandidate, SchoolRecord, SchoolResolution
from correspond.schools.names import (
    ALL_THROUGH,
    INFANT,
    JUNIOR,
    MIDDLE,
    NURSERY,
    PRIMARY,
    SECONDARY,
    SIXTEEN_PLUS,
    NameParts,
    fold,
    parse_school_name,
    phase_of_education,
    religious_character,
)

FUZZY_CUTOFF = 85  # rapidfuzz ratio of the identifying words; below it, not a candidate
# A ratio of at least FUZZY_CUTOFF needs lengths within these factors of each other
# (ratio <= 200 * shorter / (sum of lengths)), so names far longer or shorter are never
# handed to rapidfuzz at all.
_SHORTEST = FUZZY_CUTOFF / (200 - FUZZY_CUTOFF)
_LONGEST = 1 / _SHORTEST
FUZZY_LIMIT = 25  # near spellings looked at when no school has the exact words
RESOLVE_AT = 90  # the best score must reach this to name one school...
MARGIN = 10  # ...and beat the next candidate by this much
LIST_WITHIN = 15  # an ambiguous name lists candidates this close to the best
MAX_CANDIDATES = 10
UNCONFIRMED = 10  # points lost for each description the register does not confirm
ALIAS_COST = 5  # "St Mary's" written for "Hunslet St Mary's"
_SAINTLY = ("st ", "all saints", "holy ", "our lady", "christ ", "sacred heart")

# Phases that may be written for one another, with the points that costs; any other
# pair of different phases contradicts ("Oakwood Infant" is not "Oakwood Junior").
_NEAR_PHASES = {
    frozenset({PRIMARY, INFANT}): UNCONFIRMED,
    frozenset({PRIMARY, JUNIOR}): UNCONFIRMED,
    frozenset({PRIMARY, NURSERY}): UNCONFIRMED,
    frozenset({INFANT, NURSERY}): UNCONFIRMED,
    frozenset({PRIMARY, MIDDLE}): UNCONFIRMED,
    frozenset({SECONDARY, MIDDLE}): UNCONFIRMED,
    frozenset({PRIMARY, ALL_THROUGH}): UNCONFIRMED / 2,
    frozenset({SECONDARY, ALL_THROUGH}): UNCONFIRMED / 2,
    frozenset({SECONDARY, SIXTEEN_PLUS}): UNCONFIRMED,
}
_KIND_COST = {"academy": UNCONFIRMED, "special": UNCONFIRMED, "college": UNCONFIRMED}


@dataclass(frozen=True)
class _Entry:
    record: SchoolRecord
    core: str
    religion: frozenset[str] | None  # None: the register does not say
    phase: str | None
    kinds: frozenset[str]
    gender: str | None
    place_in_name: str | None  # "Walworth" in "St Paul's CE Primary, Walworth"

    @cached_property
    def places(self) -> str:
        """Town, authority, place in the name and postcode, folded; needed only when a
        letter gives a place, so worked out then."""
        postcode = self.record.postcode or ""
        prefix, _ = _saint_alias(self.core)
        return " | ".join(fold(value) for value in (
            self.record.town, self.record.la_name, self.place_in_name, prefix, postcode,
            postcode.split(" ")[0]) if value)


@dataclass(frozen=True)
class _Scored:
    score: float
    entry: _Entry


class _Index:
    """Schools by identifying words, for exact lookup and for rapidfuzz's extract."""

    def __init__(self, entries: Iterable[_Entry]) -> None:
        # Each school under its words, and a place-prefixed one ("Hunslet St Mary's") also
        # under the saint's name alone, as letters write it, at a small cost.
        self.by_core: dict[str, list[tuple[_Entry, float]]] = {}
        self.size = 0
        for entry in entries:
            self.size += 1
            self.by_core.setdefault(entry.core, []).append((entry, 0.0))
            _, alias = _saint_alias(entry.core)
            if alias:
                self.by_core.setdefault(alias, []).append((entry, ALIAS_COST))
        self.cores = sorted(self.by_core, key=len)
        self._lengths = [len(core) for core in self.cores]

    def candidates(self, query: NameParts) -> tuple[list[_Scored], bool]:
        """The compatible candidates, best first, and whether their words were exact."""
        exact = _score(query, [(100.0 - cost, entry)
                               for entry, cost in self.by_core.get(query.core, ())])
        if exact:
            return exact, True
        place, alias = _saint_alias(query.core)
        if alias:
            # "Dover St Mary's" for "St Mary's CE Primary, Dover": only schools there.
            there = _score(replace(query, core=alias, place=place),
                           [(100.0 - ALIAS_COST - cost, entry)
                            for entry, cost in self.by_core.get(alias, ())], strict=True)
            if there:
                return there, True
        near = process.extract(query.core, self._near_in_length(query.core),
                               scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF,
                               limit=FUZZY_LIMIT)
        return _score(query, [(score - cost, entry) for core, score, _ in near
                              for entry, cost in self.by_core[core]]), False

    def _near_in_length(self, core: str) -> list[str]:
        start = bisect.bisect_left(self._lengths, math.ceil(len(core) * _SHORTEST - 1e-9))
        end = bisect.bisect_right(self._lengths, math.floor(len(core) * _LONGEST + 1e-9))
        return self.cores[start:end]


class SchoolRegister:
    """Open schools in memory. `local_la` (a name or code as in the register) prefers that
    authority's schools: a name is decided among them first, and among all when none of
    them has it."""

    def __init__(self, records: Iterable[SchoolRecord], *, local_la: str | None = None) -> None:
        entries = [_entry(record) for record in records
                   if (record.status or "").casefold() != "closed"]
        self.national = _Index(entries)
        self.local_la = local_la
        self.local: _Index | None = None
        if local_la:
            wanted = local_la.casefold().strip()
            self.local = _Index(entry for entry in entries if wanted in (
                (entry.record.la_name or "").casefold(), (entry.record.la_code or "")))
            if self.local.size:
                self.local_la = _first_la_name(self.local) or local_la

    def __len__(self) -> int:
        return self.national.size

    @property
    def local_size(self) -> int:
        return self.local.size if self.local else 0

    def resolve(self, written: str) -> SchoolResolution:
        query = parse_school_name(written)
        if not query.core:
            return SchoolResolution("unknown", written)
        if self.local is not None and self.local.size:
            scored, exact = self.local.candidates(query)
            decided = _decide(written, scored, area=self.local_la)
            # Locally, a near spelling decides only when it is clear; otherwise the
            # school may be out of area, so all schools are asked.
            if exact or decided.status == "resolved":
                return decided
        scored, _ = self.national.candidates(query)
        return _decide(written, scored, area=None)


def _entry(record: SchoolRecord) -> _Entry:
    parts = parse_school_name(record.name)
    recorded = religious_character(record.religious_character)
    religion = parts.religion | recorded if recorded is not None else (parts.religion or None)
    kind_of_type = (record.establishment_type or "").casefold()
    kinds = set(parts.kinds)
    if "academy" in kind_of_type or "free school" in kind_of_type:
        kinds.add("academy")
    if "special" in kind_of_type:
        kinds.add("special")
    if "college" in kind_of_type:
        kinds.add("college")
    return _Entry(record=record, core=parts.core, religion=religion,
                  phase=parts.phase or phase_of_education(record.phase),
                  kinds=frozenset(kinds), gender=parts.gender, place_in_name=parts.place)


def _score(query: NameParts, hits: list[tuple[float, _Entry]], *,
           strict: bool = False) -> list[_Scored]:
    scored = []
    for similarity, entry in hits:
        lost = _unconfirmed(query, entry)
        if lost is not None:
            scored.append(_Scored(round(similarity - lost, 1), entry))
    if query.place:
        # "St Paul's, Walworth": the place narrows the candidates when any is there
        # (`strict`: only those there count).
        there = [item for item in scored if query.place in item.entry.places]
        scored = there if there or strict else scored
    # A school found under its words and its alias is listed once, at its best.
    return _dedupe(sorted(scored, key=lambda item: (-item.score, item.entry.record.name,
                                                    item.entry.record.urn)))


def _unconfirmed(query: NameParts, entry: _Entry) -> float | None:
    """Points lost for what the letter says and the register does not confirm; None
    when the register contradicts it."""
    lost = 0.0
    if query.religion:
        if entry.religion is None:
            lost += UNCONFIRMED
        elif not query.religion <= entry.religion:
            return None
    if query.gender and entry.gender and query.gender != entry.gender:
        return None
    if query.phase and query.phase != entry.phase:
        if entry.phase is None:
            lost += UNCONFIRMED
        elif (cost := _NEAR_PHASES.get(frozenset({query.phase, entry.phase}))) is not None:
            lost += cost
        else:
            return None
    for kind in query.kinds - entry.kinds:
        lost += _KIND_COST[kind]
    return lost


def _decide(written: str, scored: list[_Scored], *, area: str | None) -> SchoolResolution:
    if not scored:
        return SchoolResolution("unknown", written)
    best = scored[0]
    if best.score >= RESOLVE_AT and (len(scored) == 1 or scored[1].score <= best.score - MARGIN):
        record = best.entry.record
        return SchoolResolution("resolved", written, urn=record.urn, name=record.name,
                                area=area)
    listed = [item for item in scored if item.score >= best.score - LIST_WITHIN]
    return SchoolResolution("ambiguous", written, candidates=tuple(
        SchoolCandidate(urn=item.entry.record.urn, name=item.entry.record.name,
                        town=item.entry.record.town, la_name=item.entry.record.la_name,
                        score=item.score)
        for item in listed[:MAX_CANDIDATES]), area=area)


def _saint_alias(core: str) -> tuple[str | None, str | None]:
    """'hunslet st mary' -> ('hunslet', 'st mary'): the place written before the name."""
    starts = [start for saintly in _SAINTLY if (start := core.find(" " + saintly)) > 0]
    if not starts:
        return None, None
    start = min(starts)
    return core[:start], core[start + 1:]


def _dedupe(scored: list[_Scored]) -> list[_Scored]:
    seen: set[str] = set()
    kept = []
    for item in scored:
        if item.entry.record.urn not in seen:
            seen.add(item.entry.record.urn)
            kept.append(item)
    return kept


def _first_la_name(index: _Index) -> str | None:
    for entries in index.by_core.values():
        for entry, _ in entries:
            if entry.record.la_name:
                return entry.record.la_name
    return None
