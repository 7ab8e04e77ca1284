"""Extraction quality on the hand-written letters, as `correspond evaluate` measures it.

The development set holds the issue's targets. The sealed held-out and blind sets are
below them in places (docs/measurements/); they are guarded against getting worse, never
tuned on: their floors are the figures measured once, after the work was done.
"""

from __future__ import annotations

import pytest

from support import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    from correspond.config import load_settings

    return load_settings(tmp_path_factory.mktemp("home"))


def test_the_development_set_meets_every_target(settings):
    from correspond.evaluation.extraction import evaluate_extraction

    report = evaluate_extraction(REPO / "tests" / "devset", settings)
    failing = [field["label"] for field in report["fields"].values()
               if field.get("target") is not None and not field["passed"]]
    assert failing == []
    assert report["concerns"]["micro"]["passed"]
    assert report["urgent"]["recall"] == 1.0


def _assert_not_worse(settings, letters: str, floors: dict[str, float], concerns_f1: float):
    from correspond.evaluation.extraction import evaluate_extraction

    report = evaluate_extraction(REPO / "tests" / letters, settings)
    accuracy = {name: field["accuracy"] for name, field in report["fields"].items()}
    assert {name: accuracy[name] for name in floors if accuracy[name] < floors[name]} == {}
    assert report["concerns"]["micro"]["f1"] >= concerns_f1
    assert report["urgent"]["recall"] == 1.0  # an urgent letter is never missed


def test_the_held_out_set_does_not_get_worse(settings):
    _assert_not_worse(settings, "heldout", {
        "child.first_name": 0.95, "child.last_name": 0.95, "child.date_of_birth": 0.87,
        "child.school": 0.75, "constituent.name": 0.95, "constituent.postcode": 0.95,
        "correspondent.name": 0.95, "correspondent.constituency": 0.95,
        "correspondent.reference": 0.9, "is_send": 1.0}, concerns_f1=0.79)


def test_the_blind_set_does_not_get_worse(settings):
    # docs/measurements/blind-after-parts.txt, rounded down.
    _assert_not_worse(settings, "blind", {
        "child.first_name": 0.97, "child.last_name": 0.95, "child.date_of_birth": 0.86,
        "child.school": 0.95, "children.count": 0.85, "constituent.name": 1.0,
        "constituent.postcode": 0.97, "correspondent.name": 0.85,
        "correspondent.reference": 0.91, "is_send": 0.91, "letter_date": 1.0},
        concerns_f1=0.79)
