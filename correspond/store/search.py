"""The search index of referrals: every statement that fills or reads it.

One entry per referral, in four fields: `names` (the children as written and as their
linked case records give them, known-as names included), `people` (the MP or
councillor, their constituency and office caseworker, the constituent), `numbers` (our
reference, the MP's reference, the postcode and the children's case ids, each also
written without spaces or punctuation) and `letter` (the subject and text). Names are
folded to plain ASCII first ("Zoë", "Łukasz" -> "Zoe", "Lukasz"), so a search typed
without accents finds them.

The desk asks in a `SearchQuery` (words, each with the alternatives that may match it),
never in a database's own query language: on SQLite the index is an FTS5 table ranked by
BM25 (migration 0009), on PostgreSQL a tsvector weighted by field under a GIN index,
ranked by ts_rank (migration 0012); another database needs only its own `_Index` here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.domain.text import fold
from correspond.store.corrections import corrections
from correspond.store.database import Database

FIELDS = ("names", "people", "numbers", "letter")
# How much a word found in each field counts towards a referral's rank: a name or a
# reference says much more about which referral is meant than a word of the letter.
_WEIGHTS = {"names": 10.0, "people": 4.0, "numbers": 10.0, "letter": 1.0}
# Marks around the words found, in a snippet of the letter (never in a letter's text).
SNIPPET_START, SNIPPET_END = "\x02", "\x03"


@dataclass(frozen=True)
class Alternative:
    """One way a word of a search may match: a token (or tokens in a row, a phrase),
    perhaps as the start of a longer word, in some of the fields."""

    tokens: tuple[str, ...]
    prefix: bool = False
    fields: tuple[str, ...] = FIELDS


@dataclass(frozen=True)
class SearchQuery:
    words: tuple[tuple[Alternative, ...], ...]  # each word matches one of its alternatives
    fields: tuple[str, ...] = FIELDS  # the fields the person searching may see
    limit: int = 50
    exclude: frozenset[int] = frozenset()  # referrals found already
    snippets: bool = False


@dataclass(frozen=True)
class Hit:
    referral_id: int
    snippet: str | None  # of the letter, with SNIPPET_START/END around what matched


@dataclass(frozen=True)
class Document:
    names: str
    people: str
    numbers: str
    letter: str


class SearchUnavailable(Exception):
    """This database has no search index (yet)."""


class _Index(Protocol):
    def store(self, connection: Connection, referral_id: int, document: Document) -> None: ...
    def indexed_ids(self, connection: Connection) -> set[int]: ...
    def find(self, connection: Connection, query: SearchQuery) -> list[Hit]: ...
    def names(self, connection: Connection) -> list[str]: ...


def reindex(db: Database, connection: Connection, referral_id: int) -> None:
    """Index the referral as it now stands (after its corrections), inside the caller's
    write, so the index never disagrees with what was committed."""
    index = _index_of(db)
    if index is not None:
        index.store(connection, referral_id, document_for(db, connection, referral_id))


def index_missing(db: Database) -> int:
    """Index every referral not yet in the index (those recorded before it existed);
    returns how many. Run at start."""
    index = _index_of(db)
    if index is None:
        return 0
    referrals = db.table("referrals")
    with db.reading() as connection:
        wanted = set(connection.execute(sa.select(referrals.c.id)).scalars())
        missing = sorted(wanted - index.indexed_ids(connection))
    for start in range(0, len(missing), 500):
        with db.writing() as connection:
            for referral_id in missing[start:start + 500]:
                index.store(connection, referral_id, document_for(db, connection, referral_id))
    return len(missing)


def find(db: Database, connection: Connection, query: SearchQuery) -> list[Hit]:
    """The referrals matching every word of `query`, best first."""
    index = _index_of(db)
    if index is None:
        raise SearchUnavailable("Search needs SQLite or PostgreSQL.")
    if not query.words:
        return []
    return index.find(connection, query)


def names(db: Database, connection: Connection) -> list[str]:
    """Every word of a child's name indexed (the names a misspelt one may be)."""
    index = _index_of(db)
    return index.names(connection) if index is not None else []


