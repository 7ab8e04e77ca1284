"""The search index on PostgreSQL: one row per referral, its words in a tsvector
weighted by field (names A, numbers B, people C, letter D) under a GIN index, and the
letter's text for the snippets shown with a result. SQLite keeps its FTS5 table
(migration 0009), so this revision does nothing there.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_table(
        # Filled by store/search.py when a referral is recorded or changed, and at start
        # for referrals recorded before this revision.
        "referral_search",
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"),
                  primary_key=True),
        sa.Column("words", postgresql.TSVECTOR, nullable=False),
        sa.Column("letter", sa.Text, nullable=False),
    )
    op.create_index("ix_referral_search_words", "referral_search", ["words"],
                    postgresql_using="gin")

