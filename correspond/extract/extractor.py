"""The rule-based extractor: a spaCy pipeline that splits sentences, and patterns that
read the fields of an MP letter from them.

It reads what a clear letter states and leaves the rest None. The trained pipeline of
models/ (when present) is loaded in its place by `load_extractor`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import spacy
from spacy.language import Language

from correspond.domain.clock import local_date
from correspond.domain.dates import find_dates
from correspond.domain.names import split_name, strip_titles
from correspond.extract.children import children_from_tables, find_children
from correspond.extract.concerns import find_concerns, is_about_send, is_chaser, urgency
from correspond.extract.constituent import find_constituent
from correspond.extract.correspondent import find_correspondent
from correspond.extract.forms import FormFacts, read_form
from correspond.extract.sentences import SentenceClassifier
from correspond.extract.views import Views, views_of, whole_text
from correspond.records import (
    Child,
    Constituent,
    Correspondent,
    Extraction,
    Letter,
    LetterParts,
    School,
)

_COUNCIL_REFERENCE = re.compile(
    r"\b(?:Your\s+ref(?:erence)?\.?|Council\s+ref(?:erence)?|reference number)\s*[:\-]?[ \t]*"
    r"(?P<ref>[A-Z][\w/\-]*\d[\w/\-]*)", re.IGNORECASE)
# The numbers other services give ("report number 2093318", "account 60018842",
# "Planning application 262614"): a misrouted letter quotes one.
_SERVICE_REFERENCE = re.compile(
    r"\b(?:(?:fault\s+|defect\s+)?report|account|(?:planning\s+)?application|repair|job|"
    r"enquiry|complaint|claim)\s+(?:ref(?:erence)?\.?\s*|no\.?\s*|number\s*)?[:#]?[ \t]*"
    r"(?P<ref>(?=[\w/\-]*\d)[A-Z0-9][\w/\-]{4,})\b", re.IGNORECASE)
_DATE_LINE = re.compile(r"^\s*(?:Date:\s*|Sent:\s*)?(?P<date>[^\n]{6,40})$", re.MULTILINE)


def sentence_pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


class RuleExtractor:
    """Reads an MP letter with rules. One instance per process: building it loads spaCy."""

    def __init__(self, nlp: Language | None = None, *,
                 council_postcodes: Sequence[str] = (),
                 classifier: SentenceClassifier | None = None) -> None:
        self.nlp = nlp or sentence_pipeline()
        # The sentence classifier (models/sentences) judges the patterns' concerns and
        # urgency sentence by sentence; without it the patterns decide alone.
        self.classifier = classifier
        # The council's own postcodes are never the family's (a setting).
        self.council_postcodes = tuple(council_postcodes)
        self._last_views: tuple[tuple[str, LetterParts | None], Views] | None = None
        self._last_text: str | None = None
        self._last_sentences: list[str] = []

    def extract(self, letter: Letter, parts: LetterParts | None = None) -> Extraction:
        """Read `letter`; `parts` says which stretch is what (the parts stage), so each
        value is read only where it may come from (see views.py)."""
        views = self.views(letter, parts)
        sentences = self.sentences(views.content)
        correspondent = self.correspondent(letter, views)
        own_emails = {email.lower() for email in (correspondent.email, letter.sender_email)
                      if email}
        constituent = find_constituent(views.family, subject=letter.subject,
                                       own_emails=own_emails)
        form = read_form(views.family)
        constituent = _with_form_constituent(constituent, form)
        family = {constituent.name} if constituent.name else set()
        children = read_children(with_subject(views.children, letter.subject), family, form,
                                 tables=tables_of(parts))
        children = young_person_as_child(children, constituent, views.children, form)
        labels = self.classifier.classify(sentences) if self.classifier else None
        concerns = find_concerns(sentences, [label.scores for label in labels]
                                 if labels is not None else None)
        about_send = is_about_send(views.content, concerns, bool(children))
        reasons = urgency(sentences, concerns, [label.urgent_score for label in labels]
                          if labels is not None else None) if about_send else []
        return Extraction(
            is_send=about_send,
            correspondent=correspondent,
            constituent=constituent,
            # A misrouted letter's family members are not SEND cases to match.
            children=tuple(children) if about_send else (),
            concerns=tuple(concerns) if about_send else (),
            urgent=bool(reasons),
            urgency_reasons=tuple(reasons),
            letter_date=_letter_date(views.writer, letter, parts),
            council_reference=_council_reference(f"{letter.subject or ''}\n{views.family}",
                                                 correspondent.reference),
            is_chaser=is_chaser(views.content) or _chases(parts),
            confidence=_confidence(children),
        )

    def views(self, letter: Letter, parts: LetterParts | None) -> Views:
        """The views of this letter (kept for the last letter, which the trained extractor
        asks for again)."""
        key = (letter.text, parts)
        if self._last_views is None or self._last_views[0] != key:
            views = views_of(parts) if parts is not None else whole_text(letter.text)
            self._last_views = (key, views.without_postcodes(self.council_postcodes))
        return self._last_views[1]

    def correspondent(self, letter: Letter, views: Views) -> Correspondent:
        """Who wrote: read from the newest message; from the whole text only where the
        newest message names no one (a bare forward)."""
        found = find_correspondent(views.writer, subject=letter.subject,
                                   sender_email=letter.sender_email,
                                   sender_name=letter.sender_name,
                                   signature=views.signature)
        if found.name is None or found.reference is None:
            whole = find_correspondent(letter.text, subject=letter.subject,
                                       sender_email=letter.sender_email,
                                       sender_name=letter.sender_name)
            if found.name is None:
                return replace(whole, reference=found.reference or whole.reference)
            return replace(found, reference=whole.reference)
        return found

    def sentences(self, text: str) -> list[str]:
        """The letter's sentences; the last letter's are kept, as the trained extractor
        asks again for the same text."""
        if text != self._last_text:
            self._last_sentences = self._split(text)
            self._last_text = text
        return self._last_sentences

    def _split(self, text: str) -> list[str]:
        # Paragraph breaks end sentences even without a full stop (headings, sign-offs).
        paragraphs = [" ".join(paragraph.split()) for paragraph in
                      re.split(r"\n\s*\n|\n(?=(?:From|Sent|To|Cc|Subject|Date):)", text)]
        return [span.text for doc in self.nlp.pipe(paragraph for paragraph in paragraphs
                                                   if paragraph)
                for span in doc.sents if span.text.strip()]


def with_subject(text: str, subject: str | None) -> str:
    """The text with an email's subject after it ("Lowenna Trewin 04-09-2019" is often
    only there); after, so positions in the text are unchanged."""
    return f"{text}\n\nSubject: {subject}" if subject else text


def read_children(text: str, family: set[str], form: FormFacts, *,
                  tables: Sequence[tuple[dict[str, str], ...]] = (),
                  **model_hints) -> list[Child]:
    """The children the patterns (and any recogniser hints) find, with an enquiry form's
    fields and a table of children first; shared by the rule and the trained extractors."""
    found = find_children(text, family_names=family, **model_hints)
    return _with_form_children(_with_table_children(children_from_tables(tables), found),
                               form)


def _with_table_children(tabled: list[Child], found: list[Child]) -> list[Child]:
    """A table's children in its order, completed by what the text says of each; then
    the children only the text names."""
    if not tabled:
        return found
    by_first = {child.first_name: child for child in found if child.first_name}
    merged = []
    for child in tabled:
        said = by_first.pop(child.first_name, None) if child.first_name else None
        if said is not None:
            child = replace(child, **{name: getattr(said, name) for name in
                                      ("last_name", "date_of_birth", "age", "year_group",
                                       "school", "requested_school")
                                      if getattr(child, name) is None})
        merged.append(child)
    return merged + [child for child in found
                     if child.first_name in by_first and child.first_name]


# A young person (16 to 25) writing, or written about, as the constituent themselves.
_YOUNG_PERSON = re.compile(
    r"\b(?:I am|I'm|I’m) (?:now )?(?:1[6-9]|2[0-5])\b|\bmy (?:own )?(?:EHC ?P|EHC plan|"
    r"education,? health and care plan|college|course|apprenticeship|supported internship)\b|"
    r"\b(?:she|he|they|[A-Z][a-z]+) (?:is|are) (?:now )?(?:1[6-9]|2[0-5])(?: years old)?\b|"
    r"\b(?i:young) (?:person|adult|woman|man)\b|\b(?i:aged|age) (?:1[6-9]|2[0-5])\b",
    )
_PARENTHOOD = re.compile(r"\b(?:my|her|his|their) (?:son|daughter|child|children|grandson|"
                         r"granddaughter|boy|girl|twins)\b", re.IGNORECASE)


def young_person_as_child(children: list[Child], constituent: Constituent, text: str,
                          form: FormFacts) -> list[Child]:
    """A young person writing about themselves (or an MP writing about a young adult
    constituent) is the child of the referral: when no child is named, the letter speaks
    of no son or daughter, and it says the constituent is 16 to 25 or has their own plan."""
    if any(child.first_name for child in children) or not constituent.name:
        return children
    if _PARENTHOOD.search(text) or not _YOUNG_PERSON.search(text):
        return children
    name = strip_titles(constituent.name)
    mention = re.search(re.escape(name), text)
    if mention is None or len(name.split()) < 2:
        return children
    return read_children(text, set(), form,
                         named_by_model=[(name, mention.start(), mention.end())])


def _with_form_constituent(constituent: Constituent, form: FormFacts) -> Constituent:
    if form.constituent is None:
        return constituent
    return replace(constituent, name=form.constituent,
                   postcode=form.postcode or constituent.postcode)


def _with_form_children(children: list[Child], form: FormFacts) -> list[Child]:
    """The children of the form's fields first, completed by what the text says of them."""
    if not form.children:
        return children
    by_first = {child.first_name: child for child in children if child.first_name}
    merged = []
    for entry in form.children:
        first, last = split_name(entry.name)
        found = (by_first.pop(first, None) if first else None) or Child()
        merged.append(replace(
            found, first_name=first, last_name=last or found.last_name,
            date_of_birth=entry.date_of_birth or found.date_of_birth,
            school=School(entry.school) if entry.school else found.school))
    return merged + [child for child in children if child.first_name in by_first]


