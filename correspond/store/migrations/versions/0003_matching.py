"""Record linkage: known-as keys and blocking indexes on cases, name frequencies, and
caseworkers' match decisions.

Revision ID: 0003
Revises: 0002
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("known_as_key", sa.String(64)))
    _fill_known_as_keys()
    # Blocking: candidates are looked up by surname with first name and year of birth,
    # and by known-as name, through these. The surname and first-name indexes alone are
    # not needed (the first covers the surname) and would slow every import.
    op.drop_index("ix_cases_last_name_key", "cases")
    op.drop_index("ix_cases_first_name_key", "cases")
    op.create_index("ix_cases_last_first_born", "cases",
                    ["last_name_key", "first_name_key", "date_of_birth"])
    # The records sharing a birthday are sifted by name or postcode inside this index,
    # without reading each record (about 150 share a birthday in a million).
    op.drop_index("ix_cases_date_of_birth", "cases")
    op.create_index("ix_cases_born_names", "cases",
                    ["date_of_birth", "last_name_key", "first_name_key", "known_as_key",
                     "postcode"])
    # Known-as name first: SQLite must not take the surname alone and read every Smith.
    op.create_index("ix_cases_known_as_last", "cases", ["known_as_key", "last_name_key"])
    op.create_table(
        # How many case records carry each first name and surname ('first', 'last'), and
        # the number of records ('total', ''): a rare surname agreeing is stronger
        # evidence than a common one. Recounted after every import.
        "name_frequencies",
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("kind", "key"),
    )
    op.create_table(
        # A caseworker's confirmation or correction of a child's link. `family_key` is a
        # digest of the child as written (names, date of birth) and the constituent's
        # postcode and name, so the same family writing again links without asking.
        "match_confirmations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("family_key", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("child_position", sa.Integer, nullable=False),
        sa.Column("confirmed_by", sa.Text, nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_match_confirmations_family_key", "match_confirmations",
                    ["family_key"])


def _fill_known_as_keys() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT case_id, known_as FROM cases WHERE known_as IS NOT NULL")
    ).all()
    for case_id, known_as in rows:
        connection.execute(sa.text("UPDATE cases SET known_as_key = :key WHERE case_id = :id"),
                           {"key": _name_key(known_as), "id": case_id})


def _name_key(name: str) -> str:
    # As correspond.normalise.name_key when this revision was written; a migration keeps
    # its own copy so that a later change there cannot change what it did.
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed
                   if ch.isalnum() and not unicodedata.combining(ch)).casefold()
