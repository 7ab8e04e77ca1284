"""Nothing about another child leaves: a letter's text checked against the case records
before it is approved.

A letter is about the children of its referral. Another child's name, date of birth or
case id in it (a sibling's, a twin's, a namesake's) would send one family's information
where it should not go, so approval is refused until the caseworker removes it or
confirms that the child is the same family's and may be named (which is recorded).

Which records are looked at, so that a county's million children do not make every
date someone's birthday:

- a case id written anywhere in the letter, whoever's it is;
- the records the referral's children were matched against (namesakes, twins,
  siblings), the records at the family's postcode, and the records with a family
  surname whose full name the letter writes. For these, the letter is searched for the
  child's full name (first or known-as name with surname), their date of birth, and
  (for a child at the family's address) their first name alone, capitalised, when it
  is not a word such as a month and is not the first name of anyone else the letter is
  about or from (the referral's children, the constituent, the MP and their caseworker,
  the parents and caseworkers on the case records, the desk's users).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from correspond.desk.queries import load_view
from correspond.domain.dates import MONTHS, WEEKDAYS, find_dates, written_date
from correspond.domain.names import NOT_NAMES, strip_titles
from correspond.domain.text import fold, name_key
from correspond.records import CaseRecord
from correspond.store.cases import cases_at_postcodes, cases_by_id, cases_named
from correspond.store.database import Database
from correspond.store.replies import disclosed_cases
from correspond.store.users import user_names

_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_ID_LIKE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_\-.]*\d[A-Za-z0-9/_\-.]*")
# Capitalised words that are often first names but also ordinary words in a letter.
_NOT_FIRST_NAMES = frozenset(word.casefold() for word in (*MONTHS, *WEEKDAYS, *NOT_NAMES))


@dataclass(frozen=True)
class Mention:
    """Another child the letter names, and what it says of them."""

    case_id: str
    child: str  # their name as recorded
    said: tuple[str, ...]  # as the letter writes it: "Zara Khan", "3 April 2015", "C-1003"

    def describe(self) -> str:
        return f"{self.child} (case {self.case_id}): " + ", ".join(
            f"“{item}”" for item in self.said)


def letter_text(data: bytes) -> str:
    """Everything a Word letter says (body, tables, headers, footers, text boxes)."""
    from correspond.errors import UnreadableFile
    from correspond.ingest.docx import read_docx

    try:
        return read_docx(data).text
    except UnreadableFile:
        return ""


def other_children(db: Database, connection: Connection, referral_id: int,
                   text: str) -> list[Mention]:
    """The children, not of this referral, whom `text` names, by case; those a
    caseworker has confirmed may be named are left out."""
    view = load_view(db, connection, referral_id)
    ours = _OwnChildren.of(db, connection, view)
    words = _words(text)
    folded = " " + " ".join(word.casefold() for word in words) + " "
    dates = {found.value for found in find_dates(text)}
    tokens = _ID_LIKE.findall(text)
    ids = {token.strip(".-/").casefold() for token in tokens}
    quoted = cases_by_id(db, connection, [*tokens, *(token.strip(".-/") for token in tokens)])
    at_home = cases_at_postcodes(db, connection, ours.postcodes)
    candidates = cases_by_id(db, connection, ours.candidate_ids)
    named = cases_named(db, connection, [
        (name_key(first), name_key(last)) for first, last in zip(words, words[1:])
        if name_key(last) in ours.surnames])
    related = {record.case_id: record
               for record in [*candidates.values(), *at_home, *named]}
    family = {record.case_id for record in at_home}
    confirmed = disclosed_cases(db, connection, referral_id)

    mentions = []
    for case_id, record in sorted({**related, **quoted}.items()):
        if case_id in ours.case_ids or case_id in confirmed:
            continue
        said: list[str] = []
        if case_id.casefold() in ids:
            said.append(case_id)
        if case_id in related:
            said += _names_said(record, folded, ours)
            if case_id in family:
                said += _first_name_said(record, words, ours)
            if record.date_of_birth in dates and record.date_of_birth not in ours.born:
                said.append(written_date(record.date_of_birth))
        if said:
            mentions.append(Mention(case_id, record.name, tuple(dict.fromkeys(said))))
    return mentions


def refusal(mentions: list[Mention]) -> str:
    """The one sentence that blocks an approval."""
    named = "; ".join(mention.describe() for mention in mentions)
    return (f"This letter names another child who is not in this referral ({named}), so it "
            f"was not approved: remove them from the letter (edit it in Word and upload it "
            f"again), or confirm below that they are the same family's and may be named.")


@dataclass(frozen=True)
class _OwnChildren:
    """The referral's own children: their linked cases, names, birth dates and family."""

    case_ids: frozenset[str]
    full_names: frozenset[str]  # name keys of "first last" (and known-as) names
    first_names: frozenset[str]  # name keys of the first names of anyone the letter is about
    surnames: frozenset[str]
    born: frozenset[date]
    postcodes: frozenset[str]
    candidate_ids: frozenset[str]

    @classmethod
    def of(cls, db: Database, connection: Connection, view: Any) -> _OwnChildren:
        linked = [child.case_id for child in view.children
                  if child.case_id and child.match_status == "matched"]
        records = list(cases_by_id(db, connection, linked).values())
        people = [(child.first_name, child.last_name) for child in view.children]
        people += [(record.child_first_name, record.child_last_name) for record in records]
        people += [(record.known_as, record.child_last_name) for record in records
                   if record.known_as]
        # The adults the letter is from, to and about are not other children.
        constituent = view.referral.get("constituent") or {}
        correspondent = view.referral.get("correspondent") or {}
        adults = [constituent.get("name"), correspondent.get("name"),
                  correspondent.get("caseworker"), *[record.caseworker for record in records]]
        adults += [name for record in records for name in record.parent_names]
        adults += user_names(db, connection)  # who drafted and signs it
        adult_firsts = [strip_titles(name).split()[0] for name in adults
                        if name and strip_titles(name).split()]
        constituent_postcode = constituent.get("postcode")
        candidates = {candidate["case_id"] for child in view.children
                      for candidate in json.loads(child.candidates_json or "[]")}
        return cls(
            case_ids=frozenset(linked),
            full_names=frozenset(name_key(f"{first} {last}") for first, last in people
                                 if first and last),
            first_names=frozenset(name_key(first) for first, _ in people if first)
            | frozenset(name_key(first) for first in adult_firsts),
            surnames=frozenset(name_key(last) for _, last in people if last),
            born=frozenset([*(child.date_of_birth for child in view.children
                              if child.date_of_birth),
                            *(record.date_of_birth for record in records)]),
            postcodes=frozenset(postcode for postcode in [
                constituent_postcode, *(record.postcode for record in records)] if postcode),
            candidate_ids=frozenset(candidates),
        )


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _names_said(record: CaseRecord, folded: str, ours: _OwnChildren) -> list[str]:
    said = []
    for first in dict.fromkeys(filter(None, (record.child_first_name, record.known_as))):
        full = f"{first} {record.child_last_name}"
        if name_key(full) in ours.full_names:
            continue  # a namesake of one of ours: their name is ours too
        phrase = " ".join(word.casefold() for word in _words(full))
        if f" {phrase} " in folded:
            said.append(full)
    return said


def _first_name_said(record: CaseRecord, words: Iterable[str],
                     ours: _OwnChildren) -> list[str]:
    said = []
    for first in dict.fromkeys(filter(None, (record.child_first_name, record.known_as))):
        key = name_key(first)
        if key in ours.first_names or first.casefold() in _NOT_FIRST_NAMES or len(key) < 3:
            continue
        if any(word == fold(first) for word in words):  # capitalised, as a name is written
            said.append(first)
    return said


__all__ = ["Mention", "letter_text", "other_children", "refusal"]
