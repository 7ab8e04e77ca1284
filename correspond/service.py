"""`correspond serve` and `correspond watch`: run the watcher until asked to stop."""

from __future__ import annotations

import signal
import threading

import click

from correspond.app import build_app
from correspond.config import Settings
from correspond.watch.watcher import InboxWatcher


def run_watcher(settings: Settings, *, banner: str) -> None:
    app = build_app(settings)
    watcher = InboxWatcher(settings, app.pipeline, app.db)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    watcher.start()
    click.echo(banner)
    click.echo(f"Watching   {settings.inbox_dir}"
               f" ({'polling' if settings.watch_mode == 'polling' else 'file events'},"
               f" settle {settings.settle_seconds:g} s)")
    click.echo(f"Drafts go  {settings.drafts_dir}")
    click.echo(f"Failed go  {settings.failed_dir} (with NAME.reason.txt beside each)")
    click.echo(f"Database   {_safe_url(settings.database_url or '')}")
    click.echo("Press Ctrl+C to stop.")
    try:
        stop.wait()
    finally:
        click.echo("Stopping: finishing files in progress...")
        watcher.stop()
        app.close()


def _safe_url(url: str) -> str:
    """The database URL without any password in it."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
