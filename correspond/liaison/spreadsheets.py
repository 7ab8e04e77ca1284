"""Excel workbooks (.xlsx, with openpyxl) for liaison teams who work in Excel: dates as
dates and numbers as numbers, so they sort, filter and add up; text always as text, so
a name from a letter that starts with "=" is never run as a formula."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

TEXT, DAY, WHOLE, PERCENT, NUMBER = "text", "date", "int", "percent", "number"
_FORMATS = {DAY: "DD/MM/YYYY", WHOLE: "0", PERCENT: "0.0%", NUMBER: "0.0"}
_WIDTHS = {TEXT: 24, DAY: 12, WHOLE: 10, PERCENT: 10, NUMBER: 10}
# Characters XML (and so Excel) cannot hold, which a letter's text may still carry.
_NOT_XML = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = TEXT  # TEXT, DAY, WHOLE, PERCENT (given as 0-100) or NUMBER
    width: int | None = None


@dataclass(frozen=True)
class Sheet:
    title: str  # at most 31 characters, Excel's limit
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]]
    note: str | None = None  # a line above the table, e.g. the period


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an .xlsx file's bytes."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        _add_sheet(book, sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _add_sheet(book: Workbook, sheet: Sheet) -> None:
    page = book.create_sheet(sheet.title[:31])
    first = 1
    if sheet.note:
        _text(page.cell(row=1, column=1), sheet.note).font = Font(bold=True)
        first = 3
    for index, column in enumerate(sheet.columns, start=1):
        _text(page.cell(row=first, column=index), column.title).font = Font(bold=True)
        page.column_dimensions[get_column_letter(index)].width = (
            column.width or max(_WIDTHS[column.kind], len(column.title) + 2))
    last = first
    for last, values in enumerate(sheet.rows, start=first + 1):
        for index, (column, value) in enumerate(zip(sheet.columns, values), start=1):
            _put(page.cell(row=last, column=index), column.kind, value)
    page.freeze_panes = page.cell(row=first + 1, column=1)
    if sheet.columns:
        page.auto_filter.ref = (f"A{first}:{get_column_letter(len(sheet.columns))}"
                                f"{max(last, first)}")


def _put(cell, kind: str, value: object) -> None:
    if value is None or value == "":
        return
    if kind == TEXT or isinstance(value, str):
        _text(cell, str(value))
        return
    if kind == PERCENT:
        cell.value = float(value) / 100  # type: ignore[arg-type]
    elif kind == DAY and isinstance(value, date):
        cell.value = value
    else:
        cell.value = value
    cell.number_format = _FORMATS[kind]


def _text(cell, value: str):
    cell.value = value.translate(_NOT_XML)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


__all__ = ["DAY", "NUMBER", "PERCENT", "TEXT", "WHOLE", "Column", "Sheet", "workbook"]
