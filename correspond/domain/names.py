"""Personal names as letters write them: titles, honours and post-nominals, the shape of a
name word, and splitting a name into first and last. Extraction, matching, drafting and
evaluation all take their titles from here."""

from __future__ import annotations

import re

# Titles before a name, as written (a full stop after one is allowed). "Master" is a
# boy's title; "Cllr" and "Councillor" are worn by councillors in their letters.
TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Master", "Dr", "Prof", "Professor", "Sir",
          "Dame", "Lord", "Lady", "Baroness", "Baron", "Rev", "Revd", "Canon", "Cllr",
          "Councillor")
# The titles that say a person is an adult member of the public (a parent, a carer).
ADULT_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr")
_TITLE_KEYS = frozenset(title.casefold() for title in TITLES)
_TITLE = r"(?:" + "|".join(TITLES) + r")\.?"
_HONOURS = r"(?:(?:The\s+)?(?:Rt\.?\s+|Right\s+)?Hon(?:ourable)?\.?\s+)"
# A capitalised name word: Khan, O'Neill, McDonald, Smith-Jones, Zoë.
# Latin letters with accents (Zoë, Ayşe, Łukasz, Ionuț): Latin-1, Latin Extended-A and -B.
UPPER = "A-ZÀ-ÖØ-ÞĀ-ɏ"
LOWER = "a-zß-öø-ÿĀ-ɏ"
# An inner capital is allowed once: McMahon, MacDonald, DeShawn.
NAME_WORD = (rf"(?:(?:[{UPPER}]['’])?[{UPPER}][{LOWER}]+(?:[{UPPER}][{LOWER}]+)?"
             rf"(?:['’\-][{UPPER}]?[{LOWER}]+)*|(?!MP\b)[A-Z]{{2,}}(?=\s))")
# Two to four name words: "Sarah Khan", "Mary Anne O'Neill".
FULL_NAME = rf"{NAME_WORD}(?:[ \t]+{NAME_WORD}){{1,3}}"
# A name with a title: "Mrs Sarah Khan", "Mr Okafor", "Dr J. Whitfield".
TITLED_NAME = rf"{_TITLE}[ \t]+(?:[A-Z]\.?[ \t]+)*{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,3}}"
POST_NOMINALS = ("MP", "CBE", "OBE", "MBE", "DBE", "KBE", "KCB", "CB", "BEM", "DL", "KC", "QC",
                 "PC", "MBA", "PhD", "JP", "FRSA", "FRS")

_TITLE_AT_START = re.compile(rf"^(?:{_HONOURS}?{_TITLE}\s+)+|^{_HONOURS}")
_POST_NOMINAL_AT_END = re.compile(r"(?:[\s,]+(?:" + "|".join(POST_NOMINALS) + r"))+\s*$")

# Words that look like names at the start of a line but are not.
NOT_NAMES = frozenset({
    "Dear", "Yours", "Kind", "Best", "Regards", "Re", "Subject", "From", "To", "Sent",
    "Date", "Our", "Your", "The", "This", "Member", "House", "Parliament", "Council",
    "Director", "Thank", "Many", "With", "Please", "Sincerely", "Faithfully",
})


def is_title(word: str) -> bool:
    """'Mrs', 'mrs.', 'Cllr' -> True."""
    return word.strip(" .,").casefold() in _TITLE_KEYS


def strip_titles(name: str) -> str:
    """'The Rt Hon Dr Jane Whitfield MP' -> 'Jane Whitfield'."""
    bare = _TITLE_AT_START.sub("", name.strip())
    bare = _POST_NOMINAL_AT_END.sub("", bare)
    return " ".join(bare.split())


def clean_name(name: str) -> str:
    """Collapse spacing and drop trailing punctuation, keeping any title."""
    return " ".join(name.split()).strip(" ,.;:")


def looks_like_name(text: str) -> bool:
    words = text.split()
    return bool(words) and words[0] not in NOT_NAMES and all(w[:1].isupper() for w in words)


def split_name(name: str) -> tuple[str | None, str | None]:
    """('Adam', 'Khan') from 'Adam Khan'; ('Adam', None) from 'Adam'."""
    words = strip_titles(name).split()
    if not words:
        return None, None
    if len(words) == 1:
        return words[0], None
    return words[0], " ".join(words[1:]) if len(words) == 2 else words[-1]
