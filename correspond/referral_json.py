"""A referral as the JSON of ../shared/spec/referral.schema.json.

The one place that turns the pipeline's dataclasses into the JSON tools and people rely
on; `correspond extract`, `correspond ingest` and the database all use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from correspond.records import (
    Child,
    Extraction,
    Letter,
    LetterParts,
    MatchDecision,
    SchoolResolution,
    Source,
)


def referral_to_json(*, file: str, sha256: str, format: str, letter: Letter,
                     extraction: Extraction, parts: LetterParts | None = None,
                     matches: Sequence[MatchDecision] | None = None,
                     schools: Sequence[SchoolResolution | None] = (),
                     drafts: Sequence[dict[str, Any]] | None = None,
                     extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The referral for one file. `matches` and `schools` (one per child, in order) and
    `drafts` are filled in by ingest; `extra` adds properties beyond the schema's
    (reference, status, deadlines)."""
    children = []
    for index, child in enumerate(extraction.children):
        item = _child(child)
        resolution = schools[index] if index < len(schools) else None
        if item["school"] is not None and resolution is not None:
            item["school"].update(_school_resolution(resolution))
        if matches is not None:
            item["match"] = match_to_json(matches[index]) if index < len(matches) else None
        children.append(item)
    referral: dict[str, Any] = {
        "file": file,
        "sha256": sha256,
        "format": format,
        "subject": letter.subject,
        "letter_date": _iso(extraction.letter_date),
        "is_send": extraction.is_send,
        "correspondent": asdict(extraction.correspondent),
        "constituent": asdict(extraction.constituent),
        "children": children,
        "concerns": [asdict(concern) for concern in extraction.concerns],
        "council_reference": extraction.council_reference,
        "is_chaser": extraction.is_chaser,
        "urgent": extraction.urgent,
        "urgency_reasons": list(extraction.urgency_reasons),
        "confidence": dict(extraction.confidence),
        "sources": {path: _source(source) for path, source in extraction.sources.items()},
    }
    if parts is not None:
        referral["parts"] = parts_to_json(parts)
    if drafts is not None:
        referral["drafts"] = list(drafts)
    referral.update(extra or {})
    return referral


def _source(source: Source) -> dict[str, Any]:
    return {key: value for key, value in asdict(source).items() if value is not None}


def parts_to_json(parts: LetterParts) -> list[dict[str, Any]]:
    """The letter's parts, for the desk to mark on the letter: kind, message, offsets;
    for a quoted or forwarded message, who sent it and when."""
    senders = {message.depth: message for message in parts.messages}
    listed = []
    for part in parts.parts:
        item: dict[str, Any] = {"kind": part.kind, "message": part.depth,
                                "start": part.span.start, "end": part.span.end}
        message = senders.get(part.depth)
        if part.depth > 0 and message is not None:
            item["from"] = message.sender
            item["sent"] = message.sent.isoformat() if message.sent else None
        listed.append(item)
    return listed


def _child(child: Child) -> dict[str, Any]:
    return {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth": _iso(child.date_of_birth),
        "age": child.age,
        "year_group": child.year_group,
        "school": ({"name": child.school.name, "urn": child.school.urn}
                   if child.school else None),
        "requested_school": child.requested_school,
    }


def school_resolution_to_json(resolution: SchoolResolution) -> dict[str, Any]:
    """What a school name means in the register, as `correspond schools find --json`
    prints it."""
    return {
        "written": resolution.written,
        "status": resolution.status,
        "urn": resolution.urn,
        "name": resolution.name,
        "area": resolution.area,
        "candidates": _school_candidates(resolution),
    }


def _school_resolution(resolution: SchoolResolution) -> dict[str, Any]:
    # Extra properties of children[].school: the register's name for a resolved school,
    # or the schools an ambiguous name could mean (its urn stays null).
    if resolution.status == "resolved":
        return {"register_name": resolution.name}
    if resolution.status == "ambiguous":
        return {"candidates": _school_candidates(resolution)}
    return {}


def _school_candidates(resolution: SchoolResolution) -> list[dict[str, Any]]:
    return [{"urn": candidate.urn, "name": candidate.name, "town": candidate.town,
             "la": candidate.la_name, "score": candidate.score}
            for candidate in resolution.candidates]


def match_to_json(decision: MatchDecision) -> dict[str, Any]:
    return {
        "status": decision.status,
        "case_id": decision.case_id if decision.status == "matched" else None,
        "score": decision.score,
        "reason": decision.reason,
        # Ranked; each with its match weight in bits and the per-field reasons for it.
        "candidates": [
            {"case_id": candidate.case_id, "score": candidate.score,
             "weight": candidate.weight, "reasons": dict(candidate.reasons)}
            for candidate in decision.candidates
        ],
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
