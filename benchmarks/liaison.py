"""How long the liaison team waits for their figures, with 50,000 referrals.

Makes up 25 months of referrals to today (tools/liaison_history.py, written through the
store's own functions) in a fresh home folder with a two-version protocol, starts
`correspond serve` on it, and times over HTTP, as a browser would ask:
  - the reports page for this month (the default), last month, last quarter and the last
    12 months, and the trend page,
  - the list behind a figure,
  - each download: the referrals (CSV, Excel), the figures (CSV, Excel), the trend (CSV,
    Excel), an MP meeting pack (Word, Excel) and the protocol audit (Word, CSV).
The budget is a p95 under 500 ms for the reports page.

    python benchmarks/liaison.py                        # 50,000 referrals
    python benchmarks/liaison.py --referrals 5000 --samples 10 --json results.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).parent))
from desk import PASSWORD, Client, correspond, summary, timed, token_in  # noqa: E402
from serving import serving  # noqa: E402

from correspond.config import load_settings  # noqa: E402
from correspond.domain.clock import local_date, utc_now  # noqa: E402
from correspond.store.database import Database  # noqa: E402
from tools.liaison_history import FALLING, make_history  # noqa: E402

PROTOCOL = """[protocol]
[[protocol.versions]]
effective = 2024-01-01
name = "Joint protocol 2024"
acknowledgement = { mp = 3, councillor = 3, other = 5, urgent = 2 }
reply = { mp = 20, councillor = 20, other = 20, urgent = 10 }

[[protocol.versions]]
effective = 2025-09-01
name = "Joint protocol 2025"
acknowledgement = { mp = 2, councillor = 2, other = 5, urgent = 1 }
reply = { mp = 15, councillor = 15, other = 20, urgent = 5 }
"""
REFERRALS_AT_SCALE_ONE = 2_400  # about what 25 months of the made-up history hold


class Downloads(Client):
    def get_bytes(self, path: str) -> bytes:
        with self.opener.open(self.base + path) as response:
            return response.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--referrals", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=30, help="requests timed per page")
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="correspond-liaison-bench-"))
    try:
        results = run(home, options)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(json.dumps(results, indent=2))
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))


def run(home: Path, options) -> dict:
    (home / "correspond.toml").write_text(PROTOCOL)
    settings = load_settings(home)
    settings.make_folders()
    db = Database(settings.database_url)
    started = time.perf_counter()
    history = make_history(db, settings.joint_protocol, today=local_date(utc_now()),
                           months=24, seed=50,
                           scale=options.referrals / REFERRALS_AT_SCALE_ONE)
    made_in = time.perf_counter() - started
    db.close()
    correspond("users", "add", "bench", "--role", "liaison", home=home,
               input=PASSWORD + "\n")
    with serving(home) as service:
        client = Downloads(service.base)
        client.post("/sign-in", {"name": "bench", "password": PASSWORD},
                    token_in(client.get("/sign-in")))
        results = measure(client, history.member_ids[FALLING], options.samples)
    return results | {
        "referrals": len(history.plans), "made_in_s": round(made_in, 1),
        "peak_rss_mb": round(service.memory.peak_total / 1024 / 1024)}


def measure(client: Downloads, member: int, samples: int) -> dict:
    pages = {
        "reports_page_this_month": "/reports/",
        "reports_page_last_month": "/reports/?period=last_month",
        "reports_page_last_quarter": "/reports/?period=last_quarter",
        "reports_page_last_12_months": "/reports/?period=last_12_months",
        "trend_page": "/reports/trend",
        "list_behind_a_figure": "/reports/referrals?period=last_quarter&ack=late",
    }
    downloads = {
        "referrals_csv_last_quarter": "/reports/referrals.csv?period=last_quarter",
        "referrals_xlsx_last_quarter": "/reports/referrals.xlsx?period=last_quarter",
        "referrals_csv_last_12_months": "/reports/referrals.csv?period=last_12_months",
        "referrals_xlsx_last_12_months": "/reports/referrals.xlsx?period=last_12_months",
        "summary_csv": "/reports/summary.csv?period=last_quarter",
        "summary_xlsx": "/reports/summary.xlsx?period=last_quarter",
        "trend_csv": "/reports/trend.csv",
        "trend_xlsx": "/reports/trend.xlsx",
        "pack_docx": f"/reports/pack/{member}.docx?period=last_quarter",
        "pack_xlsx": f"/reports/pack/{member}.xlsx?period=last_quarter",
        "audit_docx": "/reports/audit.docx?period=last_quarter",
        "audit_csv": "/reports/audit.csv?period=last_quarter",
    }
    results = {}
    for name, path in {**pages, **downloads}.items():
        client.get_bytes(path)  # once to warm, as a person who has just opened the page
        count = samples if name in pages else max(5, samples // 3)
        results[name] = summary([timed(lambda path=path: client.get_bytes(path))
                                 for _ in range(count)])
    results["page_budget_p95_ms"] = 500
    return results


if __name__ == "__main__":
    main()
