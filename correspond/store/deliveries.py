"""Deliveries: each drop of a file and how it ended (processed, duplicate or failed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.domain.clock import as_utc, utc_now
from correspond.store.database import Database

Outcome = Literal["processed", "duplicate", "failed"]


@dataclass(frozen=True)
class Delivery:
    id: int
    claim_token: str | None
    sha256: str
    name: str
    outcome: Outcome
    referral_id: int | None
    reason: str | None
    failed_name: str | None


def record_delivery(db: Database, connection: Connection, *, claim_token: str | None,
                    sha256: str, name: str, size: int, outcome: Outcome,
                    referral_id: int | None = None, reason: str | None = None,
                    failed_name: str | None = None) -> int:
    deliveries = db.table("deliveries")
    return connection.execute(deliveries.insert().values(
        claim_token=claim_token, sha256=sha256, name=name, size=size,
        received_at=utc_now(), outcome=outcome, referral_id=referral_id, reason=reason,
        failed_name=failed_name,
    ).returning(deliveries.c.id)).scalar_one()


def delivery_by_token(db: Database, connection: Connection, claim_token: str) -> Delivery | None:
    deliveries = db.table("deliveries")
    row = connection.execute(
        sa.select(deliveries).where(deliveries.c.claim_token == claim_token)
    ).first()
    if row is None:
        return None
    return Delivery(row.id, row.claim_token, row.sha256, row.name, row.outcome,
                    row.referral_id, row.reason, row.failed_name)


def counts(db: Database, connection: Connection) -> dict[str, int]:
    """What `correspond status` reports."""
    deliveries = db.table("deliveries")
    referrals = db.table("referrals")
    by_outcome: dict[str, int] = dict(connection.execute(
        sa.select(deliveries.c.outcome, sa.func.count()).group_by(deliveries.c.outcome)
    ).all())
    by_status: dict[str, int] = dict(connection.execute(
        sa.select(referrals.c.status, sa.func.count()).group_by(referrals.c.status)
    ).all())
    urgent = connection.execute(
        sa.select(sa.func.count()).select_from(referrals).where(referrals.c.urgent)
    ).scalar_one()
    return {
        "processed": sum(by_status.values()),
        "failed": by_outcome.get("failed", 0),
        "duplicates": by_outcome.get("duplicate", 0),
        "urgent": urgent,
        **{f"status_{status}": number for status, number in sorted(by_status.items())},
    }


def set_failed_name(db: Database, connection: Connection, delivery_id: int,
                    failed_name: str) -> None:
    deliveries = db.table("deliveries")
    connection.execute(
        deliveries.update().where(deliveries.c.id == delivery_id).values(failed_name=failed_name)
    )


def first_failed_at(db: Database, connection: Connection, sha256: str) -> datetime | None:
    """When this content first arrived and could not be read (None if it never failed)."""
    deliveries = db.table("deliveries")
    first = connection.execute(
        sa.select(sa.func.min(deliveries.c.received_at))
        .where(deliveries.c.sha256 == sha256, deliveries.c.outcome == "failed")
    ).scalar_one()
    return None if first is None else as_utc(first)


@dataclass(frozen=True)
class LatestDelivery:
    outcome: Outcome
    reason: str | None
    reference: str | None  # the referral it was recorded as (or a duplicate of)


def latest_since(db: Database, connection: Connection, sha256: str,
                 since: datetime) -> LatestDelivery | None:
    """How the newest delivery of this content at or after `since` ended (a file tried
    again), with its referral's reference; None while it is still being read."""
    deliveries, referrals = db.table("deliveries"), db.table("referrals")
    row = connection.execute(
        sa.select(deliveries.c.outcome, deliveries.c.reason, referrals.c.reference)
        .outerjoin(referrals, referrals.c.id == deliveries.c.referral_id)
        .where(deliveries.c.sha256 == sha256, deliveries.c.received_at >= since)
        .order_by(deliveries.c.id.desc()).limit(1)
    ).first()
    return None if row is None else LatestDelivery(row.outcome, row.reason, row.reference)
@dataclass(frozen=True)
class Arrival:
    """A file taken from the inbox, as the Arrivals page lists it."""

    id: int
    name: str
    received_at: datetime
    outcome: Outcome
    referral_id: int | None  # the referral it became, or the one it duplicates
    reference: str | None
    reason: str | None


def arrivals(db: Database, connection: Connection, *, since: datetime | None = None,
             before: datetime | None = None, limit: int = 500) -> list[Arrival]:
    """Files taken from the inbox, newest first, received in [since, before)."""
    deliveries, referrals = db.table("deliveries"), db.table("referrals")
    query = (sa.select(deliveries, referrals.c.reference)
             .outerjoin(referrals, referrals.c.id == deliveries.c.referral_id)
             .order_by(deliveries.c.id.desc()).limit(limit))
    if since is not None:
        query = query.where(deliveries.c.received_at >= since)
    if before is not None:
        query = query.where(deliveries.c.received_at < before)
    return [Arrival(row.id, row.name, row.received_at, row.outcome, row.referral_id,
                    row.reference, row.reason) for row in connection.execute(query)]


def received_again(db: Database, connection: Connection, referral_id: int) -> list[Arrival]:
    """The drops of a referral's file after the first (duplicates), newest first."""
    deliveries = db.table("deliveries")
    return [Arrival(row.id, row.name, row.received_at, row.outcome, row.referral_id, None,
                    row.reason) for row in connection.execute(
        sa.select(deliveries).where(deliveries.c.referral_id == referral_id,
                                    deliveries.c.outcome == "duplicate")
        .order_by(deliveries.c.id.desc()))]
