"""The fields a caseworker may correct, and the referral with their corrections applied.

A field is named by its path in the referral JSON ("constituent.name",
"children[0].date_of_birth"). The extraction as read is never changed; corrections are
laid over it, the latest for each field winning. A child a caseworker adds is a
correction of its own ("children[2]", an empty child) before its fields; a child they
remove stays in the list marked "removed" (its position names it everywhere), and is
left out of the letters.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from correspond.domain.dates import parse_uk_date
from correspond.draft.context import is_young_person
from correspond.errors import DeskProblem
from correspond.records import Child, Concern, Constituent, Correspondent, Extraction, School

Kind = Literal["text", "multiline", "date", "yesno"]


@dataclass(frozen=True)
class FieldSpec:
    label: str
    kind: Kind = "text"


YOUNG_PERSON_FIELD = "young_person"
REFERRAL_FIELDS: dict[str, FieldSpec] = {
    "correspondent.name": FieldSpec("MP or correspondent"),
    "correspondent.constituency": FieldSpec("Constituency"),
    "correspondent.reference": FieldSpec("MP's reference"),
    "constituent.name": FieldSpec("Constituent (parent or carer)"),
    "constituent.address": FieldSpec("Constituent's address", "multiline"),
    "constituent.postcode": FieldSpec("Postcode"),
    "letter_date": FieldSpec("Date of the letter", "date"),
    "urgent": FieldSpec("Urgent", "yesno"),
    "is_send": FieldSpec("About special educational needs (SEND)", "yesno"),
    YOUNG_PERSON_FIELD: FieldSpec("The young person is the writer (writing about "
                                  "themselves)", "yesno"),
}
CHILD_FIELDS: dict[str, FieldSpec] = {
    "first_name": FieldSpec("First name"),
    "last_name": FieldSpec("Last name"),
    "date_of_birth": FieldSpec("Date of birth", "date"),
    "year_group": FieldSpec("Year group"),
    "school": FieldSpec("School"),
}
CONCERNS_FIELD = "concerns"
_CHILD_PATH = re.compile(r"^children\[(\d{1,2})\]\.([a-z_]+)$")
_CHILD_ENTRY = re.compile(r"^children\[(\d{1,2})\]$")  # a child a caseworker added
MAX_CHILDREN = 99  # positions are two digits in a field's path


def spec_for(path: str) -> FieldSpec:
    if path in REFERRAL_FIELDS:
        return REFERRAL_FIELDS[path]
    found = _CHILD_PATH.match(path)
    if found and found.group(2) in CHILD_FIELDS:
        return CHILD_FIELDS[found.group(2)]
    raise DeskProblem(f"'{path}' is not a field that can be corrected.")


def parse_value(path: str, text: str) -> Any:
    """The JSON value for what was typed in a field; '' means 'not known' (null)."""
    if path == CONCERNS_FIELD:
        raise DeskProblem("Concerns are chosen from the list, not typed.")
    kind = spec_for(path).kind
    # A browser sends a text box's line breaks as CR LF; what was read has LF.
    text = text.replace("\r\n", "\n").strip()
    if kind == "yesno":
        return text in ("yes", "on", "true", "1")
    if not text:
        return None
    if kind == "date":
        return _parse_date(text, spec_for(path).label).isoformat()
    return text


def _parse_date(text: str, label: str) -> date:
    try:
        return parse_uk_date(text)
    except ValueError:
        raise DeskProblem(f"{label}: '{text}' is not a date; write it as 31/12/2015.") from None


def current_value(referral: dict[str, Any], path: str) -> Any:
    """The value of `path` in a referral JSON, as a form shows it."""
    if path == CONCERNS_FIELD:
        return [concern["category"] for concern in referral.get("concerns", [])]
    if path == YOUNG_PERSON_FIELD:
        return is_young_person(extraction_from_json(referral))
    found = _CHILD_PATH.match(path)
    if found:
        children = referral.get("children", [])
        index, name = int(found.group(1)), found.group(2)
        if index >= len(children):
            return None
        value = children[index].get(name)
        return value.get("name") if name == "school" and value else value
    head, _, tail = path.partition(".")
    value = referral.get(head)
    return value.get(tail) if tail and isinstance(value, dict) else value


def apply_corrections(referral: dict[str, Any],
                      corrections: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `referral` with each corrected field (path -> JSON value) set."""
    corrected = copy.deepcopy(referral)
    # Children added first, so each added child's fields have a child to go to.
    for path in sorted(corrections, key=lambda path: not _CHILD_ENTRY.match(path)):
        _set(corrected, path, corrections[path])
    return corrected


