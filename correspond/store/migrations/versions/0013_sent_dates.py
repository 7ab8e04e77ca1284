"""The council's date each acknowledgement and full reply went, beside its UTC time.

Whether a letter went in time is a question of the date in England when it went (a reply
approved at 23:30 UTC in July went the next day). Kept as a column, the liaison figures
count letters within and past their targets in the database, with one GROUP BY, instead
of reading a year's referrals one by one to convert their times.

Revision ID: 0013
Revises: 0012
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"

# The council's time zone, as correspond.domain.clock has it (a migration does not import
# the package it migrates, so that it stays as it was written).
_COUNCIL_TIME_ZONE = ZoneInfo("Europe/London")


def upgrade() -> None:
    op.add_column("referrals", sa.Column("acknowledged_on", sa.Date))
    op.add_column("referrals", sa.Column("replied_on", sa.Date))
    connection = op.get_bind()
    referrals = sa.table("referrals", sa.column("id", sa.Integer),
                         sa.column("acknowledged_at", sa.DateTime(timezone=True)),
                         sa.column("replied_at", sa.DateTime(timezone=True)),
                         sa.column("acknowledged_on", sa.Date),
                         sa.column("replied_on", sa.Date))
    rows = connection.execute(
        sa.select(referrals.c.id, referrals.c.acknowledged_at, referrals.c.replied_at)
        .where(sa.or_(referrals.c.acknowledged_at.is_not(None),
                      referrals.c.replied_at.is_not(None)))).all()
    update = (referrals.update().where(referrals.c.id == sa.bindparam("referral_id"))
              .values(acknowledged_on=sa.bindparam("acknowledged"),
                      replied_on=sa.bindparam("replied")))
    for start in range(0, len(rows), 1000):
        connection.execute(update, [
            {"referral_id": row.id, "acknowledged": _local_date(row.acknowledged_at),
             "replied": _local_date(row.replied_at)} for row in rows[start:start + 1000]])


def _local_date(moment: datetime | str | None) -> date | None:
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_COUNCIL_TIME_ZONE).date()

