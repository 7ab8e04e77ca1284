"""The code base's map holds: each folder of correspond/ is a stage or a thing beside the
stages, and no module imports from a stage that comes after its own."""

from __future__ import annotations

import ast
from pathlib import Path

from support import REPO

PACKAGE = REPO / "correspond"
# Lower ranks are used by higher ones, never the other way round. Within a rank,
# packages do not import each other.
RANKS: dict[str, int] = {
    "errors": 0, "records": 0, "domain": 0, "review": 0, "shipped": 0,
    "config": 1, "logs": 1, "referral_json": 1, "files": 1,
    "store": 2,
    "imports": 3, "ingest": 3,
    "parts": 4,
    "extract": 5,
    "schools": 6,
    "match": 7,
    "draft": 8,
    "pipeline": 9,
    "evaluation": 10, "desk": 10, "liaison": 10,
    "watch": 11,
    "web": 12,
    "app": 13,
    "daemon": 14,
    "cli": 15, "__init__": 15,
    "__main__": 16,
}


def _top_level(path: Path) -> str:
    first = path.relative_to(PACKAGE).parts[0]
    return first.removesuffix(".py")


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "correspond" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_every_folder_and_module_has_a_place_on_the_map():
    tops = {_top_level(path) for path in PACKAGE.rglob("*.py")}
    assert tops <= set(RANKS), f"not on the map: {sorted(tops - set(RANKS))}"


def test_no_module_imports_from_a_later_stage():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue  # a migration is frozen as it was written
        own = _top_level(path)
        for other in _imports(path) - {own}:
            if RANKS[other] > RANKS[own] or (RANKS[other] == RANKS[own]):
                wrong.append(f"{path.relative_to(REPO)} imports correspond.{other}")
    assert wrong == []


def test_the_tools_are_not_in_the_package():
    assert not (PACKAGE / "train").exists()
    assert not list(PACKAGE.rglob("synthetic*.py"))
    assert not list(PACKAGE.rglob("build_templates.py"))