def is_unchanged(path: str, value: Any, referral: dict[str, Any]) -> bool:
    """Whether `value` (as parsed from the form) is what `path` already holds: concerns
    in any order, text with any whitespace at its ends."""
    current = current_value(referral, path)
    if path == CONCERNS_FIELD:
        return set(value) == set(current)
    if isinstance(current, str):
        current = current.replace("\r\n", "\n").strip() or None
    return value == current


def live_positions(referral: dict[str, Any]) -> list[int]:
    """The positions of the children not removed, in order: Extraction.children's."""
    return [position for position, child in enumerate(referral.get("children") or [])
            if not child.get("removed")]


def added_child_path(position: int) -> str:
    """The correction that adds a child at `position` (its fields follow)."""
    return f"children[{position}]"


def added_child_path_of(path: str) -> int | None:
    """The position of the child `path` adds, or None for a field's path."""
    found = _CHILD_ENTRY.match(path)
    return int(found.group(1)) if found else None


def _set(referral: dict[str, Any], path: str, value: Any) -> None:
    if path == CONCERNS_FIELD:
        kept = {concern["category"]: concern for concern in referral.get("concerns", [])}
        referral["concerns"] = [kept.get(category, {"category": category, "evidence": None,
                                                    "score": None})
                                for category in value]
        return
    added = _CHILD_ENTRY.match(path)
    if added:
        children = referral.setdefault("children", [])
        while len(children) <= int(added.group(1)):
            children.append(dict.fromkeys(CHILD_FIELDS))
        return
    found = _CHILD_PATH.match(path)
    if found:
        index, name = int(found.group(1)), found.group(2)
        children = referral.setdefault("children", [])
        if index >= len(children):
            return  # a correction to a child no longer in the letter is ignored
        if name == "school":
            # A corrected name no longer means the register's school that was resolved.
            value = {"name": value, "urn": None} if value else None
        children[index][name] = value
        return
    head, _, tail = path.partition(".")
    if tail:
        referral.setdefault(head, {})[tail] = value
    else:
        referral[head] = value


def extraction_from_json(referral: dict[str, Any]) -> Extraction:
    """The Extraction a referral JSON describes, for redrafting and rematching."""
    correspondent = referral.get("correspondent") or {}
    constituent = referral.get("constituent") or {}
    return Extraction(
        is_send=bool(referral.get("is_send")),
        correspondent=Correspondent(**{key: correspondent.get(key) for key in (
            "name", "constituency", "email", "reference", "caseworker")},
            type=correspondent.get("type") or "other"),
        constituent=Constituent(**{key: constituent.get(key) for key in (
            "name", "address", "postcode", "email", "phone")}),
        children=tuple(_child(child) for child in referral.get("children", [])
                       if not child.get("removed")),
        concerns=tuple(Concern(item["category"], item.get("evidence"), item.get("score"))
                       for item in referral.get("concerns", [])),
        urgent=bool(referral.get("urgent")),
        urgency_reasons=tuple(referral.get("urgency_reasons") or ()),
        letter_date=_date(referral.get("letter_date")),
        council_reference=referral.get("council_reference"),
        is_chaser=referral.get("is_chaser"),
        confidence=dict(referral.get("confidence") or {}),
        young_person=referral.get(YOUNG_PERSON_FIELD),
    )


def _child(child: dict[str, Any]) -> Child:
    school = child.get("school")
    return Child(
        first_name=child.get("first_name"),
        last_name=child.get("last_name"),
        date_of_birth=_date(child.get("date_of_birth")),
        age=child.get("age"),
        year_group=child.get("year_group"),
        school=School(school["name"], school.get("urn")) if school else None,
        requested_school=child.get("requested_school"),
    )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
