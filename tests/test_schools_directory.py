"""The register as the service holds it: loaded from a real SQLite database, refreshed
after an import, and applied to the children of an extraction."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from correspond.records import (
    Child,
    Constituent,
    Correspondent,
    Extraction,
    Letter,
    School,
    SchoolRecord,
)
from correspond.referral_json import referral_to_json
from correspond.schools.directory import SchoolDirectory
from correspond.store.database import Database
from correspond.store.schools import save_schools

MEANWOOD = SchoolRecord("900001", "Meanwood Church of England Primary School", la_code="383",
                        la_name="Leeds", town="Leeds", status="Open", phase="Primary")
OAKFIELD_LEEDS = SchoolRecord("900002", "Oakfield Primary School", la_name="Leeds",
                              town="Leeds", status="Open", phase="Primary")
OAKFIELD_YORK = SchoolRecord("900003", "Oakfield Primary School", la_name="York",
                             town="York", status="Open", phase="Primary")


@pytest.fixture
def db(database_url):
    database = Database(database_url)
    yield database
    database.close()


def extraction(*schools: str | None) -> Extraction:
    return Extraction(
        is_send=True, correspondent=Correspondent(type="mp", name="Hannah Greaves"),
        constituent=Constituent(name="Mrs Sarah Khan"),
        children=tuple(Child(first_name="Adam", last_name="Khan",
                             school=School(name) if name else None) for name in schools),
    )


def test_the_register_is_loaded_again_after_an_import_changes_it(db):
    directory = SchoolDirectory(db)
    assert len(directory.register()) == 0

    save_schools(db, [MEANWOOD])
    assert directory.resolve("Meanwood C of E Primary").urn == "900001"
    loaded = directory.register()
    assert directory.register() is loaded  # unchanged: not loaded again

    save_schools(db, [MEANWOOD, OAKFIELD_LEEDS])  # Meanwood unchanged, Oakfield new
    assert directory.resolve("Oakfield Primary").urn == "900002"
    assert directory.register() is not loaded


def test_nothing_changes_while_the_register_is_empty(db):
    given = extraction("Meanwood C of E Primary")
    assert SchoolDirectory(db).resolve_children(given) == (given, ())


def test_each_childs_school_gets_its_urn_only_when_resolved(db):
    save_schools(db, [MEANWOOD, OAKFIELD_LEEDS, OAKFIELD_YORK])

    resolved, resolutions = SchoolDirectory(db).resolve_children(
        extraction("Meanwood C of E Primary", "Oakfield Primary", None, "Xyzzy Academy"))

    schools = [child.school for child in resolved.children]
    assert schools[0] == School("Meanwood C of E Primary", "900001")  # as written, with URN
    assert schools[1] == School("Oakfield Primary", None)
    assert schools[2] is None
    assert [r.status if r else None for r in resolutions] == [
        "resolved", "ambiguous", None, "unknown"]
    assert {c.urn for c in resolutions[1].candidates} == {"900002", "900003"}


def test_schools_la_prefers_the_council_area(db):
    save_schools(db, [MEANWOOD, OAKFIELD_LEEDS, OAKFIELD_YORK])

    resolved, _ = SchoolDirectory(db, local_la="York").resolve_children(
        extraction("Oakfield Primary"))

    assert resolved.children[0].school.urn == "900003"


def test_the_referral_json_carries_the_urn_or_the_candidates(db, spec_dir: Path):
    save_schools(db, [MEANWOOD, OAKFIELD_LEEDS, OAKFIELD_YORK])
    resolved, resolutions = SchoolDirectory(db).resolve_children(
        extraction("Meanwood C of E Primary", "Oakfield Primary"))

    referral = referral_to_json(file="letter.txt", sha256="0" * 64, format="txt",
                                letter=Letter(text="", source="body"), extraction=resolved,
                                schools=resolutions)

    schema = json.loads((spec_dir / "referral.schema.json").read_text("utf-8"))
    jsonschema.validate(referral, schema)
    meanwood, oakfield = (child["school"] for child in referral["children"])
    assert meanwood == {"name": "Meanwood C of E Primary", "urn": "900001",
                        "register_name": "Meanwood Church of England Primary School"}
    assert oakfield["urn"] is None
    assert [(c["urn"], c["name"], c["town"]) for c in oakfield["candidates"]] == [
        ("900002", "Oakfield Primary School", "Leeds"),
        ("900003", "Oakfield Primary School", "York"),
    ]
