"""The full reply: the case timeline the statutory clocks run from, what a caseworker
writes and chooses for a referral's letters, the reply date a holding reply moves, and
the caseworkers' confirmations that another child named in a letter may be disclosed.

Revision ID: 0008
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        # The case's timeline (spec/cases.md), where the case system exports it.
        for name in ("assessment_requested", "assessment_decision", "draft_plan_issued",
                     "last_review_held", "review_decision", "phase_transfer_due",
                     "tribunal_lodged"):
            batch.add_column(sa.Column(name, sa.Date))
        batch.add_column(sa.Column("assessment_decision_outcome", sa.String(16)))
        batch.add_column(sa.Column("placement_sought", sa.Text))
    with op.batch_alter_table("referrals") as batch:
        # The reply-by date first set at receipt, once a holding reply has moved it.
        batch.add_column(sa.Column("first_reply_due", sa.Date))
    op.create_table(
        # What a caseworker writes and chooses for a referral's letters at the desk: the
        # full response's own sections, the approved paragraphs ticked and the statutory
        # clocks confirmed; the holding reply's new date and its reason.
        "reply_inputs",
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"),
                  primary_key=True),
        sa.Column("what_found", sa.Text, nullable=False, server_default=""),
        sa.Column("what_next", sa.Text, nullable=False, server_default=""),
        sa.Column("paragraphs_json", sa.Text, nullable=False, server_default="[]"),
        sa.Column("clocks_json", sa.Text, nullable=False, server_default="[]"),
        sa.Column("holding_reply_due", sa.Date),
        sa.Column("holding_reason", sa.Text, nullable=False, server_default=""),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        # A caseworker's word that another child a referral's letter names (a sibling)
        # is the same family's and may be disclosed in it. Kept, never changed.
        "disclosure_confirmations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("confirmed_by", sa.String(64), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("referral_id", "case_id"),
    )
