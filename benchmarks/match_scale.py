"""Matching at scale: import time, time to match a letter's children, and peak memory.

  1. writes a synthetic case set of N records (default 1,000,000) and a few hundred letters
     about them with `correspond cases generate` (streamed to CSV, never held in memory);
  2. imports it with `correspond cases import` into a fresh home folder, timed, and notes
     the import process's peak resident memory;
  3. matches each letter's children in this process, as the service does, timing each
     letter (after a short warm-up), and reports p50/p95, the outcomes against the true
     cases, and this process's peak resident memory.

    python benchmarks/match_scale.py                       # 1,000,000 records, 300 letters
    python benchmarks/match_scale.py --records 100000 --json results.json
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from correspond.evaluation.matching import _extraction, _outcome  # noqa: E402
from correspond.match import CaseMatcher  # noqa: E402
from correspond.store.database import Database  # noqa: E402

WARM_UP = 10


def correspond(*args: str) -> float:
    """Run a correspond command; its wall time in seconds."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "correspond", *args], check=True, cwd=REPO)
    return time.perf_counter() - started


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--letters", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    parser.add_argument("--work", type=Path, help="Folder to work in (default: a temporary one).")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="correspond-match-scale-") as scratch:
        work = options.work or Path(scratch)
        cases_dir, home = work / "set", work / "home"
        generate_s = correspond("cases", "generate", str(cases_dir), "--records",
                                str(options.records), "--letters", str(options.letters),
                                "--seed", str(options.seed))
        import_s = correspond("--home", str(home), "cases", "import",
                              str(cases_dir / "cases.csv"))
        import_peak = peak_mb(resource.RUSAGE_CHILDREN)
        figures = match_letters(home / "data" / "correspond.db", cases_dir / "letters.jsonl")
        database_mb = (home / "data" / "correspond.db").stat().st_size / 1024 / 1024

    report = {
        "records": options.records,
        "generate_seconds": round(generate_s, 1),
        "import_seconds": round(import_s, 1),
        "import_rows_per_second": round(options.records / import_s),
        "import_peak_rss_mb": round(import_peak),
        "database_mb": round(database_mb),
        **figures,
        "match_peak_rss_mb": round(peak_mb(resource.RUSAGE_SELF)),
    }
    print(json.dumps(report, indent=2))
    if options.json:
        options.json.write_text(json.dumps(report, indent=2) + "\n", "utf-8")


def match_letters(database: Path, letters_path: Path) -> dict[str, object]:
    db = Database(f"sqlite:///{database}")
    matcher = CaseMatcher(db)
    timings: list[float] = []
    outcomes: Counter[str] = Counter()
    children = 0
    try:
        for number, line in enumerate(letters_path.read_text("utf-8").splitlines()):
            letter = json.loads(line)
            extraction = _extraction(letter)
            started = time.perf_counter()
            decisions = matcher.match(extraction)
            elapsed = (time.perf_counter() - started) * 1000
            if number >= WARM_UP:
                timings.append(elapsed)
            for child, decision in zip(letter["children"], decisions):
                children += 1
                outcomes[_outcome(child.get("case_id"), decision.status, decision.case_id)] += 1
    finally:
        db.close()
    timings.sort()
    return {
        "letters_timed": len(timings),
        "children": children,
        "match_ms_p50": round(statistics.median(timings), 1),
        "match_ms_p95": round(timings[int(len(timings) * 0.95)], 1),
        "match_ms_max": round(timings[-1], 1),
        "outcomes": dict(outcomes),
    }


if __name__ == "__main__":
    main()
