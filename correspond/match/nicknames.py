"""Known-as and nickname equivalents of first names (Alfie/Alfred, Sasha/Alexandra).

The table, `nicknames.csv` beside this module, is written by hand: one pair a line, each
working both ways. Two names that share a partner (Alfie and Fred, both Alfred) are not
taken as equivalent unless a line says so: a looser table would make siblings look alike.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from correspond.domain.text import name_key

_TABLE = Path(__file__).with_name("nicknames.csv")


@lru_cache(maxsize=1)
def _pairs() -> dict[str, frozenset[str]]:
    partners: dict[str, set[str]] = defaultdict(set)
    with _TABLE.open(encoding="utf-8", newline="") as stream:
        rows = csv.reader(line for line in stream if not line.startswith("#"))
        next(rows)  # header
        for name, also_called in rows:
            first, second = name_key(name), name_key(also_called)
            if first and second and first != second:
                partners[first].add(second)
                partners[second].add(first)
    return {key: frozenset(values) for key, values in partners.items()}


def equivalents(key: str) -> frozenset[str]:
    """The name keys the table gives as another name for `key` (itself not included)."""
    return _pairs().get(key, frozenset())


def are_equivalent(first: str, second: str) -> bool:
    return second in equivalents(first)
