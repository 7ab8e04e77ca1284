"""The register of schools (GIAS), for resolving school names in letters to URNs.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        # One row per establishment in the Department for Education's register, open or
        # closed, as last imported; a re-import updates changed rows and removes none.
        "schools",
        sa.Column("urn", sa.String(16), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("la_code", sa.String(16)),
        sa.Column("la_name", sa.Text),
        sa.Column("town", sa.Text),
        sa.Column("postcode", sa.String(10)),
        sa.Column("status", sa.String(48)),
        sa.Column("establishment_type", sa.Text),
        sa.Column("phase", sa.String(48)),
        sa.Column("religious_character", sa.Text),
        # Fingerprint of the imported values: an unchanged row is not rewritten.
        sa.Column("row_hash", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    # The latest change tells a running service its copy of the register is stale.
    op.create_index("ix_schools_updated_at", "schools", ["updated_at"])
