"""Initial schema: files, deliveries, referrals and their parts, drafts, cases.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None

# Migrations only go forward: a later change is a new revision, never an edit here.


def upgrade() -> None:
    op.create_table(
        # One row per distinct content (SHA-256) ever archived: originals and attachments.
        "files",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("archive_path", sa.Text, nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(32), nullable=False, unique=True),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("files.sha256"), nullable=False,
                  unique=True),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_date", sa.Date, nullable=False),
        sa.Column("acknowledgement_due", sa.Date, nullable=False),
        sa.Column("reply_due", sa.Date, nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("subject", sa.Text),
        sa.Column("letter_date", sa.Date),
        sa.Column("is_send", sa.Boolean, nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False),
        sa.Column("is_chaser", sa.Boolean),
        sa.Column("quoted_council_reference", sa.String(64)),
        sa.Column("correspondent_type", sa.String(16)),
        sa.Column("mp_name", sa.Text),
        sa.Column("constituency", sa.Text),
        sa.Column("mp_reference", sa.Text),
        sa.Column("constituent_name", sa.Text),
        sa.Column("letter_source", sa.Text, nullable=False),
        sa.Column("letter_text", sa.Text, nullable=False),
        sa.Column("covering_text", sa.Text),
        # The referral as in referral.schema.json, as extracted: the record of what the
        # program read, kept beside any corrections a caseworker makes later.
        sa.Column("extraction_json", sa.Text, nullable=False),
    )
    op.create_index("ix_referrals_status", "referrals", ["status"])
    op.create_index("ix_referrals_acknowledgement_due", "referrals", ["acknowledgement_due"])
    op.create_table(
        # Each drop of a file, in the inbox or on the command line, and how it ended.
        "deliveries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        # The token in the claimed file's name (inbox/.processing/TOKEN__NAME): how a
        # restart after a crash knows whether that claimed file was already recorded.
        sa.Column("claim_token", sa.String(32), unique=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),  # processed|duplicate|failed
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id")),
        sa.Column("reason", sa.Text),
        sa.Column("failed_name", sa.Text),
    )
    op.create_index("ix_deliveries_sha256", "deliveries", ["sha256"])
    op.create_index("ix_deliveries_outcome", "deliveries", ["outcome"])
    op.create_table(
        "referral_children",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("first_name", sa.Text),
        sa.Column("last_name", sa.Text),
        sa.Column("date_of_birth", sa.Date),
        sa.Column("age", sa.Integer),
        sa.Column("year_group", sa.Text),
        sa.Column("school_name", sa.Text),
        sa.Column("school_urn", sa.String(16)),
        sa.Column("requested_school", sa.Text),
        sa.Column("match_status", sa.String(16), nullable=False),
        sa.Column("case_id", sa.String(64)),
        sa.Column("match_score", sa.Float),
        sa.Column("candidates_json", sa.Text, nullable=False),
        sa.UniqueConstraint("referral_id", "position"),
    )
    op.create_index("ix_referral_children_case_id", "referral_children", ["case_id"])
    op.create_table(
        "referral_concerns",
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("evidence", sa.Text),
        sa.Column("score", sa.Float),
        sa.PrimaryKeyConstraint("referral_id", "position"),
    )
    op.create_index("ix_referral_concerns_category", "referral_concerns", ["category"])
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("content_type", sa.Text),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("files.sha256"), nullable=False),
        sa.Column("is_letter", sa.Boolean, nullable=False),
        sa.Column("problem", sa.Text),
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_drafts_referral_id", "drafts", ["referral_id"])
    op.create_table(
        # The last number used for council references in each year (MP-2026-0001).
        "reference_counters",
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last_number", sa.Integer, nullable=False),
    )
    op.create_table(
        "cases",
        sa.Column("case_id", sa.String(64), primary_key=True),
        sa.Column("child_first_name", sa.Text, nullable=False),
        sa.Column("child_last_name", sa.Text, nullable=False),
        sa.Column("date_of_birth", sa.Date, nullable=False),
        sa.Column("known_as", sa.Text),
        sa.Column("school", sa.Text),
        sa.Column("school_urn", sa.String(16)),
        sa.Column("parent_names", sa.Text),
        sa.Column("address", sa.Text),
        sa.Column("postcode", sa.String(10)),
        sa.Column("caseworker", sa.Text),
        sa.Column("caseworker_email", sa.Text),
        sa.Column("ehcp_status", sa.String(24)),
        sa.Column("ehcp_issued", sa.Date),
        sa.Column("next_review_due", sa.Date),
        # Normalised keys for candidate lookup (blocking), so a query never scans all.
        sa.Column("first_name_key", sa.String(64), nullable=False),
        sa.Column("last_name_key", sa.String(64), nullable=False),
        # Fingerprint of the imported values: an unchanged row is not rewritten.
        sa.Column("row_hash", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_cases_date_of_birth", "cases", ["date_of_birth"])
    op.create_index("ix_cases_last_name_key", "cases", ["last_name_key"])
    op.create_index("ix_cases_first_name_key", "cases", ["first_name_key"])
    op.create_index("ix_cases_postcode", "cases", ["postcode"])
    op.create_table(
        # The values a case row had before a re-import changed it.
        "case_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("previous_json", sa.Text, nullable=False),
    )
    op.create_index("ix_case_history_case_id", "case_history", ["case_id"])
