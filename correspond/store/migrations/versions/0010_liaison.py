"""The liaison team's evidence: the registers of MPs and councillors each letter is
checked against, what happened in the end (outcomes), and the samples drawn for audits.

Revision ID: 0010
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.create_table(
        # The House of Commons list (kind 'mp') and the council's councillors
        # ('councillor'). A member no longer on the latest import of their list is kept,
        # not listed, so the referrals they sent still say who they were.
        "correspondents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        # Who the member is across imports: the Parliament member id for MPs, else the
        # council's id, else the folded name and area.
        sa.Column("identity", sa.String(200), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("area", sa.Text),  # constituency or ward
        sa.Column("area_code", sa.String(16)),  # e.g. the ONS constituency code
        sa.Column("party", sa.Text),
        sa.Column("email", sa.Text),
        sa.Column("since", sa.Date),
        sa.Column("listed", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("kind", "identity"),
    )
    with op.batch_alter_table("referrals") as batch:
        # Who wrote, as the protocol counts them ('mp', 'councillor', 'other'), and the
        # listed member it is, if any: what the liaison figures group by.
        batch.add_column(sa.Column("correspondent_kind", sa.String(16)))
        batch.add_column(sa.Column("correspondent_id", sa.Integer,
                                   sa.ForeignKey("correspondents.id",
                                                 name="fk_referrals_correspondent_id")))
    # Reports ask for the referrals received in a period, and count them by day and
    # writer: this index answers both without reading the table.
    op.create_index("ix_referrals_received_date", "referrals",
                    ["received_date", "status", "correspondent_kind", "correspondent_id"])
    op.create_index("ix_referrals_correspondent_id", "referrals",
                    ["correspondent_id", "received_date"])
    op.execute("UPDATE referrals SET correspondent_kind = CASE "
               "WHEN correspondent_type IN ('mp', 'mp_office') THEN 'mp' "
               "WHEN correspondent_type = 'councillor' THEN 'councillor' ELSE 'other' END")
    op.create_table(
        # What happened in the end, recorded when a referral is closed.
        "referral_outcomes",
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"), primary_key=True),
        # resolved | partly_resolved | not_upheld | passed_on | withdrawn
        sa.Column("outcome", sa.String(24), nullable=False),
        sa.Column("notes", sa.Text),
        sa.Column("closed_by", sa.String(64), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        # The changes for the family ticked at closing, each under the concern it answers.
        "referral_outcome_changes",
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("concern", sa.String(32), nullable=False),
        sa.Column("change", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("referral_id", "concern", "change"),
    )
    op.create_table(
        # Each random sample drawn for a protocol audit: the seed and what it drew, so the
        # same sample can be drawn again and shown to be the one reviewed.
        "audit_samples",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("drawn_by", sa.String(64), nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("population", sa.Integer, nullable=False),
        sa.Column("references_json", sa.Text, nullable=False),
    )
    _make_append_only("audit_samples")


def _make_append_only(table: str) -> None:
    # As 0004 does for audit_events; a migration keeps its own copy.
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
