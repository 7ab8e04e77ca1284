"""`correspond backup DIR`: a consistent copy of the SQLite database, safe to take while the
service runs.

Copying correspond.db with ordinary file tools while the service writes can catch it
half-way through a transaction, and misses what is still in correspond.db-wal. SQLite's
online backup API copies every page as of one moment instead (a reader in WAL mode never
holds up the service's writes); the copy is checked, made a single self-contained file,
and only then given its final name.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from correspond.domain.clock import local_time, utc_now
from correspond.errors import DatabaseProblem
from correspond.store.archive import fsync_dir
from correspond.store.database import Database

PREFIX = "correspond-"


def back_up(db: Database, folder: Path) -> Path:
    """Write a copy of `db` to `folder` as correspond-YYYY-MM-DD-HHMMSS.db (UK time)."""
    if db.engine.dialect.name != "sqlite":
        raise DatabaseProblem(f"`correspond backup` copies SQLite databases; back up "
                              f"{db.where} with that database's own tools.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DatabaseProblem(f"The backup folder {folder} cannot be made ({err}).") from err
    destination = _new_name(folder)
    partial = destination.with_name(f".{destination.name}.part")
    try:
        raw = db.engine.raw_connection()
        try:
            source = raw.driver_connection
            if not isinstance(source, sqlite3.Connection):  # another SQLite driver
                raise DatabaseProblem(f"`correspond backup` copies SQLite databases opened "
                                      f"through Python's sqlite3, which {db.where} is not.")
            with closing(sqlite3.connect(partial)) as copy:
                source.backup(copy)  # all pages in one step: one moment
                # One file to keep or restore, with no -wal file beside it.
                copy.execute("PRAGMA journal_mode=DELETE")
                findings = [row[0] for row in copy.execute("PRAGMA quick_check")]
        finally:
            raw.close()
        if findings != ["ok"]:
            raise DatabaseProblem(f"The copy of {db.where} did not check out ({findings[0]}), "
                                  "so it was not kept: try again, and check the disk.")
        with partial.open("rb+") as written:
            os.fsync(written.fileno())
        os.replace(partial, destination)
    except (sqlite3.Error, OSError) as err:
        raise DatabaseProblem(f"The backup could not be written to {folder} ({err}).") from err
    finally:
        partial.unlink(missing_ok=True)
    fsync_dir(folder)
    return destination


def _new_name(folder: Path) -> Path:
    stamp = local_time(utc_now()).strftime("%Y-%m-%d-%H%M%S")
    candidate = folder / f"{PREFIX}{stamp}.db"
    number = 1
    while candidate.exists():  # two backups in the same second
        number += 1
        candidate = folder / f"{PREFIX}{stamp}-{number}.db"
    return candidate
