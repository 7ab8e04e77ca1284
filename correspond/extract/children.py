"""The children or young people a letter is about, with what it says of each."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date

from correspond.domain.dates import ANY_DATE, parse_date
from correspond.domain.names import ADULT_TITLES, FULL_NAME, NAME_WORD, NOT_NAMES, split_name
from correspond.extract.schools import SchoolMention, find_schools
from correspond.records import Child, School

_RELATION = (r"(?:sons?|daughters?|child(?:ren)?|grandson|granddaughter|grandchild|"
             r"stepson|stepdaughter|foster (?:son|daughter|child)|nephew|niece|ward|"
             r"young person|twins?|boy|girl)")
_CHILD_NAME = rf"(?P<name>{FULL_NAME}|{NAME_WORD})"
_MENTIONS = [
    # "her son, Adam Khan", "Mr Okafor's daughter Grace Okafor"
    re.compile(rf"\b{_RELATION},?[ \t]+(?:called[ \t]+|named[ \t]+)?{_CHILD_NAME}"),
    # "Adam Khan (date of birth 03/04/2015)", "Grace, DOB: 21.11.2012"
    re.compile(rf"{_CHILD_NAME}[ \t]*[(,\-–]?[ \t]*(?i:both[ \t]+)?"
               rf"(?i:date of birth|dob|d\.o\.b\.?|born)\b"),
    # "Harrison, whose mum Mrs Cole ..."
    re.compile(rf"{_CHILD_NAME},?[ \t]+whose[ \t]+"
               r"(?:mum|mother|dad|father|parents?|carer|nan|gran)\b"),
    # "Subject: Chasing - Harrison Cole 04-09-2019"
    re.compile(rf"(?P<name>{FULL_NAME})[ \t]+(?:{ANY_DATE.pattern})"),
    # "Niamh Gallagher (4/7/2012)"
    re.compile(rf"(?P<name>{FULL_NAME})[ \t]*\([ \t]*(?:{ANY_DATE.pattern})[ \t]*\)"),
    # "Child's name: Adam Khan", "Young person: Grace Okafor"
    re.compile(rf"(?i:child(?:'s|’s)? name|name of child|young person|pupil|student)\s*:\s*"
               rf"{_CHILD_NAME}"),
]
_DOB = re.compile(
    rf"(?:date of birth|DOB|D\.O\.B\.?|born(?: on)?(?: the)?)\s*[:\-–]?\s*(?:{ANY_DATE.pattern})",
    re.IGNORECASE)
_BRACKETED_DATE = re.compile(rf"[ \t]*\([ \t]*(?:{ANY_DATE.pattern})[ \t]*\)", re.IGNORECASE)
# "Harrison Cole 04-09-2019"
_BARE_DATE = re.compile(rf"[ \t]+(?:{ANY_DATE.pattern})", re.IGNORECASE)
_BOTH = re.compile(r"\bboth[ \t]+(?:born|DOB|date of birth|d\.o\.b|attend|go to|are at|at)\b",
                   re.IGNORECASE)
_DATED = re.compile(r"[ \t]*[(,\-–]?[ \t]*(?:date of birth|DOB|D\.O\.B\.?|born)\b", re.IGNORECASE)
_AGE = re.compile(r"\b(?:aged|age)\s+(\d{1,2})\b|\b(\d{1,2})[- ]year[- ]old\b|"
                  r"\bis\s+(\d{1,2})\s+years?\s+old\b", re.IGNORECASE)
_YEAR_GROUP = re.compile(r"\b(Year\s+(?:1[0-4]|[1-9]|R)|Reception|Nursery|Post-16|"
                         r"[Ss]ixth [Ff]orm)\b")
_PRONOUN_OR_WORD = frozenset({"He", "She", "They", "His", "Her", "Their", "It", "I", "We",
                              "School", "Year", "MP", *ADULT_TITLES})


@dataclass
class _ChildNotes:
    first_name: str
    last_name: str | None
    start: int
    end: int
    date_of_birth: date | None = None
    age: int | None = None
    year_group: str | None = None
    school: str | None = None
    requested_school: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)


def find_children(text: str, *, family_names: Collection[str] = frozenset(),
                  named_by_model: Sequence[tuple[str, int, int]] = (),
                  schools_by_model: Sequence[SchoolMention] = ()) -> list[Child]:
    """Children in order of first mention; `family_names` are the constituent's and the
    MP's names, so that "Mrs Khan" is not taken for a child. `named_by_model` and
    `schools_by_model` are mentions the trained recogniser found, added to the patterns'.
    A letter that names no child but speaks of "her daughter, aged 9" gives one child
    with no name."""
    notes: dict[str, _ChildNotes] = {}
    mentions = _mentions(text) + list(named_by_model)
    for mention in sorted(mentions, key=lambda m: m[1]):
        name, start, end = mention
        first, last = split_name(name)
        first = _written_properly(strip_possessive(first)) if first else first
        last = _written_properly(strip_possessive(last)) if last else last
        if not first or first in _PRONOUN_OR_WORD or first in NOT_NAMES:
            continue
        if any(set(name.split()) <= set(family.split()) for family in family_names) and \
                not _DATED.match(text, end):
            continue  # the parent or the MP, e.g. "Sarah" of "Mrs Sarah Khan" (but a
            # young person writing for themselves gives their own date of birth)
        known = notes.get(first.casefold())
        if known is None:
            notes[first.casefold()] = _ChildNotes(first, last, start, end,
                                                  spans=[(start, end)])
        else:
            known.last_name = known.last_name or last
            known.spans.append((start, end))
    ordered = sorted(notes.values(), key=lambda child: child.start)
    schools = _merge_schools(find_schools(text), schools_by_model)
    if not ordered:
        unnamed = _unnamed_child(text)
        if unnamed is None:
            return []
        ordered = [unnamed]
    for index, child in enumerate(ordered):
        following = ordered[index + 1].start if index + 1 < len(ordered) else len(text)
        _describe(child, text, following, schools)
    if len(ordered) == 2 and _BOTH.search(text):
        # "her twin sons Taiwo and Kehinde Adeyemi, both born 22/02/2017"
        one, two = ordered
        for field_name in ("date_of_birth", "school", "year_group"):
            value = getattr(one, field_name) or getattr(two, field_name)
            setattr(one, field_name, getattr(one, field_name) or value)
            setattr(two, field_name, getattr(two, field_name) or value)
    for child in ordered:
        if child.first_name and child.last_name is None:
            child.last_name = _surname_written_elsewhere(child.first_name, text, family_names)
    return [_to_child(child) for child in ordered]


def _surname_written_elsewhere(first_name: str, text: str,
                               family_names: Collection[str]) -> str | None:
    """"Lowenna Trewin" in the subject line when the letter says "her daughter Lowenna"."""
    for found in re.finditer(rf"\b{re.escape(first_name)}[ \t]+(?P<last>{NAME_WORD})\b", text):
        last = found.group("last")
        if last in NOT_NAMES or last in _PRONOUN_OR_WORD or last.isupper():
            continue
        if any(f"{first_name} {last}" in family for family in family_names):
            continue
        return last
    return None


_UNNAMED = re.compile(
    rf"\b(?:her|his|their|my|our|Mrs?\.? [A-Z][\w'’\-]+'s|Ms\.? [A-Z][\w'’\-]+'s)\s+"
    rf"(?:(?:\d{{1,2}}[- ]year[- ]old|eldest|youngest|younger|older|little)\s+)?{_RELATION}\b")


def _unnamed_child(text: str) -> _ChildNotes | None:
    found = _UNNAMED.search(text)
    if found is None:
        return None
    return _ChildNotes("", None, found.start(), found.end(), spans=[(found.start(), found.end())])


def _merge_schools(found: list[SchoolMention],
                   by_model: Sequence[SchoolMention]) -> list[SchoolMention]:
    """The patterns' school mentions plus the model's that overlap none of them."""
    merged = list(found)
    for mention in by_model:
        if not any(mention.start < other.end and other.start < mention.end for other in found):
            merged.append(mention)
    return sorted(merged, key=lambda mention: mention.start)


# "her twin sons Taiwo and Kehinde Adeyemi", "Re: Ionuț and Ana-Maria Popescu"
_PAIR = re.compile(
    rf"(?:\b(?:twins?|twin (?:sons|daughters|boys|girls)|sons|daughters|children|grandchildren)"
    rf"|^\s*Re:)[ \t,]+(?P<one>{NAME_WORD})[ \t]+and[ \t]+(?P<two>{NAME_WORD})"
    rf"[ \t]+(?P<last>{NAME_WORD})\b", re.MULTILINE)


# "Oluwaseun (Seun) Adebayo": a known-as name in brackets between the names.
_KNOWN_AS = re.compile(rf"(?P<first>{NAME_WORD})[ \t]+\([ \t]*{NAME_WORD}[ \t]*\)"
                       rf"[ \t]+(?P<last>{NAME_WORD})\b")


def _mentions(text: str) -> list[tuple[str, int, int]]:
    found = []
    for known_as in _KNOWN_AS.finditer(text):
        found.append((f"{known_as.group('first')} {known_as.group('last')}",
                      known_as.start(), known_as.end()))
    for pair in _PAIR.finditer(text):
        last = pair.group("last")
        found.append((f"{pair.group('one')} {last}", pair.start("one"), pair.end("one")))
        found.append((f"{pair.group('two')} {last}", pair.start("two"), pair.end("last")))
    known = [(match.start(), match.end()) for match in _KNOWN_AS.finditer(text)]
    for pattern in _MENTIONS:
        for match in pattern.finditer(text):
            name = match.group("name")
            start, end = match.start("name"), match.end("name")
            # "Oluwaseun (Seun) Adebayo, date of birth ...": not a child called Adebayo.
            if any(outer_start < start and end <= outer_end
                   for outer_start, outer_end in known):
                continue
            found.append((name, start, end))
    return found


def _describe(child: _ChildNotes, text: str, window_end: int, schools) -> None:
    """Fill in what the text near the child's mentions says about them."""
    for start, end in child.spans:
        window = text[end:min(window_end if start == child.start else len(text), end + 250)]
        sentence = _to_sentence_end(window)
        if child.date_of_birth is None:
            dob = (_DOB.search(window[:80]) or _BRACKETED_DATE.match(window)
                   or _BARE_DATE.match(window))
            if dob:
                child.date_of_birth = parse_date(dob.group(0))
        if child.age is None:
            age = _AGE.search(sentence)
            if age:
                child.age = int(next(group for group in age.groups() if group))
        if child.year_group is None:
            year = _YEAR_GROUP.search(sentence)
            if year:
                child.year_group = _tidy_year(year.group(1))
        for school in schools:
            if end <= school.start <= end + len(sentence):
                if school.wanted and child.requested_school is None:
                    child.requested_school = school.name
                elif not school.wanted and not school.past and child.school is None:
                    child.school = school.name
    if child.school is None:
        # A letter about one child often names the school in a later sentence.
        attended = [school for school in schools if not school.wanted and not school.past
                    and child.start <= school.start < window_end]
        if attended:
            child.school = attended[0].name
    if child.requested_school is None:
        wanted = [school for school in schools
                  if school.wanted and child.start <= school.start < window_end]
        if wanted:
            child.requested_school = wanted[0].name


