"""How long a search of the desk takes with many referrals (issue 14: under 100 ms).

Builds a fresh SQLite database, or with --database postgresql a database on a throwaway
PostgreSQL server (tools/postgres_cluster.py), by the real migrations, holding N synthetic
referrals, each
with a child, an MP, the MP's reference, our reference, a postcode and the letter's text
(benchmarks/drop_to_draft.py's letter), indexes them as the service does, then times
`correspond.desk.search.search_referrals` (the search page's work, short of the HTML)
for a mix of what callers type: a child's full name, a misspelt first name with the
surname, an MP's reference, our reference, a postcode and words of the letter.

    python benchmarks/search.py                  # 10,000 referrals, 400 searches
    python benchmarks/search.py --referrals 2000 --json results.json
    python benchmarks/search.py --database postgresql
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1])]
from drop_to_draft import letter_text, make_cases  # noqa: E402

from correspond.desk.queries import DeskQueries  # noqa: E402
from correspond.desk.search import search_referrals  # noqa: E402
from correspond.store import search  # noqa: E402
from correspond.store.archive import Archive  # noqa: E402
from correspond.store.database import Database  # noqa: E402
from tools.postgres_cluster import ThrowawayCluster  # noqa: E402


def fill(db: Database, count: int, rng: random.Random) -> list[dict[str, str]]:
    referrals, children, files = (db.table("referrals"), db.table("referral_children"),
                                  db.table("files"))
    cases = make_cases(count, rng)
    start = date(2025, 1, 6)
    with db.writing() as connection:
        for number, case in enumerate(cases, start=1):
            received = start + timedelta(days=number % 600)
            received_at = datetime.combine(received, datetime.min.time(), UTC)
            connection.execute(files.insert().values(
                sha256=f"{number:064x}", size=1, archive_path=f"{number}.txt",
                first_seen_at=received_at))
            referral_id = connection.execute(referrals.insert().values(
                reference=f"MP-2026-{number:05d}", sha256=f"{number:064x}", format="txt",
                received_at=received_at,
                received_date=received, acknowledgement_due=received + timedelta(days=2),
                reply_due=received + timedelta(days=14), status="awaiting_reply",
                is_send=True, urgent=False, letter_source="body",
                letter_text=letter_text(case, number), mp_name="Hannah Greaves",
                constituency="Leeds Central and Headingley",
                mp_reference=f"HG/2026/{number:04d}",
                constituent_name=f"Mrs {case['parent_names']}",
                extraction_json=json.dumps({"constituent": {"postcode": case["postcode"]},
                                            "correspondent": {}}),
            ).returning(referrals.c.id)).scalar_one()
            connection.execute(children.insert().values(
                referral_id=referral_id, position=0, first_name=case["child_first_name"],
                last_name=case["child_last_name"], match_status="new", candidates_json="[]"))
    return cases


def misspelt(name: str, rng: random.Random) -> str:
    at = rng.randrange(len(name) - 1)
    return name[:at] + name[at + 1] + name[at] + name[at + 2:]  # two letters swapped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--referrals", type=int, default=10_000)
    parser.add_argument("--searches", type=int, default=400)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    rng = random.Random(14)
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        if args.database == "postgresql":
            cluster = stack.enter_context(ThrowawayCluster.started())
            db = Database(cluster.create_database("search"))
        else:
            db = Database(f"sqlite:///{folder}/correspond.db")
        cases = fill(db, args.referrals, rng)
        began = time.perf_counter()
        search.index_missing(db)
        indexing = time.perf_counter() - began
        queries = DeskQueries(db, Archive(Path(folder) / "archive"))
        kinds = {
            "child's name": lambda n, c: f"{c['child_first_name']} {c['child_last_name']}",
            "misspelt name": lambda n, c: f"{misspelt(c['child_first_name'], rng)} "
                                          f"{c['child_last_name']}",
            "MP's reference": lambda n, c: f"HG/2026/{n:04d}",
            "our reference": lambda n, c: f"MP-2026-{n:05d}",
            "postcode": lambda n, c: c["postcode"],
            "letter words": lambda n, c: f"{c['school'].split()[0]} Brookfield",
        }
        times: dict[str, list[float]] = {kind: [] for kind in kinds}
        found: dict[str, int] = dict.fromkeys(kinds, 0)
        for turn in range(args.searches):
            kind = list(kinds)[turn % len(kinds)]
            number = rng.randrange(1, args.referrals + 1)
            text = kinds[kind](number, cases[number - 1])
            began = time.perf_counter()
            result = search_referrals(queries, text, "caseworker")
            times[kind].append(time.perf_counter() - began)
            found[kind] += bool(result.results)
        db.close()
    every = sorted(t for kind_times in times.values() for t in kind_times)

    def p95(values: list[float]) -> float:
        ordered = sorted(values)
        return round(ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000, 1)

    report = {
        "database": args.database, "referrals": args.referrals, "index_seconds": round(indexing, 1),
        "all": {"n": len(every), "p50_ms": round(statistics.median(every) * 1000, 1),
                "p95_ms": p95(every)},
        **{kind: {"p50_ms": round(statistics.median(values) * 1000, 1),
                  "p95_ms": p95(values), "found": f"{found[kind]}/{len(values)}"}
           for kind, values in times.items()},
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), "utf-8")


if __name__ == "__main__":
    main()
