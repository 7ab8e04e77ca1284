"""Letters not about SEND: the council's list of services they may be passed to, and
the service each such referral was passed to."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.domain.clock import utc_now
from correspond.store.database import Database


@dataclass(frozen=True)
class Service:
    id: int
    name: str
    contact: str
    active: bool


def services(db: Database, connection: Connection, *, active_only: bool = True) -> list[Service]:
    table = db.table("redirect_services")
    query = sa.select(table).order_by(table.c.name)
    if active_only:
        query = query.where(table.c.active.is_(True))
    return [Service(row.id, row.name, row.contact, row.active)
            for row in connection.execute(query)]


def chosen(db: Database, connection: Connection, referral_id: int) -> Service | None:
    """The service the referral was passed to, if one was chosen."""
    table, services_table = db.table("referral_redirects"), db.table("redirect_services")
    row = connection.execute(
        sa.select(services_table).join(table, table.c.service_id == services_table.c.id)
        .where(table.c.referral_id == referral_id)).first()
    return Service(row.id, row.name, row.contact, row.active) if row else None


def choose(db: Database, connection: Connection, referral_id: int, service_id: int, *,
           by: str) -> None:
    table = db.table("referral_redirects")
    values = {"service_id": service_id, "chosen_by": by, "chosen_at": utc_now()}
    if connection.execute(table.update().where(table.c.referral_id == referral_id)
                          .values(values)).rowcount == 0:
        connection.execute(table.insert().values(referral_id=referral_id, **values))


def passed_to(db: Database, connection: Connection, ids: list[int]) -> dict[int, str]:
    """The name of the service each of these referrals was passed to."""
    table, services_table = db.table("referral_redirects"), db.table("redirect_services")
    return {row.referral_id: row.name for row in connection.execute(
        sa.select(table.c.referral_id, services_table.c.name)
        .join(services_table, table.c.service_id == services_table.c.id)
        .where(table.c.referral_id.in_(ids)))}


def save_service(db: Database, connection: Connection, name: str, contact: str,
                 active: bool) -> None:
    """Add a service, or change the contact and whether it is offered of one by that name."""
    table = db.table("redirect_services")
    values = {"contact": contact, "active": active}
    if connection.execute(table.update().where(table.c.name == name)
                          .values(values)).rowcount == 0:
        connection.execute(table.insert().values(name=name, **values))
