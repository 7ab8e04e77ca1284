"""The variables a letter template can use, built from an extraction and the casework.

A pure function: the same extraction, casework and dates always give the same
variables. Every value is a plain string (or a list of them, or a bool) so a template
never reaches into our objects. Unknown values become "" (so `{% if %}` can leave a line
out) or a neutral phrase such as "your constituent" where the sentence needs words.
README.md ("Letters") lists every variable with an example.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any

from correspond.domain.concerns import CONCERN_LABELS
from correspond.domain.dates import written_date
from correspond.domain.names import (
    RoleKind,
    form_of_address,
    looks_like_name,
    parse_styled_name,
    strip_titles,
    styled_name_in,
)
from correspond.domain.statutory import case_clocks
from correspond.domain.text import name_key
from correspond.draft.addresses import letterhead_address
from correspond.draft.wording import (
    clock_sentence,
    concerns_sentence_part,
    join,
    plan_sentence,
)
from correspond.records import CaseRecord, Casework, Child, Correspondent, Extraction

CONSTITUENT_FALLBACK = "your constituent"
RESIDENT_FALLBACK = "your resident"  # a councillor writes for a resident of their ward
CHILD_FALLBACK = "their child"
SALUTATION_FALLBACK = "Sir or Madam"

CONTEXT_VARIABLES: frozenset[str] = frozenset({
    "today", "council_name", "service_name", "signatory",
    "council_address", "council_phone", "council_email",
    "officer_name", "contact_email", "closing",
    "mp_name", "mp_addressee", "mp_salutation", "mp_constituency", "mp_role",
    "mp_reference", "mp_caseworker", "mp_address", "correspondent_type", "is_chaser",
    "council_reference", "letter_date", "received_date", "acknowledgement_due",
    "reply_due", "new_reply_due", "holding_reason",
    "constituent_name", "constituent_address", "constituent_postcode", "about_text",
    "young_person", "child_name", "child_first_name", "child_first_names", "child_school",
    "children", "concerns", "concerns_text", "urgent",
    "case_facts", "clocks", "clocks_late", "paragraphs", "what_found", "what_next",
    "redirect_service", "redirect_contact",
})

# Where a letter to an MP goes when their letterhead gives no postal address.
_COMMONS_ADDRESS = "House of Commons\nLondon\nSW1A 0AA"


def uk_date(day: date | None) -> str:
    """'24 December 2026'; '' when unknown."""
    if day is None:
        return ""
    return written_date(day)


def letter_context(*, extraction: Extraction, council_reference: str, received: date,
                   acknowledgement_due: date, reply_due: date, settings: Any,
                   today: date | None = None, letter_text: str = "",
                   casework: Casework | None = None) -> dict[str, object]:
    """The template variables for one drafted letter (keys are CONTEXT_VARIABLES).

    `today` is the letter's date; it defaults to the casework's, else to `received`, so
    a draft does not change when it is rendered again later. `letter_text` is the letter
    being answered (its letterhead gives the writer's titles and postal address).
    `paragraphs` is left empty here: the drafter fills it with the approved wording
    chosen, rendered with these variables.
    """
    casework = casework or Casework()
    inputs = casework.inputs
    day = today or casework.today or received
    correspondent = extraction.correspondent
    constituent = extraction.constituent
    role = _role(correspondent)
    children = [_child(child) for child in extraction.children]
    first = extraction.children[0] if extraction.children else None
    address = _address_form(correspondent, role, letter_text, settings.salutation_style)
    officer, officer_email = _officer(casework)
    clocks = _confirmed_clocks(casework, day)
    context: dict[str, object] = {
        "today": uk_date(day),
        "council_name": settings.council_name,
        "service_name": settings.service_name,
        "signatory": settings.signatory,
        "council_address": settings.council_address.replace("\\n", "\n").strip(),
        "council_phone": settings.council_phone,
        "council_email": settings.council_email,
        "officer_name": officer,
        "contact_email": officer_email or settings.council_email,
        "closing": "Yours faithfully" if address[1] == SALUTATION_FALLBACK
                   else "Yours sincerely",
        "mp_name": strip_titles(_text(correspondent.name)),
        "mp_addressee": address[0],
        "mp_salutation": address[1],
        "mp_constituency": _text(correspondent.constituency),
        "mp_role": _role_line(role, _text(correspondent.constituency)),
        "mp_reference": _text(correspondent.reference),
        "mp_caseworker": _for_the_attention_of(correspondent, role),
        "mp_address": _postal_address(role, letter_text),
        "correspondent_type": correspondent.type,
        "is_chaser": bool(extraction.is_chaser),
        "council_reference": council_reference,
        "letter_date": uk_date(extraction.letter_date),
        "received_date": uk_date(received),
        "acknowledgement_due": uk_date(acknowledgement_due),
        "reply_due": uk_date(reply_due),
        "new_reply_due": uk_date(inputs.holding_reply_due or reply_due),
        "holding_reason": _sentence(inputs.holding_reason),
        "constituent_name": _text(constituent.name) or _constituent_fallback(role),
        "constituent_address": _text(constituent.address),
        "constituent_postcode": _text(constituent.postcode),
        "about_text": _about(extraction, role),
        "young_person": is_young_person(extraction),
        "child_name": join([c["name"] for c in children if c["name"]]) or CHILD_FALLBACK,
        "child_first_name": _text(first.first_name) if first else "",
        "child_first_names": join([c["first_name"] for c in children if c["first_name"]])
                             or CHILD_FALLBACK,
        "child_school": _common_school(extraction.children),
        "children": children,
        "concerns": _concern_labels(extraction),
        "concerns_text": concerns_sentence_part([c.category for c in extraction.concerns]),
        "urgent": bool(extraction.urgent),
        "case_facts": _case_facts(casework.cases, officer),
        "clocks": [clock_sentence(clock, record.called) for record, clock in clocks],
        "clocks_late": any(clock.state == "late" for _, clock in clocks),
        "paragraphs": [],
        "what_found": _paragraphs_of(inputs.what_found),
        "what_next": _paragraphs_of(inputs.what_next),
        "redirect_service": _text(casework.redirect_service),
        "redirect_contact": _text(casework.redirect_contact),
    }
    assert context.keys() == CONTEXT_VARIABLES  # a new variable must be declared above
    return context


def sample_context() -> dict[str, object]:
    """A context with every variable filled, for checking templates render."""
    from correspond.records import Concern, Constituent, ReplyInputs, School

    settings = SimpleNamespace(
        council_name="Example Council", service_name="SEND Service",
        signatory="SEND Casework Team", council_address="1 Example Street\nExampleton",
        council_phone="01632 960000", council_email="send@example.org",
        salutation_style="formal")
    extraction = Extraction(
        is_send=True,
        correspondent=Correspondent(type="mp_office", name="Sample Member",
                                    constituency="Sampleton", reference="SM/0001",
                                    caseworker="Sample Caseworker"),
        constituent=Constituent(name="Sample Parent", address="1 Sample Street\nSampleton",
                                postcode="SA1 1AA"),
        children=(Child(first_name="Sam", last_name="Sample", school=School("Sample School")),),
        concerns=(Concern("assessment"),),
        urgent=True, letter_date=date(2026, 1, 5), is_chaser=False,
    )
    record = CaseRecord(
        case_id="C-0001", child_first_name="Sam", child_last_name="Sample",
        date_of_birth=date(2015, 4, 3), school="Sample School", caseworker="Sam Officer",
        caseworker_email="sam.officer@example.org", ehcp_status="final",
        ehcp_issued=date(2025, 6, 1), next_review_due=date(2026, 6, 1),
        assessment_requested=date(2025, 1, 6), assessment_decision=date(2025, 2, 10),
        assessment_decision_outcome="agreed")
    casework = Casework(cases=(record,), inputs=ReplyInputs(
        what_found="We have spoken to the school.", what_next="We will write again.",
        confirmed_clocks=("C-0001/assessment_decision", "C-0001/final_plan"),
        holding_reply_due=date(2026, 2, 2), holding_reason="We are waiting for advice."),
        redirect_service="Housing Options", redirect_contact="housing@example.org")
    context = letter_context(extraction=extraction, council_reference="MP-2026-0001",
                             received=date(2026, 1, 6), acknowledgement_due=date(2026, 1, 8),
                             reply_due=date(2026, 1, 20), settings=settings,
                             letter_text="The Rt Hon Sample Member MP", casework=casework)
    context["paragraphs"] = ["A paragraph of the council's approved wording."]
    return context


def _text(value: str | None) -> str:
    return value.strip() if value else ""


def _role(correspondent: Correspondent) -> RoleKind:
    if correspondent.type in ("mp", "mp_office"):
        return "mp"
    return "councillor" if correspondent.type == "councillor" else "other"


def _address_form(correspondent: Correspondent, role: RoleKind, letter_text: str,
                  style: str) -> tuple[str, str]:
    """(addressee, salutation): 'The Rt Hon Dame Jane Doe DBE MP', 'Dame Jane'."""
    name = _text(correspondent.name)
    if not name:
        return "", SALUTATION_FALLBACK
    written = name
    # The extractor gives the bare name; the letterhead or signature gives the titles.
    found = styled_name_in(letter_text, strip_titles(name)) if letter_text else None
    if found and _detail(found) > _detail(name):
        written = found
    form = form_of_address(written, role, "first_name" if style == "first_name" else "formal")
    if form is None:
        return "", SALUTATION_FALLBACK
    return form.addressee, form.salutation


def _detail(written: str) -> int:
    styled = parse_styled_name(written)
    return len(styled.titles) + len([x for x in styled.letters if x != "MP"]) \
        + styled.right_honourable


def _role_line(role: RoleKind, place: str) -> str:
    if not place:
        return ""
    if role == "mp":
        return f"Member of Parliament for {place}"
    return f"Councillor for {place}" if role == "councillor" else ""


def _for_the_attention_of(correspondent: Correspondent, role: RoleKind) -> str:
    """A caseworker in the MP's office who wrote or is named; never the MP themselves."""
    caseworker = _text(correspondent.caseworker)
    if role != "mp" or not caseworker:
        return ""
    if name_key(strip_titles(caseworker)) == name_key(strip_titles(_text(correspondent.name))):
        return ""
    return caseworker


def _postal_address(role: RoleKind, letter_text: str) -> str:
    if role == "other":
        return ""
    found = letterhead_address(letter_text) if letter_text else ""
    if found:
        return found
    return _COMMONS_ADDRESS if role == "mp" else ""


def _constituent_fallback(role: RoleKind) -> str:
    return RESIDENT_FALLBACK if role == "councillor" else CONSTITUENT_FALLBACK


def is_young_person(extraction: Extraction) -> bool:
    """A young person writing about themselves: the constituent is the one child, or a
    caseworker has said so (or said not)."""
    if len(extraction.children) != 1:
        return False
    if extraction.young_person is not None:
        return extraction.young_person
    if not extraction.constituent.name:
        return False
    child = extraction.children[0]
    child_name = " ".join(_text(part) for part in (child.first_name, child.last_name))
    constituent = strip_titles(extraction.constituent.name)
    return bool(name_key(child_name)) and name_key(child_name) == name_key(constituent)


def _about(extraction: Extraction, role: RoleKind) -> str:
    """'on behalf of Mrs Sarah Khan about Adam Khan, who attends Meanwood Primary School':
    whom the letter was written for and about, to follow 'Thank you for your letter'."""
    constituent = _text(extraction.constituent.name)
    behalf = ""
    if role in ("mp", "councillor"):
        behalf = f"on behalf of {constituent or _constituent_fallback(role)} "
    pronoun = parse_styled_name(constituent).pronoun if constituent else "their"
    if is_young_person(extraction):
        child = extraction.children[0]
        school = f" at {child.school.name.strip()}" if child.school else ""
        if name_key(strip_titles(constituent)) != name_key(_full_name(child)) \
                and _full_name(child):
            # A caseworker said the young person wrote: the letter is on their behalf.
            behalf = f"on behalf of {_full_name(child)} " if behalf else ""
            pronoun = "their"
        return f"{behalf}about {pronoun} own education{school}"
    named = [child for child in extraction.children if _full_name(child)]
    if not named:
        return f"{behalf}about {pronoun} child"
    return f"{behalf}about {_children_phrase(named)}"


def _children_phrase(children: list[Child]) -> str:
    """The children named, each with their school: 'who attends' for one, 'who both
    attend' for two at one school, and each child's own school when they differ."""
    names = [_full_name(child) for child in children]
    schools = [child.school.name.strip() if child.school else "" for child in children]
    if len(children) == 1:
        return names[0] + (f", who attends {schools[0]}" if schools[0] else "")
    if all(schools) and len(set(schools)) == 1:
        both = "both" if len(children) == 2 else "all"
        return f"{join(names)}, who {both} attend {schools[0]}"
    if len(children) == 2 and all(schools):
        return (f"{names[0]}, who attends {schools[0]}, and {names[1]}, who attends "
                f"{schools[1]}")
    return join([f"{name} ({school})" if school else name
                 for name, school in zip(names, schools)])


def _full_name(child: Child) -> str:
    return " ".join(part for part in (_text(child.first_name), _text(child.last_name)) if part)


def _child(child: Child) -> dict[str, str]:
    return {
        "name": _full_name(child),
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


def _concern_labels(extraction: Extraction) -> list[str]:
    labels: list[str] = []
    for concern in extraction.concerns:
        label = CONCERN_LABELS.get(concern.category, concern.category.replace("_", " "))
        if label not in labels:
            labels.append(label)
    return labels


def _officer(casework: Casework) -> tuple[str, str]:
    """Who signs: the caseworker of the first linked case that names one (with their
    email), else the person drafting, when their desk name is a person's full name."""
    for record in casework.cases:
        if record.caseworker and record.caseworker.strip():
            return record.caseworker.strip(), _text(record.caseworker_email)
    drafted_by = _text(casework.drafted_by)
    if len(drafted_by.split()) >= 2 and looks_like_name(drafted_by):
        return drafted_by, ""
    return "", ""


def _case_facts(cases: Sequence[CaseRecord], officer: str) -> list[str]:
    """Where each linked child's case stands, a sentence each, from the case record."""
    facts: list[str] = []
    for record in cases:
        name = record.called
        plan = plan_sentence(name, record.ehcp_status, record.ehcp_issued)
        if plan:
            facts.append(plan)
        if record.next_review_due:
            facts.append(f"{name}'s next annual review is due by "
                         f"{written_date(record.next_review_due)}.")
        if record.school:
            facts.append(f"{name} attends {record.school}.")
        if record.placement_sought:
            facts.append(f"We are consulting {record.placement_sought} about a place for "
                         f"{name}, as the family asked.")
        if record.tribunal_lodged:
            facts.append(f"The family's appeal to the SEND Tribunal was lodged on "
                         f"{written_date(record.tribunal_lodged)}.")
        if record.caseworker:
            caseworker = record.caseworker.strip()
            facts.append(f"I am {name}'s caseworker." if caseworker == officer
                         else f"{name}'s caseworker is {caseworker}.")
    return facts


def _confirmed_clocks(casework: Casework, today: date) -> list[tuple[CaseRecord, Any]]:
    confirmed = set(casework.inputs.confirmed_clocks)
    return [(record, clock) for record in casework.cases
            for clock in case_clocks(record, today)
            if f"{record.case_id}/{clock.key}" in confirmed]


def _paragraphs_of(text: str) -> list[str]:
    """A caseworker's text, one paragraph a line (blank lines dropped)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _sentence(text: str) -> str:
    """A sentence a caseworker chose or wrote, on one line, with its capital and full
    stop."""
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


__all__ = ["CONTEXT_VARIABLES", "is_young_person", "letter_context", "sample_context",
           "uk_date"]
