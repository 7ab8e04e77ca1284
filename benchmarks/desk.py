"""How long the web desk makes a caseworker wait, on a realistic queue.

Starts `correspond serve` on a fresh home folder with N synthetic case records, drops L
letters into its inbox and waits for them to be drafted, then times over HTTP, as a
browser would ask:
  - the queue (all open referrals),
  - a referral page (letter, fields, candidates, letter preview, history),
  - saving a correction (which redrafts the letter),
  - approving a letter (copy to outbox/ and, where LibreOffice is installed, PDF),
  - drafting the full response, saving its sections (which drafts it again) and
    approving it (the check for other children's details, and the PDF),
  - the reports page.
Peak memory is the largest resident set of the service and its reader processes.

    python benchmarks/desk.py                      # 300 letters, 10,000 cases
    python benchmarks/desk.py --letters 100 --json results.json
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

sys.path.insert(0, str(Path(__file__).parent))
from drop_to_draft import letter_file, letter_text, make_cases, write_cases_csv  # noqa: E402
from serving import serving  # noqa: E402

PASSWORD = "benchmark password"


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path) as response:
            return response.read().decode()

    def post(self, path: str, data: dict[str, str], token: str) -> str:
        body = urlencode({**data, "csrf_token": token}).encode()
        with self.opener.open(Request(self.base + path, data=body, method="POST")) as reply:
            return reply.read().decode()


def token_in(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}


def correspond(*args: str, home: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "correspond", "--home", str(home), *args],
                          check=True, capture_output=True, text=True, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=300)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=30, help="requests timed per page")
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    rng = random.Random(20261130)
    home = Path(tempfile.mkdtemp(prefix="correspond-desk-bench-"))
    try:
        results = run(home, options, rng)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(json.dumps(results, indent=2))
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))


def run(home: Path, options, rng: random.Random) -> dict:
    cases = make_cases(options.cases, rng)
    write_cases_csv(cases, home / "cases.csv")
    correspond("cases", "import", str(home / "cases.csv"), home=home)
    correspond("users", "add", "bench", "--role", "caseworker", home=home,
               input=PASSWORD + "\n")
    with serving(home) as service:
        drop_letters(home, cases, options.letters, rng)
        client = Client(service.base)
        client.post("/sign-in", {"name": "bench", "password": PASSWORD},
                    token_in(client.get("/sign-in")))
        ids = referral_ids(home)
        results = measure(client, ids, options.samples, rng)
    return results | {
        "letters": options.letters, "cases": options.cases,
        "pdf": shutil.which("soffice") is not None,
        "peak_rss_mb": round(service.memory.peak_total / 1024 / 1024)}


def measure(client: Client, ids: list[int], samples: int, rng: random.Random) -> dict:
    chosen = rng.sample(ids, min(len(ids), samples * 2))
    viewing, correcting = chosen[:samples], chosen[samples:]
    results = {"queue": summary([timed(lambda: client.get("/queue")) for _ in range(samples)])}
    results["referral_page"] = summary([timed(lambda i=i: client.get(f"/referrals/{i}"))
                                        for i in viewing])
    times = []
    for referral_id in correcting:
        token = token_in(client.get(f"/referrals/{referral_id}"))
        times.append(timed(lambda referral_id=referral_id, token=token: client.post(
            f"/referrals/{referral_id}/fields", {"constituent.name": "Mrs A Corrected"},
            token)))
    results["correct_and_redraft"] = summary(times)
    times = []
    for referral_id in viewing[:max(5, samples // 3)]:
        html = client.get(f"/referrals/{referral_id}")
        draft = re.search(rf"/referrals/{referral_id}/letters/(\d+)/approve", html).group(1)
        times.append(timed(lambda referral_id=referral_id, draft=draft, html=html: client.post(
            f"/referrals/{referral_id}/letters/{draft}/approve", {}, token_in(html))))
    results["approve"] = summary(times)
    # The full response for the acknowledged ones: drafted, its sections saved (which
    # drafts it again), then approved (the check for other children, and the PDF).
    drafting, saving, approving = [], [], []
    for referral_id in viewing[:max(5, samples // 3)]:
        page = f"/referrals/{referral_id}"
        drafting.append(timed(lambda page=page: client.post(
            f"{page}/response", {}, token_in(client.get(page)))))
        token = token_in(client.get(page))
        saving.append(timed(lambda page=page, token=token: client.post(
            f"{page}/response/sections", {"what_found": "We have spoken to the school.",
                                          "what_next": "We will write again."}, token)))
        html = client.get(page)
        letters = re.findall(rf"/referrals/{referral_id}/letters/(\d+)/approve", html)
        approving.append(timed(lambda page=page, draft=letters[-1], html=html: client.post(
            f"{page}/letters/{draft}/approve", {}, token_in(html))))
    results["draft_response"] = summary(drafting)
    results["save_response_sections"] = summary(saving)
    results["approve_response"] = summary(approving)
    results["reports_page"] = summary([timed(lambda: client.get("/reports/"))
                                       for _ in range(samples)])
    return results


def drop_letters(home: Path, cases: list[dict[str, str]], count: int,
                 rng: random.Random) -> None:
    staging = home / "staging"
    staging.mkdir()
    for number, case in enumerate(rng.sample(cases, count)):
        source = letter_file(letter_text(case, number), number, staging)
        shutil.move(source, home / "inbox" / source.name)
    deadline = time.monotonic() + 600
    while len(referral_ids(home)) < count:
        if time.monotonic() > deadline:
            raise SystemExit("letters were not all drafted within 10 minutes")
        time.sleep(0.5)


def referral_ids(home: Path) -> list[int]:
    database = home / "data" / "correspond.db"
    if not database.exists():
        return []
    with sqlite3.connect(database) as connection:
        try:
            return [row[0] for row in connection.execute(
                "SELECT referral_id FROM drafts WHERE kind = 'acknowledgement'")]
        except sqlite3.OperationalError:
            return []


if __name__ == "__main__":
    main()
