"""Reading a case-management CSV export into case records (see spec/cases.md).

Each row is checked on its own: a bad row is reported by its line number with the reason,
and the rest still load.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TextIO

from correspond.domain.dates import parse_uk_date
from correspond.domain.postcodes import normalise_postcode
from correspond.domain.text import decode
from correspond.errors import CaseImportError
from correspond.imports.rows import RowProblem, data_lines, wrong_field_count
from correspond.records import CaseRecord

REQUIRED = ("case_id", "child_first_name", "child_last_name", "date_of_birth")
OPTIONAL = (
    "known_as", "school", "school_urn", "parent_names", "address", "postcode",
    "caseworker", "caseworker_email", "ehcp_status", "ehcp_issued", "next_review_due",
)
# The case's timeline (spec/cases.md): optional dates the statutory clocks run from.
TIMELINE_DATES = (
    "assessment_requested", "assessment_decision", "draft_plan_issued", "last_review_held",
    "review_decision", "phase_transfer_due", "tribunal_lodged",
)
TIMELINE = (*TIMELINE_DATES, "assessment_decision_outcome", "placement_sought")
COLUMNS = REQUIRED + OPTIONAL + TIMELINE
DECISION_OUTCOMES = ("agreed", "refused")


@dataclass(frozen=True)
class ParsedRow:
    line: int
    record: CaseRecord


@dataclass(frozen=True)
class CaseExport:
    encoding: str  # as read: "UTF-8" or "Windows-1252"
    rows: Iterator[ParsedRow | RowProblem]
    lines: int  # after the header: about how many rows (for a progress bar)


def read_case_export(data: bytes, mapping: Mapping[str, str] | None = None) -> CaseExport:
    """The rows of an export file's bytes, UTF-8 or Windows-1252 (as Excel saves CSV)."""
    decoded = decode(data)
    text, encoding = decoded.text, decoded.encoding
    return CaseExport(encoding, read_case_rows(io.StringIO(text, newline=""), mapping),
                      data_lines(text))


def read_case_rows(
    stream: TextIO, mapping: Mapping[str, str] | None = None
) -> Iterator[ParsedRow | RowProblem]:
    """Yield each data row as a case record, or as the problem that stops it loading.

    `mapping` maps our column names to the export's, for councils whose system names
    them differently, e.g. {"case_id": "Person ID", "date_of_birth": "DOB"}.
    """
    reader = csv.DictReader(stream)
    headers = [header.strip() for header in reader.fieldnames or []]
    reader.fieldnames = headers
    source_of = {column: (mapping or {}).get(column, column) for column in COLUMNS}
    missing = [source_of[column] for column in REQUIRED if source_of[column] not in headers]
    if missing:
        raise CaseImportError(
            "The file has no column " + ", ".join(f"'{name}'" for name in missing)
            + "; give a column mapping if the export names them differently."
        )
    try:
        for row in reader:
            line = reader.line_num
            # A comma out of place shifts every later value into the wrong column.
            extra, missing_fields = row.get(None) or [], list(row.values()).count(None)
            if extra or missing_fields:
                yield wrong_field_count(line, len(headers) + len(extra) - missing_fields,
                                        len(headers))
                continue
            if not any(value.strip() for value in row.values()):
                continue  # a row Excel left with only commas
            values = {column: (row.get(source_of[column]) or "").strip()
                      for column in COLUMNS}
            try:
                yield ParsedRow(line, _to_record(values))
            except ValueError as err:
                yield RowProblem(line, str(err))
    except csv.Error as err:
        raise CaseImportError(f"line {reader.line_num} cannot be read as CSV ({err}); "
                              "save the export again as CSV.") from err


def _to_record(values: dict[str, str]) -> CaseRecord:
    for column in REQUIRED:
        if not values[column]:
            raise ValueError(f"{column} is empty")
    postcode = values["postcode"]
    normalised = normalise_postcode(postcode) if postcode else None
    if postcode and normalised is None:
        raise ValueError(f"postcode '{postcode}' is not a UK postcode")
    return CaseRecord(
        case_id=values["case_id"],
        child_first_name=values["child_first_name"],
        child_last_name=values["child_last_name"],
        date_of_birth=_date(values, "date_of_birth"),
        known_as=values["known_as"] or None,
        school=values["school"] or None,
        school_urn=values["school_urn"] or None,
        parent_names=tuple(
            name.strip() for name in values["parent_names"].split(";") if name.strip()
        ),
        address=values["address"] or None,
        postcode=normalised,
        caseworker=values["caseworker"] or None,
        caseworker_email=values["caseworker_email"] or None,
        ehcp_status=values["ehcp_status"].lower() or None,
        ehcp_issued=_date(values, "ehcp_issued") if values["ehcp_issued"] else None,
        next_review_due=(
            _date(values, "next_review_due") if values["next_review_due"] else None
        ),
        assessment_requested=_optional_date(values, "assessment_requested"),
        assessment_decision=_optional_date(values, "assessment_decision"),
        draft_plan_issued=_optional_date(values, "draft_plan_issued"),
        last_review_held=_optional_date(values, "last_review_held"),
        review_decision=_optional_date(values, "review_decision"),
        phase_transfer_due=_optional_date(values, "phase_transfer_due"),
        tribunal_lodged=_optional_date(values, "tribunal_lodged"),
        assessment_decision_outcome=_outcome(values["assessment_decision_outcome"]),
        placement_sought=values["placement_sought"] or None,
    )


def _optional_date(values: dict[str, str], column: str) -> date | None:
    return _date(values, column) if values[column] else None


def _outcome(text: str) -> str | None:
    outcome = text.lower()
    if outcome and outcome not in DECISION_OUTCOMES:
        raise ValueError(f"assessment_decision_outcome '{text}' is neither 'agreed' nor "
                         "'refused'")
    return outcome or None


def _date(values: dict[str, str], column: str) -> date:
    try:
        return parse_uk_date(values[column])
    except ValueError as err:
        raise ValueError(f"{column}: {err}") from err
