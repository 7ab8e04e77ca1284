"""Desk sessions kept in the database: a row per signed-in browser, with whose it is, so
all of a person's sessions end together when their account is switched off, and several
desk processes share them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.domain.clock import as_utc, utc_now
from correspond.store.database import Database


def load(db: Database, session_id: str) -> bytes | None:
    """The stored data of a session that has not expired."""
    table = db.table("web_sessions")
    with db.reading() as connection:
        row = connection.execute(sa.select(table.c.data, table.c.expires_at)
                                 .where(table.c.session_id == session_id)).first()
    if row is None or as_utc(row.expires_at) <= utc_now():
        return None
    return bytes(row.data)


def save(db: Database, session_id: str, user_id: int | None, data: bytes,
         expires_at: datetime) -> None:
    table = db.table("web_sessions")
    with db.writing() as connection:
        updated = connection.execute(
            table.update().where(table.c.session_id == session_id)
            .values(user_id=user_id, data=data, expires_at=expires_at)).rowcount
        if not updated:
            connection.execute(table.insert().values(
                session_id=session_id, user_id=user_id, data=data, expires_at=expires_at))


def delete(db: Database, session_id: str) -> None:
    table = db.table("web_sessions")
    with db.writing() as connection:
        connection.execute(table.delete().where(table.c.session_id == session_id))


def end_all_for(db: Database, connection: Connection, user_id: int) -> int:
    """Inside the caller's write: end every session of this person; returns how many."""
    table = db.table("web_sessions")
    return connection.execute(table.delete().where(table.c.user_id == user_id)).rowcount


def delete_expired(db: Database) -> int:
    table = db.table("web_sessions")
    with db.writing() as connection:
        return connection.execute(
            table.delete().where(table.c.expires_at <= utc_now())).rowcount


def count(db: Database) -> int:
    table = db.table("web_sessions")
    with db.reading() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
