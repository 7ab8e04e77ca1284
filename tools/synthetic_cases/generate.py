"""Hard synthetic case sets, and letters about them, for measuring the matcher.

`generate_case_set(folder, records=5000, seed=1)` writes:

  cases.csv      case records as a council would export them (spec/cases.md), streamed,
                 so a million rows never sit in memory;
  letters.jsonl  one letter a line: the constituent, the children as a letter would state
                 them, and each child's true `case_id` (null for a child with no record),
                 with `tags` naming what makes it hard.

Deliberately hard: families of siblings who share surname, parents, address and school;
twins who share a date of birth too; namesakes in other families; records with a known-as
name; double-barrelled, accented and apostrophed surnames; a parent with another surname.
Letters add typing slips, known-as and nicknames, day and month swapped, a digit off, a
school the child has left, a moved family, missing fields, and children with no record
(an unrecorded sibling, a namesake, a new family). All of it is made up.
"""

from __future__ import annotations

import csv
import json
import random
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from correspond.domain.text import name_key
from correspond.match.nicknames import equivalents
from tools.synthetic_cases import names

LETTER_DATE = date(2026, 11, 2)
COLUMNS = ["case_id", "child_first_name", "child_last_name", "date_of_birth", "known_as",
           "school", "school_urn", "parent_names", "address", "postcode", "caseworker",
           "caseworker_email", "ehcp_status", "ehcp_issued", "next_review_due"]
_CASEWORKERS = ["Jo Bell", "Sam Okoro", "Priya Nair", "Tom Hale", "Ewa Nowak", "Dan Reid"]
_STATUSES = ["requested", "assessing", "draft", "final", "final", "final", "ceased"]


@dataclass(frozen=True)
class GeneratedSet:
    records: int
    letters: int
    children: int
    children_with_record: int


@dataclass
class _Kid:
    first: str
    last: str
    born: date
    sex: str
    school: tuple[str, str] | None  # (name, urn)
    known_as: str | None = None
    case_id: str | None = None  # None: no record (an unrecorded sibling)
    tags: list[str] = field(default_factory=list)


@dataclass
class _Family:
    parents: list[tuple[str, str, str]]  # (title, first, last)
    address: str
    postcode: str
    kids: list[_Kid]


class _Picker:
    """Weighted choice from a list ordered most common first (a Zipf-like tail)."""

    def __init__(self, values: list[str], exponent: float) -> None:
        self.values = list(dict.fromkeys(values))
        self.cumulative = list(accumulate(1 / (rank + 1) ** exponent
                                          for rank in range(len(self.values))))

    def __call__(self, rng: random.Random) -> str:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


