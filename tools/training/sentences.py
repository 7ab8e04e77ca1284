"""python -m tools.training.sentences --output models/sentences

Trains the sentence classifier of correspond/extract/sentences.py: a spaCy pipeline built
from scratch (no pretrained vectors or model, so it trains offline) whose one component,
a `textcat_multilabel`, scores each concern category of the spec and `URGENT` for one
sentence of a letter's body.

It learns from the hand-written sentences of tools/training/sentences/sentences.jsonl
(see its README): concern sentences, and the sentences that must raise nothing though they
use the words (background, negated, hypothetical, politeness, footers, procedural lines,
other council services); the kind of each sentence is learnt too, beside the labels the
product uses. A fixed, seeded 15% of them, stratified by kind, urgency and first concern,
is held out: each label's threshold is chosen on it, and its figures are reported beside
the thresholds in training.json. The figures are on synthetic sentences by one author, so
they say how well the sentences were learnt, not how well real letters are read; the
figures at 0.5 are the fairer ones, as the thresholds were chosen on the same sentences.

The same data and seed give the same model: spaCy's seed is the split's seed, and the
data's SHA-256 is recorded with it.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click
import spacy
from spacy.tokens import DocBin
from spacy.util import load_config

from correspond.domain.concerns import categories
from correspond.errors import CorrespondError, TrainingError
from correspond.shipped import inside_package
from tools.training.build import spacy_output

DATA = Path(__file__).with_name("sentences") / "sentences.jsonl"
CONFIG = Path(__file__).with_name("sentences.cfg")
REPOSITORY_OUTPUT = Path(__file__).resolve().parents[2] / "models" / "sentences"
PIPELINE_FOLDER = "pipeline"
SEED = 20261201
HELD_OUT = 0.15
URGENT = "URGENT"
KINDS = ("concern", "background", "negated", "hypothetical", "politeness", "footer",
         "procedural", "other_service")
# A missed urgent letter is a safety failure: URGENT's threshold is the one that finds
# the most held-out urgent sentences, and the two categories that make a letter urgent
# weigh recall three times as much as precision (F3); the others take the best F1.
RECALL_WEIGHT = {"wellbeing_risk": 3.0, "out_of_education": 3.0}
# The lowest threshold any label may get: below it a score is noise.
THRESHOLD_FLOOR = 0.05


def labels() -> list[str]:
    """The classifier's labels: the spec's concern ids in its order, then URGENT."""
    return [*categories(), URGENT]


def kind_labels() -> list[str]:
    """Labels learnt beside them, one per kind of sentence ("kind:negated"): learning to
    tell a denial, a fear or a footer from a complaint helps the layers the concern labels
    share (on the training sentences, by cross-validation), and says what a sentence is."""
    return [f"kind:{kind}" for kind in KINDS]


@dataclass(frozen=True)
class Sentence:
    line: int  # 1-based line of the data file, so a split can be named by lines
    text: str
    concerns: tuple[str, ...]
    urgent: bool
    kind: str

    @property
    def cats(self) -> dict[str, float]:
        gold = {label: float(label in self.concerns) for label in labels()}
        gold[URGENT] = float(self.urgent)
        gold |= {label: float(label == f"kind:{self.kind}") for label in kind_labels()}
        return gold


def read_sentences(path: Path) -> list[Sentence]:
    """The labelled sentences of a JSON-lines file, each line checked."""
    known = set(categories())
    sentences = []
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise TrainingError(f"Cannot read the sentences file {path}: {err}") from err
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            sentence = Sentence(number, row["text"], tuple(row["concerns"]),
                                row["urgent"], row["kind"])
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise TrainingError(
                f"Line {number} of {path} is not a sentence with text, concerns, urgent and "
                f"kind ({err}); correct that line and train again.") from err
        unknown = set(sentence.concerns) - known
        if unknown or sentence.kind not in KINDS or not isinstance(sentence.urgent, bool) \
                or not isinstance(sentence.text, str) or not sentence.text.strip():
            raise TrainingError(
                f"Line {number} of {path} has an unknown concern, kind or urgency "
                f"(concerns must be ids of concerns.json, kind one of {', '.join(KINDS)}); "
                "correct that line and train again.")
        sentences.append(sentence)
    if not sentences:
        raise TrainingError(f"{path} holds no sentences.")
    return sentences


def split(sentences: Sequence[Sentence], seed: int,
          fraction: float = HELD_OUT) -> tuple[list[Sentence], list[Sentence]]:
    """(training, held out): `fraction` of each kind, urgency and first concern, drawn by
    `seed`, so every sort of sentence is in both and the same seed holds out the same
    lines."""
    groups: dict[tuple[str, bool, str], list[Sentence]] = defaultdict(list)
    for sentence in sentences:
        first = sentence.concerns[0] if sentence.concerns else ""
        groups[(sentence.kind, sentence.urgent, first)].append(sentence)
    draw = random.Random(seed)
    held: set[int] = set()
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda sentence: sentence.line)
        draw.shuffle(members)
        held.update(sentence.line for sentence in members[:round(len(members) * fraction)])
    return ([sentence for sentence in sentences if sentence.line not in held],
            [sentence for sentence in sentences if sentence.line in held])


def to_docbin(sentences: Sequence[Sentence]) -> DocBin:
    nlp = spacy.blank("en")
    docs = DocBin(store_user_data=False)
    for sentence in sentences:
        doc = nlp.make_doc(sentence.text)
        doc.cats = sentence.cats
        docs.add(doc)
    return docs


def train_sentences(*, data: Path, output: Path, seed: int = SEED,
                    epochs: int | None = None) -> dict:
    """Train, choose thresholds, and install `output`/pipeline and `output`/training.json;
    returns the summary written to training.json."""
    sentences = read_sentences(data)
    training, held_out = split(sentences, seed)
    overrides: dict[str, object] = {"system.seed": seed}
    if epochs is not None:
        overrides["training.max_epochs"] = epochs
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="correspond-sentences-") as temporary:
        work = Path(temporary)
        to_docbin(training).to_disk(work / "train.spacy")
        to_docbin(held_out).to_disk(work / "held_out.spacy")
        overrides |= {"paths.train": str(work / "train.spacy"),
                      "paths.dev": str(work / "held_out.spacy")}
        from spacy.cli.train import train

        with spacy_output():
            train(CONFIG, work / "output", overrides=overrides)
        # The last model, not spaCy's "best" one: choosing by the held-out sentences
        # would leave no sentence the model was not tuned on.
        trained = work / "output" / "model-last"
        scores = _scores(spacy.load(trained), held_out)
        thresholds = {label: choose_threshold(label, scores[label],
                                              [sentence.cats[label] == 1.0
                                               for sentence in held_out])
                      for label in labels()}
        summary = {
            "data": _relative(data),
            "data_sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
            "sentences": len(sentences),
            "seed": seed,
            "spacy": spacy.__version__,
            "epochs": epochs if epochs is not None else _config_epochs(),
            "labels": labels(),
            "kind_labels": kind_labels(),
            "split": {"held_out_fraction": HELD_OUT,
                      "stratified_by": "kind, urgent, first concern",
                      "training": len(training), "held_out": len(held_out),
                      "held_out_lines": [sentence.line for sentence in held_out]},
            "thresholds": thresholds,
            "threshold_rule": "Chosen on the held-out sentences, between "
                              f"{THRESHOLD_FLOOR} and 0.95: URGENT the highest that finds "
                              "as many urgent sentences as any does; wellbeing_risk and "
                              "out_of_education the best F3 (recall first); the others "
                              "the best F1.",
            "held_out_figures": held_out_figures(held_out, scores, thresholds),
        }
        _install(trained, output, summary)
    return summary


def _scores(nlp: spacy.language.Language, sentences: Sequence[Sentence]
            ) -> dict[str, list[float]]:
    docs = list(nlp.pipe(sentence.text for sentence in sentences))
    return {label: [doc.cats[label] for doc in docs] for label in labels()}


def choose_threshold(label: str, scores: Sequence[float], gold: Sequence[bool]) -> float:
    """A label's threshold on the held-out sentences, between THRESHOLD_FLOOR and 0.95.
    URGENT takes the highest threshold that finds as many held-out urgent sentences as
    any threshold does; wellbeing_risk and out_of_education the best F3 (recall counted
    three times as much as precision); the others the best F1. Among equals, the one
    nearest 0.5."""
    grid = [round(THRESHOLD_FLOOR + step / 100, 2)
            for step in range(int((0.95 - THRESHOLD_FLOOR) * 100) + 1)]
    if not any(gold):
        return 0.5
    if label == URGENT:
        best = max(_counts(scores, gold, threshold)["recall"] for threshold in grid)
        return max(threshold for threshold in grid
                   if _counts(scores, gold, threshold)["recall"] == best)
    beta = RECALL_WEIGHT.get(label, 1.0)
    return max(grid, key=lambda threshold: (_f_beta(_counts(scores, gold, threshold), beta),
                                            -abs(threshold - 0.5)))


def _f_beta(counts: dict, beta: float) -> float:
    precision, recall = counts["precision"], counts["recall"]
    weighted = beta * beta * precision + recall
    return (1 + beta * beta) * precision * recall / weighted if weighted else 0.0


def _counts(scores: Sequence[float], gold: Sequence[bool], threshold: float) -> dict:
    found = [score >= threshold for score in scores]
    true_positive = sum(f and g for f, g in zip(found, gold))
    predicted, actual = sum(found), sum(gold)
    precision = true_positive / predicted if predicted else 1.0
    recall = true_positive / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"support": actual, "predicted": predicted, "precision": round(precision, 3),
            "recall": round(recall, 3), "f1": round(f1, 3)}


def held_out_figures(held_out: Sequence[Sentence], scores: dict[str, list[float]],
                     thresholds: dict[str, float]) -> dict:
    """Per label, precision, recall and F1 at its threshold and at 0.5; and per kind of
    sentence that should raise nothing, how many raised a concern or urgency anyway."""
    per_label = {}
    for label in labels():
        gold = [sentence.cats[label] == 1.0 for sentence in held_out]
        per_label[label] = {"at_threshold": _counts(scores[label], gold, thresholds[label]),
                            "at_0.5": _counts(scores[label], gold, 0.5)}
    quiet = {}
    for kind in KINDS[1:]:
        rows = [index for index, sentence in enumerate(held_out)
                if sentence.kind == kind and not sentence.concerns and not sentence.urgent]
        quiet[kind] = {
            "sentences": len(rows),
            "raised_a_concern": sum(any(scores[label][index] >= thresholds[label]
                                        for label in categories()) for index in rows),
            "raised_urgent": sum(scores[URGENT][index] >= thresholds[URGENT]
                                 for index in rows)}
    return {"note": "On held-out synthetic sentences by the author of the training "
                    "sentences, not on real letters; the thresholds were chosen on these "
                    "same sentences, so the figures at the thresholds flatter the model "
                    "and those at 0.5 are the fairer ones.",
            "per_label": per_label,
            "sentences_that_should_raise_nothing": quiet}


def _install(trained: Path, output: Path, summary: dict) -> None:
    staged = output / f".{PIPELINE_FOLDER}.new"
    shutil.rmtree(staged, ignore_errors=True)
    shutil.copytree(trained, staged)
    # The corpora were in a temporary folder: naming it would make each build differ.
    config = load_config(staged / "config.cfg", interpolate=False)
    config["paths"]["train"] = config["paths"]["dev"] = None
    config.to_disk(staged / "config.cfg")
    target = output / PIPELINE_FOLDER
    shutil.rmtree(target, ignore_errors=True)
    staged.rename(target)
    (output / "training.json").write_text(json.dumps(summary, indent=2) + "\n", "utf-8")


def _config_epochs() -> int:
    return int(load_config(CONFIG)["training"]["max_epochs"])


def _relative(path: Path) -> str:
    root = Path(__file__).resolve().parents[2]
    resolved = path.resolve()
    return str(resolved.relative_to(root)) if resolved.is_relative_to(root) else str(path)


def summary_table(summary: dict) -> str:
    rows = [f"{'label':<20}{'threshold':>10}{'P':>7}{'R':>7}{'F1':>7}{'n':>5}   at 0.5: P, R"]
    for label, figures in summary["held_out_figures"]["per_label"].items():
        chosen, plain = figures["at_threshold"], figures["at_0.5"]
        rows.append(f"{label:<20}{summary['thresholds'][label]:>10.2f}"
                    f"{chosen['precision']:>7.2f}{chosen['recall']:>7.2f}{chosen['f1']:>7.2f}"
                    f"{chosen['support']:>5}   {plain['precision']:.2f}, {plain['recall']:.2f}")
    return "\n".join(rows)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=DATA, show_default=True, help="The labelled sentences (JSON lines).")
@click.option("--seed", default=SEED, show_default=True,
              help="Seed of the held-out split and of spaCy; the same seed and data give "
              "the same model.")
@click.option("--epochs", type=int, default=None,
              help="Passes over the training sentences (default: as in sentences.cfg).")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path),
              default=REPOSITORY_OUTPUT, show_default=True,
              help="Folder to write the classifier to; never the one installed with "
              "correspond.")
def main(data: Path, seed: int, epochs: int | None, output: Path) -> None:
    """Train the sentence classifier into OUTPUT (models/sentences of this checkout by
    default), with its thresholds and held-out figures in OUTPUT/training.json."""
    target = output.resolve()
    if inside_package(target):
        raise click.ClickException(
            f"{target} is the model installed with correspond, which an upgrade replaces: "
            "give --output DIR.")
    try:
        summary = train_sentences(data=data, output=target, seed=seed, epochs=epochs)
    except CorrespondError as err:
        click.echo(err.reason, err=True)
        sys.exit(1)
    click.echo(f"Trained on {summary['split']['training']} sentences (seed {seed}); "
               f"held out {summary['split']['held_out']}. The classifier is in {target}.")
    click.echo("Figures on held-out synthetic sentences, not real letters:")
    click.echo(summary_table(summary))


if __name__ == "__main__":
    main()
