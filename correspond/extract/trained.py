"""The extractor of the trained pipeline in models/: rules where rules are exact, the
trained recogniser for who is who, the trained classifier for what the letter is about.

Rules read dates, ages, year groups, postcodes, emails, phones, references and the
sign-off: where they find a value it is stated, and it stands. The recogniser finds the
child, constituent, MP, caseworker and schools by their role in the letter, which fills
what the patterns miss ("her daughter Amira", a name in a forwarded email). The classifier
scores each concern and whether the letter is about SEND, urgent or a chaser. Where only
one source speaks, or the classifier is unsure, the field's confidence says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from correspond.domain.dates import MONTHS, WEEKDAYS
from correspond.domain.names import ADULT_TITLES, FULL_NAME, strip_titles
from correspond.extract.concern_rules import CONCERN_PATTERNS
from correspond.extract.concerns import evidence_for
from correspond.extract.constituent import locate_home
from correspond.extract.extractor import (
    RuleExtractor,
    read_children,
    tables_of,
    with_subject,
    young_person_as_child,
)
from correspond.extract.forms import read_form
from correspond.extract.schools import SchoolMention
from correspond.extract.sentences import SentenceClassifier
from correspond.extract.views import Views, kept
from correspond.records import (
    Child,
    Concern,
    Constituent,
    Correspondent,
    Extraction,
    Letter,
    LetterParts,
)

# Longer texts are cut: an MP letter is a few thousand characters; a forwarded chain with
# its history may be longer, and what matters comes first.
MAX_CHARACTERS = 60_000
CONCERN_THRESHOLD = 0.9  # on hand-written letters the classifier only helps when near certain
URGENT_THRESHOLD = 0.7  # over the rules' reasons, which catch every urgent dev letter
_TITLED = re.compile(rf"^(?:{'|'.join(ADULT_TITLES)})\.?\s")


class TrainedExtractor:
    def __init__(self, pipeline_dir: Path, *, council_postcodes: Sequence[str] = (),
                 classifier: SentenceClassifier | None = None) -> None:
        self.nlp: Language = spacy.load(pipeline_dir)
        self.rules = RuleExtractor(council_postcodes=council_postcodes, classifier=classifier)

    def extract(self, letter: Letter, parts: LetterParts | None = None) -> Extraction:
        ruled = self.rules.extract(letter, parts)
        views = self.rules.views(letter, parts)
        doc = self.nlp(views.reading[:MAX_CHARACTERS])
        roles = _entities(doc)
        confidence = dict(ruled.confidence)
        correspondent = _correspondent(ruled.correspondent, roles, confidence)
        # Children first, with the names the rules are sure of kept out; then the
        # recogniser's guesses for the adults, never a name that is one of the children.
        family = {name for name in (ruled.constituent.name, correspondent.name,
                                    correspondent.caseworker) if name}
        children = young_person_as_child(
            _children(doc, views, letter.subject, family, confidence, tables_of(parts)),
            ruled.constituent, views.children, read_form(views.family))
        child_names = {child.first_name for child in children if child.first_name}
        correspondent = _caseworker(correspondent, roles, child_names, views.writer,
                                    confidence)
        constituent = _constituent(ruled.constituent, _entities(doc, within=views.family),
                                   child_names, views.family, confidence)
        scores = doc.cats
        is_send = _is_send(ruled.is_send, scores.get("SEND", 0.5), confidence)
        concerns = _concerns(ruled.concerns, scores, self.rules.sentences(views.content))
        urgent_reasons = _urgency(ruled, scores, confidence) if is_send else []
        return replace(
            ruled,
            is_send=is_send,
            correspondent=correspondent,
            constituent=constituent,
            children=tuple(children) if is_send else (),
            concerns=tuple(concerns) if is_send else (),
            urgent=bool(urgent_reasons),
            urgency_reasons=tuple(urgent_reasons),
            is_chaser=bool(ruled.is_chaser or scores.get("CHASER", 0.0) >= 0.8),
            confidence=confidence,
        )


def _correspondent(ruled: Correspondent, roles: dict[str, list[str]],
                   confidence: dict[str, float]) -> Correspondent:
    if ruled.name is None and roles["MP"]:
        confidence["correspondent.name"] = 0.6
        return replace(ruled, name=_longest(roles["MP"]))
    if ruled.name:
        agreed = any(ruled.name in strip_titles(name) for name in roles["MP"])
        confidence["correspondent.name"] = 0.95 if agreed else 0.75
    return ruled


def _children(doc: Doc, views: Views, subject: str | None, family: set[str],
              confidence: dict[str, float],
              tables: list[tuple[dict[str, str], ...]]) -> list[Child]:
    """The patterns name children precisely; the recogniser's names are used only when
    the patterns find no named child (a forwarded email, a sister writing). Only what
    the recogniser finds where children may be named counts (not in a signature)."""
    seen = views.children
    schools = [SchoolMention(" ".join(ent.text.split()), ent.start_char, ent.end_char,
                             ent.label_ == "REQ_SCHOOL")
               for ent in doc.ents if ent.label_ in ("SCHOOL", "REQ_SCHOOL")
               and kept(seen, ent.start_char, ent.end_char)
               and _plausible_school(ent.text, seen[max(0, ent.start_char - 40):
                                                    ent.start_char])]
    form = read_form(views.family)
    text = with_subject(seen, subject)
    children = read_children(text, family, form, tables=tables, schools_by_model=schools)
    if not any(child.first_name for child in children):
        children = read_children(
            text, family, form, tables=tables, schools_by_model=schools,
            named_by_model=[(ent.text, ent.start_char, ent.end_char) for ent in doc.ents
                            if ent.label_ == "CHILD" and kept(seen, ent.start_char,
                                                              ent.end_char)
                            and _plausible_child(ent.text, seen)])
        for index, child in enumerate(children):
            if child.first_name:
                confidence[f"children[{index}].first_name"] = 0.6
    for index, child in enumerate(children):
        if child.first_name is None:
            confidence[f"children[{index}].first_name"] = 0.3
    return children


def _is_adult(name: str, child_names: set[str]) -> bool:
    return _is_person(name) and name.split()[0] not in child_names and \
        strip_titles(name).split()[0] not in child_names


def _caseworker(correspondent: Correspondent, roles: dict[str, list[str]],
                child_names: set[str], text: str,
                confidence: dict[str, float]) -> Correspondent:
    staff = [name for name in roles["CASEWORKER"] if _is_adult(name, child_names)]
    if correspondent.caseworker is None and staff and _STAFF_CUE.search(text):
        confidence["correspondent.caseworker"] = 0.6
        return replace(correspondent, caseworker=_longest(staff))
    return correspondent


def _constituent(ruled: Constituent, roles: dict[str, list[str]], child_names: set[str],
                 text: str, confidence: dict[str, float]) -> Constituent:
    if ruled.name is not None:
        return ruled
    # "Mrs Marcia Campbell of Fox Hollies Road": the name, not where she lives.
    parents = [cut for cut in (re.split(r",| of | at ", name)[0].strip()
                               for name in roles["CONSTITUENT"])
               if _is_adult(cut, child_names) or (_TITLED.match(cut) and _PERSON.search(cut))]
    if not parents:
        return ruled
    name = _best_constituent(parents)
    address, postcode = locate_home(name, text)
    confidence["constituent.name"] = 0.6
    return replace(ruled, name=name, address=address or ruled.address,
                   postcode=postcode or ruled.postcode)


def _urgency(ruled: Extraction, scores: dict[str, float],
             confidence: dict[str, float]) -> list[str]:
    reasons = list(ruled.urgency_reasons)
    if not reasons and scores.get("URGENT", 0.0) >= URGENT_THRESHOLD:
        reasons.append("The letter reads as urgent (a child out of education or at risk); "
                       "please check.")
        confidence["urgent"] = round(scores["URGENT"], 2)
    return reasons


_CHILD_CUE = re.compile(
    r"\b(?:son|daughter|child|children|twins?|grandson|granddaughter|stepson|stepdaughter|"
    r"DOB|D\.O\.B|date of birth|born|aged|years? old|Year \d{1,2}|Reception|pupil|"
    r"student|young person)\b", re.IGNORECASE)
_STAFF_CUE = re.compile(r"\b(?:caseworker|case worker|office of|on behalf of|parliamentary "
                        r"assistant|senior assistant)\b", re.IGNORECASE)
_NOT_PEOPLE = re.compile(r"\b(?:House|Building|Centre|Hall|Road|Street|Department|Manager|"
                         r"Director|Division|Team|Service|Council|School|Assistance|Officer)\b")
_PERSON = re.compile(FULL_NAME)
_CALENDAR = {word.lower() for word in (*MONTHS, *WEEKDAYS, "Christmas", "Easter")}


def _is_person(name: str) -> bool:
    return bool(_PERSON.fullmatch(name)) and not _NOT_PEOPLE.search(name)


def _plausible_child(name: str, text: str) -> bool:
    """A child's name is a name, named more than once, and somewhere the letter speaks of
    them as a child."""
    first = name.split()[0]
    if first.lower() in STOP_WORDS or first.lower() in _CALENDAR or not first[:1].isupper():
        return False
    if _NOT_PEOPLE.search(name):
        return False
    if len(re.findall(rf"\b{re.escape(first)}\b", text)) < 2:
        return False  # a child a letter is about is named more than once
    for mention in re.finditer(rf"\b{re.escape(first)}\b", text):
        if _CHILD_CUE.search(text[max(0, mention.start() - 60):mention.end() + 60]):
            return True
    return False


_SCHOOL_WORD = re.compile(r"\b(?:School|Academy|College|Primary|Infants?|Juniors?|High|"
                          r"Grammar|Nursery|Secondary|PRU|Sixth Form)\b")
_SCHOOL_CONTEXT = re.compile(r"\b(?:at|attends|attend|attending|to|goes to|pupil at|from|"
                             r"school,?|place at|consult(?:ed)?)\s*$", re.IGNORECASE)
_NAME_JOINERS = {"of", "the", "and", "&", "de", "la", "le", "upon", "on", "in", "for"}


def _plausible_school(name: str, before: str) -> bool:
    """A school's name is capitalised words, no month or title among them, and either
    says it is a school or follows words that introduce one ("goes to Humphry Davy")."""
    words = name.replace(",", " ").split()
    if any(word.lower() in _CALENDAR or word.rstrip(".") in ADULT_TITLES
           for word in words):
        return False
    if not all(word[:1].isupper() or word.lower() in _NAME_JOINERS or word[:1] in "'’"
               for word in words):
        return False
    return bool(_SCHOOL_WORD.search(name) or _SCHOOL_CONTEXT.search(before))


def _entities(doc: Doc, *, within: str | None = None) -> dict[str, list[str]]:
    """The recogniser's names by role; only those a view keeps, given `within`."""
    roles: dict[str, list[str]] = {label: [] for label in
                                   ("CHILD", "CONSTITUENT", "MP", "CASEWORKER", "SCHOOL",
                                    "REQ_SCHOOL")}
    for ent in doc.ents:
        if within is None or kept(within, ent.start_char, ent.end_char):
            roles.setdefault(ent.label_, []).append(" ".join(ent.text.split()))
    return roles


