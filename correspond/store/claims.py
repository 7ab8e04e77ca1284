"""Claims on inbox files, with leases, so that any number of workers on any number of
machines share one inbox and each file is worked on by one of them at a time.

A claim is recorded (by its token) before the file is moved into inbox/.processing, and
its lease is renewed while the worker works. A claimed file whose lease has run out, or
whose worker was on this machine and is no longer running, is taken over by another
worker; the deliveries table (by the same token) then says whether it was already
recorded. On PostgreSQL the expired claims are read with SELECT ... FOR UPDATE SKIP
LOCKED, so workers looking at once each take different ones without waiting.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Collection
from datetime import timedelta

import sqlalchemy as sa

from correspond.domain.clock import as_utc, utc_now
from correspond.store.database import Database


def worker_name() -> str:
    """This process as a claim's holder: host, process id, and a tag for this start."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _is_gone(worker: str) -> bool:
    """The holder ran on this machine and is no longer running (a crash, a kill)."""
    host, _, rest = worker.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False  # on another machine: only its lease can tell
    pid = int(pid_text)
    if pid == os.getpid():
        return worker not in _RUNNING_HERE  # an earlier watcher of this process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # running, as another user
    return False


# The workers running in this process (a process may stop its watcher and start another).
_RUNNING_HERE: set[str] = set()


def started(worker: str) -> None:
    _RUNNING_HERE.add(worker)


def stopped(worker: str) -> None:
    _RUNNING_HERE.discard(worker)


def take(db: Database, token: str, worker: str, lease: timedelta) -> None:
    """Record a new claim, before its file is moved."""
    table = db.table("inbox_claims")
    now = utc_now()
    with db.writing(serialised=False) as connection:
        connection.execute(table.insert().values(token=token, worker=worker, claimed_at=now,
                                                 lease_expires_at=now + lease))


def take_over(db: Database, token: str, worker: str, lease: timedelta) -> bool:
    """Take a claimed file no one is working on; False while another worker holds it."""
    table = db.table("inbox_claims")
    now = utc_now()
    try:
        with db.writing(serialised=False) as connection:
            row = connection.execute(
                sa.select(table.c.worker, table.c.lease_expires_at)
                .where(table.c.token == token).with_for_update(skip_locked=True)).first()
            if row is None:
                if connection.execute(sa.select(table.c.token)
                                      .where(table.c.token == token)).first() is not None:
                    return False  # another worker is taking it over at this moment
                connection.execute(table.insert().values(
                    token=token, worker=worker, claimed_at=now, lease_expires_at=now + lease))
                return True
            if row.worker != worker and as_utc(row.lease_expires_at) > now \
                    and not _is_gone(row.worker):
                return False
            connection.execute(table.update().where(table.c.token == token).values(
                worker=worker, claimed_at=now, lease_expires_at=now + lease))
            return True
    except sa.exc.IntegrityError:
        return False  # another worker recorded its claim first


def renew(db: Database, tokens: Collection[str], worker: str, lease: timedelta) -> set[str]:
    """Extend this worker's leases on `tokens`; returns those it no longer holds."""
    if not tokens:
        return set()
    table = db.table("inbox_claims")
    with db.writing(serialised=False) as connection:
        connection.execute(table.update()
                           .where(table.c.token.in_(list(tokens)), table.c.worker == worker)
                           .values(lease_expires_at=utc_now() + lease))
        held = set(connection.execute(
            sa.select(table.c.token).where(table.c.token.in_(list(tokens)),
                                           table.c.worker == worker)).scalars())
    return set(tokens) - held


def release(db: Database, token: str) -> None:
    """The claimed file has left .processing (recorded, set aside, or put back)."""
    table = db.table("inbox_claims")
    with db.writing(serialised=False) as connection:
        connection.execute(table.delete().where(table.c.token == token))


def forget_stale(db: Database, present: Collection[str]) -> int:
    """Remove claims whose files are no longer claimed (their worker died after the file
    moved on, or before it moved) once no one holds them; returns how many."""
    table = db.table("inbox_claims")
    now = utc_now()
    with db.writing(serialised=False) as connection:
        rows = connection.execute(
            sa.select(table.c.token, table.c.worker, table.c.lease_expires_at)
            .where(table.c.token.not_in(list(present)))).all()
        stale = [row.token for row in rows
                 if as_utc(row.lease_expires_at) < now or _is_gone(row.worker)]
        if not stale:
            return 0
        return connection.execute(table.delete().where(table.c.token.in_(stale))).rowcount


def holders(db: Database) -> dict[str, str]:
    """token -> worker, for every claim recorded (for tests and `status`)."""
    table = db.table("inbox_claims")
    with db.reading() as connection:
        return dict(connection.execute(sa.select(table.c.token, table.c.worker)).all())
