"""The desk for a team's working day: who owns each referral, the search index, the
reminders sent, letters passed to another service (and the council's list of them),
one-time passwords and email addresses for desk users, and children a caseworker
removed from a referral.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"

# The services a letter that is not about SEND is most often passed to; the council
# edits the list on the desk's Services page.
_FIRST_SERVICES = (
    "Housing Options",
    "Highways",
    "Council Tax and Benefits",
    "Adult Social Care",
    "Children's Social Care",
    "School Admissions",
    "Waste and Recycling",
)


def upgrade() -> None:
    op.create_table(
        # The desk user who owns a referral; one at a time (earlier ones are in the
        # audit trail).
        "assignments",
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"),
                  primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("assigned_by", sa.String(64), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_assignments_user_id", "assignments", ["user_id"])

    if op.get_bind().dialect.name == "sqlite":
        # Full-text search (store/search.py fills it, and fills it for referrals recorded
        # before this revision when the service starts). One row per referral, its rowid
        # the referral's id; text folded to ASCII before it is indexed.
        op.execute("CREATE VIRTUAL TABLE referral_search USING fts5("
                   "names, people, numbers, letter, "
                   "tokenize = 'unicode61 remove_diacritics 2')")

    op.create_table(
        # Every word of a child's name ever indexed (folded, lower case): what a misspelt
        # name typed in a search is compared with. Kept small, and read whole, unlike
        # the index's own vocabulary, which would be read from every entry.
        "referral_search_names",
        sa.Column("term", sa.String(120), primary_key=True),
    )

    op.create_table(
        # Each email sent by the scheduler, claimed before it is sent: the unique key
        # makes a reminder go once per person per day however many desk processes run.
        "reminders_sent",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),  # morning | urgent
        sa.Column("recipient", sa.String(64), nullable=False),  # user:ID | referral:ID
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("kind", "recipient", "day"),
    )

    services = op.create_table(
        # The council's list of services a letter not about SEND may be passed to.
        "redirect_services",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(120), nullable=False, unique=True),
        sa.Column("contact", sa.Text, nullable=False, server_default=""),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    )
    op.bulk_insert(services, [{"name": name, "contact": "", "active": True}
                              for name in _FIRST_SERVICES])
    op.create_table(
        # The service a referral not about SEND was passed to, and when business support
        # forwarded the original there.
        "referral_redirects",
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id"),
                  primary_key=True),
        sa.Column("service_id", sa.Integer, sa.ForeignKey("redirect_services.id"),
                  nullable=False),
        sa.Column("chosen_by", sa.String(64), nullable=False),
        sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("forwarded_by", sa.String(64)),
        sa.Column("forwarded_at", sa.DateTime(timezone=True)),
    )

    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email", sa.String(254)))
        # Set by an administrator's password reset: changed at the next sign-in.
        batch.add_column(sa.Column("must_change_password", sa.Boolean, nullable=False,
                                   server_default=sa.false()))

    with op.batch_alter_table("referral_children") as batch:
        # A child a caseworker removed (a table header read as a name): kept, with why.
        batch.add_column(sa.Column("removed_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("removed_by", sa.String(64)))
        batch.add_column(sa.Column("removed_reason", sa.Text))
