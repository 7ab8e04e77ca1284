"""The caseworker desk: users, the audit trail, caseworkers' corrections, and the
approval, rejection and sending of letters.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        # business_support | caseworker | liaison | admin
        sa.Column("role", sa.String(24), nullable=False),
        # Argon2id, as argon2-cffi writes it: the salt and cost travel with the hash.
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        # Who viewed, edited, matched, approved or rejected what, and when. Rows are only
        # ever added: the triggers below refuse any change or deletion.
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id")),
        # What was acted on, e.g. the field name edited or the letter approved; values
        # a caseworker typed are kept in referral_corrections, not repeated here.
        sa.Column("detail", sa.Text),
    )
    op.create_index("ix_audit_events_referral_id", "audit_events", ["referral_id"])
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    _make_append_only("audit_events")
    op.create_table(
        # A caseworker's correction of an extracted field ("constituent.name",
        # "children[0].date_of_birth"). The latest per field is the value in force; the
        # extraction as read stays in referrals.extraction_json.
        "referral_corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("value_json", sa.Text, nullable=False),
        sa.Column("corrected_by", sa.String(64), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_referral_corrections_referral_id", "referral_corrections",
                    ["referral_id"])
    with op.batch_alter_table("referrals") as batch:
        # When the acknowledgement and the full reply were approved for sending.
        batch.add_column(sa.Column("acknowledged_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("replied_at", sa.DateTime(timezone=True)))
        # Why a letter was sent back, shown in the queue until it is approved.
        batch.add_column(sa.Column("returned_reason", sa.Text))
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("source", sa.String(16), nullable=False,
                                   server_default="drafted"))  # drafted | uploaded
        batch.add_column(sa.Column("changed_by", sa.String(64)))
        batch.add_column(sa.Column("approved_by", sa.String(64)))
        batch.add_column(sa.Column("approved_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("outbox_path", sa.Text))
        batch.add_column(sa.Column("pdf_path", sa.Text))
        batch.add_column(sa.Column("pdf_problem", sa.Text))


def _make_append_only(table: str) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{table} is append-only'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
        )
