"""The concern categories of the shared spec (concerns.json, a copy shipped in the
package), loaded once for every stage that names them: the extractor, the letters, the
desk and the reports."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    means: str
    urgent_hint: bool  # on its own makes a referral urgent


@cache
def categories() -> dict[str, Category]:
    """The categories by id, in the order the spec lists them."""
    data = json.loads(Path(__file__).with_name("concerns.json").read_text("utf-8"))
    return {item["id"]: Category(item["id"], item["label"], item["means"], item["urgent_hint"])
            for item in data["categories"]}


def concern_labels() -> dict[str, str]:
    """id -> the label staff see ("EHC needs assessment"), in the spec's order."""
    return {category.id: category.label for category in categories().values()}


CONCERN_LABELS: dict[str, str] = concern_labels()
