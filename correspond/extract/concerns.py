"""Concern categories, urgency and chasers, found sentence by sentence."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from correspond.domain.concerns import categories
from correspond.extract.concern_rules import (
    ADDRESSED_ELSEWHERE,
    ADULT_AGE,
    CHASER_SIGNALS,
    CONCERN_PATTERNS,
    HYPOTHETICAL,
    MISROUTED_SIGNALS,
    NEGATED,
    SEND_PROCESS,
    SEND_SIGNALS,
)
from correspond.records import Concern


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


_CONCERNS = {category: _compile(patterns) for category, patterns in CONCERN_PATTERNS.items()}
_SEND = _compile(SEND_SIGNALS)
_NEGATED = _compile(NEGATED)
_HYPOTHETICAL = _compile(HYPOTHETICAL)
_CHASER = _compile(CHASER_SIGNALS)
_MISROUTED = _compile(MISROUTED_SIGNALS)
_ADULT = re.compile(ADULT_AGE, re.IGNORECASE)
_ELSEWHERE = re.compile(ADDRESSED_ELSEWHERE, re.MULTILINE)
_SEND_PROCESS = re.compile(SEND_PROCESS, re.IGNORECASE)
_EDUCATION = {"assessment", "plan_issue", "plan_content", "annual_review", "placement",
              "out_of_education", "provision_delivery", "transport", "tribunal", "exclusion"}


# The sentence classifier overrules the patterns only when it is all but sure: it
# raises a category no pattern saw at SURE or above, and drops a pattern's category
# from a sentence it scores below 1 - SURE (a background mention: "her plan was issued
# in 2021"). Chosen on the development set; the categories that make a letter urgent
# are never dropped, as a missed urgent letter is a safety failure.
SURE = 0.98


def find_concerns(sentences: list[str],
                  scores: Sequence[Mapping[str, float]] | None = None) -> list[Concern]:
    """Categories most prominent first (most sentences, then earliest), each with the
    first sentence that shows it. A sentence that negates or only supposes a risk to the
    child or their education ("she is not at risk", "if this goes on she may be out of
    school") shows neither of the categories that make a letter urgent by its words.
    `scores` are the sentence classifier's, one mapping of category to probability per
    sentence, when it is installed."""
    hits: dict[str, list[int]] = {}
    for index, sentence in enumerate(sentences):
        qualified = bool(_NEGATED.search(sentence) or _HYPOTHETICAL.search(sentence))
        judged = scores[index] if scores is not None else {}
        for category, pattern in _CONCERNS.items():
            urgent_hint = categories()[category].urgent_hint
            seen = not (qualified and urgent_hint) and bool(pattern.search(sentence))
            score = judged.get(category)
            if score is not None:
                seen = (seen and (urgent_hint or score >= 1 - SURE)) or score >= SURE
            if seen:
                hits.setdefault(category, []).append(index)
    hits = _without_passing_mentions(hits)
    ranked = sorted(hits.items(), key=lambda item: (-len(item[1]), item[1][0]))
    return [
        Concern(category, evidence=_tidy(sentences[indexes[0]]),
                score=round(min(0.95, 0.55 + 0.15 * len(indexes)), 2))
        for category, indexes in ranked
    ]


def _without_passing_mentions(hits: dict[str, list[int]]) -> dict[str, list[int]]:
    """Drop a category all of whose sentences are another category's, when that other
    is raised more often: "the therapist who assessed her during the needs assessment
    recommended therapy" is about provision, not about the assessment."""
    kept = {}
    for category, indexes in hits.items():
        if categories()[category].urgent_hint:
            kept[category] = indexes  # never drop what makes a letter urgent
            continue
        covered = any(other != category and len(others) > len(indexes)
                      and set(indexes) <= set(others)
                      for other, others in hits.items())
        if not covered:
            kept[category] = indexes
    return kept


def evidence_for(category: str, sentences: list[str]) -> str | None:
    """The first sentence whose words show `category`, if any does."""
    pattern = _CONCERNS.get(category)
    if pattern is None:
        return None
    for sentence in sentences:
        if pattern.search(sentence):
            return _tidy(sentence)
    return None


def is_about_send(text: str, concerns: list[Concern], has_children: bool) -> bool:
    """About a child or young person with SEND: a SEND signal, or a child and a concern
    that only SEND casework raises; not when the person is an adult, nor when another
    service's business (council tax, repairs, planning) outweighs the SEND casework."""
    specific = {c.category for c in concerns} & _EDUCATION
    if _ADULT.search(text) and not specific:
        return False
    if _ELSEWHERE.search(text[:1500]) and not _SEND_PROCESS.search(text):
        return False  # sent to planning, housing, highways...: their business, not SEND
    misrouted = {found.group(0).lower() for found in _MISROUTED.finditer(text)}
    if len(misrouted) > len(specific):
        return False
    if _SEND.search(text):
        return True
    return has_children and bool(specific)


def urgency(sentences: list[str], concerns: list[Concern],
            urgent_scores: Sequence[float] | None = None) -> list[str]:
    """Plain reasons a person should look at this today: a child out of education, or a
    risk to a child's safety or wellbeing (the categories whose `urgent_hint` is set), or
    a sentence the classifier is sure says so (`urgent_scores`, one per sentence).
    A writer's own word ("urgent", "pressing") is not a reason: an urgent reply is asked
    for in letters that are not urgent, and an urgent letter need not say so."""
    reasons = [f"{categories()[c.category].label}: {c.evidence}"
               for c in concerns if categories()[c.category].urgent_hint]
    if not reasons and urgent_scores:
        best = max(range(len(urgent_scores)), key=lambda index: urgent_scores[index])
        if urgent_scores[best] >= SURE:
            reasons.append(f"Reads as urgent (a child out of education or at risk): "
                           f"{_tidy(sentences[best])}")
    return reasons


def is_chaser(text: str) -> bool:
    return _CHASER.search(text) is not None


def _tidy(sentence: str) -> str:
    return " ".join(sentence.split())
