"""Who owns each referral: one desk user (a caseworker) at a time. Earlier owners are in
the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.domain.clock import utc_now
from correspond.review import OPEN_REFERRAL_STATUSES
from correspond.store.database import Database


@dataclass(frozen=True)
class Workload:
    """One person's open referrals and how many are due or overdue."""

    user_id: int
    name: str
    open: int
    acknowledgements_overdue: int
    replies_overdue: int
    due_today: int
    next_due: date | None


def assign(db: Database, connection: Connection, referral_id: int, user_id: int, *,
           by: str) -> None:
    table = db.table("assignments")
    values = {"user_id": user_id, "assigned_by": by, "assigned_at": utc_now()}
    updated = connection.execute(table.update().where(table.c.referral_id == referral_id)
                                 .values(values))
    if updated.rowcount == 0:
        connection.execute(table.insert().values(referral_id=referral_id, **values))


def unassign(db: Database, connection: Connection, referral_id: int) -> bool:
    table = db.table("assignments")
    return connection.execute(
        table.delete().where(table.c.referral_id == referral_id)).rowcount == 1


def assignee(db: Database, connection: Connection, referral_id: int) -> str | None:
    """The name of the desk user who owns the referral, if anyone does."""
    table, users = db.table("assignments"), db.table("users")
    return connection.execute(
        sa.select(users.c.name).join(table, table.c.user_id == users.c.id)
        .where(table.c.referral_id == referral_id)).scalar_one_or_none()


def assignees(db: Database, connection: Connection, ids: list[int]) -> dict[int, str]:
    table, users = db.table("assignments"), db.table("users")
    return {row.referral_id: row.name for row in connection.execute(
        sa.select(table.c.referral_id, users.c.name).join(users, table.c.user_id == users.c.id)
        .where(table.c.referral_id.in_(ids)))}


def assigned_ids(db: Database, connection: Connection, user_name: str) -> list[int]:
    table, users = db.table("assignments"), db.table("users")
    return list(connection.execute(
        sa.select(table.c.referral_id).join(users, table.c.user_id == users.c.id)
        .where(users.c.name == user_name)).scalars())


def workloads(db: Database, connection: Connection, today: date) -> list[Workload]:
    """Each active caseworker's open referrals, with what is due and overdue."""
    table, users, referrals = (db.table("assignments"), db.table("users"),
                               db.table("referrals"))
    open_ = referrals.c.status.in_(OPEN_REFERRAL_STATUSES)
    awaiting_ack = referrals.c.acknowledged_at.is_(None)
    awaiting_reply = referrals.c.replied_at.is_(None)

    def count(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.count(sa.case((sa.and_(open_, condition), 1)))

    rows = connection.execute(
        sa.select(
            users.c.id, users.c.name,
            count(sa.true()).label("open"),
            count(sa.and_(awaiting_ack, referrals.c.acknowledgement_due < today))
            .label("ack_overdue"),
            count(sa.and_(awaiting_reply, referrals.c.reply_due < today))
            .label("reply_overdue"),
            count(sa.or_(sa.and_(awaiting_ack, referrals.c.acknowledgement_due == today),
                         sa.and_(awaiting_reply, referrals.c.reply_due == today)))
            .label("due_today"),
            sa.func.min(sa.case((sa.and_(open_, awaiting_reply), referrals.c.reply_due)))
            .label("next_due"),
        )
        .select_from(users.outerjoin(table, table.c.user_id == users.c.id)
                     .outerjoin(referrals, referrals.c.id == table.c.referral_id))
        .where(users.c.role == "caseworker", users.c.active.is_(True))
        .group_by(users.c.id, users.c.name).order_by(users.c.name)).all()
    return [Workload(row.id, row.name, row.open, row.ack_overdue, row.reply_overdue,
                     row.due_today, row.next_due) for row in rows]


def caseworker_users(db: Database, connection: Connection) -> list[tuple[int, str]]:
    """The active desk users who can own a referral: (id, name), by name."""
    users = db.table("users")
    return [(row.id, row.name) for row in connection.execute(
        sa.select(users.c.id, users.c.name)
        .where(users.c.role == "caseworker", users.c.active.is_(True))
        .order_by(users.c.name))]
