"""The sentence classifier: sentences of a letter's body in, for each one the concerns it
raises and whether it makes the letter urgent out.

    classifier = SentenceClassifier(model_dir / "sentences")   # once per process
    for labels in classifier.classify(body_sentences):
        labels.concerns      # concern ids at or above their thresholds, likeliest first
        labels.urgent        # the sentence says a child is out of education or at risk
        labels.scores        # every concern id -> probability, in the spec's order
        labels.urgent_score  # the probability behind `urgent`

It is trained on single hand-written sentences (tools/training/sentences.py), including
many that use the words of a concern without raising one: background ("Her plan was
issued in 2021 and worked well"), negation ("She is not at risk"), fears and conditions
("If this is not resolved she may be excluded"), politeness ("a very pressing matter")
and email footers ("If your matter is urgent, please call..."). So give it the letter's
own body sentences, one by one, never headers, signatures, footers or disclaimers, and
never a whole letter: a letter's concerns are the union of its sentences'.

Each label has its own threshold, chosen when it was trained on held-out sentences and
kept in the model folder's training.json: URGENT's finds as many urgent sentences as any
threshold does, since a missed urgent letter is a safety failure, so expect sentences
flagged that a person would not call urgent; wellbeing_risk's and out_of_education's
favour recall; the others take the best F1. A caller that decides for a whole letter
(the union of ~30 sentences flags more than one sentence does) can set its own with
`SentenceClassifier(folder, thresholds={"URGENT": 0.5})`. In the training data a
wellbeing_risk sentence is always urgent, and out_of_education is urgent only when the
child has been out of school (or on a reduced timetable) for weeks.

A folder with no classifier, or one trained for other categories, raises ModelMissing
with how to build one; `load_sentence_classifier` returns None instead, with a warning.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

from correspond.domain.concerns import categories
from correspond.errors import ModelMissing

log = logging.getLogger(__name__)

URGENT = "URGENT"
PIPELINE_FOLDER = "pipeline"
SUMMARY_FILE = "training.json"
BUILD = "python -m tools.training.sentences --output {folder}"


@dataclass(frozen=True)
class SentenceLabels:
    """What one sentence raises."""

    scores: Mapping[str, float]  # concern id -> probability, every category of the spec
    urgent_score: float
    concerns: tuple[str, ...]  # the ids at or above their thresholds, likeliest first
    urgent: bool


class SentenceClassifier:
    """The trained classifier in `model_dir` (models/sentences): its spaCy pipeline in
    `pipeline/` and its thresholds in `training.json`. Load it once per process."""

    def __init__(self, model_dir: Path, *,
                 thresholds: Mapping[str, float] | None = None) -> None:
        """`thresholds` replaces the trained ones for the labels it names (a concern id
        or URGENT), e.g. to set them for a whole letter rather than one sentence."""
        self.model_dir = model_dir
        self.thresholds = _thresholds(model_dir)
        unknown = set(thresholds or {}) - set(self.thresholds)
        if unknown:
            raise ValueError(f"No such label to set a threshold for: {sorted(unknown)}")
        self.thresholds |= thresholds or {}
        try:
            self.nlp: Language = spacy.load(model_dir / PIPELINE_FOLDER)
        except (OSError, ValueError) as err:
            raise ModelMissing(
                f"The sentence classifier in {model_dir} cannot be loaded ({err}); build it "
                f"again with `{BUILD.format(folder=model_dir)}`.") from err
        trained = set(self.nlp.pipe_labels.get("textcat_multilabel", []))
        missing = [label for label in self.thresholds if label not in trained]
        if missing:
            raise ModelMissing(
                f"The sentence classifier in {model_dir} was trained without "
                f"{', '.join(missing)}; build it again with "
                f"`{BUILD.format(folder=model_dir)}`.")
        self._concern_ids = list(categories())

    def classify(self, sentences: Sequence[str]) -> list[SentenceLabels]:
        """One SentenceLabels per sentence, in order. A blank sentence raises nothing."""
        texts = [sentence.strip() for sentence in sentences]
        docs = iter(self.nlp.pipe((text for text in texts if text), batch_size=64))
        return [self._labels(next(docs).cats) if text else self._nothing() for text in texts]

    def _labels(self, cats: Mapping[str, float]) -> SentenceLabels:
        scores = {concern: float(cats[concern]) for concern in self._concern_ids}
        raised = sorted((concern for concern, score in scores.items()
                         if score >= self.thresholds[concern]), key=lambda c: -scores[c])
        urgent_score = float(cats[URGENT])
        return SentenceLabels(scores=scores, urgent_score=urgent_score,
                              concerns=tuple(raised),
                              urgent=urgent_score >= self.thresholds[URGENT])

    def _nothing(self) -> SentenceLabels:
        return SentenceLabels(scores=dict.fromkeys(self._concern_ids, 0.0), urgent_score=0.0,
                              concerns=(), urgent=False)


def load_sentence_classifier(model_dir: Path) -> SentenceClassifier | None:
    """The classifier in `model_dir`, or None (with a warning saying how to build one) when
    there is none, for callers that can carry on without it."""
    try:
        return SentenceClassifier(model_dir)
    except ModelMissing as err:
        log.warning("%s", err.reason)
        return None


def _thresholds(model_dir: Path) -> dict[str, float]:
    """Each label's threshold, from the summary the training recipe wrote."""
    summary_path = model_dir / SUMMARY_FILE
    if not (model_dir / PIPELINE_FOLDER / "meta.json").is_file() or \
            not summary_path.is_file():
        raise ModelMissing(
            f"There is no sentence classifier in {model_dir}: build one there with "
            f"`{BUILD.format(folder=model_dir)}` from a checkout of correspond.")
    try:
        given = json.loads(summary_path.read_text("utf-8"))["thresholds"]
        thresholds = {label: float(given[label]) for label in [*categories(), URGENT]}
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ModelMissing(
            f"{summary_path} does not give a threshold for every concern category of this "
            f"version and URGENT; build the classifier again with "
            f"`{BUILD.format(folder=model_dir)}`.") from err
    return thresholds
