"""Which database the tests run on: SQLite (the default), or with
CORRESPOND_TEST_DATABASE=postgresql a real PostgreSQL server the run starts itself
(tools/postgres_cluster.py) and stops at the end. On PostgreSQL each test gets a database
of its own, copied from one migrated at the start, and CORRESPOND_DATABASE_URL points the
service, its commands and their child processes at it."""

from __future__ import annotations

import os

import pytest

VARIABLE = "CORRESPOND_TEST_DATABASE"
TEMPLATE = "correspond_template"


def backend() -> str:
    chosen = os.environ.get(VARIABLE, "sqlite").strip().lower() or "sqlite"
    if chosen in ("postgres", "postgresql", "pg"):
        return "postgresql"
    if chosen != "sqlite":
        raise pytest.UsageError(f"{VARIABLE}={chosen!r}: use sqlite or postgresql.")
    return chosen


def on_postgres() -> bool:
    return backend() == "postgresql"


def no_postgres(reason: str) -> None:
    """PostgreSQL is not installed: a failure in CI (which must provide it), else a skip."""
    if os.environ.get("CI"):
        pytest.fail(reason + " (CI must provide it)")
    pytest.skip(reason)
