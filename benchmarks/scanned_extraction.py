"""Extraction from scans against extraction from the same letters as typed.

Builds the scanned test set from the development letters (`python -m tools.scans`: each
letter typeset, rasterised and degraded as a greyscale office scan, a 1-bit fax, a phone
photo for one-page letters, and page 1 typed with the rest scanned for longer ones) in a
temporary folder, runs `correspond evaluate` on each version and on the same letters as
typed, and prints every field's accuracy side by side. The target: every field within 3
points of the typed letters, and no scan set aside for being a scan. Exits 1 if missed.

    python benchmarks/scanned_extraction.py [--keep DIR] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VARIANTS = {"grey": "text", "fax": "text", "photo": "photo-text", "mixed": "mixed-text"}
MARGIN = 0.03


def evaluate(folder: Path, home: Path) -> dict:
    out = folder.with_suffix(".json")
    subprocess.run([sys.executable, "-m", "correspond", "--home", str(home), "evaluate",
                    str(folder), "--json", str(out), "--no-fail"], check=True, cwd=REPO,
                   capture_output=True)
    return json.loads(out.read_text("utf-8"))


def figures(report: dict) -> dict[str, float | None]:
    found = {key: value["accuracy"] for key, value in report["fields"].items()}
    found["concerns F1"] = report["concerns"]["micro"]["f1"]
    found["urgent recall"] = report["urgent"]["recall"]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="write the scanned set here and keep it")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="correspond-scans-") as temp:
        out = args.keep or Path(temp) / "scans"
        home = Path(temp) / "home"
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "tools.scans", str(out)], check=True, cwd=REPO,
                       capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        print(f"scanned set written in {time.monotonic() - started:.0f} s")
        reports, timings = {}, {}
        for folder in sorted({*VARIANTS, *VARIANTS.values()}):
            started = time.monotonic()
            reports[folder] = evaluate(out / folder, home)
            timings[folder] = time.monotonic() - started
    missed, results = [], {}
    for variant, typed in VARIANTS.items():
        scanned, baseline = figures(reports[variant]), figures(reports[typed])
        letters = reports[variant]["letters"]
        print(f"\n{variant}: {letters} letters, read and extracted in "
              f"{timings[variant]:.0f} s ({timings[variant] / letters:.1f} s a letter)")
        print(f"  {'field':<28}{'typed':>8}{'scanned':>9}{'diff':>7}")
        for key, value in scanned.items():
            base = baseline[key]
            if value is None or base is None:
                continue
            difference = value - base
            flag = "  MISSED" if difference < -MARGIN - 1e-9 else ""
            print(f"  {key:<28}{base:>8.3f}{value:>9.3f}{difference:>+7.3f}{flag}")
            if flag:
                missed.append(f"{variant} {key}")
        unreadable = reports[variant]["unreadable"]
        for item in unreadable:
            print(f"  set aside: {item['file']}: {item['reason']}")
            missed.append(f"{variant} {item['file']} set aside")
        results[variant] = {"letters": letters, "typed": baseline, "scanned": scanned,
                            "seconds": round(timings[variant], 1), "unreadable": unreadable}
    print("\nevery field within 3 points of the typed letters:", "no" if missed else "yes")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    if missed:
        raise SystemExit("missed: " + ", ".join(missed))


if __name__ == "__main__":
    main()
