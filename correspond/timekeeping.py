"""Clock readings in one place: UTC for records, the council's local date for deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

COUNCIL_TIME_ZONE = ZoneInfo("Europe/London")


def utc_now() -> datetime:
    return datetime.now(UTC)


def local_date(moment: datetime) -> date:
    """The date in England at `moment`: a letter landing at 00:30 BST is that day's post."""
    return moment.astimezone(COUNCIL_TIME_ZONE).date()
