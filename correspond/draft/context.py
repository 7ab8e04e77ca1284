"""The variables a letter template can use, built from an extraction.

A pure function: the same extraction and dates always give the same variables. Every
value is a plain string (or a list of them, or a bool) so a template never reaches into
our objects. Unknown values become "" (so `{% if %}` can leave a line out) or a neutral
phrase such as "your constituent" where the sentence needs words.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from correspond.domain.concerns import CONCERN_LABELS
from correspond.domain.dates import written_date
from correspond.records import Child, Correspondent, Extraction

CONSTITUENT_FALLBACK = "your constituent"
CHILD_FALLBACK = "their child"
SALUTATION_FALLBACK = "Sir or Madam"

CONTEXT_VARIABLES: frozenset[str] = frozenset({
    "today", "council_name", "service_name", "signatory",
    "mp_name", "mp_addressee", "mp_salutation", "mp_constituency", "mp_reference",
    "mp_caseworker", "mp_address", "correspondent_type", "is_chaser",
    "council_reference", "letter_date", "received_date", "acknowledgement_due",
    "reply_due", "constituent_name", "constituent_address", "constituent_postcode",
    "child_name", "child_first_name", "child_school", "children", "concerns",
    "concerns_text", "urgent",
})

# Where a letter to an MP goes when we have no other postal address for them.
_COMMONS_ADDRESS = "House of Commons\nLondon\nSW1A 0AA"


def uk_date(day: date | None) -> str:
    """'24 December 2026'; '' when unknown."""
    if day is None:
        return ""
    return written_date(day)


def letter_context(*, extraction: Extraction, council_reference: str, received: date,
                   acknowledgement_due: date, reply_due: date, settings: Any,
                   today: date | None = None) -> dict[str, object]:
    """The template variables for one drafted letter (keys are CONTEXT_VARIABLES).

    `today` is the letter's date; it defaults to `received` so a draft does not change
    when it is rendered again later.
    """
    correspondent = extraction.correspondent
    constituent = extraction.constituent
    children = [_child(child) for child in extraction.children]
    first = extraction.children[0] if extraction.children else None
    concerns = _concern_labels(extraction)
    context: dict[str, object] = {
        "today": uk_date(today or received),
        "council_name": settings.council_name,
        "service_name": settings.service_name,
        "signatory": settings.signatory,
        "mp_name": _bare_name(correspondent),
        "mp_addressee": _addressee(correspondent),
        "mp_salutation": _salutation(correspondent),
        "mp_constituency": _text(correspondent.constituency),
        "mp_reference": _text(correspondent.reference),
        "mp_caseworker": _text(correspondent.caseworker),
        "mp_address": _COMMONS_ADDRESS if correspondent.type in ("mp", "mp_office") else "",
        "correspondent_type": correspondent.type,
        "is_chaser": bool(extraction.is_chaser),
        "council_reference": council_reference,
        "letter_date": uk_date(extraction.letter_date),
        "received_date": uk_date(received),
        "acknowledgement_due": uk_date(acknowledgement_due),
        "reply_due": uk_date(reply_due),
        "constituent_name": _text(constituent.name) or CONSTITUENT_FALLBACK,
        "constituent_address": _text(constituent.address),
        "constituent_postcode": _text(constituent.postcode),
        "child_name": _join([c["name"] for c in children if c["name"]]) or CHILD_FALLBACK,
        "child_first_name": _text(first.first_name) if first else "",
        "child_school": _common_school(extraction.children),
        "children": children,
        "concerns": concerns,
        "concerns_text": _concerns_text(concerns),
        "urgent": bool(extraction.urgent),
    }
    assert context.keys() == CONTEXT_VARIABLES  # a new variable must be declared above
    return context


def sample_context() -> dict[str, object]:
    """A context with every variable filled, for checking templates render."""
    from correspond.records import Concern, Constituent, School

    class _Sample:
        council_name = "Example Council"
        service_name = "SEND Service"
        signatory = "SEND Casework Team"

    extraction = Extraction(
        is_send=True,
        correspondent=Correspondent(type="mp", name="Sample Member", constituency="Sampleton",
                                    reference="SM/0001", caseworker="Sample Caseworker"),
        constituent=Constituent(name="Sample Parent", address="1 Sample Street\nSampleton",
                                postcode="SA1 1AA"),
        children=(Child(first_name="Sam", last_name="Sample", school=School("Sample School")),),
        concerns=(Concern("assessment"),),
        urgent=True, letter_date=date(2026, 1, 5), is_chaser=False,
    )
    return letter_context(extraction=extraction, council_reference="MP-2026-0001",
                          received=date(2026, 1, 6), acknowledgement_due=date(2026, 1, 8),
                          reply_due=date(2026, 1, 20), settings=_Sample())


def _text(value: str | None) -> str:
    return value.strip() if value else ""


def _child(child: Child) -> dict[str, str]:
    name = " ".join(part for part in (_text(child.first_name), _text(child.last_name)) if part)
    return {
        "name": name,
        "first_name": _text(child.first_name),
        "last_name": _text(child.last_name),
        "date_of_birth": uk_date(child.date_of_birth),
        "year_group": _text(child.year_group),
        "school": child.school.name if child.school else "",
    }


def _common_school(children: tuple[Child, ...]) -> str:
    # Named only when every child is known to be at the same school, so "who attends X"
    # is never wrong for one of several children.
    schools = {child.school.name.strip() if child.school else "" for child in children}
    if len(schools) == 1:
        return schools.pop()
    return ""


def _bare_name(correspondent: Correspondent) -> str:
    name = _text(correspondent.name)
    # The extractor strips titles, but a name typed in by hand may still end in "MP".
    if name.endswith(" MP"):
        name = name[:-3].rstrip(" ,")
    return name


def _addressee(correspondent: Correspondent) -> str:
    name = _bare_name(correspondent)
    if not name:
        return ""
    if correspondent.type in ("mp", "mp_office"):
        return f"{name} MP"
    if correspondent.type == "councillor" and not name.lower().startswith(("councillor", "cllr")):
        return f"Councillor {name}"
    return name


def _salutation(correspondent: Correspondent) -> str:
    # Without a title (Ms, Mr, Dr) we cannot write "Dear Ms Greaves"; the full name with
    # "MP" is correct and courteous.
    return _addressee(correspondent) or SALUTATION_FALLBACK


def _concern_labels(extraction: Extraction) -> list[str]:
    labels: list[str] = []
    for concern in extraction.concerns:
        label = CONCERN_LABELS.get(concern.category, concern.category.replace("_", " "))
        if label not in labels:
            labels.append(label)
    return labels


def _concerns_text(labels: list[str]) -> str:
    """'EHC needs assessment and home to school transport', for use mid-sentence."""
    # "Other" says nothing in a sentence; "EHC" keeps its capitals.
    words = [label if label.startswith("EHC") else label[0].lower() + label[1:]
             for label in labels if label != CONCERN_LABELS["other"]]
    return _join(words)


def _join(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


__all__ = ["CONTEXT_VARIABLES", "letter_context", "sample_context", "uk_date"]
