"""Name keys transliterate every letter: "Łukasz" is keyed "lukasz", as "Zoë" is "zoe".

Before this revision a letter that does not decompose into a base letter and an accent
(ł, ø, đ, ß, æ, œ, þ, ı) stayed in the key, so "Łukasz" on a case record and "Lukasz" in
a letter had different keys. The keys of case records with such names are recomputed,
and the name counts recounted. Caseworkers' remembered decisions (match_confirmations)
are digests of names as they were keyed; for the few families with such letters in their
names, the next letter goes to a caseworker once more instead of linking on its own.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from anyascii import anyascii

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT case_id, child_first_name, child_last_name, known_as FROM cases")).all()
    for case_id, first, last, known_as in rows:
        if all(value is None or value.isascii() for value in (first, last, known_as)):
            continue
        connection.execute(sa.text(
            "UPDATE cases SET first_name_key = :first, last_name_key = :last, "
            "known_as_key = :known WHERE case_id = :id"),
            {"first": _name_key(first), "last": _name_key(last),
             "known": _name_key(known_as) or None, "id": case_id})
    connection.execute(sa.text("DELETE FROM name_frequencies"))
    for kind, column in (("first", "first_name_key"), ("last", "last_name_key")):
        connection.execute(sa.text(
            f"INSERT INTO name_frequencies (kind, key, count) "
            f"SELECT '{kind}', {column}, count(*) FROM cases GROUP BY {column}"))
    connection.execute(sa.text(
        "INSERT INTO name_frequencies (kind, key, count) SELECT 'total', '', count(*) FROM cases"))


def _name_key(name: str | None) -> str:
    # As correspond.domain.text.name_key when this revision was written; a migration keeps
    # its own copy so that a later change there cannot change what it did.
    if not name:
        return ""
    folded = name if name.isascii() else anyascii(name)
    return "".join(ch for ch in folded if ch.isalnum()).casefold()