def _to_sentence_end(window: str) -> str:
    stop = re.search(r"[.!?](?:\s|$)|\n\s*\n", window)
    return window[:stop.start() + 1] if stop else window


def _tidy_year(text: str) -> str:
    words = " ".join(text.split())
    if words.lower() == "sixth form":
        return "Post-16"
    if words == "Year R":
        return "Reception"
    return words


def _to_child(notes: _ChildNotes) -> Child:
    return Child(
        first_name=notes.first_name or None,
        last_name=notes.last_name,
        date_of_birth=notes.date_of_birth,
        age=notes.age,
        year_group=notes.year_group,
        school=School(notes.school) if notes.school else None,
        requested_school=notes.requested_school,
    )


# A table of children: which column holds what, by its header's words.
_COLUMNS = (
    ("requested_school", re.compile(r"request|prefer|wanted|named in|consult|proposed",
                                    re.IGNORECASE)),
    ("date_of_birth", re.compile(r"birth|\bdob\b|d\.o\.b|\bborn\b", re.IGNORECASE)),
    ("school", re.compile(r"school|setting|college|placement|nursery|provision",
                          re.IGNORECASE)),
    ("year_group", re.compile(r"\byear\b|\bclass\b", re.IGNORECASE)),
    ("last_name", re.compile(r"surname|last name|family name", re.IGNORECASE)),
    ("first_name", re.compile(r"first name|forename|given name", re.IGNORECASE)),
    ("name", re.compile(r"\bname\b|\bchild|\bpupil|young person|student", re.IGNORECASE)),
)