def _letter_date(writer: str, letter: Letter, parts: LetterParts | None) -> date | None:
    """When the correspondence was written or sent: an email's own Date (the top
    message's, never a quoted one's); else the letter's date line; else the top message's
    Sent line in a pasted email; else the date line at the head of the newest message."""
    if letter.sent is not None:
        return local_date(letter.sent)
    if parts is not None:
        top = parts.messages[0] if parts.messages else None
        if top is not None and top.sent is not None:
            return local_date(top.sent)
        for part in parts.parts:
            if part.kind == "date" and part.depth == 0:
                dates = find_dates(parts.text[part.span.start:part.span.end])
                if dates:
                    return dates[0].value
    head = writer[:1500]
    for line in _DATE_LINE.finditer(head):
        dates = find_dates(line.group("date"))
        if dates and dates[0].start <= 8:
            return dates[0].value
    return None


def tables_of(parts: LetterParts | None) -> list[tuple[dict[str, str], ...]]:
    """The records of each table in the letter, header -> cell."""
    if parts is None:
        return []
    return [part.rows for part in parts.parts if part.kind == "table" and part.rows]


# A quoted message from the council, or from the writer's own office, makes a follow-up.
_OFFICIAL_SENDER = re.compile(r"council|\.gov\.uk|parliament\.uk|\bMP\b|caseworker",
                              re.IGNORECASE)


def _chases(parts: LetterParts | None) -> bool:
    """A chaser shows in its history: it quotes the council's reply, or the MP office's own
    earlier message (a constituent's forwarded email is not a chaser)."""
    if parts is None:
        return False
    return any(message.depth > 0 and message.sender and _OFFICIAL_SENDER.search(message.sender)
               for message in parts.messages)


def _council_reference(text: str, mp_reference: str | None) -> str | None:
    """"Your ref", or another service's number a misrouted letter quotes; never the MP
    office's own reference."""
    for pattern in (_COUNCIL_REFERENCE, _SERVICE_REFERENCE):
        for found in pattern.finditer(text):
            if found.group("ref") != mp_reference:
                return found.group("ref")
    return None


def _confidence(children) -> dict[str, float]:
    # Rules either find a stated value or nothing; these are fixed, honest-ish priors
    # until the trained pipeline supplies calibrated scores.
    scores: dict[str, float] = {}
    for index, child in enumerate(children):
        if child.date_of_birth:
            scores[f"children[{index}].date_of_birth"] = 0.9
        if child.last_name:
            scores[f"children[{index}].last_name"] = 0.8
    return scores
