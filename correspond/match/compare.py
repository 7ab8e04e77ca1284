"""Comparison levels: how far what a letter says agrees with a case record, field by field.

Pure: each function takes prepared values and returns a level name ("exact", "near",
"different", "missing" and a few field-specific ones). weights.py says how much each level
is worth; this module only says which level applies.
"""

from __future__ import annotations

import re
from datetime import date

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein

from correspond.domain.names import is_title
from correspond.domain.text import name_key
from correspond.match.nicknames import equivalents

_PARTS = re.compile(r"[\s\-]+")


def parts_of(surname: str | None) -> frozenset[str]:
    """The keys of each part of a double-barrelled or multi-word surname."""
    if not surname:
        return frozenset()
    keys = {name_key(part) for part in _PARTS.split(surname)}
    return frozenset(key for key in keys if len(key) >= 2)


def _near(first: str, second: str) -> bool:
    """A typing slip: one edit (a letter added, dropped, changed or two swapped), or two
    in a long name."""
    shortest = min(len(first), len(second))
    if shortest < 3:
        return False
    distance = DamerauLevenshtein.distance(first, second, score_cutoff=2)
    return distance <= 1 or (distance == 2 and shortest >= 7)


def first_name_level(letter: str, first: str, known_as: str) -> str:
    """`letter`, `first` and `known_as` are name keys ("" when absent)."""
    if not letter or not first:
        return "missing"
    if letter == first:
        return "exact"
    if known_as and letter == known_as:
        return "known_as"
    alternatives = equivalents(letter)
    if first in alternatives or (known_as and known_as in alternatives):
        return "nickname"
    if len(letter) == 1:
        return "initial" if first.startswith(letter) else "different"
    if _near(letter, first) or (known_as and _near(letter, known_as)):
        return "near"
    return "different"


def surname_level(letter: str, letter_parts: frozenset[str], record: str,
                  record_parts: frozenset[str]) -> str:
    """Keys already fold accents, hyphens and apostrophes ("O'Neill-Smith" = "oneillsmith");
    "part" is one side being a part of the other's double-barrelled name."""
    if not letter or not record:
        return "missing"
    if letter == record:
        return "exact"
    if letter in record_parts or record in letter_parts or (
            len(letter_parts) > 1 and len(record_parts) > 1 and letter_parts & record_parts):
        return "part"
    if _near(letter, record):
        return "near"
    return "different"


def date_of_birth_level(letter: date | None, age: int | None, record: date,
                        on: date) -> str:
    """Exact, day and month swapped (a US-order slip), one digit off (a typing slip);
    with no date in the letter, whether a stated age fits."""
    if letter is None:
        if age is None:
            return "missing"
        return "age_agrees" if age in _ages_within_year(record, on) else "age_differs"
    if letter == record:
        return "exact"
    if (letter.year, letter.month, letter.day) == (record.year, record.day, record.month):
        return "swapped"
    written, held = letter.isoformat(), record.isoformat()
    if sum(a != b for a, b in zip(written, held)) == 1:
        return "one_digit"
    return "different"


def _ages_within_year(born: date, on: date) -> tuple[int, int]:
    """A letter's "aged 9" may be a few months stale: the age now and a year before."""
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return (age, age - 1)


_SCHOOL_WORDS = {
    "st": "saint", "st.": "saint", "ce": "church of england", "cofe": "church of england",
    "rc": "catholic", "jnr": "junior", "jun": "junior", "inf": "infant", "infants": "infant",
    "prim": "primary", "pri": "primary", "sch": "school", "acad": "academy", "coll": "college",
    "juniors": "junior", "&": "and",
}
_SCHOOL_NOISE = frozenset({"the", "school", "and", "of", "roman", "voluntary", "aided",
                           "controlled", "va", "vc"})