def document_for(db: Database, connection: Connection, referral_id: int) -> Document:
    """What is indexed for a referral: read from its record, its corrections, its
    children (those not removed) and their linked case records."""
    referrals, children, cases = (db.table("referrals"), db.table("referral_children"),
                                  db.table("cases"))
    row = connection.execute(sa.select(referrals).where(referrals.c.id == referral_id)).one()
    read = json.loads(row.extraction_json)
    corrected = corrections(db, connection, referral_id)
    constituent = read.get("constituent") or {}
    correspondent = read.get("correspondent") or {}
    postcode = corrected.get("constituent.postcode", constituent.get("postcode"))
    caseworker = corrected.get("correspondent.caseworker", correspondent.get("caseworker"))
    names: list[str | None] = []
    case_ids: list[str | None] = []
    for child in connection.execute(
            sa.select(children.c.first_name, children.c.last_name, children.c.case_id,
                      children.c.match_status, cases.c.child_first_name,
                      cases.c.child_last_name, cases.c.known_as)
            .outerjoin(cases, cases.c.case_id == children.c.case_id)
            .where(children.c.referral_id == referral_id, children.c.removed_at.is_(None))):
        names += [child.first_name, child.last_name]
        if child.case_id and child.match_status == "matched":
            names += [child.child_first_name, child.child_last_name, child.known_as]
            case_ids.append(child.case_id)
    return Document(
        names=_folded(names),
        people=_folded([row.mp_name, row.constituency, caseworker, row.constituent_name]),
        numbers=" ".join(_number_forms([row.reference, row.mp_reference, postcode,
                                        row.quoted_council_reference, *case_ids])),
        letter="\n".join(text for text in (row.subject, row.letter_text, row.covering_text)
                         if text),
    )


def _folded(values: Iterable[str | None]) -> str:
    return " ".join(fold(value) for value in values if value)


def _number_forms(values: Iterable[str | None]) -> list[str]:
    """Each reference as written ("JD/2026/118", split into its parts by the index) and
    run together ("jd2026118"), so either way of typing it finds it."""
    forms: list[str] = []
    for value in values:
        if not value:
            continue
        parts = re.findall(r"[a-z0-9]+", fold(value).casefold())
        forms.append(" ".join(parts))
        if len(parts) > 1:
            forms.append("".join(parts))
    return forms


def _index_of(db: Database) -> _Index | None:
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        return _Fts5Index()
    if dialect == "postgresql":
        return _PostgresIndex()
    return None


class _Fts5Index:
    """SQLite's FTS5: table referral_search (rowid = referral id), and the words of
    children's names in referral_search_names (both made by migration 0009)."""

    def store(self, connection: Connection, referral_id: int, document: Document) -> None:
        connection.execute(sa.text("DELETE FROM referral_search WHERE rowid = :id"),
                           {"id": referral_id})
        connection.execute(sa.text(
            "INSERT INTO referral_search (rowid, names, people, numbers, letter) "
            "VALUES (:id, :names, :people, :numbers, :letter)"),
            {"id": referral_id, "names": document.names, "people": document.people,
             "numbers": document.numbers, "letter": document.letter})
        words = sorted(set(re.findall(r"[a-z0-9]+", document.names.casefold())))
        if words:
            connection.execute(sa.text("INSERT OR IGNORE INTO referral_search_names (term) "
                                       "VALUES (:term)"), [{"term": word} for word in words])

    def indexed_ids(self, connection: Connection) -> set[int]:
        return set(connection.execute(sa.text("SELECT rowid FROM referral_search")).scalars())

    def find(self, connection: Connection, query: SearchQuery) -> list[Hit]:
        expression = _fts5_expression(query)
        if expression is None:
            return []
        weights = ", ".join(str(_WEIGHTS[name]) for name in FIELDS)
        snippet = (f"snippet(referral_search, 3, '{SNIPPET_START}', '{SNIPPET_END}', "
                   "'…', 16)" if query.snippets and "letter" in query.fields else "NULL")
        excluded = ", ".join(str(int(referral_id)) for referral_id in sorted(query.exclude))
        rows = connection.execute(sa.text(
            f"SELECT rowid, {snippet} AS snippet FROM referral_search "
            f"WHERE referral_search MATCH :expression "
            f"{f'AND rowid NOT IN ({excluded})' if excluded else ''} "
            f"ORDER BY bm25(referral_search, {weights}) LIMIT :limit"),
            {"expression": expression, "limit": query.limit}).all()
        return [Hit(row.rowid, row.snippet) for row in rows]

    def names(self, connection: Connection) -> list[str]:
        return list(connection.execute(
            sa.text("SELECT term FROM referral_search_names")).scalars())