def _longest(names: list[str]) -> str:
    return max((strip_titles(name) for name in names),
               key=lambda name: (len(name.split()), len(name)))


def _best_constituent(names: list[str]) -> str:
    """The fullest mention, title included where the letter gives one ("Mrs Sarah Khan")."""
    return max(names, key=lambda name: (bool(_TITLED.match(name)), len(name.split()), len(name)))


def _is_send(ruled: bool, score: float, confidence: dict[str, float]) -> bool:
    # On the hand-written letters the classifier, trained on generated misrouted letters
    # that are easier than real ones, called every misrouted letter SEND; the SEND
    # vocabulary and the other-services rules decide, and the classifier's agreement
    # sets the confidence shown to the caseworker.
    agrees = (score >= 0.5) == ruled
    confidence["is_send"] = 0.95 if agrees else 0.6
    return ruled


def _concerns(ruled: tuple[Concern, ...], scores: dict[str, float],
              sentences: list[str]) -> list[Concern]:
    """The patterns' categories, each scored by the classifier, and the categories only
    the classifier sees when it is sure; most likely first, each with its sentence."""
    chosen = {concern.category: Concern(concern.category, concern.evidence,
                                        round(max(scores.get(concern.category, 0.0),
                                                  concern.score or 0.0), 3))
              for concern in ruled}
    for category, score in scores.items():
        if category in CONCERN_PATTERNS and category not in chosen and \
                score >= CONCERN_THRESHOLD:
            chosen[category] = Concern(category, evidence_for(category, sentences),
                                       round(score, 3))
    ranked = sorted(chosen.values(), key=lambda concern: -(concern.score or 0.0))
    if len(ranked) > 1:
        ranked = [concern for concern in ranked if concern.category != "other"]
    return ranked
