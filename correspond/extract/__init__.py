"""Extraction: a Letter and its parts in, an Extraction out.

`load_extractor(model_dir)` is called once per worker process, never per file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from correspond.records import Extraction, Letter, LetterParts


class Extractor(Protocol):
    def extract(self, letter: Letter, parts: LetterParts | None = None) -> Extraction: ...


def load_extractor(model_dir: Path | None = None, *,
                   council_postcodes: Sequence[str] = ()) -> Extractor:
    """The extractor for `model_dir`: the trained pipeline in `model_dir/pipeline` with its
    rules, or the rules alone when no trained pipeline is there (a checkout before
    `correspond train`, or tests of the rules); either with the sentence classifier of
    `model_dir/sentences` when one is there."""
    from correspond.extract.extractor import RuleExtractor
    from correspond.extract.sentences import load_sentence_classifier

    classifier = load_sentence_classifier(model_dir / "sentences") if model_dir else None
    if model_dir is not None and (model_dir / "pipeline" / "meta.json").is_file():
        from correspond.extract.trained import TrainedExtractor

        return TrainedExtractor(model_dir / "pipeline", council_postcodes=council_postcodes,
                                classifier=classifier)
    return RuleExtractor(council_postcodes=council_postcodes, classifier=classifier)
