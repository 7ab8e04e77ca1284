"""Extraction: a Letter in, an Extraction out.

`load_extractor(model_dir)` is called once per worker process, never per file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from correspond.model import Extraction, Letter


class Extractor(Protocol):
    def extract(self, letter: Letter) -> Extraction: ...


def load_extractor(model_dir: Path | None = None) -> Extractor:
    """The extractor for `model_dir`.

    Until a trained pipeline is shipped in models/ (issue 3), this is the rule-based
    extractor on a blank English spaCy pipeline.
    """
    from correspond.extract.extractor import RuleExtractor

    return RuleExtractor()