def _fts5_expression(query: SearchQuery) -> str | None:
    """The query in FTS5's language: every word (AND), each as any of its alternatives
    (OR), each alternative only in the fields it may match and the person may see."""
    words = []
    for alternatives in query.words:
        options = []
        for alternative in alternatives:
            fields = [name for name in FIELDS
                      if name in alternative.fields and name in query.fields]
            if not fields or not alternative.tokens:
                continue
            phrase = '"' + " ".join(token.replace('"', '""')
                                    for token in alternative.tokens) + '"'
            options.append("{" + " ".join(fields) + "} : " + phrase
                           + ("*" if alternative.prefix else ""))
        if not options:
            return None  # a word that may be searched nowhere matches nothing
        words.append("(" + " OR ".join(options) + ")")
    return " AND ".join(words)


# Each field's weight letter in the tsvector. Every field has a letter of its own, so a
# phrase matches within one field, never across the end of one and the start of the next.
_LETTERS = {"names": "A", "numbers": "B", "people": "C", "letter": "D"}
# ts_rank's weights, in its order (D, C, B, A), in proportion to _WEIGHTS.
_RANK_WEIGHTS = "{" + ", ".join(str(_WEIGHTS[name] / max(_WEIGHTS.values()))
                                for name in ("letter", "people", "numbers", "names")) + "}"
_LEXEME = re.compile(r"[a-z0-9]+")  # the only tokens a tsquery is made of
# Words of a letter indexed (a tsvector holds at most 1 MB); FTS5's positions do not stop.
_MAX_LETTER_WORDS = 20_000


