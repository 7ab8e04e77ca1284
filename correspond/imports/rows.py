"""What every import of a CSV export shares: reading its bytes as UTF-8 or as the
Windows-1252 Excel saves, each row loaded or refused with its line and reason, and how
many records were added, updated or left as they were."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any


def data_lines(text: str) -> int:
    """Lines after the header: how many rows to expect, for a progress bar."""
    return max(0, len(text.splitlines()) - 1)


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


def wrong_field_count(line: int, fields: int, header_fields: int) -> RowProblem:
    return RowProblem(line, f"it has {fields} fields where the header has {header_fields}; "
                            "a comma or quote may be out of place")


def records_setting_aside(rows: Iterable[Any], problems: list[RowProblem]) -> Iterator[Any]:
    """The records of the parsed rows (anything with `.record`); each refused row is
    added to `problems`, so the good ones load while the bad ones are reported."""
    for row in rows:
        if isinstance(row, RowProblem):
            problems.append(row)
        else:
            yield row.record
