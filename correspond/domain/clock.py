"""Clock readings in one place: UTC for records, the council's local date for deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

COUNCIL_TIME_ZONE = ZoneInfo("Europe/London")


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """`moment` with its time zone; SQLite hands back stored UTC times without one."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def local_time(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(COUNCIL_TIME_ZONE)


def local_date(moment: datetime) -> date:
    """The date in England at `moment`: a letter landing at 00:30 BST is that day's post."""
    return local_time(moment).date()
