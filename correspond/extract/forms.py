"""Enquiry forms: MP offices' case systems often send the facts as labelled fields
("Name:   Reggie Wilson", "DOB: 9/12/2018") under section headings (CONSTITUENT, CHILD).
Where a letter has them, they are the most exact statement of the facts there is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from correspond.domain.dates import parse_date
from correspond.domain.postcodes import normalise_postcode

_FIELD = re.compile(r"^[ \t]*(?P<label>[A-Za-z][A-Za-z '’/]{1,30}?)[ \t]*:"
                    r"[ \t]*(?P<value>\S[^\n]*)$", re.MULTILINE)
_HEADING = re.compile(r"^[ \t]*(?P<heading>[A-Z][A-Z '’/()0-9]{2,40})[ \t]*:?[ \t]*$", re.MULTILINE)
_CHILD_SECTION = re.compile(r"\b(?:CHILD|YOUNG PERSON|PUPIL|STUDENT)\b")
_PARENT_SECTION = re.compile(r"\b(?:CONSTITUENT|PARENT|CARER|FAMILY)\b")
_YEAR_IN_BRACKETS = re.compile(r"\s*\((?:Year|Yr)\s*[^)]*\)\s*$", re.IGNORECASE)


@dataclass
class FormChild:
    name: str
    date_of_birth: date | None = None
    school: str | None = None


@dataclass
class FormFacts:
    children: list[FormChild] = field(default_factory=list)
    constituent: str | None = None
    postcode: str | None = None


def read_form(text: str) -> FormFacts:
    """The facts of any labelled fields in `text`; empty when there are none."""
    facts = FormFacts()
    headings = [(found.start(), found.group("heading")) for found in _HEADING.finditer(text)]
    for found in _FIELD.finditer(text):
        label = " ".join(found.group("label").lower().split())
        value = " ".join(found.group("value").split())
        section = _section_at(headings, found.start())
        in_child = bool(_CHILD_SECTION.search(section))
        in_parent = bool(_PARENT_SECTION.search(section))
        if label in ("child", "child's name", "child’s name", "name of child", "young person",
                     "pupil") or (label == "name" and in_child):
            facts.children.append(FormChild(re.split(r"[,(]", value)[0].strip()))
        elif label in ("constituent", "parent", "parent/carer", "constituent name") or (
                label == "name" and in_parent):
            # "Constituent: Mrs Ngozi Okafor, 40 Brantingham Road, ..." names, then addresses.
            facts.constituent = facts.constituent or value.split(",")[0].strip()
        elif label in ("dob", "d.o.b", "date of birth") and facts.children:
            facts.children[-1].date_of_birth = parse_date(value)
        elif label in ("school", "current school", "setting") and facts.children:
            facts.children[-1].school = _YEAR_IN_BRACKETS.sub("", value) or None
        elif label == "postcode" and facts.postcode is None:
            facts.postcode = normalise_postcode(value)
    return facts


def _section_at(headings: list[tuple[int, str]], position: int) -> str:
    current = ""
    for start, heading in headings:
        if start > position:
            break
        current = heading
    return current