class _PostgresIndex:
    """PostgreSQL's text search: table referral_search (migration 0012), the words of each
    field as the desk's search splits them (folded, lower case, letters and digits),
    weighted by field; the words of children's names in referral_search_names as on
    SQLite."""

    def store(self, connection: Connection, referral_id: int, document: Document) -> None:
        words = {name: _words(getattr(document, name)) for name in FIELDS}
        words["letter"] = " ".join(words["letter"].split(" ")[:_MAX_LETTER_WORDS])
        vector = " || ".join(f"setweight(to_tsvector('simple', :{name}), '{_LETTERS[name]}')"
                             for name in FIELDS)
        connection.execute(sa.text(
            f"INSERT INTO referral_search (referral_id, words, letter) "
            f"VALUES (:id, {vector}, :letter_text) "
            f"ON CONFLICT (referral_id) DO UPDATE "
            f"SET words = excluded.words, letter = excluded.letter"),
            {"id": referral_id, "letter_text": document.letter, **words})
        names = sorted(set(words["names"].split()))
        if names:
            connection.execute(sa.text("INSERT INTO referral_search_names (term) "
                                       "VALUES (:term) ON CONFLICT DO NOTHING"),
                               [{"term": word} for word in names])

    def indexed_ids(self, connection: Connection) -> set[int]:
        return set(connection.execute(
            sa.text("SELECT referral_id FROM referral_search")).scalars())

    def find(self, connection: Connection, query: SearchQuery) -> list[Hit]:
        matching = _tsquery(query, fields=query.fields)
        if matching is None:
            return []
        marked = _tsquery(query, fields=("letter",), every_word=False, weighted=False)
        snippet = ("ts_headline('simple', found.letter, CAST(:marked AS tsquery), "
                   f"'StartSel={SNIPPET_START}, StopSel={SNIPPET_END}, MaxWords=16, "
                   "MinWords=8, MaxFragments=1, FragmentDelimiter=…')"
                   if query.snippets and "letter" in query.fields and marked else "NULL")
        excluded = ", ".join(str(int(referral_id)) for referral_id in sorted(query.exclude))
        # The snippets are made for the page of results only, after the limit.
        rows = connection.execute(sa.text(
            f"SELECT found.referral_id, {snippet} AS snippet FROM ("
            f"SELECT referral_id, letter, ts_rank('{_RANK_WEIGHTS}', words, "
            f"CAST(:matching AS tsquery)) AS rank FROM referral_search "
            f"WHERE words @@ CAST(:matching AS tsquery) "
            f"{f'AND referral_id NOT IN ({excluded})' if excluded else ''} "
            f"ORDER BY rank DESC, referral_id LIMIT :limit) AS found "
            f"ORDER BY found.rank DESC, found.referral_id"),
            {"matching": matching, "marked": marked or "", "limit": query.limit}).all()
        return [Hit(row.referral_id, row.snippet) for row in rows]

    def names(self, connection: Connection) -> list[str]:
        return list(connection.execute(
            sa.text("SELECT term FROM referral_search_names")).scalars())


def _words(text: str) -> str:
    """`text` as the words a search is compared with, one space between them."""
    return " ".join(_LEXEME.findall(fold(text).casefold()))


def _tsquery(query: SearchQuery, *, fields: tuple[str, ...], every_word: bool = True,
             weighted: bool = True) -> str | None:
    """The query as a tsquery: every word (&), or any word (|) for marking a snippet;
    each word as any of its alternatives (|); a phrase's tokens in a row (<->) within one
    field, the last perhaps as a prefix (:*); each token only in the fields (weight
    letters) it may match and the person may see."""
    words = []
    for alternatives in query.words:
        options = []
        for alternative in alternatives:
            chosen = [name for name in FIELDS if name in alternative.fields and name in fields]
            tokens = alternative.tokens
            if not chosen or not tokens or not all(_LEXEME.fullmatch(token)
                                                   for token in tokens):
                continue
            if not weighted:
                groups = [""]
            elif len(tokens) == 1:
                groups = ["".join(_LETTERS[name] for name in chosen)]
            else:
                groups = [_LETTERS[name] for name in chosen]  # a phrase, field by field
            for letters in groups:
                lexemes = [_lexeme(token, letters, prefix=False) for token in tokens[:-1]]
                lexemes.append(_lexeme(tokens[-1], letters, prefix=alternative.prefix))
                options.append("(" + " <-> ".join(lexemes) + ")")
        if not options:
            if every_word:
                return None  # a word that may be searched nowhere matches nothing
            continue
        words.append("(" + " | ".join(options) + ")")
    if not words:
        return None
    return (" & " if every_word else " | ").join(words)


def _lexeme(token: str, letters: str, *, prefix: bool) -> str:
    """'token', as a prefix (:*) and in the fields of weight `letters` (:AB)."""
    labels = ("*" if prefix else "") + letters
    return f"'{token}'" + (f":{labels}" if labels else "")


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as (text, matched) pieces, for the page to mark safely."""
    pieces: list[tuple[str, bool]] = []
    for index, piece in enumerate(re.split(f"[{SNIPPET_START}{SNIPPET_END}]", snippet)):
        if piece:
            pieces.append((piece, index % 2 == 1))
    return pieces


__all__ = ["FIELDS", "Alternative", "Document", "Hit", "SearchQuery", "SearchUnavailable",
           "document_for", "find", "index_missing", "names", "reindex", "snippet_parts"]

