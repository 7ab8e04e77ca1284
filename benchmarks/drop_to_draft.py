"""Drop-to-draft latency, throughput and peak memory of the running service.

Starts `correspond watch` on a fresh home folder with N synthetic case records loaded,
then:
  1. latency: drops letters one at a time at a steady pace (as post arrives) and measures,
     for each, the time from the end of its copy into inbox/ to its drafted
     acknowledgement being recorded;
  2. throughput: drops a second batch all at once and measures how long the queue takes
     to drain.
Peak memory is the largest resident set of the service and its reader processes
together, sampled every 100 ms.

    python benchmarks/drop_to_draft.py                 # 200 letters, 10,000 cases
    python benchmarks/drop_to_draft.py --letters 50 --json results.json
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from io import BytesIO
from pathlib import Path

import docx
from serving import MemorySampler

FIRST_NAMES = ["Adam", "Zara", "Grace", "Leo", "Mia", "Oliver", "Amelia", "Harry", "Isla",
               "Noah", "Ava", "Yusuf", "Aisha", "Kacper", "Zofia", "Niamh", "Cian", "Priya",
               "Arjun", "Chloe", "Kwame", "Ama", "Tomasz", "Freya", "Rhys", "Eilidh", "Sami"]
LAST_NAMES = ["Khan", "Okafor", "Smith", "Jones", "Patel", "Nowak", "O'Neill", "Williams",
              "Taylor", "Begum", "Hussain", "Brown", "Mensah", "Kowalski", "Evans", "Walsh",
              "Ahmed", "Davies", "Murphy", "Clarke", "Smith-Jones", "Ali", "Wright", "Green"]
SCHOOLS = ["Meanwood Church of England Primary School", "Briarwood School",
           "Allerton High School", "St Mary's Catholic Primary School", "Hollybush Academy",
           "Riverside Special School", "Oakfield Primary School", "Parkside Community College"]

LETTER = """Our ref: {mp_ref}

Director of Children's Services
Example Council

{letter_date}

Dear Director,

Re: {parent}, {street}, Leeds {postcode}

I am writing on behalf of my constituent, {parent}, about her son, {child} (date of birth \
{dob}), who attends {school}.

{parent} asked the council for an Education, Health and Care needs assessment on 2 June \
2026. She has still not received a decision, although the law requires one within six weeks \
of the request. His school says it can no longer meet his needs without additional support, \
and his speech and language therapy has not been delivered since the spring.

She has emailed the SEND team several times and has had no reply. I would be grateful if you \
could look into this and let me know when a decision will be made.

Yours sincerely,

Hannah Greaves MP
Member of Parliament for Leeds Central and Headingley
"""


def make_cases(count: int, rng: random.Random) -> list[dict[str, str]]:
    cases = []
    for number in range(count):
        born = date(2008, 1, 1) + timedelta(days=rng.randrange(0, 365 * 14))
        cases.append({
            "case_id": f"EHC{number:07d}",
            "child_first_name": rng.choice(FIRST_NAMES),
            "child_last_name": rng.choice(LAST_NAMES),
            "date_of_birth": born.isoformat(),
            "school": rng.choice(SCHOOLS),
            "parent_names": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "postcode": f"LS{rng.randrange(1, 29)} {rng.randrange(1, 9)}{rng.choice('ABDEFG')}"
                        f"{rng.choice('HJLNPQ')}",
        })
    return cases


def write_cases_csv(cases: list[dict[str, str]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(cases[0]))
        writer.writeheader()
        writer.writerows(cases)


def letter_text(case: dict[str, str], number: int) -> str:
    born = date.fromisoformat(case["date_of_birth"])
    return LETTER.format(
        mp_ref=f"HG/2026/{number:04d}", letter_date="14 October 2026",
        parent=f"Mrs {case['parent_names']}", street=f"{number} Brookfield Road",
        postcode=case["postcode"], child=f"{case['child_first_name']} {case['child_last_name']}",
        dob=born.strftime("%d/%m/%Y"), school=case["school"],
    )


def letter_file(text: str, number: int, folder: Path) -> Path:
    """Letters as .docx, .txt and covering emails with the .docx attached, in turn."""
    kind = number % 3
    if kind == 1:
        path = folder / f"letter-{number:04d}.txt"
        path.write_text(text, encoding="utf-8")
        return path
    document = docx.Document()
    for paragraph in text.split("\n"):
        document.add_paragraph(paragraph)
    buffer = BytesIO()
    document.save(buffer)
    if kind == 0:
        path = folder / f"letter-{number:04d}.docx"
        path.write_bytes(buffer.getvalue())
        return path
    message = EmailMessage()
    message["From"] = "Office of Hannah Greaves MP <hannah.greaves.mp@parliament.uk>"
    message["To"] = "send@example.gov.uk"
    message["Subject"] = f"Constituent enquiry HG/2026/{number:04d}"
    message["Date"] = "Wed, 14 Oct 2026 09:00:00 +0100"
    message.set_content("Please find attached a letter from Hannah Greaves MP.\n\nKind regards,\n"
                        "Office of Hannah Greaves MP")
    message.add_attachment(buffer.getvalue(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                           filename=f"letter-{number:04d}.docx")
    path = folder / f"letter-{number:04d}.eml"
    path.write_bytes(bytes(message))
    return path


def drafted_at(database: Path) -> dict[str, datetime]:
    """SHA-256 of each processed original -> when its acknowledgement was drafted."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT r.sha256, d.created_at FROM drafts d JOIN referrals r ON r.id = d.referral_id"
        ).fetchall()
    return {sha: datetime.fromisoformat(created).replace(tzinfo=UTC) for sha, created in rows}


