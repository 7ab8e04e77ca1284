"""Finding a referral from what a caller has to hand: the child's name (as written, as
known, misspelt or without its accents), the MP or councillor, the constituency, the
MP's reference, our reference, a postcode, a case id or words of the letter.

What a person typed becomes a `SearchQuery` (store/search.py runs it on the database's
own full-text index): every word must match; the last may be the start of a longer one
("Kha" finds Khan); a reference or postcode matches however it is spaced or punctuated.
When nothing matches as typed, a word that could be a misspelt name (one or two letters
out, against the names in the index) is looked for as those names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from correspond.desk.queries import DeskQueries
from correspond.domain.text import fold
from correspond.store import search
from correspond.store.queue import QueueRow

MAX_QUERY_CHARACTERS = 200
MAX_WORDS = 8
RESULTS = 50
# Business support handle files, not letters: they search what the queue shows them.
FIELDS_FOR_ROLE = {"caseworker": search.FIELDS,
                   "business_support": ("names", "people", "numbers")}
_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Result:
    row: QueueRow
    snippet: list[tuple[str, bool]]  # of the letter: (text, matched) pieces
    spelt_differently: bool  # found only by a name spelt a little differently


@dataclass(frozen=True)
class Found:
    text: str
    results: list[Result]
    problem: str | None = None  # a sentence for the person, when nothing could be asked


def search_referrals(queries: DeskQueries, text: str, role: str) -> Found:
    """The referrals `text` finds that a person with `role` may see, best first."""
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARACTERS:
        return Found(text[:MAX_QUERY_CHARACTERS], [], "Search for at most "
                     f"{MAX_QUERY_CHARACTERS} characters: a name or a reference is enough.")
    words = [_tokens(word) for word in text.split(" ")]
    words = [tokens for tokens in words if tokens][:MAX_WORDS]
    if not words:
        return Found(text, [])
    fields = FIELDS_FOR_ROLE.get(role, ())
    snippets = "letter" in fields
    exact = search.SearchQuery(tuple(_alternatives(tokens, last=index == len(words) - 1)
                                     for index, tokens in enumerate(words)),
                               fields=fields, limit=RESULTS, snippets=snippets)
    db = queries.db
    with db.reading() as connection:
        hits = search.find(db, connection, exact)
        fuzzy: list[search.Hit] = []
        if not hits:
            names = search.names(db, connection)
            widened = tuple(_alternatives(tokens, last=index == len(words) - 1)
                            + _misspellings(tokens, names)
                            for index, tokens in enumerate(words))
            if widened != exact.words:
                fuzzy = search.find(db, connection, search.SearchQuery(
                    widened, fields=fields, limit=RESULTS,
                    snippets=snippets))
    ordered = [(hit, False) for hit in hits] + [(hit, True) for hit in fuzzy]
    rows = {row.id: row for row in queries.rows_of([hit.referral_id for hit, _ in ordered])}
    return Found(text, [Result(rows[hit.referral_id],
                               search.snippet_parts(hit.snippet) if hit.snippet else [],
                               spelt_differently)
                        for hit, spelt_differently in ordered if hit.referral_id in rows])


def _tokens(word: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(fold(word).casefold()))


def _alternatives(tokens: tuple[str, ...], *, last: bool) -> tuple[search.Alternative, ...]:
    """A word as typed, perhaps as the start of a longer one; one of several parts
    ("JD/2026/118", "LS6 2AB" typed as "ls62ab") also as a reference run together."""
    found = [search.Alternative(tokens, prefix=last)]
    if len(tokens) > 1:
        found.append(search.Alternative(("".join(tokens),), prefix=last,
                                        fields=("numbers",)))
    return tuple(found)


def _misspellings(tokens: tuple[str, ...],
                  names: list[str]) -> tuple[search.Alternative, ...]:
    """Names in the index a letter or two away from a word typed as a name (two letters
    swapped count as one)."""
    if len(tokens) != 1 or not tokens[0].isalpha() or len(tokens[0]) < 3:
        return ()
    word = tokens[0]
    allowed = 1 if len(word) <= 5 else 2
    close = process.extract(word, names, scorer=OSA.distance,
                            score_cutoff=allowed, limit=10)
    return tuple(search.Alternative((name,), fields=("names",))
                 for name, _, _ in close if name != word)


__all__ = ["Found", "Result", "search_referrals"]
