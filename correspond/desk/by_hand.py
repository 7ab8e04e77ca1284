"""A referral entered by hand from a file nobody could read (handwriting, a blank or faint
scan, a photo of a screen): the caseworker reads the file on screen and types what the
referral page would show; the pipeline records it as if it had been read (the original
archived with it, the child matched, the acknowledgement drafted, in one transaction),
and the audit trail says who entered it.

The fields are the referral page's (desk/fields.py), checked the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from correspond.desk.fields import (
    CHILD_FIELDS,
    CONCERNS_FIELD,
    REFERRAL_FIELDS,
    apply_corrections,
    extraction_from_json,
    parse_value,
)
from correspond.domain.concerns import CONCERN_LABELS
from correspond.errors import DeskProblem, NotARegularFile, TemplateProblem
from correspond.pipeline import Outcome, Pipeline
from correspond.records import Extraction

MAX_CHILDREN = 3  # the form offers this many; blank ones are left out


def child_paths(index: int) -> list[str]:
    return [f"children[{index}].{name}" for name in CHILD_FIELDS]


def typed_extraction(form: Mapping[str, str], concerns: Sequence[str]) -> Extraction:
    """The Extraction the typed fields describe. Raises DeskProblem, naming the field,
    for a value that cannot be taken (a date that is not one) or a missing writer."""
    values: dict[str, Any] = {}
    for path in REFERRAL_FIELDS:
        values[path] = parse_value(path, form.get(path, ""))
    children: list[dict[str, Any]] = []
    for index in range(MAX_CHILDREN):
        typed = {path: parse_value(path, form.get(path, "")) for path in child_paths(index)}
        if any(value is not None for value in typed.values()):
            children.append({path.replace(f"children[{index}]",
                                          f"children[{len(children)}]"): value
                             for path, value in typed.items()})
    if not values["correspondent.name"]:
        raise DeskProblem("Give the name of the MP or correspondent who wrote, so that the "
                          "acknowledgement can be addressed.")
    unknown = [item for item in concerns if item not in CONCERN_LABELS]
    if unknown:
        raise DeskProblem("Choose concerns from the list.")
    skeleton: dict[str, Any] = {
        # What reaches the SEND team's inbox is an MP's letter unless the form says not.
        "correspondent": {"type": "mp"}, "constituent": {},
        "children": [{} for _ in children], "concerns": [],
    }
    for child in children:
        values.update(child)
    values[CONCERNS_FIELD] = [item for item in CONCERN_LABELS if item in concerns]
    return extraction_from_json(apply_corrections(skeleton, values))


def enter_by_hand(pipeline: Pipeline, path: Path, *, name: str, pages: int,
                  form: Mapping[str, str], concerns: Sequence[str], user: str) -> Outcome:
    """Record the referral typed for the set-aside file at `path` (dropped as `name`).
    Raises DeskProblem with what to do when it cannot be."""
    extraction = typed_extraction(form, concerns)
    try:
        outcome = pipeline.enter_by_hand(path, name=name, extraction=extraction, pages=pages,
                                         user=user)
    except NotARegularFile as refused:
        raise DeskProblem(refused.reason) from refused
    except TemplateProblem as problem:
        raise DeskProblem(problem.reason) from problem
    except OSError as err:
        raise DeskProblem("The file could not be archived or the letter drafted (the "
                          "data or drafts folder could not be written); nothing was "
                          "recorded, so try again once it is put right.") from err
    if outcome.kind == "duplicate":
        raise DeskProblem(f"This file was already recorded as {outcome.reference}; open it "
                          f"from the queue instead.")
    return outcome
