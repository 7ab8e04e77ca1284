"""School register: import time, load time, and the time to resolve one name.

Imports the real 6,000-school register (EduBase July 2017, from ../shared/corpus) into a
fresh SQLite database, twice (the second is the idempotent re-import), loads it into
memory as the service does, and resolves names as letters write them: informal versions
of real names (exact identifying words), misspellings (the rapidfuzz path), and
nonsense (rapidfuzz over every school, the slowest path). Then does the same at the size
of a full GIAS export of open schools (~25,000) and of all establishments (~50,000), by
adding variants of the real names with their first word swapped for another school's, so
the names keep the real mix of lengths and of shared words.

    python benchmarks/schools.py
    python benchmarks/schools.py --json results.json
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from correspond.records import SchoolRecord  # noqa: E402
from correspond.schools.directory import SchoolDirectory  # noqa: E402
from correspond.schools.gias import ParsedSchool, read_school_export  # noqa: E402
from correspond.schools.register import SchoolRegister  # noqa: E402
from correspond.store.database import Database  # noqa: E402
from correspond.store.schools import save_schools  # noqa: E402

REGISTER = REPO.parent / "shared/corpus/reference/edubase_july2017_schools_to_geocode.csv"
NONSENSE = ["Xyzzy Plugh Academy", "Quux Primary", "Blorp High School", "Zzyzx CE Infants",
            "Frobnitz Grammar"]


def informal(name: str) -> str:
    """How a letter might write an official name."""
    for official, written in (("Church of England", "C of E"), ("CofE", "CE"),
                              ("Roman Catholic", "RC"), ("Saint ", "St "), (" School", ""),
                              ("'", ""), ("The ", "the ")):
        name = name.replace(official, written)
    return re.sub(r", An? .*$", "", name)  # ", A Voluntary Academy" is a label


def misspelt(name: str, rng: random.Random) -> str:
    word = informal(name)
    position = rng.randrange(1, max(2, min(len(word) - 1, 8)))
    return word[:position] + word[position + 1:]  # one letter dropped near the start


def timed_resolve(register: SchoolRegister, names: list[str]) -> dict[str, float]:
    times = []
    for name in names:
        start = time.perf_counter()
        register.resolve(name)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"names": len(names), "p50_ms": round(statistics.median(times), 3),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 3),
            "max_ms": round(times[-1], 3)}


def resolve_figures(register: SchoolRegister, records: list[SchoolRecord],
                    rng: random.Random) -> dict[str, dict[str, float]]:
    sample = rng.sample(records, 500)
    exact = [informal(record.name) for record in sample]
    typos = [misspelt(record.name, rng) for record in sample]
    outcomes = dict.fromkeys(("resolved", "ambiguous", "unknown"), 0)
    for name in exact:
        outcomes[register.resolve(name).status] += 1
    return {
        "informal": {**timed_resolve(register, exact), **outcomes},
        "misspelt": timed_resolve(register, typos),
        "nonsense": timed_resolve(register, NONSENSE * 40),
    }


def scaled(records: list[SchoolRecord], size: int, rng: random.Random) -> list[SchoolRecord]:
    """`size` schools: the real ones, and variants with another school's first word."""
    first_words = [record.name.split()[0] for record in records]
    out = list(records)
    copy = 0
    while len(out) < size:
        copy += 1
        for record in records[: size - len(out)]:
            words = record.name.split()
            words[0] = rng.choice(first_words)
            out.append(replace(record, urn=f"{copy}{record.urn}", name=" ".join(words),
                               la_name=f"Borough {copy}"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    arguments = parser.parse_args()
    rng = random.Random(2026)
    results: dict[str, object] = {}

    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
        start = time.perf_counter()
        with REGISTER.open("rb") as stream:
            records = [row.record for row in read_school_export(stream).rows
                       if isinstance(row, ParsedSchool)]
        report = save_schools(db, records)
        results["import_seconds"] = round(time.perf_counter() - start, 3)
        results["imported"] = report.added
        start = time.perf_counter()
        with REGISTER.open("rb") as stream:
            again = save_schools(db, (row.record for row in read_school_export(stream).rows
                                      if isinstance(row, ParsedSchool)))
        results["reimport_seconds"] = round(time.perf_counter() - start, 3)
        results["reimport_unchanged"] = again.unchanged
        start = time.perf_counter()
        register = SchoolDirectory(db, local_la="Leeds").register()
        results["load_seconds"] = round(time.perf_counter() - start, 3)
        directory = SchoolDirectory(db)
        directory.register()
        start = time.perf_counter()
        directory.register()  # as before each file: is the copy in memory still current?
        results["version_check_ms"] = round((time.perf_counter() - start) * 1000, 3)
        db.close()

    results["resolve_6022"] = resolve_figures(register, records, rng)
    for size in (25_000, 50_000):
        many = scaled(records, size, rng)
        start = time.perf_counter()
        big = SchoolRegister(many)
        results[f"build_{size}_seconds"] = round(time.perf_counter() - start, 3)
        results[f"resolve_{size}"] = resolve_figures(big, records, rng)

    print(json.dumps(results, indent=2))
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
