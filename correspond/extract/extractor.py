"""The rule-based extractor: a spaCy pipeline that splits sentences, and patterns that
read the fields of an MP letter from them.

It reads what a clear letter states and leaves the rest None. The trained pipeline of
models/ (when present) is loaded in its place by `load_extractor`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import spacy
from spacy.language import Language

from correspond.domain.dates import find_dates
from correspond.domain.names import split_name
from correspond.extract.children import find_children
from correspond.extract.concerns import find_concerns, is_about_send, is_chaser, urgency
from correspond.extract.constituent import find_constituent
from correspond.extract.correspondent import find_correspondent
from correspond.extract.forms import FormFacts, read_form
from correspond.records import Child, Constituent, Extraction, Letter, School

_COUNCIL_REFERENCE = re.compile(
    r"\b(?:Your\s+ref(?:erence)?\.?|Council\s+ref(?:erence)?|reference number)\s*[:\-]?[ \t]*"
    r"(?P<ref>[A-Z][\w/\-]*\d[\w/\-]*)", re.IGNORECASE)
_DATE_LINE = re.compile(r"^\s*(?:Date:\s*|Sent:\s*)?(?P<date>[^\n]{6,40})$", re.MULTILINE)


def sentence_pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


class RuleExtractor:
    """Reads an MP letter with rules. One instance per process: building it loads spaCy."""

    def __init__(self, nlp: Language | None = None) -> None:
        self.nlp = nlp or sentence_pipeline()
        self._last_text: str | None = None
        self._last_sentences: list[str] = []

    def extract(self, letter: Letter) -> Extraction:
        text = letter.text
        sentences = self.sentences(text)
        correspondent = find_correspondent(
            text, subject=letter.subject, sender_email=letter.sender_email,
            sender_name=letter.sender_name)
        own_emails = {email.lower() for email in (correspondent.email, letter.sender_email)
                      if email}
        constituent = find_constituent(text, subject=letter.subject, own_emails=own_emails)
        form = read_form(text)
        constituent = _with_form_constituent(constituent, form)
        family = {constituent.name} if constituent.name else set()
        children = read_children(with_subject(text, letter.subject), family, form)
        concerns = find_concerns(sentences)
        about_send = is_about_send(text, concerns, bool(children))
        reasons = urgency(sentences, concerns) if about_send else []
        return Extraction(
            is_send=about_send,
            correspondent=correspondent,
            constituent=constituent,
            # A misrouted letter's family members are not SEND cases to match.
            children=tuple(children) if about_send else (),
            concerns=tuple(concerns) if about_send else (),
            urgent=bool(reasons),
            urgency_reasons=tuple(reasons),
            letter_date=_letter_date(text, letter),
            council_reference=_council_reference(f"{letter.subject or ''}\n{text}"),
            is_chaser=is_chaser(text),
            confidence=_confidence(children),
        )

    def sentences(self, text: str) -> list[str]:
        """The letter's sentences; the last letter's are kept, as the trained extractor
        asks again for the same text."""
        if text is not self._last_text:
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


def read_children(text: str, family: set[str], form: FormFacts, **model_hints) -> list[Child]:
    """The children the patterns (and any recogniser hints) find, with an enquiry form's
    fields first; shared by the rule and the trained extractors."""
    return _with_form_children(find_children(text, family_names=family, **model_hints), form)


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


def _letter_date(text: str, letter: Letter) -> date | None:
    """The date line at the head of the letter, else when the email was sent."""
    head = text[:1500]
    for line in _DATE_LINE.finditer(head):
        dates = find_dates(line.group("date"))
        if dates and dates[0].start <= 8:
            return dates[0].value
    return letter.sent.date() if letter.sent else None


def _council_reference(text: str) -> str | None:
    found = _COUNCIL_REFERENCE.search(text)
    return found.group("ref") if found else None


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
