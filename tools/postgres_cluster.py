"""A throwaway PostgreSQL server for the tests, the multi-process test and the benchmarks:
`initdb` in a temporary folder, `pg_ctl` on a free port of this machine, stopped and
removed at the end. Nothing of a real cluster is touched.

PostgreSQL refuses to run as root, so when this runs as root (in CI containers) the
server's own commands run as the `postgres` system user (Debian's package makes it),
through `runuser`. The server trusts connections from this machine only.

    with ThrowawayCluster.started() as cluster:
        url = cluster.create_database("one")   # postgresql+psycopg://...
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

SUPERUSER = "correspond"
_SEARCHED = [Path(f"/usr/lib/postgresql/{version}/bin") for version in range(20, 11, -1)]


class NoPostgres(RuntimeError):
    """PostgreSQL's server programs are not installed on this machine."""


def find_binaries() -> Path:
    """The folder holding initdb and pg_ctl: $CORRESPOND_PG_BIN, Debian's newest, or PATH."""
    override = os.environ.get("CORRESPOND_PG_BIN")
    candidates = [Path(override)] if override else _SEARCHED
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    found = shutil.which("initdb")
    if found and not override:
        return Path(found).parent
    raise NoPostgres("PostgreSQL's server programs (initdb, pg_ctl) are not installed: "
                     "install Debian's postgresql package, or set CORRESPOND_PG_BIN to "
                     "the folder holding them.")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayCluster:
    def __init__(self, binaries: Path | None = None) -> None:
        self.binaries = binaries or find_binaries()
        self.folder = Path(tempfile.mkdtemp(prefix="correspond-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self._as_user = ["runuser", "-u", "postgres", "--"]
        self._admin: sa.Engine | None = None

    @classmethod
    @contextmanager
    def started(cls, binaries: Path | None = None) -> Iterator[ThrowawayCluster]:
        cluster = cls(binaries)
        try:
            cluster.start()
            yield cluster
        finally:
            cluster.stop()

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run([*self._as_user, str(self.binaries / program), *args],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{program} failed ({result.returncode}): "
                               f"{result.stderr.strip() or result.stdout.strip()}")

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                  "--encoding=UTF8", "--locale=C", "--no-sync")
        # Speed over durability: the cluster is thrown away at the end.
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} "
                   f"-c unix_socket_directories={self.folder} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=300 -c shared_buffers=64MB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                  "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        if self._admin is not None:
            self._admin.dispose()
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    @property
    def admin(self) -> sa.Engine:
        """A connection to the maintenance database, for making and dropping others."""
        if self._admin is None:
            self._admin = sa.create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT",
                                           poolclass=sa.pool.NullPool)
        return self._admin

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """Make an empty database (or a copy of `template`); returns its URL."""
        copy = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, ending any connection still open to it."""
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
