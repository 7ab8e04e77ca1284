"""Throughput and drop-to-draft latency with one and two `correspond worker` processes on
PostgreSQL, against one worker on SQLite.

For each set-up, on a fresh home folder and database (PostgreSQL: a throwaway server,
tools/postgres_cluster.py) with N synthetic case records imported:
  1. latency: P letters dropped one at a time at a steady pace, each timed from the end
     of its copy into inbox/ to its drafted acknowledgement being recorded;
  2. throughput: L letters dropped at once, timed until the last is drafted.
Each worker runs one reader process (workers = 1), so two workers read two letters at
once, as two machines would.

    python benchmarks/several_workers.py                        # 1,000 letters, 100,000 cases
    python benchmarks/several_workers.py --letters 300 --json results.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from drop_to_draft import letter_file, letter_text, make_cases, percentile, sha256, write_cases_csv

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tools.postgres_cluster import ThrowawayCluster  # noqa: E402

SETUPS = (("sqlite", 1), ("postgresql", 1), ("postgresql", 2))


def drafted_at(engine: sa.Engine) -> dict[str, datetime]:
    """SHA-256 of each processed original -> when its acknowledgement was drafted."""
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT r.sha256, d.created_at FROM drafts d JOIN referrals r "
            "ON r.id = d.referral_id")).all()
    found = {}
    for sha, created in rows:
        moment = datetime.fromisoformat(created) if isinstance(created, str) else created
        found[sha] = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return found


def wait_for(engine: sa.Engine, shas: set[str], timeout: float) -> dict[str, datetime]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = drafted_at(engine)
        if shas <= done.keys():
            return done
        time.sleep(0.25)
    raise SystemExit(f"{len(shas - drafted_at(engine).keys())} letters were not drafted "
                     f"within {timeout:g} s")


def drop(source: Path, inbox: Path) -> datetime:
    partial = inbox / f"{source.name}.part"
    shutil.copyfile(source, partial)
    partial.rename(inbox / source.name)
    return datetime.now(UTC)


def run_setup(database: str, workers: int, url: str | None, cases_csv: Path,
              paced: list[Path], burst: list[Path], interval: float, folder: Path) -> dict:
    home = folder / f"home-{database}-{workers}"
    home.mkdir()
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("CORRESPOND_")}
    environment.update(CORRESPOND_WORKERS="1", CORRESPOND_LOG_LEVEL="WARNING",
                       CORRESPOND_SETTLE_SECONDS="0.5")
    if url:
        environment["CORRESPOND_DATABASE_URL"] = url
    command = [sys.executable, "-m", "correspond", "--home", str(home)]
    started = time.monotonic()
    subprocess.run([*command, "cases", "import", str(cases_csv)], check=True,
                   capture_output=True, env=environment, cwd=REPO)
    import_seconds = time.monotonic() - started
    engine = sa.create_engine(url or f"sqlite:///{home / 'data' / 'correspond.db'}",
                              poolclass=sa.pool.NullPool)
    logs = [(folder / f"{database}-{workers}-worker-{number}.log").open("w")
            for number in range(workers)]
    processes = [subprocess.Popen([*command, "worker"], stdout=log, stderr=subprocess.STDOUT,
                                  env=environment, cwd=REPO) for log in logs]
    try:
        for log in logs:  # the banner ends once the worker's reader is warm
            while "Press Ctrl+C" not in Path(log.name).read_text():
                if any(process.poll() is not None for process in processes):
                    raise SystemExit(f"a worker stopped: {Path(log.name).read_text()}")
                time.sleep(0.2)
        dropped = {}
        for letter in paced:
            dropped[sha256(letter)] = drop(letter, home / "inbox")
            time.sleep(interval)
        done = wait_for(engine, set(dropped), timeout=600)
        latencies = [(done[sha] - moment).total_seconds() for sha, moment in dropped.items()]

        burst_shas = {sha256(letter) for letter in burst}
        burst_start = datetime.now(UTC)
        for letter in burst:
            drop(letter, home / "inbox")
        done = wait_for(engine, burst_shas, timeout=7200)
        drain = (max(done[sha] for sha in burst_shas) - burst_start).total_seconds()
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
        for log in logs:
            log.close()
        engine.dispose()
    return {
        "database": database, "workers": workers,
        "cases_import_seconds": round(import_seconds, 1),
        "paced_letters": len(paced),
        "latency_p50_seconds": round(statistics.median(latencies), 2),
        "latency_p95_seconds": round(percentile(latencies, 0.95), 2),
        "burst_letters": len(burst),
        "burst_drain_seconds": round(drain, 1),
        "letters_per_second": round(len(burst) / drain, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=1000, help="letters dropped at once")
    parser.add_argument("--paced", type=int, default=60, help="letters dropped one by one")
    parser.add_argument("--interval", type=float, default=2.0,
                        help="seconds between drops in the latency phase")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    rng = random.Random(20261122)
    results = []
    with tempfile.TemporaryDirectory(prefix="correspond-bench-") as temp, \
            ThrowawayCluster.started() as cluster:
        folder = Path(temp)
        cases = make_cases(args.cases, rng)
        write_cases_csv(cases, folder / "cases.csv")
        staging = folder / "staging"
        staging.mkdir()
        chosen = rng.sample(cases, args.paced + args.letters)
        letters = [letter_file(letter_text(case, number), number, staging)
                   for number, case in enumerate(chosen)]
        for number, (database, workers) in enumerate(SETUPS):
            url = cluster.create_database(f"bench{number}") if database == "postgresql" \
                else None
            figures = run_setup(database, workers, url, folder / "cases.csv",
                                letters[:args.paced], letters[args.paced:], args.interval,
                                folder)
            results.append(figures)
            print(json.dumps(figures), flush=True)
    summary = {"cases": args.cases, "cpus": os.cpu_count(), "setups": results}
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