def children_from_tables(tables: Sequence[tuple[dict[str, str], ...]]) -> list[Child]:
    """The children of tables whose headers say so ("Name | Date of birth | School"), one
    per row; the header row itself is never a child. Tables of anything else give none."""
    children = []
    for rows in tables:
        if not rows:
            continue
        columns = _table_columns(rows[0].keys())
        if "name" not in columns and "first_name" not in columns:
            continue
        for row in rows:
            child = _child_of_row(row, columns)
            if child is not None:
                children.append(child)
    return children


def _table_columns(headers) -> dict[str, str]:
    """field -> the header of the column holding it."""
    found: dict[str, str] = {}
    for header in headers:
        for field_name, pattern in _COLUMNS:
            if field_name not in found and pattern.search(header):
                found[field_name] = header
                break
    return found


def _child_of_row(row: dict[str, str], columns: dict[str, str]) -> Child | None:
    def cell(field_name: str) -> str | None:
        value = " ".join(row.get(columns[field_name], "").split()) if field_name in columns \
            else ""
        return value or None

    first, last = split_name(cell("name") or "") if "name" in columns else (None, None)
    first = cell("first_name") or first
    last = cell("last_name") or last
    if not first or not re.match(NAME_WORD, first) or first in NOT_NAMES:
        return None
    born, school, year = cell("date_of_birth"), cell("school"), cell("year_group")
    return Child(first_name=strip_possessive(first), last_name=last,
                 date_of_birth=parse_date(born) if born else None,
                 year_group=_tidy_year(year) if year else None,
                 school=School(school) if school and not _NO_SCHOOL.search(school) else None,
                 requested_school=cell("requested_school"))


_NO_SCHOOL = re.compile(r"^(?:none|n/?a|no school|not in school|-+)$", re.IGNORECASE)


def _written_properly(name: str) -> str:
    """A name shouted in capitals in a subject line ("MASON KELLY") as a name is written;
    a short all-capital word is left alone (initials)."""
    return name.title() if name.isupper() and len(name) > 2 else name


def strip_possessive(name: str) -> str:
    """'Fox's' -> 'Fox', 'Jess’' -> 'Jess'."""
    return re.sub(r"(?:['’]s|['’])$", "", name.strip())
