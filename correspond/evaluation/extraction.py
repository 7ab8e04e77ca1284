"""Extraction quality on a labelled dev set: how often the extractor gets each field right.

A dev set is a folder of letters (`NN_slug.txt`, `.eml`, `.docx`, `.msg`, `.pdf`, or a
scan or photo as `.jpg`, `.png`, `.tif`), each beside `NN_slug.gold.json` holding the
answers a careful reader would give. Each letter
is read exactly as the service reads it (`readers.read_and_extract`: read_document, then
choose_letter, then the extractor of `settings.model_dir`, loaded once), turned into the
referral JSON by `referral_to_json`, and compared field by field with its gold file.

Scoring rules; they decide how honest the figures are:

- Every letter with a gold file counts, including those where gold is null for a field:
  gold null predicted null is correct (the extractor must not invent), gold null
  predicted as anything is wrong, a gold value predicted null is wrong. A letter that
  cannot be read is wrong for every field its gold file has.
- Children: predicted children are aligned to gold children first by first name (case
  and accents folded), then the rest in order. A gold child with no predicted partner
  is wrong for each of its fields (listed once, as `children[i] (not found)`), even where
  gold is null (an unnamed child). A predicted child with no gold partner (invented) is
  not in the per-field totals, but makes "children count" wrong and is listed as a miss.
- "MP name" is `correspondent.name` whoever wrote (councillors too), and is compared
  as written: the schema asks for no honorifics or post-nominals ("Angela Eagle", not
  "Angela Eagle DBE").
- Names (children, MP, caseworker) and constituencies: equal after Unicode NFC,
  casefolding, collapsing whitespace and unifying apostrophe (’ ‘ ʼ) and hyphen (‐ – —)
  variants. A prediction that differs from gold only in accents ("Zoe" for "Zoë") counts
  as correct, because matching folds accents anyway, but it is listed under
  `accent_only` so the loss is visible.
- Constituent name: as names, with the title (Mr, Mrs, Dr, ...) counted, since the schema
  asks for the name as written; a predicted title is ignored only when gold has none.
- Schools (current and requested): casefolded, punctuation and accents dropped, "Saint"
  read as "St", "Church of England" / "C of E" / "C.E." as "CE"; correct when equal, when
  one is contained in the other on word boundaries, or when rapidfuzz token_set_ratio is
  at least 90; but never when the shorter name is only generic words ("Primary School"),
  nor when both give a phase or a faith and these differ ("St Mary's CE Primary" is not
  "St Mary's Catholic Primary", "Oakfield Infant" is not "Oakfield Junior").
- Postcodes: normalised to upper case with one space. References (the MP office's and
  the council's): exact, case included, once surrounding whitespace and punctuation are
  stripped. Dates of birth, the letter's date (where the set labels it), correspondent
  type, children count, is_send, is_chaser: exact (a null is_chaser is wrong whatever
  gold says).
- Concerns: the set of categories of each letter; micro precision, recall and F1 over
  all letters (misrouted ones included, where gold has none), and per category.
- Urgent: recall (urgent letters flagged) and precision (flagged letters that are urgent).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from correspond.config import Settings
from correspond.errors import LabelledSetError, UnreadableFile
from correspond.evaluation.compare import (
    Verdict,
    child_key,
    same_constituent_name,
    same_name,
    same_postcode,
    same_reference,
    same_school,
    same_value,
)

GOLD_SUFFIX = ".gold.json"
LETTER_SUFFIXES = (".txt", ".eml", ".msg", ".docx", ".pdf", ".jpg", ".jpeg", ".png", ".tif",
                   ".tiff")

# key, label, target accuracy (None: reported, no target)
FIELDS: tuple[tuple[str, str, float | None], ...] = (
    ("child.first_name", "child first name", 0.97),
    ("child.last_name", "child last name", 0.97),
    ("child.date_of_birth", "child date of birth", 0.95),
    ("child.school", "child school", 0.92),
    ("child.requested_school", "requested school", None),
    ("children.count", "children count", 0.97),
    ("constituent.name", "constituent name", 0.90),
    ("constituent.postcode", "constituent postcode", 0.95),
    ("correspondent.name", "MP name", 0.95),
    ("correspondent.constituency", "MP constituency", 0.90),
    ("correspondent.reference", "MP reference", 0.95),
    ("correspondent.type", "correspondent type", None),
    ("correspondent.caseworker", "caseworker", None),
    ("council_reference", "council reference", None),
    ("is_send", "is_send", 1.0),
    ("is_chaser", "is_chaser", None),
    ("letter_date", "letter date", 0.95),
)
CONCERNS_F1_TARGET = 0.88
URGENT_RECALL_TARGET = 1.0
# Urgent letters are never missed, and flagged letters are mostly urgent.
URGENT_PRECISION_TARGET = 0.85

_CHILD_FIELDS = {"first_name": same_name, "last_name": same_name,
                 "date_of_birth": same_value, "school": same_school,
                 "requested_school": same_school}
_CORRESPONDENT_FIELDS = {"name": same_name, "constituency": same_name,
                         "reference": same_reference, "type": same_value,
                         "caseworker": same_name}
_CONSTITUENT_FIELDS = {"name": same_constituent_name, "postcode": same_postcode}
_REQUIRED_GOLD = ("is_send", "is_chaser", "council_reference", "urgent", "correspondent",
                  "constituent", "children", "concerns")


def labelled_letters(directory: Path) -> list[tuple[Path, Path]]:
    """(letter, gold file) pairs of a dev set, in name order. Raises LabelledSetError."""
    pairs = []
    for gold in sorted(directory.glob("*" + GOLD_SUFFIX)):
        stem = gold.name[:-len(GOLD_SUFFIX)]
        letters = [directory / (stem + suffix) for suffix in LETTER_SUFFIXES
                   if (directory / (stem + suffix)).is_file()]
        if len(letters) != 1:
            problem = "no letter" if not letters else "more than one letter"
            raise LabelledSetError(f"{gold.name} has {problem} beside it (expected one of "
                                   f"{stem}{{{','.join(LETTER_SUFFIXES)}}}).")
        pairs.append((letters[0], gold))
    if not pairs:
        raise LabelledSetError(f"{directory} holds no letters with {GOLD_SUFFIX} answers.")
    return pairs


def evaluate_extraction(directory: Path, settings: Settings) -> dict[str, Any]:
    """Read every labelled letter in `directory` as the service would and score it."""
    from correspond.extract import load_extractor
    from correspond.ingest import OcrLimits
    from correspond.pipeline.workers import read_and_extract
    from correspond.referral_json import referral_to_json

    pairs = labelled_letters(directory)
    golds = [(letter, _load_gold(gold)) for letter, gold in pairs]
    extractor = load_extractor(settings.model_dir,
                               council_postcodes=settings.council_postcodes)
    tally = _Tally()
    for letter, gold in golds:
        data = letter.read_bytes()
        predicted = None
        try:
            if len(data) > settings.max_file_bytes:
                raise UnreadableFile("The file is larger than the size limit.")
            result = read_and_extract(data, letter.name, extractor, ocr=OcrLimits(
                settings.ocr_max_pages, settings.ocr_timeout_seconds))
        except UnreadableFile as err:
            tally.unreadable.append({"file": letter.name, "reason": err.reason})
        else:
            predicted = referral_to_json(
                file=str(letter), sha256=hashlib.sha256(data).hexdigest(),
                format=result.document.format, letter=result.letter, parts=result.parts,
                extraction=result.extraction)
        _score_letter(letter.name, gold, predicted, tally)
    return tally.report(directory, len(golds), settings.model_dir)


def _load_gold(path: Path) -> dict[str, Any]:
    try:
        gold = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise LabelledSetError(f"{path.name} is not readable JSON: {err}") from err
    if not isinstance(gold, dict):
        raise LabelledSetError(f"{path.name} must hold one JSON object.")
    missing = [key for key in _REQUIRED_GOLD if key not in gold]
    if missing:
        raise LabelledSetError(f"{path.name} lacks {', '.join(missing)}.")
    from correspond.domain.concerns import categories

    unknown = sorted(set(gold["concerns"]) - set(categories()))
    if unknown:
        raise LabelledSetError(f"{path.name} names unknown concern categories: "
                               f"{', '.join(unknown)}.")
    return gold


class _Tally:
    def __init__(self) -> None:
        self.fields: dict[str, Counter] = {key: Counter() for key, _, _ in FIELDS}
        self.concerns: dict[str, Counter] = {}
        self.urgent: Counter[str] = Counter()
        self.misses: list[dict[str, Any]] = []
        self.accent_only: list[dict[str, Any]] = []
        self.unreadable: list[dict[str, str]] = []

    def score(self, file: str, key: str, where: str, gold: Any, got: Any,
              compare=same_value, *, listed: bool = True) -> None:
        """Count one comparison; a letter that could not be read is wrong throughout.
        `listed=False` counts a miss without listing it (it is listed another way)."""
        unread = any(item["file"] == file for item in self.unreadable)
        verdict: Verdict = Verdict(False) if unread or not listed else compare(gold, got)
        counts = self.fields[key]
        counts["total"] += 1
        counts["correct"] += verdict.correct
        entry = {"file": file, "field": where, "expected": gold, "got": got}
        if not verdict.correct and listed:
            self.misses.append(entry)
        elif verdict.note:
            self.accent_only.append(entry)

    def miss(self, file: str, where: str, gold: Any, got: Any) -> None:
        self.misses.append({"file": file, "field": where, "expected": gold, "got": got})

    def report(self, directory: Path, letters: int, model_dir: Path) -> dict[str, Any]:
        fields = {}
        for key, label, target in FIELDS:
            counts = self.fields[key]
            fields[key] = _figure(label, counts["correct"], counts["total"], target)
        concerns, urgent = self._concerns(), self._urgent()
        return {
            "directory": str(directory),
            "model_dir": str(model_dir),
            "letters": letters,
            "fields": fields,
            "concerns": concerns,
            "urgent": urgent,
            "targets_met": _targets_met(fields, concerns, urgent),
            "misses": self.misses,
            "accent_only": self.accent_only,
            "unreadable": self.unreadable,
        }

    def _concerns(self) -> dict[str, Any]:
        total = sum(self.concerns.values(), Counter())
        micro = _precision_recall(total["tp"], total["fp"], total["fn"])
        micro["target_f1"] = CONCERNS_F1_TARGET
        micro["passed"] = micro["f1"] is not None and micro["f1"] >= CONCERNS_F1_TARGET
        return {"micro": micro,
                "per_category": {name: _precision_recall(c["tp"], c["fp"], c["fn"])
                                 for name, c in sorted(self.concerns.items())}}

    def _urgent(self) -> dict[str, Any]:
        figures = _precision_recall(self.urgent["tp"], self.urgent["fp"], self.urgent["fn"])
        figures["target_recall"] = URGENT_RECALL_TARGET
        figures["target_precision"] = URGENT_PRECISION_TARGET
        figures["recall_passed"] = (figures["recall"] is not None
                                    and figures["recall"] >= URGENT_RECALL_TARGET)
        figures["precision_passed"] = (figures["precision"] is not None
                                       and figures["precision"] >= URGENT_PRECISION_TARGET)
        figures["passed"] = figures["recall_passed"] and figures["precision_passed"]
        return figures


def _score_letter(file: str, gold: dict[str, Any], predicted: dict[str, Any] | None,
                  tally: _Tally) -> None:
    got = predicted or {}
    for name, compare in _CORRESPONDENT_FIELDS.items():
        tally.score(file, f"correspondent.{name}", f"correspondent.{name}",
                    gold["correspondent"].get(name), (got.get("correspondent") or {}).get(name),
                    compare)
    for name, compare in _CONSTITUENT_FIELDS.items():
        tally.score(file, f"constituent.{name}", f"constituent.{name}",
                    gold["constituent"].get(name), (got.get("constituent") or {}).get(name),
                    compare)
    tally.score(file, "council_reference", "council_reference", gold["council_reference"],
                got.get("council_reference"), same_reference)
    for flag in ("is_send", "is_chaser"):
        tally.score(file, flag, flag, gold[flag], got.get(flag))
    if "letter_date" in gold:  # scored where the set labels it
        tally.score(file, "letter_date", "letter_date", gold["letter_date"],
                    got.get("letter_date"))
    _score_children(file, gold["children"], got.get("children") or [], tally)
    _score_concerns(file, gold["concerns"], got.get("concerns"), tally)
    _score_urgent(file, bool(gold["urgent"]), got.get("urgent"), tally)


def _score_children(file: str, gold: list[dict], got: list[dict], tally: _Tally) -> None:
    tally.score(file, "children.count", "children.count", len(gold), len(got))
    pairs = align_children(gold, got)
    for index, (gold_child, got_child) in enumerate(zip(gold, pairs)):
        if got_child is None:  # wrong for each of its fields, listed once
            tally.miss(file, f"children[{index}] (not found)", gold_child, None)
        for name, compare in _CHILD_FIELDS.items():
            value = (got_child or {}).get(name)
            if name == "school" and isinstance(value, dict):
                value = value.get("name")
            tally.score(file, f"child.{name}", f"children[{index}].{name}",
                        gold_child.get(name), value, compare, listed=got_child is not None)
    used = {id(child) for child in pairs if child is not None}
    for child in got:
        if id(child) not in used:
            tally.miss(file, "children (invented)", None,
                       " ".join(filter(None, (child.get("first_name"),
                                              child.get("last_name")))) or "(unnamed)")


def align_children(gold: list[dict], got: list[dict]) -> list[dict | None]:
    """The predicted child for each gold child: same first name first, then in order."""
    pairs: list[dict | None] = [None] * len(gold)
    free = list(got)
    for index, child in enumerate(gold):
        key = child_key(child.get("first_name"))
        partner = next((c for c in free if key and child_key(c.get("first_name")) == key),
                       None)
        if partner is not None:
            pairs[index] = partner
            free.remove(partner)
    for index in range(len(gold)):
        if pairs[index] is None and free:
            pairs[index] = free.pop(0)
    return pairs


def _score_concerns(file: str, gold: list[str], got: list[dict] | None,
                    tally: _Tally) -> None:
    expected = set(gold)
    found = {concern["category"] for concern in got or []}
    for category in expected | found:
        counts = tally.concerns.setdefault(category, Counter())
        counts["tp" if category in expected and category in found
               else "fn" if category in expected else "fp"] += 1
    if expected != found:
        tally.miss(file, "concerns", sorted(expected), sorted(found))


def _score_urgent(file: str, gold: bool, got: bool | None, tally: _Tally) -> None:
    flagged = bool(got)
    if gold and flagged:
        tally.urgent["tp"] += 1
    elif gold:
        tally.urgent["fn"] += 1
    elif flagged:
        tally.urgent["fp"] += 1
    if gold != flagged:
        tally.miss(file, "urgent", gold, got)


def _figure(label: str, correct: int, total: int, target: float | None) -> dict[str, Any]:
    accuracy = round(correct / total, 4) if total else None
    return {"label": label, "correct": correct, "total": total, "accuracy": accuracy,
            "target": target,
            "passed": None if target is None else (accuracy is not None
                                                   and accuracy >= target)}


def _precision_recall(tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    return {"tp": tp, "fp": fp, "fn": fn,
            "precision": _round(precision), "recall": _round(recall), "f1": _round(f1)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _targets_met(fields: dict, concerns: dict, urgent: dict) -> dict[str, int]:
    marks = [figure["passed"] for figure in fields.values() if figure["target"] is not None]
    marks += [concerns["micro"]["passed"], urgent["recall_passed"],
              urgent["precision_passed"]]
    return {"met": sum(bool(mark) for mark in marks), "of": len(marks)}


def missed_targets(report: dict[str, Any]) -> list[str]:
    """The targets measured on this set and missed, for `correspond evaluate`'s exit status.
    A target the set cannot measure (no urgent letter, say) is not counted as missed."""
    missed = [figure["label"] for figure in report["fields"].values()
              if figure["target"] is not None and figure["accuracy"] is not None
              and not figure["passed"]]
    micro, urgent = report["concerns"]["micro"], report["urgent"]
    if micro["f1"] is not None and not micro["passed"]:
        missed.append("concerns F1")
    if urgent["recall"] is not None and not urgent["recall_passed"]:
        missed.append("urgent recall")
    if urgent["precision"] is not None and not urgent["precision_passed"]:
        missed.append("urgent precision")
    return missed


def format_extraction_report(report: dict[str, Any], *, miss_lines: int = 40) -> str:
    """A compact table of the figures against their targets, then the misses."""
    lines = [f"{report['letters']} labelled letters in {report['directory']}", "",
             f"{'field':<24}{'accuracy':>9}{'correct/total':>15}  {'target':<8}"]
    for figure in report["fields"].values():
        lines.append(_row(figure["label"], figure["accuracy"],
                          f"{figure['correct']}/{figure['total']}", figure["target"],
                          figure["passed"]))
    micro = report["concerns"]["micro"]
    lines.append(_row("concerns micro F1", micro["f1"],
                      f"P {_show(micro['precision'])} R {_show(micro['recall'])}",
                      micro["target_f1"], micro["passed"]))
    urgent = report["urgent"]
    lines.append(_row("urgent recall", urgent["recall"],
                      f"{urgent['tp']}/{urgent['tp'] + urgent['fn']}",
                      urgent["target_recall"], urgent["recall_passed"]))
    lines.append(_row("urgent precision", urgent["precision"],
                      f"{urgent['tp']}/{urgent['tp'] + urgent['fp']}",
                      urgent["target_precision"], urgent["precision_passed"]))
    met = report["targets_met"]
    lines += ["", f"{met['met']} of {met['of']} targets met.", "", "concerns by category:"]
    for name, c in report["concerns"]["per_category"].items():
        lines.append(f"  {name:<20}P {_show(c['precision']):>5}  R {_show(c['recall']):>5}"
                     f"  (tp {c['tp']}, fp {c['fp']}, fn {c['fn']})")
    for item in report["unreadable"]:
        lines.append(f"unreadable: {item['file']}: {item['reason']}")
    if report["accent_only"]:
        lines.append(f"{len(report['accent_only'])} names correct only with accents folded:")
        lines += [_miss_line(item) for item in report["accent_only"][:10]]
    misses = report["misses"]
    lines += ["", f"{len(misses)} misses" + (":" if misses else ".")]
    lines += [_miss_line(item) for item in misses[:miss_lines]]
    if len(misses) > miss_lines:
        lines.append(f"  ... and {len(misses) - miss_lines} more (all are in --json).")
    return "\n".join(lines)


def _row(label: str, value: float | None, counts: str, target: float | None,
         passed: bool | None) -> str:
    mark = "" if passed is None else ("PASS" if passed else "FAIL")
    target_text = f">={target:.2f}" if target is not None else ""
    return f"{label:<24}{_show(value):>9}{counts:>15}  {target_text:<8}{mark}"


def _show(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _miss_line(item: dict[str, Any]) -> str:
    return (f"  {item['file']}  {item['field']}: expected {_brief(item['expected'])}, "
            f"got {_brief(item['got'])}")


def _brief(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
