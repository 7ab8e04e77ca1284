"""The database connection: engine set-up, migrations, and the single writer.

The schema is written once, in the Alembic migrations; the store reflects the tables
from the database after migrating, so queries get column types without a second copy
of the schema.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def create_database_engine(url: str) -> Engine:
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        cursor.execute("PRAGMA synchronous=FULL")  # a commit survives a crash or power cut
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")  # another process (a CLI) may be writing
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A writing transaction takes the write lock at once, so two writers queue
        # instead of failing half-way when a read lock cannot be upgraded.
        if connection.get_execution_options().get("writing"):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def migrate(engine: Engine) -> None:
    """Bring the schema up to date. Forward only; safe to run at every start."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Database:
    """An engine, its reflected tables, and the one lock all writes in this process take."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_database_engine(url)
        migrate(self.engine)
        self.metadata = sa.MetaData()
        self.metadata.reflect(self.engine)
        self._write_lock = threading.Lock()

    def table(self, name: str) -> sa.Table:
        return self.metadata.tables[name]

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One write transaction at a time: commit on success, roll back on error."""
        with self._write_lock:
            with self.engine.connect().execution_options(writing=True) as connection:
                with connection.begin():
                    yield connection

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            with connection.begin():
                yield connection

    def close(self) -> None:
        self.engine.dispose()