def wait_for(database: Path, shas: set[str], timeout: float) -> dict[str, datetime]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = drafted_at(database)
        if shas <= done.keys():
            return done
        time.sleep(0.2)
    missing = len(shas - drafted_at(database).keys())
    raise SystemExit(f"{missing} letters were not drafted within {timeout:g} s")


def drop(source: Path, inbox: Path) -> datetime:
    """Copy a letter into the inbox as a person or a mail rule would; when it completed."""
    shutil.copyfile(source, inbox / source.name)
    return datetime.now(UTC)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--interval", type=float, default=0.5,
                        help="seconds between drops in the latency phase")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    rng = random.Random(20261122)

    with tempfile.TemporaryDirectory(prefix="correspond-bench-") as temp:
        home = Path(temp) / "home"
        staging = Path(temp) / "staging"
        home.mkdir()
        staging.mkdir()
        cases = make_cases(args.cases, rng)
        write_cases_csv(cases, Path(temp) / "cases.csv")
        command = [sys.executable, "-m", "correspond", "--home", str(home)]
        started = time.monotonic()
        subprocess.run([*command, "cases", "import", str(Path(temp) / "cases.csv")],
                       check=True, capture_output=True)
        import_seconds = time.monotonic() - started

        chosen = rng.sample(cases, 2 * args.letters)
        letters = [letter_file(letter_text(case, number), number, staging)
                   for number, case in enumerate(chosen)]
        paced, burst = letters[:args.letters], letters[args.letters:]

        service = subprocess.Popen([*command, "watch"], stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True,
                                   env={**os.environ, "CORRESPOND_LOG_LEVEL": "WARNING"})
        try:
            started = time.monotonic()
            for line in service.stdout:  # the banner comes once the readers are warm
                if line.startswith("Watching"):
                    break
            start_seconds = time.monotonic() - started
            sampler = MemorySampler(service.pid)
            sampler.start()
            database = home / "data" / "correspond.db"

            dropped = {}
            for letter in paced:
                dropped[sha256(letter)] = drop(letter, home / "inbox")
                time.sleep(args.interval)
            done = wait_for(database, set(dropped), timeout=120)
            latencies = [(done[sha] - moment).total_seconds() for sha, moment in dropped.items()]

            burst_shas = {sha256(letter) for letter in burst}
            burst_start = datetime.now(UTC)
            for letter in burst:
                drop(letter, home / "inbox")
            done = wait_for(database, burst_shas, timeout=600)
            drain_seconds = (max(done[sha] for sha in burst_shas) - burst_start).total_seconds()
            sampler.stop()
        finally:
            service.terminate()
            service.wait(timeout=30)

    figures = {
        "letters": args.letters,
        "cases": args.cases,
        "cases_import_seconds": round(import_seconds, 2),
        "service_start_seconds": round(start_seconds, 2),
        "paced_interval_seconds": args.interval,
        "latency_p50_seconds": round(statistics.median(latencies), 3),
        "latency_p95_seconds": round(percentile(latencies, 0.95), 3),
        "latency_max_seconds": round(max(latencies), 3),
        "burst_letters": len(burst),
        "burst_drain_seconds": round(drain_seconds, 2),
        "burst_letters_per_second": round(len(burst) / drain_seconds, 2),
        "peak_memory_mb_total": round(sampler.peak_total / 2**20),
        "peak_memory_mb_service": round(sampler.peak_parent / 2**20),
        "cpus": os.cpu_count(),
    }
    for name, value in figures.items():
        print(f"{name:<30}{value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
