"""Measuring the matcher on a labelled case set (cases.csv and letters.jsonl, as
synthetic.py writes them): correct, wrong and missed links, and how many go to review."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from correspond.config import Settings
from correspond.errors import LabelledSetError
from correspond.imports.cases import read_case_rows
from correspond.imports.rows import RowProblem, records_setting_aside
from correspond.match import CaseMatcher, MatchPolicy
from correspond.records import Child, Constituent, Correspondent, Extraction, School
from correspond.store.cases import save_cases
from correspond.store.database import Database

_OUTCOMES = ("correct", "wrong", "review", "missed", "new_correctly")


def evaluate_matching(directory: Path, settings: Settings) -> dict[str, Any]:
    """Import `directory`/cases.csv into a temporary database, match every letter in
    `directory`/letters.jsonl, and count the outcomes against the true case ids."""
    letters_path = directory / "letters.jsonl"
    if not letters_path.is_file():
        raise LabelledSetError(f"{directory} has cases.csv but no letters.jsonl beside it.")
    with tempfile.TemporaryDirectory(prefix="correspond-evaluate-") as scratch:
        db = Database(f"sqlite:///{Path(scratch) / 'evaluate.db'}")
        try:
            imported, rejected = _import(db, directory / "cases.csv")
            report = _match_letters(CaseMatcher(db, MatchPolicy.from_settings(settings)),
                                    letters_path)
        finally:
            db.close()
    report.update(cases=imported, rejected_rows=rejected, policy={
        "match_threshold": settings.match_threshold,
        "match_margin_bits": settings.match_margin_bits,
        "review_threshold": settings.review_threshold,
    })
    return report


def _import(db: Database, path: Path) -> tuple[int, int]:
    problems: list[RowProblem] = []
    with path.open(encoding="utf-8-sig", newline="") as stream:
        report = save_cases(db, records_setting_aside(read_case_rows(stream), problems))
    return report.added + report.updated + report.unchanged, len(problems)


def _match_letters(matcher: CaseMatcher, letters_path: Path) -> dict[str, Any]:
    totals: Counter[str] = Counter()
    by_tag: dict[str, Counter[str]] = defaultdict(Counter)
    timings: list[float] = []
    wrong: list[dict[str, Any]] = []
    letters = 0
    with letters_path.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            letter = _parse(line, number, letters_path)
            extraction = _extraction(letter)
            started = time.perf_counter()
            decisions = matcher.match(extraction)
            timings.append((time.perf_counter() - started) * 1000)
            letters += 1
            for index, (child, decision) in enumerate(zip(letter["children"], decisions)):
                gold = child.get("case_id")
                outcome = _outcome(gold, decision.status, decision.case_id)
                totals[outcome] += 1
                totals["with_record" if gold else "without_record"] += 1
                if outcome == "review" and gold in {c.case_id for c in decision.candidates}:
                    totals["review_offering_the_right_case"] += 1
                for tag in child.get("tags") or ["plain"]:
                    by_tag[tag][outcome] += 1
                if outcome == "wrong" and len(wrong) < 50:
                    wrong.append({"letter": letter.get("letter"), "child": index,
                                  "true_case": gold, "linked_to": decision.case_id,
                                  "tags": child.get("tags") or []})
    children = totals["with_record"] + totals["without_record"]
    return {
        "letters": letters,
        "children": children,
        "children_with_record": totals["with_record"],
        "children_without_record": totals["without_record"],
        **{outcome: totals[outcome] for outcome in _OUTCOMES},
        "review_offering_the_right_case": totals["review_offering_the_right_case"],
        "linked_rate": _rate(totals["correct"], totals["with_record"]),
        "wrong_rate": _rate(totals["wrong"], children),
        "review_rate": _rate(totals["review"], children),
        "ms_per_letter": _percentiles(timings),
        "by_tag": {tag: {outcome: counts[outcome] for outcome in _OUTCOMES}
                   for tag, counts in sorted(by_tag.items())},
        "wrong_links": wrong,
    }


def _outcome(gold: str | None, status: str, linked: str | None) -> str:
    if status == "matched":
        return "correct" if linked == gold else "wrong"
    if status == "review":
        return "review"
    return "missed" if gold else "new_correctly"


def _parse(line: str, number: int, path: Path) -> dict[str, Any]:
    try:
        letter = json.loads(line)
    except json.JSONDecodeError as err:
        raise LabelledSetError(f"{path.name} line {number} is not JSON: {err}") from err
    if not isinstance(letter, dict) or not isinstance(letter.get("children"), list):
        raise LabelledSetError(f"{path.name} line {number} has no list of children.")
    return letter


def _extraction(letter: dict[str, Any]) -> Extraction:
    constituent = letter.get("constituent") or {}
    children = tuple(
        Child(first_name=child.get("first_name"), last_name=child.get("last_name"),
              date_of_birth=_date(child.get("date_of_birth")), age=child.get("age"),
              school=School(child["school"]) if child.get("school") else None)
        for child in letter["children"]
    )
    return Extraction(
        is_send=True, correspondent=Correspondent(),
        constituent=Constituent(name=constituent.get("name"),
                                address=constituent.get("address"),
                                postcode=constituent.get("postcode")),
        children=children, letter_date=_date(letter.get("letter_date")),
        council_reference=letter.get("council_reference"),
    )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None}
    ordered = sorted(values)
    return {"p50": round(statistics.median(ordered), 2),
            "p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2)}


def format_matching_report(report: dict[str, Any]) -> str:
    def share(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.1%}"

    lines = [
        f"Case records          {report['cases']}  ({report['rejected_rows']} rows rejected)",
        f"Letters               {report['letters']}, children {report['children']} "
        f"({report['children_with_record']} with a record, "
        f"{report['children_without_record']} without)",
        f"Correct links         {report['correct']}  "
        f"({share(report['linked_rate'])} of children with a record)",
        f"Wrong links           {report['wrong']}  ({share(report['wrong_rate'])})",
        f"Sent to review        {report['review']}  ({share(report['review_rate'])} of "
        f"children; the right case offered in {report['review_offering_the_right_case']})",
        f"Missed (called new)   {report['missed']}",
        f"New, correctly        {report['new_correctly']}",
        f"Time per letter       p50 {report['ms_per_letter']['p50']} ms, "
        f"p95 {report['ms_per_letter']['p95']} ms",
        "",
        f"{'By what makes it hard':<28}{'correct':>8}{'wrong':>7}{'review':>8}"
        f"{'missed':>8}{'new ok':>8}",
    ]
    for tag, counts in report["by_tag"].items():
        lines.append(f"{tag:<28}" + "".join(
            f"{counts[outcome]:>{width}}"
            for outcome, width in zip(_OUTCOMES, (8, 7, 8, 8, 8))))
    for item in report["wrong_links"][:10]:
        lines.append(f"wrong: letter {item['letter']} child {item['child'] + 1}: "
                     f"{item['linked_to']} instead of {item['true_case']} "
                     f"({', '.join(item['tags']) or 'plain'})")
    return "\n".join(lines)
