"""Personal names as letters write them: titles, honours and post-nominals, the shape of a
name word, and splitting a name into first and last. Extraction, matching, drafting and
evaluation all take their titles from here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

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


# Forms of address ---------------------------------------------------------------------
# How a council writes to a person, from their name as a letter gives it: the addressee
# line ("The Rt Hon Dame Jane Doe DBE MP") and the greeting after "Dear" ("Dame Jane").
# Debrett's conventions: a knight or dame is greeted by title and first name, a peer by
# title and surname (without the territorial "of ..."), Rt Hon never appears in a
# greeting, and honours stand before "MP" on the address line.

SalutationStyle = Literal["formal", "first_name"]
RoleKind = Literal["mp", "councillor", "other"]

# Canonical spellings of the titles as a letter is addressed with them.
_CANONICAL_TITLES = {
    "mr": "Mr", "mrs": "Mrs", "ms": "Ms", "miss": "Miss", "mx": "Mx", "master": "Master",
    "dr": "Dr", "prof": "Professor", "professor": "Professor", "sir": "Sir",
    "dame": "Dame", "lord": "Lord", "lady": "Lady", "baroness": "Baroness",
    "baron": "Lord", "rev": "Revd", "revd": "Revd", "canon": "Canon",
    "cllr": "Councillor", "councillor": "Councillor",
}
# Greeted with the first name after the title: Sir Geoffrey, Dame Angela.
_TITLE_AND_FIRST_NAME = frozenset({"Sir", "Dame"})
# Peers: greeted with the title and the surname (their name, without "of ...").
_PEERS = frozenset({"Lord", "Lady", "Baroness"})
_FEMININE_TITLES = frozenset({"Mrs", "Ms", "Miss", "Dame", "Lady", "Baroness"})
_MASCULINE_TITLES = frozenset({"Mr", "Master", "Sir", "Lord"})
# Letters of an honour go on the address line; degrees and fellowships do not.
_ACADEMIC = frozenset({"MBA", "PhD", "FRSA", "FRS"})

_RIGHT_HONOURABLE = re.compile(r"^(?:the\s+)?(?:rt\.?|right)\s+hon(?:ourable|\.)?\s+",
                               re.IGNORECASE)
_HONOURABLE = re.compile(r"^(?:the\s+)?hon(?:ourable|\.)?\s+", re.IGNORECASE)
_LEADING_TITLE = re.compile(r"^(?:the\s+)?(" + "|".join(TITLES) + r")\b\.?\s+",
                            re.IGNORECASE)
_TRAILING_LETTERS = re.compile(r"[\s,]+(" + "|".join(POST_NOMINALS) + r")\.?\s*$")


@dataclass(frozen=True)
class StyledName:
    """A person's name with its parts told apart: 'The Rt Hon Dame Jane Doe DBE MP' is
    right_honourable, titles ('Dame',), names ('Jane', 'Doe'), letters ('DBE', 'MP')."""

    names: tuple[str, ...]
    titles: tuple[str, ...] = ()
    letters: tuple[str, ...] = ()
    right_honourable: bool = False

    @property
    def first_name(self) -> str | None:
        return self.names[0] if len(self.names) > 1 else None

    @property
    def surname(self) -> str | None:
        if self._peer:
            # "Lord Smith of Finsbury": the name before the territorial designation.
            head = " ".join(self.names).split(" of ")[0].split()
            return head[-1] if head else None
        return self.names[-1] if self.names else None

    @property
    def _peer(self) -> bool:
        return any(title in _PEERS for title in self.titles)

    @property
    def pronoun(self) -> str:
        """'her', 'his' or 'their', as far as the titles say."""
        if any(title in _FEMININE_TITLES for title in self.titles):
            return "her"
        if any(title in _MASCULINE_TITLES for title in self.titles):
            return "his"
        return "their"


def parse_styled_name(written: str) -> StyledName:
    """'The Rt Hon Sir John Roe KCB MP' -> titles ('Sir',), names ('John', 'Roe'),
    letters ('KCB', 'MP'), right_honourable."""
    rest = " ".join(written.replace(",", " , ").split()).strip(" ,.;:")
    right_honourable = False
    titles: list[str] = []
    while True:
        found = _RIGHT_HONOURABLE.match(rest) or _HONOURABLE.match(rest)
        if found:
            right_honourable = right_honourable or found.re is _RIGHT_HONOURABLE
            rest = rest[found.end():]
            continue
        found = _LEADING_TITLE.match(rest)
        if found:
            title = _CANONICAL_TITLES[found.group(1).casefold()]
            if title not in titles:
                titles.append(title)
            rest = rest[found.end():]
            continue
        break
    if is_title(rest):  # a title with no name after it ("Sir")
        titles.append(_CANONICAL_TITLES[rest.strip(" .").casefold()])
        rest = ""
    letters: list[str] = []
    while found := _TRAILING_LETTERS.search(rest):
        letters.insert(0, found.group(1))
        rest = rest[:found.start()]
    names = tuple(word for word in rest.replace(" , ", " ").split() if word != ",")
    return StyledName(names=names, titles=tuple(titles), letters=tuple(letters),
                      right_honourable=right_honourable)


def styled_name_in(text: str, bare_name: str) -> str | None:
    """The fullest way `text` writes the person called `bare_name`, with the titles,
    'Rt Hon' and letters around it: 'The Rt Hon Dame Jane Doe DBE MP' for 'Jane Doe' in
    a letterhead. None when the text never writes the name."""
    words = bare_name.split()
    if not words:
        return None
    name = r"\s+".join(re.escape(word) for word in words)
    prefix = (r"(?:(?:the\s+)?(?:(?:rt\.?|right)\s+)?hon(?:ourable|\.)?\s+)?"
              r"(?:(?:the\s+)?(?:" + "|".join(TITLES) + r")\.?\s+)*")
    suffix = r"(?:[ \t]*,?[ \t]*(?:" + "|".join(POST_NOMINALS) + r")\b\.?)*"
    pattern = re.compile(rf"\b{prefix}{name}\b{suffix}", re.IGNORECASE)
    found = [match.group(0) for match in pattern.finditer(text)]
    if not found:
        return None
    # The one that says most about the person: most titles and letters.
    fullest = max(found, key=lambda written: (_detail(parse_styled_name(written)),
                                              len(written)))
    # The name itself as given (a letterhead in capitals says "JANE DOE").
    return re.sub(name, lambda _: " ".join(words), fullest, count=1, flags=re.IGNORECASE)


def _detail(styled: StyledName) -> int:
    return len(styled.titles) + len(styled.letters) + styled.right_honourable


@dataclass(frozen=True)
class FormOfAddress:
    addressee: str  # the first line of the address: "The Rt Hon Dame Jane Doe DBE MP"
    salutation: str  # after "Dear": "Dame Jane", "Ms Keane", "Councillor Ashworth"


def form_of_address(written: str, role: RoleKind,
                    style: SalutationStyle = "formal") -> FormOfAddress | None:
    """How to address a letter to the person `written` names (titles and letters as the
    letter gives them), who writes as an MP, a councillor or otherwise. None when there
    is no name to address."""
    styled = parse_styled_name(written)
    if not styled.names:
        return None
    titles = [title for title in styled.titles if title != "Councillor"]
    if role == "councillor":
        titles = ["Councillor", *titles]
    letters = [letter for letter in styled.letters
               if letter != "MP" and letter not in _ACADEMIC]
    if role == "mp":
        letters.append("MP")
    addressee = " ".join([*(["The Rt Hon"] if styled.right_honourable else []), *titles,
                          *styled.names, *letters])
    return FormOfAddress(addressee=addressee, salutation=_greeting(styled, titles, style))


def _greeting(styled: StyledName, titles: list[str], style: SalutationStyle) -> str:
    first, surname = styled.first_name, styled.surname
    if any(title in _PEERS for title in titles):
        peer = next(title for title in titles if title in _PEERS)
        return f"{peer} {surname or ' '.join(styled.names)}"
    if style == "first_name" and first:
        return first
    knighted = next((title for title in titles if title in _TITLE_AND_FIRST_NAME), None)
    if knighted and first:
        return f"{knighted} {first}"
    if titles and surname:
        # "Councillor Dr Smith" reads oddly: the first title says enough.
        title = titles[0] if titles[0] != "Revd" else "Reverend"
        return f"{title} {surname}"
    # No title to go with the surname: the full name is correct and courteous
    # ("Dear Hannah Greaves"); never the name with "MP" after it.
    return " ".join(styled.names)
