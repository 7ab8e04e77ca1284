"""Claims on inbox files, with leases, so several workers share one inbox.

A worker records its claim on a file (the token in inbox/.processing/TOKEN__NAME) before
it moves the file there, and renews the claim's lease while it works. Another worker
takes a claimed file over only when its lease has run out (its worker died or lost the
database), or when its worker, on the same machine, is no longer running.

Revision ID: 0011
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0008"


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
