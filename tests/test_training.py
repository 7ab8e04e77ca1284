"""The training-letter generator and `correspond train`: varied, annotated, reproducible."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from support import REPO

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def vocabulary(corpus_dir):
    from tools.training.vocabulary import load_vocabulary

    return load_vocabulary(corpus_dir / "reference")


def test_the_same_seed_writes_the_same_letters(vocabulary):
    from tools.training.letters import generate

    first = generate(vocabulary, 40, seed=7)
    again = generate(vocabulary, 40, seed=7)
    other = generate(vocabulary, 40, seed=8)
    assert [example.text for example in first] == [example.text for example in again]
    assert [example.text for example in first] != [example.text for example in other]


def test_letters_vary_in_structure_and_every_label_is_taught(vocabulary):
    from tools.training.letters import CONCERN_IDS, ENTITY_LABELS, generate

    examples = generate(vocabulary, 400, seed=1)
    styles = Counter(example.style for example in examples)
    assert set(styles) == {"formal", "caseworker", "forwarded", "chaser", "councillor", "form",
                           "misrouted"}
    labels = {label for example in examples for _, _, label in example.entities}
    assert labels == set(ENTITY_LABELS)
    taught = {label for example in examples for label, value in example.cats.items() if value}
    assert set(CONCERN_IDS) <= taught and {"SEND", "URGENT", "CHASER"} <= taught
    # Names from many communities: apostrophes, hyphens and accents appear.
    children = [example.text[start:end] for example in examples
                for start, end, label in example.entities if label == "CHILD"]
    assert any("'" in name for name in children)
    assert any("-" in name for name in children)
    assert any(any(ord(letter) > 127 for letter in name) for name in children)
    # Not one template: most letters open differently.
    openings = Counter(example.text[:60] for example in examples)
    assert openings.most_common(1)[0][1] < len(examples) / 10


def test_every_span_is_the_text_it_labels_and_none_overlap(vocabulary):
    from tools.training.build import to_docbin
    from tools.training.letters import generate

    examples = generate(vocabulary, 200, seed=3)
    for example in examples:
        spans = sorted(example.entities)
        for (_, end, _), (next_start, _, _) in zip(spans, spans[1:]):
            assert end <= next_start
        for start, end, _ in spans:
            assert example.text[start:end].strip() == example.text[start:end]
    _, dropped = to_docbin(examples)
    assert dropped == 0  # every span falls on token boundaries


@pytest.mark.slow
def test_the_training_recipe_builds_a_pipeline_that_loads(corpus_dir, tmp_path):
    models = tmp_path / "models"
    result = subprocess.run(
        [sys.executable, "-m", "tools.training", "--reference", str(corpus_dir / "reference"),
         "--letters", "60", "--steps", "20", "--output", str(models)],
        capture_output=True, text=True, cwd=REPO, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    # Piped, it prints what it did and nothing of spaCy's progress table.
    assert result.stdout.startswith("Trained on 60 synthetic letters")
    assert "Initializing pipeline" not in result.stdout + result.stderr
    assert "LOSS TOK2VEC" not in result.stdout + result.stderr
    assert (models / "pipeline" / "meta.json").is_file()
    summary = json.loads((models / "training.json").read_text("utf-8"))
    assert summary["letters"] == 60 and summary["seed"] == 20261123
    assert summary["reference_sha256"]["oi_current-MPs.csv"] == json.loads(
        (REPO / "tools" / "training" / "assets.json").read_text("utf-8"))["files"][
        "oi_current-MPs.csv"]

    from correspond.extract import load_extractor
    from correspond.extract.trained import TrainedExtractor

    assert isinstance(load_extractor(models), TrainedExtractor)
