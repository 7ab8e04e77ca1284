"""The sentence classifier's cost: size on disk, load time, sentences per second on one core.

    PYTHONPATH=. python benchmarks/sentences.py [--model-dir models/sentences]

1. size: the files under the model folder (models/sentences);
2. load time: the median of fresh interpreters each importing
   `correspond.extract.sentences` and constructing `SentenceClassifier` (spaCy's import is
   counted apart: the extraction pipeline pays it anyway);
3. throughput: one process pinned to CPU 0 classifies the hand-written training sentences
   30 at a time (a 500-word letter has about 30 body sentences), after a warm-up, and
   reports sentences per second and the milliseconds a 30-sentence letter adds.

A loaded machine makes the figures worse, never better: run it when nothing else is busy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SENTENCES = REPO / "tools" / "training" / "sentences" / "sentences.jsonl"
PER_LETTER = 30


def measure_load(model_dir: Path) -> dict[str, float]:
    started = time.perf_counter()
    import spacy  # noqa: F401  (imported by the extraction pipeline in any case)

    spacy_imported = time.perf_counter()
    from correspond.extract.sentences import SentenceClassifier

    SentenceClassifier(model_dir)
    loaded = time.perf_counter()
    return {"spacy_import_seconds": spacy_imported - started,
            "load_seconds": loaded - spacy_imported}


def measure_throughput(model_dir: Path, rounds: int) -> dict[str, float]:
    os.sched_setaffinity(0, {0})
    from correspond.extract.sentences import SentenceClassifier

    classifier = SentenceClassifier(model_dir)
    texts = [json.loads(line)["text"] for line in SENTENCES.read_text("utf-8").splitlines()]
    letters = [texts[start:start + PER_LETTER] for start in range(0, len(texts), PER_LETTER)]
    for letter in letters[:10]:  # warm-up
        classifier.classify(letter)
    count = 0
    started = time.perf_counter()
    for _ in range(rounds):
        for letter in letters:
            classifier.classify(letter)
            count += len(letter)
    seconds = time.perf_counter() - started
    return {"sentences": count,
            "mean_words": round(sum(len(text.split()) for text in texts) / len(texts), 1),
            "sentences_per_second": round(count / seconds),
            "ms_per_30_sentence_letter": round(1000 * seconds / count * PER_LETTER, 2)}


def in_fresh_process(*args: str) -> dict:
    result = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                            check=True, cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", type=Path, default=REPO / "models" / "sentences")
    parser.add_argument("--loads", type=int, default=5, help="fresh loads to take the median of")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the sentences")
    parser.add_argument("--child", choices=("load", "throughput"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    model_dir = args.model_dir.resolve()
    if args.child == "load":
        print(json.dumps(measure_load(model_dir)))
        return
    if args.child == "throughput":
        print(json.dumps(measure_throughput(model_dir, args.rounds)))
        return

    loads = [in_fresh_process("--child", "load", "--model-dir", str(model_dir))
             for _ in range(args.loads)]
    speed = in_fresh_process("--child", "throughput", "--model-dir", str(model_dir),
                             "--rounds", str(args.rounds))
    size = sum(path.stat().st_size for path in model_dir.rglob("*") if path.is_file())
    rows = [
        ("model size (MB)", round(size / 2**20, 2)),
        ("load time, spaCy imported (s, median)",
         round(statistics.median(x["load_seconds"] for x in loads), 3)),
        ("spaCy import (s, median)",
         round(statistics.median(x["spacy_import_seconds"] for x in loads), 3)),
        (f"sentences/s, one core (~{speed['mean_words']} words)", speed["sentences_per_second"]),
        ("ms per 30-sentence letter", speed["ms_per_30_sentence_letter"]),
    ]
    print("\n".join(f"{label:<44}{value:>10}" for label, value in rows))


if __name__ == "__main__":
    main()
