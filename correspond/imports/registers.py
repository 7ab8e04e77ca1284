"""Reading the registers letters are checked against: the House of Commons list of MPs
(`data/current-MPs.csv`, shipped, or a newer copy) and the council's list of councillors.

Columns are found by a loose form of their header, so a list re-saved from Excel or
exported from the council's committee system with its own headings still reads. Each
row is checked on its own: a bad row is reported by line with the reason, and the rest
load.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from correspond.domain.correspondents import COUNCILLOR, MP, area_key
from correspond.domain.names import strip_titles
from correspond.domain.text import decode, name_key
from correspond.errors import RegisterImportError
from correspond.imports.rows import (
    RowProblem,
    data_lines,
    records_setting_aside,
    wrong_field_count,
)
from correspond.records import MemberRecord
from correspond.store.database import Database
from correspond.store.registers import RegisterImport, register_states, save_members

SHIPPED_MPS = Path(__file__).resolve().parent / "data" / "current-MPs.csv"

# Our field -> loose forms (lower case, letters and digits only) of the headers for it.
_MP_HEADERS = {
    "name": ("mp", "name", "displayname", "member", "membername"),
    "area": ("pcon24nm", "constituency", "constituencyname", "pconnm"),
    "area_code": ("pcon24cd", "constituencycode", "pconcd", "onscode"),
    "member_id": ("id", "memberid", "parliamentid"),
    "party": ("partyname", "party"),
    "since": ("startdate", "since", "elected"),
}
_COUNCILLOR_HEADERS = {
    "name": ("name", "councillor", "councillorname", "member", "membername"),
    "area": ("ward", "wardname", "division", "electoraldivision", "area"),
    "area_code": ("wardcode", "divisioncode"),
    "member_id": ("id", "councillorid", "memberid"),
    "party": ("party", "partyname", "group", "politicalgroup"),
    "email": ("email", "emailaddress"),
    "since": ("since", "startdate", "elected"),
}
_WANTED = {MP: ("name", "area"), COUNCILLOR: ("name",)}
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class ParsedMember:
    line: int
    record: MemberRecord


@dataclass(frozen=True)
class MemberList:
    encoding: str
    rows: Iterator[ParsedMember | RowProblem]
    lines: int


def read_mp_list(data: bytes) -> MemberList:
    """The House of Commons list (the shipped file's columns, or a list with headers
    such as Name, Constituency, Party)."""
    return _read(data, MP, _MP_HEADERS)


def read_councillor_list(data: bytes) -> MemberList:
    """The council's councillors: a CSV with at least a Name column, and Ward (or
    Division), Party and Email where known."""
    return _read(data, COUNCILLOR, _COUNCILLOR_HEADERS)


@dataclass(frozen=True)
class Imported:
    saved: RegisterImport
    problems: list[RowProblem]
    encoding: str


def import_members(db: Database, kind: str, data: bytes) -> Imported:
    """Read a list of `kind` ("mp" or "councillor") and make it the register."""
    members = read_mp_list(data) if kind == MP else read_councillor_list(data)
    problems: list[RowProblem] = []
    saved = save_members(db, kind, records_setting_aside(members.rows, problems))
    return Imported(saved, problems, members.encoding)


def load_shipped_mps(db: Database) -> Imported | None:
    """The shipped House of Commons list, when no list of MPs has been imported yet."""
    with db.reading() as connection:
        if MP in register_states(db, connection):
            return None
    return import_members(db, MP, SHIPPED_MPS.read_bytes())


def _read(data: bytes, kind: str, headers: dict[str, tuple[str, ...]]) -> MemberList:
    decoded = decode(data)
    reader = csv.reader(io.StringIO(decoded.text, newline=""))
    header = next(reader, None)
    if not header:
        raise RegisterImportError("The file is empty.")
    columns = _find_columns(header, headers)
    missing = [field for field in _WANTED[kind] if field not in columns]
    if missing:
        wanted = {"name": "Name", "area": "Constituency"}
        raise RegisterImportError(
            f"This does not look like a list of {'MPs' if kind == MP else 'councillors'}: "
            f"it has no {' or '.join(repr(wanted[field]) for field in missing)} column. "
            "Save the list as CSV with a header row naming its columns.")
    return MemberList(decoded.encoding, _rows(reader, header, columns, kind),
                      data_lines(decoded.text))


def _loose(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.casefold())


def _find_columns(header: list[str], wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
    position: dict[str, int] = {}
    for index, name in enumerate(header):
        position.setdefault(_loose(name), index)
    return {field: next(position[form] for form in forms if form in position)
            for field, forms in wanted.items() if any(form in position for form in forms)}


def _rows(reader, header: list[str], columns: dict[str, int],
          kind: str) -> Iterator[ParsedMember | RowProblem]:
    first_line_of: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield wrong_field_count(line, len(row), len(header))
            continue
        values = {field: " ".join(row[index].split()) or None
                  for field, index in columns.items()}
        try:
            record = _record(values, kind, header, columns)
        except ValueError as err:
            yield RowProblem(line, str(err))
            continue
        if record.identity in first_line_of:
            yield RowProblem(line, f"{record.name} is already on line "
                                   f"{first_line_of[record.identity]}; this row was not loaded")
            continue
        first_line_of[record.identity] = line
        yield ParsedMember(line, record)


def _record(values: dict[str, str | None], kind: str, header: list[str],
            columns: dict[str, int]) -> MemberRecord:
    name, area = values.get("name"), values.get("area")
    if not name or not strip_titles(name):
        raise ValueError(f"{header[columns['name']]} is empty")
    if kind == MP and not area:
        raise ValueError(f"{header[columns['area']]} is empty")
    member_id = values.get("member_id")
    identity = (f"id:{member_id}" if member_id
                else f"{name_key(strip_titles(name))}|{area_key(area)}")
    return MemberRecord(kind=kind, identity=identity, name=name, area=area,
                        area_code=values.get("area_code"), party=values.get("party"),
                        email=values.get("email"), since=_day(values.get("since")))


def _day(value: str | None) -> date | None:
    """A start date as the list gives it (2024-07-04T00:00:00); anything else is left out."""
    found = _DAY.match(value or "")
    if not found:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


__all__ = ["SHIPPED_MPS", "Imported", "MemberList", "ParsedMember", "import_members",
           "load_shipped_mps", "read_councillor_list", "read_mp_list"]
