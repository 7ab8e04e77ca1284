"""A school's name taken apart: the words that identify it, and the words that describe it.

"St. Mary's C of E Primary School, Dilwyn" and "St Marys CE Primary" both become the core
"st mary" with religion {ce} and phase primary (the first also with place "dilwyn"), so
the core can be compared exactly or by edit distance while the descriptions are compared
as facts that agree, are missing, or contradict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from correspond.domain.text import fold as fold_letters

# Phases, and the register's PhaseOfEducation values they stand for.
PRIMARY, INFANT, JUNIOR, NURSERY, MIDDLE, SECONDARY, ALL_THROUGH, SIXTEEN_PLUS = (
    "primary", "infant", "junior", "nursery", "middle", "secondary", "all_through", "16_plus")
_PHASE_OF_EDUCATION = {
    "primary": PRIMARY, "nursery": NURSERY, "secondary": SECONDARY,
    "middle deemed primary": MIDDLE, "middle deemed secondary": MIDDLE,
    "all through": ALL_THROUGH, "all-through": ALL_THROUGH, "16 plus": SIXTEEN_PLUS,
}
_RELIGIOUS_CHARACTER = {"church of england": "ce", "roman catholic": "rc", "catholic": "rc",
                        "methodist": "methodist"}
_NO_RELIGION = {"none", "does not apply", "not applicable"}

# Phrases rewritten to one marker before the words are looked at, longest first. Markers
# are upper case so they never collide with the (case-folded) words of a name.
_PHRASES = [
    (r"church of england|c of e|cofe|c e|ce", " CE "),
    (r"roman catholic|r c|rc|catholic", " RC "),
    (r"(?:junior|juniors) (?:mixed )?(?:and )?(?:infant|infants)(?: and nursery)?|"
     r"(?:infant|infants) and (?:junior|juniors)|jmi|j and i", " PRIMARY "),
    (r"all through", " ALL_THROUGH "),
    (r"sixth form|6th form|pre school|preschool", " "),
    (r"voluntary aided|voluntary controlled|va|vc", " "),
    (r"for girls|girls", " GIRLS "),
    (r"for boys|boys", " BOYS "),
    (r"saint", "st"),
]
_PHRASE = [(re.compile(rf"\b(?:{pattern})\b"), marker) for pattern, marker in _PHRASES]

_PHASE_WORDS = {
    "PRIMARY": PRIMARY, "primary": PRIMARY, "infant": INFANT, "infants": INFANT,
    "junior": JUNIOR, "juniors": JUNIOR, "first": PRIMARY, "nursery": NURSERY,
    "middle": MIDDLE, "high": SECONDARY, "secondary": SECONDARY, "ALL_THROUGH": ALL_THROUGH,
}
_KIND_WORDS = {"academy": "academy", "academies": "academy", "college": "college",
               "special": "special"}
_RELIGION_MARKERS = {"CE": "ce", "RC": "rc", "methodist": "methodist"}
_GENDER_MARKERS = {"GIRLS": "girls", "BOYS": "boys"}
_NOISE = {"the", "school", "schools", "community", "endowed"}
_EDGE_WORDS = {"and", "of", "for", "the", "&"}  # never the first or last word of a core
_DESCRIBING = set(_PHASE_WORDS) | set(_KIND_WORDS) | {"school", "CE", "RC"}


@dataclass(frozen=True)
class NameParts:
    core: str  # the identifying words, e.g. "st mary", "meanwood", "grange"
    religion: frozenset[str] = frozenset()
    phase: str | None = None
    kinds: frozenset[str] = frozenset()  # academy, college, special
    gender: str | None = None
    place: str | None = None  # what follows a comma: "Walworth", "Leeds"


def fold(text: str) -> str:
    """Lower case, accents and apostrophes gone, other punctuation a space."""
    plain = fold_letters(text).casefold()
    plain = re.sub(r"['’‘`´.]", "", plain).replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def parse_school_name(text: str) -> NameParts:
    main, place = _split_place(text)
    words = _mark(fold(main)).split()
    religion: set[str] = set()
    kinds: set[str] = set()
    phases: list[str] = []
    gender = None
    core: list[str] = []
    for word in words:
        if word in _RELIGION_MARKERS:
            religion.add(_RELIGION_MARKERS[word])
        elif word in _GENDER_MARKERS:
            gender = _GENDER_MARKERS[word]
        # A describing word that opens the name is part of it: "High Storrs", "First Steps".
        elif word in _PHASE_WORDS and (core or word.isupper()):
            phases.append(_PHASE_WORDS[word])
        elif word in _KIND_WORDS and core:
            kinds.add(_KIND_WORDS[word])
        elif word in _NOISE:
            continue
        else:
            core.append(word)
    return NameParts(
        core=_tidy_core(core), religion=frozenset(religion), phase=_one_phase(phases),
        kinds=frozenset(kinds), gender=gender, place=fold(place) if place else None,
    )


def phase_of_education(value: str | None) -> str | None:
    """The register's PhaseOfEducation ("Primary", "Middle deemed secondary") as a phase."""
    return _PHASE_OF_EDUCATION.get(" ".join((value or "").casefold().split()))


def religious_character(value: str | None) -> frozenset[str] | None:
    """The register's ReligiousCharacter as religions; empty when it says none, None when
    it is not given (so a name's silence is not taken as "no religious character")."""
    text = " ".join((value or "").casefold().split())
    if not text:
        return None
    if text in _NO_RELIGION:
        return frozenset()
    return frozenset(religion for part in re.split(r"[/,]| and ", text)
                     if (religion := _RELIGIOUS_CHARACTER.get(part.strip())))


def _split_place(text: str) -> tuple[str, str | None]:
    """The name and the place a comma sets apart, as the register writes them:
    "St Paul's CE Primary School, Walworth" and "Dover, St Mary's CE Primary School"
    name a place; ", A Voluntary Academy" and ", A Specialist Sports College" are labels
    and are dropped; "Newton Farm Nursery, Infant and Junior School" is all name."""
    head, comma, tail = text.rpartition(",")
    if not comma or not head.strip() or not tail.strip():
        return text.strip(" ,"), None
    tail_words = _mark(fold(tail)).split()
    if tail_words and tail_words[0] in ("a", "an"):
        return _split_place(head)
    if not _describes(tail_words):
        return head, tail.strip()
    if not _describes(_mark(fold(head)).split()) and _has_name(tail_words):
        return tail, head.strip()
    return text.replace(",", " "), None


def _describes(words: list[str]) -> bool:
    return any(word in _DESCRIBING for word in words)


def _has_name(words: list[str]) -> bool:
    return any(word not in _DESCRIBING and word not in _NOISE and not word.isupper()
               for word in words)


def _mark(folded: str) -> str:
    for pattern, marker in _PHRASE:
        folded = pattern.sub(marker, folded)
    # "St Mary's", "St Marys" and "St Mary" are written for the same saint.
    return re.sub(r"\bst (\w{3,}?)s\b", r"st \1", folded)


def _tidy_core(words: list[str]) -> str:
    while words and words[0] in _EDGE_WORDS:
        words = words[1:]
    while words and words[-1] in _EDGE_WORDS:
        words = words[:-1]
    return " ".join(words)


def _one_phase(phases: list[str]) -> str | None:
    # "Infant and Nursery": the nursery is an add-on; "Primary Academy": primary.
    distinct = [phase for phase in dict.fromkeys(phases) if phase != NURSERY] or phases
    return distinct[0] if distinct else None
