"""`correspond train`: synthetic letters in, the spaCy pipeline of models/ out.

Reproducible: the same reference lists, letter count and seed give the same training data,
and models/train.cfg fixes spaCy's own seed. Figures spaCy prints while training are on
generated letters and are not evidence of quality: `correspond evaluate tests/devset` is.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from correspond.cli.progress import on_terminal, progress
from correspond.errors import TrainingError
from tools.training.letters import DOC_LABELS, Example, write_letters
from tools.training.vocabulary import Vocabulary, load_vocabulary

log = logging.getLogger(__name__)

PIPELINE_FOLDER = "pipeline"
CONFIG_FILE = "train.cfg"
ASSETS = Path(__file__).with_name("assets.json")


def to_docbin(examples: list[Example]) -> tuple[DocBin, int]:
    """Examples as spaCy documents; also how many entity spans did not fit the tokens."""
    nlp = spacy.blank("en")
    docs = DocBin(store_user_data=False)
    dropped = 0
    for example in examples:
        doc = nlp.make_doc(example.text)
        spans = []
        for start, end, label in example.entities:
            span = doc.char_span(start, end, label=label, alignment_mode="contract")
            if span is None or not span.text.strip():
                dropped += 1
                continue
            spans.append(span)
        doc.ents = spans
        doc.cats = dict(example.cats)
        docs.add(doc)
    return docs, dropped


def train_pipeline(*, reference: Path, models: Path, letters: int, seed: int,
                   max_steps: int | None = None, accept_new_assets: bool = False) -> dict:
    """Train and install `models`/pipeline; returns what was done, also saved beside it."""
    checksums = check_assets(reference, accept_changed=accept_new_assets)
    vocabulary = load_vocabulary(reference)
    training = _letters(vocabulary, letters, seed, "Writing training letters")
    development = _letters(vocabulary, max(50, letters // 10), seed + 1,
                           "Writing development letters")
    overrides: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="correspond-train-") as temporary:
        work = Path(temporary)
        train_bin, dropped = to_docbin(training)
        dev_bin, _ = to_docbin(development)
        train_bin.to_disk(work / "train.spacy")
        dev_bin.to_disk(work / "dev.spacy")
        overrides = {"paths.train": str(work / "train.spacy"),
                     "paths.dev": str(work / "dev.spacy")}
        if max_steps is not None:
            overrides["training.max_steps"] = max_steps
        from spacy.cli.train import train

        config = models / CONFIG_FILE
        if not config.is_file():  # a fresh model folder: the shipped configuration
            from correspond.shipped import shipped_path

            config = shipped_path("models") / CONFIG_FILE
        models.mkdir(parents=True, exist_ok=True)
        with spacy_output():
            train(config, work / "output", overrides=overrides)
        best = work / "output" / "model-best"
        meta = json.loads((best / "meta.json").read_text("utf-8"))
        staged = models / f".{PIPELINE_FOLDER}.new"
        shutil.rmtree(staged, ignore_errors=True)
        shutil.copytree(best, staged)
        target = models / PIPELINE_FOLDER
        shutil.rmtree(target, ignore_errors=True)
        staged.rename(target)
    summary = {
        "letters": letters,
        "seed": seed,
        "spacy": spacy.__version__,
        "reference_sha256": checksums,
        "labels": {"entities": sorted({label for example in training
                                       for _, _, label in example.entities}),
                   "document": DOC_LABELS},
        "entity_spans_not_on_token_boundaries": dropped,
        "scores_on_generated_letters_not_evidence": meta.get("performance", {}),
    }
    (models / "training.json").write_text(json.dumps(summary, indent=2) + "\n", "utf-8")
    return summary


def check_assets(reference: Path, *, accept_changed: bool = False) -> dict[str, str]:
    """The reference lists' SHA-256, checked against assets.json: the same lists and seed
    give the same model, so a changed list is refused unless accepted on purpose."""
    expected = json.loads(ASSETS.read_text("utf-8"))["files"]
    found = {}
    for name, checksum in expected.items():
        path = reference / name
        if not path.is_file():
            raise TrainingError(f"{reference} has no {name}: give --reference the folder of "
                                "reference lists (names, schools, MPs), e.g. "
                                "../shared/corpus/reference.")
        found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        if found[name] != checksum and not accept_changed:
            raise TrainingError(
                f"{name} is not the list models/ was built from (its SHA-256 differs from "
                f"tools/training/assets.json); pass --accept-new-assets to train on it, and "
                "commit the new checksums with the model.")
    return found


def _letters(vocabulary: Vocabulary, count: int, seed: int, label: str) -> list[Example]:
    with progress(write_letters(vocabulary, count, seed), length=count, label=label) as made:
        return list(made)


@contextmanager
def spacy_output() -> Iterator[None]:
    """spaCy's table of training steps is the progress of training: on a terminal it is
    shown on standard error; otherwise it is kept back, and shown only if training fails."""
    if on_terminal():
        with redirect_stdout(sys.stderr):
            yield
        return
    kept = io.StringIO()
    try:
        with redirect_stdout(kept):
            yield
    except BaseException:
        sys.stderr.write(kept.getvalue())
        raise
