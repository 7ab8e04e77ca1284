"""What every import of a CSV export reports: each row loaded or refused with its line
and reason, and how many records were added, updated or left as they were."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


@dataclass(frozen=True)
class SaveReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: SaveReport) -> SaveReport:
        return SaveReport(self.added + other.added, self.updated + other.updated,
                          self.unchanged + other.unchanged)


def records_setting_aside(rows: Iterable[Any], problems: list[RowProblem]) -> Iterator[Any]:
    """The records of the parsed rows (anything with `.record`); each refused row is
    added to `problems`, so the good ones load while the bad ones are reported."""
    for row in rows:
        if isinstance(row, RowProblem):
            problems.append(row)
        else:
            yield row.record
