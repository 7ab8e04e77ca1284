"""Claims on inbox files, with leases, so several workers share one inbox; on PostgreSQL,
the audit trail refuses TRUNCATE too, and refuses changes with an integrity error as on
SQLite.

A worker records its claim on a file (the token in inbox/.processing/TOKEN__NAME) before
it moves the file there, and renews the claim's lease while it works. Another worker
takes a claimed file over only when its lease has run out (its worker died or lost the
database), or when its worker, on the same machine, is no longer running.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.create_table(
        "inbox_claims",
        sa.Column("token", sa.String(32), primary_key=True),
        # Which worker holds it: "host:pid:tag" (the tag tells a restarted process with
        # the same pid from the one before).
        sa.Column("worker", sa.String(255), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_inbox_claims_lease_expires_at", "inbox_claims", ["lease_expires_at"])
    if op.get_bind().dialect.name == "postgresql":
        # As on SQLite, a change to the audit trail is an integrity error (23000), and
        # emptying it at once (TRUNCATE, which row triggers do not see) is refused too.
        op.execute(
            "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_events is append-only' "
            "USING ERRCODE = 'integrity_constraint_violation'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()"
        )