def school_key(name: str | None) -> str:
    """'St Mary's C of E Primary' and 'Saint Marys Church of England Primary School'
    both become 'saint marys church england primary'."""
    if not name:
        return ""
    text = name.casefold().replace("c of e", "ce").replace("'", "").replace("’", "")
    words = []
    for word in re.findall(r"[a-z0-9&.]+", text):
        word = word.strip(".") if word != "st." else word
        for part in _SCHOOL_WORDS.get(word, word).split():
            if part not in _SCHOOL_NOISE:
                words.append(part)
    return " ".join(words)


def school_level(letter_key: str, letter_urn: str | None, record_key: str,
                 record_urn: str | None) -> str:
    both_urns = bool(letter_urn and record_urn)
    if both_urns and letter_urn == record_urn:
        return "exact"
    # Different URNs fall back to the names: a name resolved to the wrong school (or an
    # academy conversion's new URN) must not count against the right record.
    if not letter_key or not record_key:
        return "different" if both_urns else "missing"
    if letter_key == record_key:
        return "exact"
    if fuzz.token_set_ratio(letter_key, record_key) >= 90:
        return "near"
    return "different"


def postcode_level(letter: str | None, record: str | None) -> str:
    """Postcodes are normalised ('LS6 2AB'); the sector ('LS6 2') is a near neighbour."""
    if not letter or not record:
        return "missing"
    if letter == record:
        return "exact"
    if letter[:-2] == record[:-2]:
        return "sector"
    return "different"


def person_name(name: str | None) -> tuple[str, str]:
    """(first name key, surname key) of a person as written, titles dropped:
    'Mrs Sarah Khan' -> ('sarah', 'khan'); 'Mrs Khan' -> ('', 'khan')."""
    if not name:
        return ("", "")
    words = [word for word in re.split(r"[\s,]+", name.strip())
             if word and not is_title(word)]
    if not words:
        return ("", "")
    if len(words) == 1:
        return ("", name_key(words[0]))
    return (name_key(words[0]), name_key(words[-1]))


def parent_level(constituent: tuple[str, str],
                 parents: tuple[tuple[str, str], ...]) -> str:
    """The constituent (usually a parent) against the parents on the record."""
    first, last = constituent
    if not last or not parents:
        return "missing"
    levels = {_one_parent(first, last, parent_first, parent_last)
              for parent_first, parent_last in parents}
    for level in ("exact", "first_name", "surname"):
        if level in levels:
            return level
    return "different"


def _one_parent(first: str, last: str, parent_first: str, parent_last: str) -> str:
    same_surname = last == parent_last or _near(last, parent_last)
    same_first = bool(first) and (first == parent_first or _near(first, parent_first)
                                  or parent_first in equivalents(first))
    if same_surname and same_first:
        return "exact"
    if same_first:
        return "first_name"  # e.g. a mother who kept or changed her surname
    if same_surname and not first:
        return "surname"  # 'Mrs Khan', no first name to compare
    return "different"


_STREET_WORDS = {"rd": "road", "st": "street", "ave": "avenue", "av": "avenue", "cl": "close",
                 "dr": "drive", "ln": "lane", "cres": "crescent", "gdns": "gardens",
                 "pl": "place", "terr": "terrace", "ter": "terrace", "ct": "court",
                 "sq": "square", "gr": "grove", "pk": "park", "flat": "flat"}


def address_key(address: str | None) -> str:
    """The first line of an address, abbreviations spelled out: '12a Meanwood Rd, Leeds'
    -> '12a meanwood road'."""
    if not address:
        return ""
    first_line = re.split(r"[,\n]", address.strip(), maxsplit=1)[0]
    words = re.findall(r"[a-z0-9]+", first_line.casefold())
    return " ".join(_STREET_WORDS.get(word, word) for word in words)


def address_level(letter_key: str, record_key: str) -> str:
    if not letter_key or not record_key:
        return "missing"
    if letter_key == record_key:
        return "exact"
    # Neighbours share a street: a different house number is a different address.
    if _house_number(letter_key) != _house_number(record_key):
        return "different"
    return "near" if fuzz.token_set_ratio(letter_key, record_key) >= 85 else "different"


def _house_number(key: str) -> str | None:
    found = re.search(r"\b\d+[a-z]?\b", key)
    return found.group(0) if found else None
