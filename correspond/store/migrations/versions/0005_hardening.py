"""States that cannot race, and sessions and sign-in limits in the database.

Each letter carries a version, raised by every change, so an approval can insist that
the letter it froze is still the latest; an approved letter keeps the SHA-256 of the
exact bytes approved (and of its PDF). Desk sessions live in the database (not on one
server's disk), so a person's sessions can all be ended when their account is switched
off. Failed sign-ins are counted per name and address, so a guesser elsewhere cannot
lock the real person out.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("version", sa.Integer, nullable=False,
                                   server_default="1"))
        batch.add_column(sa.Column("approved_sha256", sa.String(64)))
        batch.add_column(sa.Column("pdf_sha256", sa.String(64)))
    op.create_table(
        # Flask-Session's server-side sessions (see correspond/web/sessions.py). Only
        # signed-in people have one; the sign-in page needs none.
        "web_sessions",
        sa.Column("session_id", sa.String(255), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_index("ix_web_sessions_expires_at", "web_sessions", ["expires_at"])
    op.create_table(
        # One row per wrong password: the name as typed (casefolded) and the address it
        # came from. Rows older than the counting window are removed as new ones come.
        "sign_in_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name_key", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sign_in_failures_name_key", "sign_in_failures", ["name_key", "at"])
    op.create_index("ix_sign_in_failures_address", "sign_in_failures", ["address", "at"])
