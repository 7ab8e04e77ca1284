"""How `correspond evaluate` decides that an extracted value agrees with a gold one.

Pure functions, one per kind of field; the rules are set out in correspond/evaluate.py.
Each returns a `Verdict`: correct or not, and an optional note when it was correct only
because of a leniency worth showing (accents folded).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from correspond.domain.names import TITLES
from correspond.domain.postcodes import normalise_postcode
from correspond.domain.text import fold

SCHOOL_FUZZY_THRESHOLD = 90

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'",
                              "`": "'", "\u00b4": "'"})
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                          "\u2014": "-", "\u2212": "-"})
_TITLE = re.compile(rf"^(?:{'|'.join(TITLES)})\b\.?\s+", re.IGNORECASE)
_REFERENCE_EDGES = " \t\r\n.,;:()[]{}<>\"'"
# Words that name no particular school; a school name made only of these matches nothing.
_GENERIC_SCHOOL_WORDS = frozenset(
    "the of and school schools primary junior infant infants nursery secondary high "
    "academy college community special ce st catholic rc church england free sixth form "
    "upper lower middle first trust federation centre center unit".split())
# Words that tell schools of one name apart: two names that each use words of one group,
# but not the same ones, are different schools (St Mary's CE and St Mary's Catholic).
_DISTINGUISHING_GROUPS = (
    frozenset("nursery infant infants junior primary secondary high middle college".split()),
    frozenset("ce catholic rc methodist jewish muslim islamic sikh hindu".split()),
)


@dataclass(frozen=True)
class Verdict:
    correct: bool
    note: str | None = None


def same_name(gold: str | None, got: str | None) -> Verdict:
    """People's names, constituencies: case, spacing, apostrophe and hyphen variants
    ignored; a difference only in accents is correct, with a note."""
    if gold is None or got is None:
        return Verdict(gold is None and got is None)
    if _text_key(gold) == _text_key(got):
        return Verdict(True)
    if _fold_accents(_text_key(gold)) == _fold_accents(_text_key(got)):
        return Verdict(True, "matched only with accents folded")
    return Verdict(False)


def same_constituent_name(gold: str | None, got: str | None) -> Verdict:
    """As `same_name`, with the title counted, unless gold has none."""
    if gold is not None and got is not None and not _TITLE.match(gold.strip()):
        got = _TITLE.sub("", got.strip())
    return same_name(gold, got)


def same_school(gold: str | None, got: str | None) -> Verdict:
    """Equal, contained on word boundaries, or token_set_ratio >= 90, after normalising;
    never on generic words alone, nor when the phase or faith words differ."""
    if gold is None or got is None:
        return Verdict(gold is None and got is None)
    a, b = school_key(gold), school_key(got)
    if a == b:
        return Verdict(True)
    for group in _DISTINGUISHING_GROUPS:
        marks_a, marks_b = set(a.split()) & group, set(b.split()) & group
        if marks_a and marks_b and marks_a != marks_b:
            return Verdict(False)
    shorter = a if len(a) <= len(b) else b
    if not set(shorter.split()) - _GENERIC_SCHOOL_WORDS:
        return Verdict(False)
    longer = b if shorter is a else a
    if f" {shorter} " in f" {longer} ":
        return Verdict(True)
    return Verdict(fuzz.token_set_ratio(a, b) >= SCHOOL_FUZZY_THRESHOLD)


def school_key(name: str) -> str:
    text = _fold_accents(_text_key(name)).replace("'", "")
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"\bchurch of england\b|\bc of e\b|\bc e\b|\bcofe\b", "ce", text)
    text = re.sub(r"\bsaint\b", "st", text)
    return " ".join(text.split())


def same_postcode(gold: str | None, got: str | None) -> Verdict:
    if gold is None or got is None:
        return Verdict(gold is None and got is None)
    return Verdict(_postcode_key(gold) == _postcode_key(got))


def same_reference(gold: str | None, got: str | None) -> Verdict:
    """Exact, case included, once surrounding whitespace and punctuation are stripped."""
    if gold is None or got is None:
        return Verdict(gold is None and got is None)
    return Verdict(gold.strip(_REFERENCE_EDGES) == got.strip(_REFERENCE_EDGES))


def same_value(gold: Any, got: Any) -> Verdict:
    return Verdict(gold == got)


def child_key(first_name: str | None) -> str:
    """What aligns a predicted child with a gold one: the first name, accents folded."""
    return _fold_accents(_text_key(first_name)) if first_name else ""


def _text_key(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES).translate(_HYPHENS)
    return " ".join(text.split()).casefold()


def _fold_accents(text: str) -> str:
    return fold(text).casefold()


def _postcode_key(text: str) -> str:
    return normalise_postcode(text) or " ".join(text.split()).upper()
