"""The extractor's cost: model size on disk, load time, throughput on one core, peak memory.

    python benchmarks/extraction.py                       # the dev set, 200+ letters
    python benchmarks/extraction.py --json benchmarks/results/extraction.json

1. model size: the files under `settings.model_dir` (the spaCy library itself is not
   counted; it ships with the program either way);
2. load time: the median of 5 fresh interpreters each importing `correspond.extract` and
   calling `load_extractor(model_dir)`: what a reader worker pays when it starts;
3. throughput: one process pinned to CPU 0 runs the service's own stages
   (`readers.read_and_extract`: read, choose the letter, extract) over the letters,
   repeated to at least 200, after a warm-up. It is measured twice: on the letters as
   written (all formats), and on the plain-text letters lengthened to about 500 words with
   body paragraphs from the other letters (the budget is for ~500-word letters);
4. peak memory: the largest resident set of that measuring process.

The letters are tests/devset/ (or --letters DIR), else tests/samples/. A loaded machine
makes the figures worse, never better: run it when nothing else is busy. Throughput is
also given per second of the process's own CPU time, which other programs on the machine
do not count against (they still slow it a little, through shared caches).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUDGETS = {"model_mb": 30.0, "load_seconds": 2.0, "letters_per_second": 20.0}
LETTER_SUFFIXES = (".txt", ".eml", ".msg", ".docx", ".pdf")
TARGET_WORDS = 500


def model_size_mb(model_dir: Path) -> float:
    if not model_dir.is_dir():
        return 0.0
    size = sum(path.stat().st_size for path in model_dir.rglob("*") if path.is_file())
    return size / 2**20


def letter_files(folder: Path | None) -> list[Path]:
    folders = [folder] if folder else [REPO / "tests" / "devset"]
    files = [path for f in folders if f.is_dir() for path in sorted(f.iterdir())
             if path.suffix in LETTER_SUFFIXES and not path.name.endswith(".gold.json")]
    if not files:
        samples = REPO / "tests" / "samples"
        files = sorted((samples / "files").glob("*.txt")) + sorted(
            (samples / "letters").glob("*.txt"))
    return files


def lengthened(texts: list[str], words: int = TARGET_WORDS) -> list[str]:
    """Each letter with body paragraphs of the others added before its sign-off, until it
    has about `words` words."""
    paragraphs = [p for text in texts for p in text.split("\n\n") if len(p.split()) >= 30]
    longer = []
    for number, text in enumerate(texts):
        parts = text.split("\n\n")
        closing = next((i for i, p in enumerate(parts)
                        if p.strip().lower().startswith(("yours", "kind regards", "many thanks",
                                                          "best wishes"))), len(parts))
        extra, pick = [], number
        while len(text.split()) + sum(len(p.split()) for p in extra) < words - 20:
            extra.append(paragraphs[pick % len(paragraphs)])
            pick += 7
        longer.append("\n\n".join(parts[:closing] + extra + parts[closing:]))
    return longer


def measure_load(model_dir: Path) -> dict[str, float]:
    """In a fresh interpreter: the seconds to import the extractor and to load it."""
    started, cpu_started = time.perf_counter(), time.process_time()
    from correspond.extract import load_extractor

    imported = time.perf_counter()
    load_extractor(model_dir)
    loaded = time.perf_counter()
    return {"import_seconds": imported - started, "load_seconds": loaded - imported,
            "total_seconds": loaded - started,
            "cpu_seconds": time.process_time() - cpu_started}


def measure_throughput(model_dir: Path, files: list[Path], minimum: int) -> dict[str, float]:
    """On CPU 0 only: letters per second through the service's read-and-extract stages."""
    os.sched_setaffinity(0, {0})
    from correspond.extract import load_extractor
    from correspond.pipeline.workers import read_and_extract

    extractor = load_extractor(model_dir)
    as_written = [(path.read_bytes(), path.name) for path in files]
    plain = [data.decode("utf-8") for data, name in as_written if name.endswith(".txt")]
    if not plain:
        raise SystemExit("No .txt letters to lengthen to 500 words.")
    long_letters = [(text.encode("utf-8"), f"long-{n}.txt")
                    for n, text in enumerate(lengthened(plain))]
    figures: dict[str, float] = {}
    for label, letters in (("as_written", as_written), ("500_words", long_letters)):
        batch = letters * -(-minimum // len(letters))
        for data, name in letters[:10]:  # warm-up: first-call costs are not throughput
            read_and_extract(data, name, extractor)
        words = 0
        started, cpu_started = time.perf_counter(), time.process_time()
        for data, name in batch:
            result = read_and_extract(data, name, extractor)
            words += len(result.letter.text.split())
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        figures[f"{label}_letters"] = len(batch)
        figures[f"{label}_mean_words"] = round(words / len(batch))
        figures[f"{label}_letters_per_second"] = round(len(batch) / seconds, 1)
        # On a shared machine the wall clock counts other programs' turns on the core;
        # the CPU time is this process's own work, what one free core would take.
        figures[f"{label}_letters_per_cpu_second"] = round(len(batch) / cpu_seconds, 1)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return figures


def in_fresh_process(*args: str) -> dict:
    result = subprocess.run([sys.executable, __file__, *args], capture_output=True,
                            text=True, check=True, cwd=REPO,
                            env={**os.environ, "CORRESPOND_LOG_LEVEL": "WARNING"})
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=Path, help="folder of letters (default tests/devset)")
    parser.add_argument("--count", type=int, default=200, help="letters to time, at least")
    parser.add_argument("--loads", type=int, default=5, help="fresh loads to take the median of")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--child", choices=("load", "throughput"), help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "load":
        print(json.dumps(measure_load(args.model_dir)))
        return
    if args.child == "throughput":
        print(json.dumps(measure_throughput(args.model_dir, letter_files(args.letters),
                                            args.count)))
        return

    from correspond.config import load_settings

    model_dir = load_settings().model_dir
    loads = [in_fresh_process("--child", "load", "--model-dir", str(model_dir))
             for _ in range(args.loads)]
    letters_args = ["--letters", str(args.letters)] if args.letters else []
    speed = in_fresh_process("--child", "throughput", "--model-dir", str(model_dir),
                             "--count", str(args.count), *letters_args)
    figures = {
        "model_dir": str(model_dir),
        "model_mb": round(model_size_mb(model_dir), 2),
        "load_seconds": round(statistics.median(x["total_seconds"] for x in loads), 3),
        "load_import_seconds": round(statistics.median(x["import_seconds"] for x in loads), 3),
        "load_model_seconds": round(statistics.median(x["load_seconds"] for x in loads), 3),
        "load_cpu_seconds": round(statistics.median(x["cpu_seconds"] for x in loads), 3),
        **speed,
        "letters_per_second": speed["500_words_letters_per_second"],
        "budgets": BUDGETS,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
    }
    print(format_figures(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", "utf-8")


def format_figures(figures: dict) -> str:
    def mark(name: str, higher_is_better: bool = False) -> str:
        value, budget = figures[name], BUDGETS[name]
        ok = value >= budget if higher_is_better else value <= budget
        return f"{'<=' if not higher_is_better else '>='} {budget:g}  {'PASS' if ok else 'FAIL'}"

    rows = [
        ("model size (MB)", figures["model_mb"], mark("model_mb")),
        ("load time (s, median of fresh loads)", figures["load_seconds"], mark("load_seconds")),
        ("  of which import", figures["load_import_seconds"], ""),
        ("  of which load_extractor", figures["load_model_seconds"], ""),
        ("  CPU seconds of the whole load", figures["load_cpu_seconds"], ""),
        (f"letters/s, ~{figures['500_words_mean_words']} words, one core",
         figures["500_words_letters_per_second"], mark("letters_per_second", True)),
        (f"letters/s, as written (~{figures['as_written_mean_words']} words)",
         figures["as_written_letters_per_second"], ""),
        ("  per second of its own CPU time",
         figures["500_words_letters_per_cpu_second"], ""),
        ("peak RSS of the measuring process (MB)", figures["peak_rss_mb"], ""),
    ]
    return "\n".join(f"{label:<42}{value:>9}  {budget}" for label, value, budget in rows)


if __name__ == "__main__":
    main()
