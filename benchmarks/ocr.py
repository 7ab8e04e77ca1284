"""OCR speed: one A4 page at 300 dpi on one core, and drop-to-draft for one-page scans
beside typed letters, through the real watcher.

  1. OCR: a development letter typeset, rasterised at 300 dpi and degraded as an office
     scanner's greyscale page (tools/scans), read by `read_page_image` (straighten, read,
     lay out; one Tesseract thread) N times in this process: p50 and p95, the pages a
     second that makes on one core, and the peak memory of this process and of it with its
     Tesseract child (sampled every 0.1 s).
  2. Drop-to-draft: `correspond watch` on a fresh home (10,000 case records, 2 readers);
     one-page scans (image-only PDFs) and typed letters (.docx) dropped in turn at a
     steady pace; for each, the time from its copy into inbox/ to its acknowledgement
     being drafted: p50 and p95 for each kind. The target: scans at most 5 s p95, typed
     letters about 1 s as before. Then a burst of one-page scans dropped at once: the
     pages a second the service drains them at with its readers. Peak memory of the
     service with its readers and their Tesseract children throughout.
  3. For comparison, when OCRmyPDF is installed: the same page through `ocrmypdf.ocr`
     with --rotate-pages --deskew (what it would cost to use it instead).

    python benchmarks/ocr.py [--pages 20] [--letters 20] [--burst 10] [--ocr-only]
                             [--json results.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from drop_to_draft import (  # noqa: E402  (scripts beside this one)
    MemorySampler,
    letter_text,
    make_cases,
    percentile,
    wait_for,
    write_cases_csv,
)

from correspond.ingest.ocr import OcrBudget, OcrLimits, read_page_image  # noqa: E402
from tools.scans.make import grey_scan, image_pdf, rasterise, typeset  # noqa: E402

DEVSET = Path(__file__).resolve().parents[1] / "tests" / "devset"


def ocr_one_page(pages: int) -> dict[str, float]:
    rng = random.Random(7)
    letter = (DEVSET / "03_johnson_chaser_annual_review.txt").read_text("utf-8")
    page = grey_scan(rasterise(typeset(letter), 300)[0], rng)
    timings, cpu = [], []
    # Sampled while reading: this process, and it with its Tesseract child.
    sampler = MemorySampler(os.getpid())
    sampler.start()
    for _ in range(pages):
        started, used = time.perf_counter(), _cpu_seconds()
        read = read_page_image(page, OcrBudget(OcrLimits(timeout_seconds=120)), dpi=300)
        timings.append(time.perf_counter() - started)
        cpu.append(_cpu_seconds() - used)
    sampler.stopped.set()
    sampler.join()
    assert "Cian" in read.text, "the page was not read"
    figures = {"ocr_page_p50_seconds": round(statistics.median(timings), 2),
               "ocr_page_p95_seconds": round(percentile(timings, 0.95), 2),
               # CPU time of this process and Tesseract: the wall time on a free core, on
               # a machine others share.
               "ocr_page_cpu_p50_seconds": round(statistics.median(cpu), 2),
               "ocr_page_cpu_p95_seconds": round(percentile(cpu, 0.95), 2),
               "ocr_pages_per_second_one_core": round(1 / statistics.median(timings), 2),
               "ocr_pages_per_cpu_second": round(1 / statistics.median(cpu), 2),
               "ocr_page_confidence": round(read.confidence, 3),
               "ocr_process_peak_memory_mb": round(sampler.peak_parent / 2**20),
               "ocr_with_tesseract_peak_memory_mb": round(sampler.peak_total / 2**20)}
    figures.update(_ocrmypdf(page))
    return figures


def _cpu_seconds() -> float:
    own, children = (resource.getrusage(who)
                     for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _ocrmypdf(page) -> dict[str, float]:
    try:
        import ocrmypdf
    except ImportError:
        return {}
    with tempfile.TemporaryDirectory() as temp:
        source = Path(temp) / "page.pdf"
        source.write_bytes(image_pdf([page], 300))
        timings, cpu = [], []
        for _ in range(3):
            started, used = time.perf_counter(), _cpu_seconds()
            ocrmypdf.ocr(source, Path(temp) / "out.pdf", rotate_pages=True, deskew=True,
                         jobs=1, use_threads=True, progress_bar=False, output_type="pdf",
                         optimize=0, sidecar=Path(temp) / "out.txt")
            timings.append(time.perf_counter() - started)
            cpu.append(_cpu_seconds() - used)
    return {"ocrmypdf_page_p50_seconds": round(statistics.median(timings), 2),
            "ocrmypdf_page_cpu_p50_seconds": round(statistics.median(cpu), 2)}


def _scan(text: str, path: Path, rng: random.Random) -> Path:
    [page] = rasterise(typeset(text), 300)
    path.write_bytes(image_pdf([grey_scan(page, rng)], 300))
    return path


def drop_to_draft(letters: int, interval: float, burst: int) -> dict[str, float]:
    rng = random.Random(20261201)
    with tempfile.TemporaryDirectory(prefix="correspond-bench-") as temp:
        home, staging = Path(temp) / "home", Path(temp) / "staging"
        home.mkdir()
        staging.mkdir()
        cases = make_cases(10_000, rng)
        write_cases_csv(cases, Path(temp) / "cases.csv")
        command = [sys.executable, "-m", "correspond", "--home", str(home)]
        subprocess.run([*command, "cases", "import", str(Path(temp) / "cases.csv")],
                       check=True, capture_output=True)
        drops = []
        chosen = rng.sample(cases, 2 * letters + burst)
        for number, case in enumerate(chosen[:2 * letters]):
            text = letter_text(case, number)
            if number % 2:
                drops.append(("scan", _scan(text, staging / f"scan-{number:04d}.pdf", rng)))
            else:
                import docx

                document = docx.Document()
                for paragraph in text.split("\n"):
                    document.add_paragraph(paragraph)
                path = staging / f"letter-{number:04d}.docx"
                document.save(str(path))
                drops.append(("typed", path))
        bursting = [_scan(letter_text(case, number), staging / f"burst-{number:04d}.pdf", rng)
                    for number, case in enumerate(chosen[2 * letters:], start=2 * letters)]
        service = subprocess.Popen([*command, "watch"], stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True,
                                   env={**os.environ, "CORRESPOND_LOG_LEVEL": "WARNING"})
        try:
            for line in service.stdout:  # the banner comes once the readers are warm
                if line.startswith("Watching"):
                    break
            sampler = MemorySampler(service.pid)
            sampler.start()
            database = home / "data" / "correspond.db"
            dropped: dict[str, tuple[str, float]] = {}
            for kind, path in drops:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                (home / "inbox" / path.name).write_bytes(path.read_bytes())
                dropped[digest] = (kind, time.time())
                time.sleep(interval)
            done = wait_for(database, set(dropped), timeout=600)
            burst_started = time.time()
            burst_shas = set()
            for path in bursting:
                burst_shas.add(hashlib.sha256(path.read_bytes()).hexdigest())
                (home / "inbox" / path.name).write_bytes(path.read_bytes())
            drained = wait_for(database, burst_shas, timeout=600) if bursting else {}
            sampler.stopped.set()
            sampler.join()
        finally:
            service.terminate()
            service.wait(timeout=30)
    latencies: dict[str, list[float]] = {"scan": [], "typed": []}
    for digest, (kind, moment) in dropped.items():
        latencies[kind].append(done[digest].timestamp() - moment)
    figures = {}
    for kind, values in latencies.items():
        figures[f"drop_to_draft_{kind}_p50_seconds"] = round(statistics.median(values), 2)
        figures[f"drop_to_draft_{kind}_p95_seconds"] = round(percentile(values, 0.95), 2)
    if bursting:
        seconds = max(drained[sha].timestamp() for sha in burst_shas) - burst_started
        figures["burst_scans"] = len(bursting)
        figures["burst_drain_seconds"] = round(seconds, 1)
        figures["burst_scan_pages_per_second"] = round(len(bursting) / seconds, 2)
    figures["peak_memory_mb_service_and_readers"] = round(sampler.peak_total / 2**20)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20, help="OCR runs of the page")
    parser.add_argument("--letters", type=int, default=20, help="scans (and as many typed)")
    parser.add_argument("--interval", type=float, default=3.0,
                        help="seconds between drops (a scan's OCR must not queue)")
    parser.add_argument("--burst", type=int, default=10,
                        help="one-page scans dropped at once after the paced ones")
    parser.add_argument("--ocr-only", action="store_true", help="skip drop-to-draft")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    figures: dict[str, float | int | str] = {"cpus": os.cpu_count() or 0,
                                             "load_average_at_start": os.getloadavg()[0]}
    figures.update(ocr_one_page(args.pages))
    if not args.ocr_only:
        figures.update(drop_to_draft(args.letters, args.interval, args.burst))
    figures["load_average_at_end"] = os.getloadavg()[0]
    for name, value in figures.items():
        print(f"{name:<34}{value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
