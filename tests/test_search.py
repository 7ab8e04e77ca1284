"""Search for referrals, on whichever database the tests run on (SQLite's FTS5 or
PostgreSQL's text search): ranked, the last word as the start of a longer one, references
typed either way, misspelt names, accents, snippets of the letter, and what each role may
search. The desk's pages for it are tested in a browser in test_desk_day.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from correspond.desk.queries import DeskQueries
from correspond.desk.search import Found, search_referrals

from support import SAMPLES, RunningDesk

KHAN = (SAMPLES / "khan_letter.txt").read_text(encoding="utf-8")


@pytest.fixture
def letters(desk: RunningDesk, tmp_path: Path) -> dict[str, str]:
    """Two referrals: Adam Khan's, whose letter gives his mother's address as 27 Okoro
    Road, and Zoë Okoro's, a child named Okoro."""
    khan = tmp_path / "khan.txt"
    khan.write_text(KHAN.replace("Brookfield Road", "Okoro Road"), encoding="utf-8")
    okoro = tmp_path / "okoro.txt"
    okoro.write_text(KHAN.replace("HG/2026/0412", "HG/2026/0977")
                     .replace("Sarah Khan", "Grace Okoro").replace("Mrs Khan", "Mrs Okoro")
                     .replace("Adam Khan", "Zoë Okoro").replace("Adam", "Zoë"),
                     encoding="utf-8")
    return {"khan": desk.ingest(khan), "okoro": desk.ingest(okoro)}


def search(desk: RunningDesk, text: str, role: str = "caseworker") -> Found:
    return search_referrals(DeskQueries(desk.app.db, desk.app.archive), text, role)


def references(found: Found) -> list[str]:
    return [result.row.reference for result in found.results]


def test_a_name_ranks_above_the_same_word_in_a_letter(desk, letters) -> None:
    found = search(desk, "okoro")
    assert references(found) == [letters["okoro"], letters["khan"]]
    khan_snippet = found.results[1].snippet
    assert ("Okoro", True) in khan_snippet  # the word found, marked in the letter


def test_references_either_way_accents_and_the_start_of_a_word(desk, letters) -> None:
    assert references(search(desk, "HG/2026/0412")) == [letters["khan"]]
    assert references(search(desk, "hg20260412")) == [letters["khan"]]
    assert references(search(desk, "zoe")) == [letters["okoro"]]  # Zoë, typed without
    assert references(search(desk, "Adam Kha")) == [letters["khan"]]
    assert references(search(desk, "Ada")) == [letters["khan"]]
    assert references(search(desk, "Adam Okoro")) == [letters["khan"]]  # both words
    assert search(desk, "Adam Zoe").results == []


def test_a_misspelt_name_is_found_and_said_to_be_spelt_differently(desk, letters) -> None:
    found = search(desk, "Adma Khan")
    assert references(found) == [letters["khan"]]
    assert found.results[0].spelt_differently


def test_business_support_do_not_search_the_letters(desk, letters) -> None:
    found = search(desk, "LS6 2AB", role="business_support")  # the postcode, both letters
    assert sorted(references(found)) == sorted(letters.values())
    found = search(desk, "okoro", role="business_support")  # a name, not the address
    assert references(found) == [letters["okoro"]] and found.results[0].snippet == []
    assert search(desk, "Meanwood", role="business_support").results == []
    assert sorted(references(search(desk, "Meanwood"))) == sorted(letters.values())