class _World:
    """Schools, postcodes and names shared by the families of one set."""

    def __init__(self, rng: random.Random, records: int) -> None:
        self.rng = rng
        self.boys = _Picker(names.BOYS, 0.6)
        self.girls = _Picker(names.GIRLS, 0.6)
        self.surnames = _Picker(names.SURNAMES, 0.5)
        self.postcodes = [self._postcode(i) for i in range(max(60, records // 5))]
        self.streets = {code: f"{rng.choice(names.PLACES)} {rng.choice(names.STREETS)}"
                        for code in self.postcodes[:5000]}
        self.primary = self._schools(max(12, records // 110), "primary")
        self.secondary = self._schools(max(5, records // 350), "secondary")
        self.special = self._schools(max(3, records // 1200), "special")
        self.recent: deque[tuple[str, str, str]] = deque(maxlen=500)  # for namesakes

    def _postcode(self, index: int) -> str:
        rng = self.rng
        area = names.POSTCODE_AREAS[index % len(names.POSTCODE_AREAS)]
        rest = index // len(names.POSTCODE_AREAS)
        district, sector = 1 + rest % 29, (rest // 29) % 10
        unit = "ABDEFGHJLNPQRSTUWXYZ"
        return f"{area}{district} {sector}{rng.choice(unit)}{rng.choice(unit)}"

    def _schools(self, count: int, phase: str) -> list[tuple[str, str]]:
        schools = []
        for index in range(count):
            place = self.rng.choice(names.PLACES)
            twist = self.rng.choice(names.PLACE_TWISTS)
            place = f"{place} {twist}".strip()
            saint = self.rng.choice(names.SAINTS)
            kinds = {
                "primary": [f"{place} Primary School", f"{place} Primary School",
                            f"St {saint} Church of England Primary School",
                            f"St {saint} Catholic Primary School", f"{place} Infant School",
                            f"{place} Junior School", f"{place} Primary Academy"],
                "secondary": [f"{place} High School", f"{place} Academy",
                              f"{place} Community College", f"St {saint} Catholic High School"],
                "special": [f"{place} School", f"{place} Special School"],
            }[phase]
            urn = str(100000 + len(phase) * 100000 + index)
            schools.append((self.rng.choice(kinds), urn))
        return schools

    def street_of(self, postcode: str) -> str:
        # crc32, not hash(): the same seed must write the same set in every process.
        place = names.PLACES[zlib.crc32(postcode.encode()) % 60]
        return self.streets.get(postcode) or f"{place} Road"

    def surname(self) -> str:
        roll = self.rng.random()
        if roll < 0.08:  # a rare name, nearly unique in the set
            parts = (names.RARE_START, names.RARE_MIDDLE, names.RARE_END)
            return "".join(self.rng.choice(part) for part in parts).capitalize()
        return self.surnames(self.rng)

    def school_for(self, born: date, special: bool) -> tuple[str, str] | None:
        age = _age(born, LETTER_DATE)
        if age < 4 or age > 18:
            return None
        if special:
            return self.rng.choice(self.special)
        return self.rng.choice(self.primary if age < 11 else self.secondary)


def generate_case_set(folder: Path, *, records: int = 5000, seed: int = 1,
                      letters: int | None = None,
                      written_one: Callable[[int], object] | None = None) -> GeneratedSet:
    """Write cases.csv and letters.jsonl to `folder` (see the module's docstring);
    `written_one(1)` is called after each case record, for a progress bar."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    world = _World(rng, records)
    wanted_letters = letters if letters is not None else max(200, records // 5)
    letter_chance = min(1.0, wanted_letters * 1.45 / records)
    written = made_letters = children = with_record = 0
    with (folder / "cases.csv").open("w", encoding="utf-8", newline="") as cases_file, \
            (folder / "letters.jsonl").open("w", encoding="utf-8") as letters_file:
        out = csv.writer(cases_file)
        out.writerow(COLUMNS)
        while written < records:
            family = _family(world)
            for kid in family.kids:
                if written < records and rng.random() < 0.85:
                    written += 1
                    kid.case_id = f"C{written:07d}"
                    out.writerow(_case_row(rng, kid, family))
                    if written_one is not None:
                        written_one(1)
            if made_letters < wanted_letters and rng.random() < letter_chance:
                letter = _letter(world, family, made_letters + 1)
                letters_file.write(json.dumps(letter, ensure_ascii=False) + "\n")
                made_letters += 1
                children += len(letter["children"])
                with_record += sum(1 for c in letter["children"] if c["case_id"])
    return GeneratedSet(written, made_letters, children, with_record)


def _family(world: _World) -> _Family:
    rng = world.rng
    surname = world.surname()
    mother = ("Mrs", world.girls(rng), surname)
    parents = [mother]
    if rng.random() < 0.6:
        father_surname = surname if rng.random() < 0.8 else world.surname()
        parents.append(("Mr", world.boys(rng), father_surname))
    if rng.random() < 0.15:  # the mother kept or took another surname
        parents[0] = ("Ms", mother[1], world.surname())
    kid_surname = surname
    if len(parents) > 1 and parents[1][2] != surname and rng.random() < 0.5:
        kid_surname = rng.choice([parents[1][2], f"{surname}-{parents[1][2]}"])
    postcode = rng.choice(world.postcodes)
    address = f"{rng.randint(1, 180)} {world.street_of(postcode)}, {rng.choice(names.TOWNS)}"
    count = rng.choices([1, 2, 3, 4], [55, 30, 11, 4])[0]
    eldest = LETTER_DATE - timedelta(days=rng.randint(3 * 365, 19 * 365))
    kids: list[_Kid] = []
    born = eldest
    for _ in range(count):
        kids.append(_kid(world, kid_surname, born, kids))
        born = born + timedelta(days=rng.randint(330, 5 * 365))
        if born > LETTER_DATE - timedelta(days=365):
            break
    if rng.random() < 0.05:  # twins: same date of birth, school, everything but a name
        twin = _kid(world, kid_surname, kids[0].born, kids)
        twin.school = kids[0].school
        twin.tags.append("twin")
        kids[0].tags.append("twin")
        kids.append(twin)
    return _Family(parents, address, postcode, kids)


def _kid(world: _World, surname: str, born: date, siblings: list[_Kid]) -> _Kid:
    rng = world.rng
    sex = rng.choice("MF")
    taken = {kid.first for kid in siblings}
    first = world.boys(rng) if sex == "M" else world.girls(rng)
    while first in taken:
        first = world.boys(rng) if sex == "M" else world.girls(rng)
    tags = []
    if world.recent and rng.random() < 0.03:  # a namesake of a child in another family
        first, surname, sex = rng.choice(world.recent)
        tags.append("namesake")
    world.recent.append((first, surname, sex))
    school = siblings[-1].school if siblings and rng.random() < 0.4 else None
    school = school or world.school_for(born, rng.random() < 0.12)
    kid = _Kid(first, surname, born, sex, school, tags=tags)
    options = names.KNOWN_AS.get(first)
    if options and rng.random() < 0.4:
        kid.known_as = rng.choice(options)
    return kid


def _case_row(rng: random.Random, kid: _Kid, family: _Family) -> list[str]:
    school, urn = kid.school or ("", "")
    born = (kid.born.strftime("%d/%m/%Y") if rng.random() < 0.3 else kid.born.isoformat())
    worker = rng.choice(_CASEWORKERS)
    issued = kid.born + timedelta(days=rng.randint(4 * 365, 6 * 365))
    return [kid.case_id or "", kid.first, kid.last, born, kid.known_as or "", school,
            urn if rng.random() < 0.7 else "",
            "; ".join(f"{first} {last}" for _, first, last in family.parents),
            family.address, family.postcode, worker,
            worker.lower().replace(" ", ".") + "@example.gov.uk", rng.choice(_STATUSES),
            issued.isoformat() if issued < LETTER_DATE else "", ""]


def _letter(world: _World, family: _Family, number: int) -> dict[str, Any]:
    rng = world.rng
    kids = list(family.kids)
    if rng.random() < 0.08:  # a new family: nobody in it has a record
        kids = [_Kid(k.first, k.last, k.born, k.sex, k.school, tags=["new_family"])
                for k in _family(world).kids]
        parents, postcode, address = [("Mrs", world.girls(rng), kids[0].last)], \
            rng.choice(world.postcodes), f"{rng.randint(1, 99)} Station Road, Leeds"
    else:
        parents, postcode, address = family.parents, family.postcode, family.address
    about = rng.sample(kids, k=2 if len(kids) > 1 and rng.random() < 0.15 else 1)
    if "twin" in about[0].tags and len(kids) > 1 and rng.random() < 0.5:
        about = [k for k in kids if "twin" in k.tags]  # a letter about both twins
    children = [_as_written(world, kid) for kid in about]
    return {
        "letter": f"L{number:06d}",
        "letter_date": LETTER_DATE.isoformat(),
        "constituent": _constituent(world, parents, postcode, address, children),
        "council_reference": None,
        "children": children,
    }


def _constituent(world: _World, parents, postcode: str | None, address: str,
                 children: list[dict[str, Any]]) -> dict[str, Any]:
    rng = world.rng
    title, first, last = rng.choice(parents)
    tags = children[0]["tags"]
    name = rng.choices([f"{title} {first} {last}", f"{first} {last}", f"{title} {last}"],
                       [6, 3, 1])[0]
    if rng.random() < 0.05:
        name = f"Mrs {world.girls(rng)} {world.surname()}"
        tags.append("grandparent")
    roll = rng.random()
    if roll < 0.08:
        postcode, address = rng.choice(world.postcodes), f"{rng.randint(1, 99)} New Street"
        tags.append("moved")
    elif roll < 0.13:
        postcode = None
    written_address = None
    if rng.random() < 0.6:
        written_address = address.replace(" Road", " Rd") if rng.random() < 0.3 else address
    return {"name": name, "address": written_address, "postcode": postcode}


def _as_written(world: _World, kid: _Kid) -> dict[str, Any]:
    """The child as a letter states it, with the slips letters make."""
    rng = world.rng
    tags = list(kid.tags)
    if kid.case_id is None and "new_family" not in tags:
        tags.append("no_record")
    first: str | None = kid.first
    if kid.known_as and rng.random() < 0.6:
        first = kid.known_as
        tags.append("known_as")
    elif rng.random() < 0.05 and (nick := _nickname(rng, kid.first)):
        first = nick
        tags.append("nickname")
    elif rng.random() < 0.04:
        first = _typo(rng, kid.first)
        tags.append("first_name_typo")
    elif rng.random() < 0.02:
        first = None
        tags.append("no_first_name")
    last: str | None = kid.last
    roll = rng.random()
    if "-" in kid.last and roll < 0.4:
        last = rng.choice(kid.last.split("-"))
        tags.append("part_of_surname")
    elif roll < 0.04:
        last = _typo(rng, kid.last)
        tags.append("surname_typo")
    elif roll < 0.07:
        last = name_key(kid.last).capitalize() if name_key(kid.last) != kid.last.lower() \
            else kid.last.upper()
        tags.append("surname_written_differently")
    elif roll < 0.09:
        last = None
        tags.append("no_surname")
    born: date | None = kid.born
    age = None
    roll = rng.random()
    if roll < 0.04 and kid.born.day <= 12 and kid.born.day != kid.born.month:
        born = date(kid.born.year, kid.born.day, kid.born.month)
        tags.append("day_month_swapped")
    elif roll < 0.08:
        born = _digit_off(rng, kid.born)
        tags.append("digit_off")
    elif roll < 0.13:
        born, age = None, _age(kid.born, LETTER_DATE)
        tags.append("age_not_date")
    elif roll < 0.17:
        born = None
        tags.append("no_date_of_birth")
    school = kid.school[0] if kid.school else None
    roll = rng.random()
    if school and roll < 0.1:
        school = rng.choice(world.primary + world.secondary)[0]
        tags.append("moved_school")
    elif school and roll < 0.3:
        school = _school_as_written(rng, school)
    elif roll < 0.45:
        school = None
    return {"first_name": first, "last_name": last,
            "date_of_birth": born.isoformat() if born else None, "age": age,
            "school": school, "case_id": kid.case_id, "tags": tags}


def _nickname(rng: random.Random, first: str) -> str | None:
    options = sorted(equivalents(name_key(first)))
    return rng.choice(options).capitalize() if options else None


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text + text[-1]
    at = rng.randint(1, len(text) - 2)
    kind = rng.choice(["drop", "double", "swap", "change"])
    if kind == "drop":
        return text[:at] + text[at + 1:]
    if kind == "double":
        return text[:at] + text[at] + text[at:]
    if kind == "swap":
        return text[:at] + text[at + 1] + text[at] + text[at + 2:]
    return text[:at] + rng.choice("aeiourstnl") + text[at + 1:]


def _digit_off(rng: random.Random, born: date) -> date:
    text = born.isoformat()
    for _ in range(20):
        at = rng.choice([2, 3, 5, 6, 8, 9])
        changed = text[:at] + str(rng.randint(0, 9)) + text[at + 1:]
        try:
            value = date.fromisoformat(changed)
        except ValueError:
            continue
        if value != born and value < LETTER_DATE:
            return value
    return born


def _school_as_written(rng: random.Random, school: str) -> str:
    written = school.replace("Church of England", rng.choice(["CE", "C of E", "C.E."]))
    written = written.replace("Catholic", rng.choice(["Catholic", "RC"]))
    if rng.random() < 0.5:
        written = written.replace(" School", "")
    if written.startswith("St ") and rng.random() < 0.4:
        written = "St. " + written[3:]
    return written


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
