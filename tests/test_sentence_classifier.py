"""The sentence classifier: its training recipe builds a model that loads, the same seed
builds the same model, and the shipped model reads sentences written for these tests (none
is in the training file) as a caseworker would."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from correspond.domain.concerns import categories
from correspond.errors import ModelMissing
from correspond.extract.sentences import SentenceClassifier, load_sentence_classifier

from support import REPO

SHIPPED = REPO / "models" / "sentences"
DATA = REPO / "tools" / "training" / "sentences" / "sentences.jsonl"


@pytest.fixture(scope="module")
def classifier() -> SentenceClassifier:
    return SentenceClassifier(SHIPPED)


def test_a_clear_transport_concern(classifier):
    [labels] = classifier.classify(
        ["The council has withdrawn Amara's taxi to school, so her mother now has no way "
         "of getting her there each morning."])
    assert "transport" in labels.concerns


def test_a_plan_that_worked_is_background_not_a_plan_concern(classifier):
    [labels] = classifier.classify(["Her EHC plan was issued in 2021 and served her well."])
    assert "plan_issue" not in labels.concerns
    assert "plan_content" not in labels.concerns
    assert not labels.urgent


def test_an_urgent_footer_is_not_urgent(classifier):
    [labels] = classifier.classify(["If your enquiry is urgent please call 020 7946 0000."])
    assert not labels.urgent
    assert labels.concerns == ()


def test_a_child_out_of_school_for_months_is_urgent(classifier):
    [labels] = classifier.classify(["She has not been to school since September."])
    assert labels.urgent
    assert "out_of_education" in labels.concerns


def test_denying_a_risk_is_not_urgent(classifier):
    [labels] = classifier.classify(["I am not suggesting she is at risk."])
    assert not labels.urgent
    assert "wellbeing_risk" not in labels.concerns


def test_politeness_is_not_urgent(classifier):
    [labels] = classifier.classify(
        ["I would be most grateful for your urgent attention, as this is a very pressing "
         "matter for the family."])
    assert not labels.urgent
    assert labels.concerns == ()


def test_every_sentence_gets_every_concerns_probability_in_order(classifier):
    sentences = ["Thank you for your help.", "", "He was excluded permanently on Friday.",
                 "Kind regards,"]
    results = classifier.classify(sentences)
    assert len(results) == len(sentences)
    for labels in results:
        assert list(labels.scores) == list(categories())
        assert all(0.0 <= score <= 1.0 for score in labels.scores.values())
        # Likeliest first, and only what is at or above its threshold.
        assert list(labels.concerns) == sorted(labels.concerns,
                                               key=lambda c: -labels.scores[c])
        assert all(labels.scores[c] >= classifier.thresholds[c] for c in labels.concerns)
    assert results[1].concerns == () and not results[1].urgent  # a blank line
    assert "exclusion" in results[2].concerns
    assert classifier.classify([]) == []


def test_thresholds_can_be_set_for_a_whole_letter():
    sentence = ["She has not been to school since September."]
    strict = SentenceClassifier(SHIPPED, thresholds={"URGENT": 1.0, "out_of_education": 1.0})
    [labels] = strict.classify(sentence)
    assert not labels.urgent and "out_of_education" not in labels.concerns
    assert strict.thresholds["transport"] == SentenceClassifier(SHIPPED).thresholds["transport"]
    with pytest.raises(ValueError, match="No such label"):
        SentenceClassifier(SHIPPED, thresholds={"urgency": 0.5})


def test_a_missing_model_is_named_with_how_to_build_it(tmp_path, caplog):
    with pytest.raises(ModelMissing) as raised:
        SentenceClassifier(tmp_path / "sentences")
    assert "There is no sentence classifier in" in raised.value.reason
    assert "python -m tools.training.sentences --output" in raised.value.reason
    assert load_sentence_classifier(tmp_path / "sentences") is None
    assert "There is no sentence classifier" in caplog.text


def test_a_model_without_thresholds_for_every_category_is_refused(tmp_path):
    folder = tmp_path / "sentences"
    shutil.copytree(SHIPPED, folder)
    summary = json.loads((folder / "training.json").read_text("utf-8"))
    del summary["thresholds"]["transport"]
    (folder / "training.json").write_text(json.dumps(summary), "utf-8")
    with pytest.raises(ModelMissing, match="does not give a threshold for every concern"):
        SentenceClassifier(folder)


def test_the_shipped_model_records_what_it_was_trained_on():
    summary = json.loads((SHIPPED / "training.json").read_text("utf-8"))
    assert summary["data_sha256"] == hashlib.sha256(DATA.read_bytes()).hexdigest()
    assert set(summary["thresholds"]) == {*categories(), "URGENT"}
    split = summary["split"]
    assert split["training"] + split["held_out"] == summary["sentences"]
    assert len(split["held_out_lines"]) == split["held_out"]
    assert "not on real letters" in summary["held_out_figures"]["note"]


def test_a_bad_line_in_the_data_is_named(tmp_path):
    from correspond.errors import TrainingError
    from tools.training.sentences import read_sentences

    data = tmp_path / "sentences.jsonl"
    data.write_text('{"text": "Fine.", "concerns": [], "urgent": false, "kind": "other"}\n',
                    "utf-8")
    with pytest.raises(TrainingError, match="Line 1 of .* unknown concern, kind or urgency"):
        read_sentences(data)
    data.write_text('{"text": "Fine.", "concerns": []}\n', "utf-8")
    with pytest.raises(TrainingError, match="Line 1 of .* is not a sentence"):
        read_sentences(data)


def _train(data: Path, output: Path, seed: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tools.training.sentences", "--data", str(data),
         "--epochs", "2", "--seed", str(seed), "--output", str(output)],
        capture_output=True, text=True, cwd=REPO, timeout=600)


def _weights(model: Path) -> str:
    return hashlib.sha256(
        (model / "pipeline" / "textcat_multilabel" / "model").read_bytes()).hexdigest()


@pytest.mark.slow
def test_the_recipe_builds_a_classifier_that_loads_and_the_same_seed_the_same_one(tmp_path):
    # Every eighth sentence: enough of every label for a short run.
    lines = DATA.read_text("utf-8").splitlines()[::8]
    data = tmp_path / "sentences.jsonl"
    data.write_text("\n".join(lines) + "\n", "utf-8")

    first = _train(data, tmp_path / "first", seed=11)
    assert first.returncode == 0, first.stderr[-2000:]
    assert first.stdout.startswith("Trained on ")
    assert "not real letters" in first.stdout
    assert "LOSS TEXTC" not in first.stdout + first.stderr  # spaCy's table, piped: kept back
    labels = SentenceClassifier(tmp_path / "first").classify(["He has been excluded."])
    assert set(labels[0].scores) == set(categories())

    summary = json.loads((tmp_path / "first" / "training.json").read_text("utf-8"))
    assert summary["seed"] == 11 and summary["epochs"] == 2
    assert summary["data_sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
    assert summary["split"]["held_out"] == len(summary["split"]["held_out_lines"])
    assert 0.1 < summary["split"]["held_out"] / len(lines) < 0.2

    again = _train(data, tmp_path / "again", seed=11)
    assert again.returncode == 0, again.stderr[-2000:]
    assert _weights(tmp_path / "again") == _weights(tmp_path / "first")
    assert (tmp_path / "again" / "training.json").read_text("utf-8") == \
        (tmp_path / "first" / "training.json").read_text("utf-8")

    other = _train(data, tmp_path / "other", seed=12)
    assert other.returncode == 0, other.stderr[-2000:]
    other_summary = json.loads((tmp_path / "other" / "training.json").read_text("utf-8"))
    assert other_summary["split"]["held_out_lines"] != summary["split"]["held_out_lines"]


# The classifier in the service: what the extractor of the shipped models makes of a letter.

def _letter(body: str) -> bytes:
    return ("Dear Sir or Madam,\n\nI am writing on behalf of my constituent Mrs Jane Bell of "
            "4 Hill Road, Exeter EX1 2AB about her son Tom Bell (date of birth 3 May 2014), "
            "who has an EHC plan.\n\n" + body + "\n\nYours sincerely,\n\nAnna Smith MP\n"
            ).encode()


@pytest.fixture(scope="module")
def shipped_extractor():
    from correspond.extract import load_extractor

    return load_extractor(REPO / "models")


def _read(extractor, body: str):
    from correspond.pipeline.workers import read_and_extract

    return read_and_extract(_letter(body), "letter.txt", extractor).extraction


def test_a_risk_no_pattern_names_is_raised_and_makes_the_letter_urgent(shipped_extractor):
    read = _read(shipped_extractor,
                 "Tom has told his mother he does not want to be alive any more.")
    assert "wellbeing_risk" in [concern.category for concern in read.concerns]
    assert read.urgent
    assert any("does not want to be alive" in reason for reason in read.urgency_reasons)


def test_a_school_named_in_passing_is_not_a_placement_concern(shipped_extractor):
    read = _read(shipped_extractor,
                 "Tom is in his first year at Elliott Hudson College, which is named in his "
                 "plan. His transport to college was withdrawn in September.")
    assert [concern.category for concern in read.concerns] == ["transport"]
