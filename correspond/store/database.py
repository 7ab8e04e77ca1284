"""The database connection: engine set-up, the check at start, migrations, and the single
writer.

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
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine, make_url

from correspond.errors import DatabaseProblem, NoDatabase

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_RESTORE = "stop correspond and restore it from your latest backup (README.md, Operations)"


def create_database_engine(url: str) -> Engine:
    try:
        engine = sa.create_engine(url, pool_pre_ping=make_url(url).get_backend_name() != "sqlite")
    except ModuleNotFoundError as err:
        raise DatabaseProblem(f"The database driver for {make_url(url).drivername} is not "
                              f"installed ({err.name}): for PostgreSQL install "
                              "correspond[postgresql].") from err
    except sa.exc.ArgumentError as err:
        raise DatabaseProblem(f"database_url is not a database URL SQLAlchemy knows "
                              f"({err}).") from err
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


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


# Keys of PostgreSQL's advisory locks, one for each thing only one process may do at once.
_MIGRATION_LOCK = 0x636F7201  # bringing the schema up to date
_WRITER_LOCK = 0x636F7202  # writing (see Database.writing)


def migrate_schema(engine: Engine) -> None:
    """Bring the schema up to date. Forward only; safe to run at every start, and from
    several processes starting at once (on PostgreSQL the first migrates, the others
    wait for it and then find nothing to do)."""
    config = _alembic_config()
    with engine.begin() as connection:
        _take_lock(connection, _MIGRATION_LOCK)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _take_lock(connection: Connection, key: int) -> None:
    """On PostgreSQL, hold the advisory lock `key` until this transaction ends."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))


def check_integrity(engine: Engine, where: str) -> None:
    """Refuse a damaged database in one sentence, before anything starts on it. SQLite's
    quick_check reads every page, so damage anywhere is found now, not by a later query."""
    if engine.dialect.name != "sqlite":
        return  # a database server checks its own storage
    try:
        with engine.connect() as connection:
            findings = [row[0] for row in connection.exec_driver_sql("PRAGMA quick_check")]
    except sa.exc.DBAPIError as err:
        said = f"SQLite says: {err.orig}"
        if getattr(err.orig, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise DatabaseProblem(f"{where} is not a SQLite database ({said}): "
                                  f"{_RESTORE}.") from err
        if getattr(err.orig, "sqlite_errorname", "") == "SQLITE_CORRUPT":
            raise DatabaseProblem(f"The database {where} is damaged ({said}): "
                                  f"{_RESTORE}.") from err
        raise DatabaseProblem(f"The database {where} cannot be opened ({said}).") from err
    if findings != ["ok"]:
        raise DatabaseProblem(f"The database {where} is damaged (SQLite says: {findings[0]}"
                              f"{f' and {len(findings) - 1} more' if len(findings) > 1 else ''}"
                              f"): {_RESTORE}.")


class Database:
    """An engine, its reflected tables, and the one lock all writes in this process take."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        """`migrate=False`, for commands that only read, changes nothing: no folder or file
        is made and the schema is left as it is (see require_current_schema)."""
        file = _sqlite_file(url)
        self.where = str(file) if file else make_url(url).render_as_string(hide_password=True)
        if file is not None and migrate:
            file.parent.mkdir(parents=True, exist_ok=True)
        elif file is not None and not file.is_file():
            raise NoDatabase(f"There is no database at {file} yet, so nothing has been "
                                  "recorded: start the service with `correspond serve`, "
                                  "which makes it.")
        self.engine = create_database_engine(url)
        try:
            check_integrity(self.engine, self.where)
            if migrate:
                migrate_schema(self.engine)
            self.metadata = sa.MetaData()
            self.metadata.reflect(self.engine)
        except sa.exc.OperationalError as err:
            self.engine.dispose()
            raise DatabaseProblem(f"The database {self.where} cannot be reached "
                                  f"({type(err.orig).__name__}: {str(err.orig).strip()}): "
                                  "check database_url and that the server is running.") from err
        except BaseException:
            self.engine.dispose()
            raise
        self._write_lock = threading.Lock()

    def require_current_schema(self) -> None:
        """Refuse, in one sentence, a database this version of correspond did not migrate."""
        script = ScriptDirectory.from_config(_alembic_config())
        with self.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        if current == script.get_current_head():
            return
        if current is None:
            raise DatabaseProblem(f"{self.where} holds no correspond database yet: start the "
                                  "service with `correspond serve`, which makes it.")
        if current in {revision.revision for revision in script.walk_revisions()}:
            raise DatabaseProblem(f"The database {self.where} was made by an older version of "
                                  "correspond: bring it up to date with `correspond migrate` "
                                  "(starting the service does the same), then try again.")
        raise DatabaseProblem(f"The database {self.where} was made by a newer version of "
                              f"correspond (schema {current}): use that version, or restore "
                              "a backup made with this one.")

    def is_reachable(self) -> bool:
        """The database answers a query now (for the desk's /readyz)."""
        try:
            with self.engine.connect() as connection:
                connection.execute(sa.select(1))
        except sa.exc.DBAPIError:
            return False
        return True

    def table(self, name: str) -> sa.Table:
        return self.metadata.tables[name]

    @contextmanager
    def writing(self, *, serialised: bool = True) -> Iterator[Connection]:
        """One write transaction at a time: commit on success, roll back on error.

        One at a time across every process too, so a transaction that checks a state and
        changes it (the state rules of correspond/review/, council references) never
        races another process: SQLite's write lock (BEGIN IMMEDIATE) does this; on
        PostgreSQL an advisory lock taken first, and since each statement then sees all
        that committed before it, the checks read what they would on SQLite.

        `serialised=False` is for a write that locks the rows it needs itself (SELECT ...
        FOR UPDATE), such as claiming inbox files: on PostgreSQL it waits for no other
        process's write."""
        with self._write_lock:
            with self.engine.connect().execution_options(writing=True) as connection:
                with connection.begin():
                    if serialised:
                        _take_lock(connection, _WRITER_LOCK)
                    yield connection

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            with connection.begin():
                yield connection

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)
