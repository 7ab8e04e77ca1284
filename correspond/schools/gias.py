"""Reading the Department for Education's register of schools (Get Information about
Schools, "GIAS", formerly EduBase) from its CSV export.

The export's headers have changed over the years ("EstablishmentName" now, "Establishment
name" in 2017 extracts), so columns are found by a loose form of their header. Exports
downloaded from GIAS are Windows-1252; re-saved ones are often UTF-8. Each row is checked
on its own: a bad row is reported by its line number with the reason, and the rest load.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from correspond.domain.postcodes import normalise_postcode
from correspond.domain.text import decode
from correspond.errors import SchoolImportError
from correspond.imports.rows import RowProblem, data_lines, wrong_field_count
from correspond.records import SchoolRecord

# Our field -> the loose forms (lower case, letters and digits only) of headers for it.
_HEADERS = {
    "urn": ("urn",),
    "name": ("establishmentname",),
    "la_code": ("lacode", "localauthoritycode"),
    "la_name": ("laname", "localauthorityname"),
    "town": ("town",),
    "postcode": ("postcode",),
    "status": ("establishmentstatusname", "establishmentstatus"),
    "establishment_type": ("typeofestablishmentname", "typeofestablishment"),
    "phase": ("phaseofeducationname", "phaseofeducation"),
    "religious_character": ("religiouscharactername", "religiouscharacter"),
}
_REQUIRED = ("urn", "name")
# Extracts saved from R write "NA" for an empty value.
_MISSING = {"", "NA"}


@dataclass(frozen=True)
class ParsedSchool:
    line: int
    record: SchoolRecord


@dataclass(frozen=True)
class SchoolExport:
    encoding: str  # as read: "UTF-8" or "Windows-1252"
    rows: Iterator[ParsedSchool | RowProblem]
    lines: int  # after the header: about how many rows (for a progress bar)


def read_school_export(stream: BinaryIO) -> SchoolExport:
    """The export's rows, each a school or the problem that stops it loading.

    Raises SchoolImportError when the file is not a register export at all.
    """
    decoded = decode(stream.read())
    text, encoding = decoded.text, decoded.encoding
    reader = csv.reader(io.StringIO(text, newline=""))
    headers = next(reader, None)
    if not headers:
        raise SchoolImportError("The file is empty.")
    columns = _find_columns(headers)
    return SchoolExport(encoding, _rows(reader, columns, headers), data_lines(text))


def _loose(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.casefold())


def _find_columns(headers: list[str]) -> dict[str, int]:
    position: dict[str, int] = {}
    for index, header in enumerate(headers):
        position.setdefault(_loose(header), index)
    columns = {}
    for field, forms in _HEADERS.items():
        found = next((position[form] for form in forms if form in position), None)
        if found is not None:
            columns[field] = found
    missing = [field for field in _REQUIRED if field not in columns]
    if missing:
        wanted = {"urn": "URN", "name": "EstablishmentName"}
        raise SchoolImportError(
            "This does not look like a GIAS establishment export: it has no "
            + " or ".join(f"'{wanted[field]}'" for field in missing)
            + " column. Download 'Establishment fields' as CSV from Get Information about "
              "Schools.")
    return columns


def _rows(reader, columns: dict[str, int], headers: list[str]
          ) -> Iterator[ParsedSchool | RowProblem]:
    first_line_of: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(value.strip() for value in row):
            continue
        if len(row) != len(headers):
            yield wrong_field_count(line, len(row), len(headers))
            continue
        values = {field: _value(row[index]) for field, index in columns.items()}
        try:
            record = _to_record(values, headers, columns)
        except ValueError as err:
            yield RowProblem(line, str(err))
            continue
        if record.urn in first_line_of:
            yield RowProblem(line, f"URN {record.urn} is already on line "
                                   f"{first_line_of[record.urn]}; this row was not loaded")
            continue
        first_line_of[record.urn] = line
        yield ParsedSchool(line, record)


def _value(raw: str) -> str | None:
    value = " ".join(raw.split())
    return None if value in _MISSING else value


def _to_record(values: dict[str, str | None], headers: list[str],
               columns: dict[str, int]) -> SchoolRecord:
    urn, name = values["urn"], values["name"]
    if not urn:
        raise ValueError(f"{headers[columns['urn']]} is empty")
    if not urn.isdigit():
        raise ValueError(f"{headers[columns['urn']]} '{urn}' is not a number")
    if not name:
        raise ValueError(f"{headers[columns['name']]} is empty")
    postcode = values.get("postcode")
    return SchoolRecord(
        urn=urn, name=name, la_code=values.get("la_code"),
        la_name=values.get("la_name"), town=values.get("town"),
        # A school's postcode that does not parse is kept as written, not refused.
        postcode=normalise_postcode(postcode) or postcode,
        status=values.get("status"), establishment_type=values.get("establishment_type"),
        phase=values.get("phase"), religious_character=values.get("religious_character"),
    )
