"""Health checks for a load balancer, open without signing in and saying nothing about
the data: `/healthz` (this process answers) and `/readyz` (it can reach the database and
the shared folders, so it can do its work; 503 otherwise, naming what failed)."""

from __future__ import annotations

import os
from typing import Any

from flask import Blueprint, current_app, jsonify

from correspond.config import Settings
from correspond.store.database import Database

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> Any:
    return jsonify(status="ok")


@blueprint.get("/readyz")
def readyz() -> Any:
    db: Database = current_app.extensions["correspond.db"]
    settings: Settings = current_app.extensions["correspond.settings"]
    checks = {"database": "ok" if db.is_reachable() else "unreachable"}
    for name, folder in (("inbox", settings.inbox), ("archive", settings.archive_dir),
                         ("drafts", settings.drafts), ("outbox", settings.outbox)):
        usable = folder.is_dir() and os.access(folder, os.R_OK | os.W_OK | os.X_OK)
        checks[name] = "ok" if usable else "unreachable"
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), \
        200 if ready else 503
