"""The hand-written development set in tests/devset/ is well-formed.

The set measures extraction quality, so a malformed gold file would quietly skew every
figure. These checks keep its shape honest; they say nothing about the extractor.
"""

from __future__ import annotations

import datetime as dt
import email
import json
import re
from email import policy
from pathlib import Path

import pytest

DEVSET = Path(__file__).parent / "devset"
LETTER_SUFFIXES = (".txt", ".eml")

TOP_KEYS = {"is_send", "is_chaser", "council_reference", "urgent", "letter_date",
            "correspondent", "constituent", "children", "concerns"}
CORRESPONDENT_KEYS = {"type", "name", "constituency", "reference", "caseworker"}
CONSTITUENT_KEYS = {"name", "postcode"}
CHILD_KEYS = {"first_name", "last_name", "date_of_birth", "school", "requested_school"}
CORRESPONDENT_TYPES = {"mp", "mp_office", "councillor", "other"}

# Normalised UK postcode: outward code, one space, inward code (digit and two letters).
POSTCODE = re.compile(
    r"^(GIR 0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-Z]? [0-9][ABD-HJLNP-UW-Z]{2})$")
NAME_PREFIXES = ("Dr ", "Sir ", "Dame ", "Mr ", "Mrs ", "Ms ", "Miss ", "Rt Hon ", "Cllr ")


def letters() -> list[Path]:
    return sorted(p for p in DEVSET.iterdir() if p.suffix in LETTER_SUFFIXES)


def gold_path(letter: Path) -> Path:
    return letter.with_name(letter.stem + ".gold.json")


def all_gold() -> dict[str, dict]:
    return {p.name: json.loads(p.read_text("utf-8")) for p in sorted(DEVSET.glob("*.gold.json"))}


def test_every_letter_has_a_gold_file_and_every_gold_file_a_letter():
    stems = [p.stem for p in letters()]
    gold_stems = [p.name.removesuffix(".gold.json") for p in DEVSET.glob("*.gold.json")]
    assert len(stems) == len(set(stems)), "two letters share a name"
    assert sorted(stems) == sorted(gold_stems)
    others = {p.name for p in DEVSET.iterdir()} - {p.name for p in letters()} \
        - {p.name for p in DEVSET.glob("*.gold.json")} - {"README.md"}
    assert not others, f"unexpected files in tests/devset: {sorted(others)}"


def test_letters_are_numbered_once_each():
    numbers = [p.name.split("_", 1)[0] for p in letters()]
    assert all(re.fullmatch(r"\d{2}", n) for n in numbers)
    assert len(numbers) == len(set(numbers))


@pytest.mark.parametrize("name, gold", sorted(all_gold().items()))
def test_gold_file_has_exactly_the_agreed_shape(name, gold):
    assert set(gold) == TOP_KEYS, name
    assert isinstance(gold["is_send"], bool)
    assert isinstance(gold["is_chaser"], bool)
    assert isinstance(gold["urgent"], bool)
    assert gold["council_reference"] is None or isinstance(gold["council_reference"], str)
    assert gold["letter_date"] is None or dt.date.fromisoformat(gold["letter_date"])

    correspondent = gold["correspondent"]
    assert set(correspondent) == CORRESPONDENT_KEYS, name
    assert correspondent["type"] in CORRESPONDENT_TYPES
    assert isinstance(correspondent["name"], str) and correspondent["name"].strip()
    assert not correspondent["name"].startswith(NAME_PREFIXES), "titles belong outside the name"
    assert not correspondent["name"].endswith(" MP")
    for key in ("constituency", "reference", "caseworker"):
        assert correspondent[key] is None or isinstance(correspondent[key], str)

    constituent = gold["constituent"]
    assert set(constituent) == CONSTITUENT_KEYS, name
    assert constituent["name"] is None or isinstance(constituent["name"], str)
    postcode = constituent["postcode"]
    assert postcode is None or POSTCODE.match(postcode), f"{name}: bad postcode {postcode!r}"

    assert isinstance(gold["children"], list)
    for child in gold["children"]:
        assert set(child) == CHILD_KEYS, name
        for key in CHILD_KEYS - {"date_of_birth"}:
            assert child[key] is None or isinstance(child[key], str)
        if child["date_of_birth"] is not None:
            born = dt.date.fromisoformat(child["date_of_birth"])
            assert child["date_of_birth"] == born.isoformat()
            assert dt.date(1995, 1, 1) < born < dt.date(2026, 1, 1), f"{name}: unlikely {born}"

    assert isinstance(gold["concerns"], list)
    assert len(gold["concerns"]) == len(set(gold["concerns"])), f"{name}: repeated concern"


@pytest.mark.parametrize("name, gold", sorted(all_gold().items()))
def test_misrouted_letters_carry_no_children_or_concerns(name, gold):
    if gold["is_send"]:
        assert gold["children"], f"{name}: a SEND letter is about at least one child"
        assert gold["concerns"], f"{name}: a SEND letter raises at least one concern"
    else:
        assert gold["children"] == [] and gold["concerns"] == [] and not gold["urgent"]


def test_concern_ids_exist_in_the_shared_spec(spec_dir: Path):
    spec = json.loads((spec_dir / "concerns.json").read_text("utf-8"))
    known = {category["id"] for category in spec["categories"]}
    used = {concern for gold in all_gold().values() for concern in gold["concerns"]}
    assert used <= known, f"unknown concern ids: {sorted(used - known)}"
    assert used == known, f"no letter raises: {sorted(known - used)}"


@pytest.mark.parametrize("path", [p for p in letters() if p.suffix == ".eml"], ids=lambda p: p.name)
def test_emails_are_parseable_rfc5322_messages(path: Path):
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    for header in ("From", "To", "Subject", "Date", "Content-Type"):
        assert message[header], f"{path.name}: no {header} header"
    body = message.get_body(preferencelist=("plain", "html"))
    assert body is not None and body.get_content().strip()


def test_the_set_is_big_and_varied_enough():
    gold = all_gold()
    assert len(gold) >= 40
    assert sum(not g["is_send"] for g in gold.values()) >= 5
    assert sum(g["is_chaser"] for g in gold.values()) >= 4
    assert sum(len(g["children"]) >= 2 for g in gold.values()) >= 4
    assert sum(p.suffix == ".eml" for p in letters()) >= 8
    types = {g["correspondent"]["type"] for g in gold.values()}
    assert types == CORRESPONDENT_TYPES
    assert any(g["urgent"] for g in gold.values())
    assert sum(g["urgent"] for g in gold.values()) < len(gold) / 2


def test_the_readme_lists_every_letter():
    readme = (DEVSET / "README.md").read_text("utf-8")
    missing = [p.name for p in letters() if p.name not in readme]
    assert not missing, f"README.md does not list: {missing}"
