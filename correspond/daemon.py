"""`correspond serve` and `correspond watch`: run the service until asked to stop."""

from __future__ import annotations

import signal
import threading

import click

from correspond.app import build_app, build_web_app
from correspond.config import Settings, safe_url
from correspond.store.users import all_users
from correspond.watch.watcher import InboxWatcher


def run_service(settings: Settings, *, banner: str, web: bool, watch: bool = True) -> None:
    """The inbox watcher (with `watch`), and with `web` the desk at
    settings.host:settings.port."""
    app = build_app(settings, read_files=watch)
    watcher = InboxWatcher(settings, app.pipeline, app.db) if watch else None
    server = None
    reminders = None
    if web:
        from correspond.desk.reminders import ReminderScheduler
        from correspond.web.server import WebServer

        web_app = build_web_app(app)
        server = WebServer(web_app, host=settings.host, port=settings.port,
                           trusted_proxy=settings.trusted_proxy)
        reminders = ReminderScheduler(web_app.extensions["correspond.queries"], settings)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    if watcher is not None:
        watcher.start()
    if server is not None:
        server.start()
    if reminders is not None:
        reminders.start()
    click.echo(banner)
    if server is not None:
        click.echo(f"Web desk   {server.url}")
        if not _loopback(settings.host) and not settings.secure_cookies:
            click.echo("           Warning: open to the network over plain HTTP. Put it "
                       "behind the council's\n           TLS proxy and set "
                       "secure_cookies = true.")
        if not all_users(app.db):
            click.echo("           No one can sign in yet: add yourself with\n"
                       "           correspond users add YOUR-NAME --role admin")
    placeholders = placeholder_warning(settings)
    if placeholders:
        click.echo(placeholders)
    if watcher is not None:
        click.echo(f"Watching   {settings.inbox}"
                   f" ({'polling' if settings.watch_mode == 'polling' else 'file events'},"
                   f" settle {settings.settle_seconds:g} s)")
    click.echo(f"Templates  {settings.templates_dir} (edit these in Word; "
               "`correspond templates check` checks them)")
    for notice in app.template_notices:
        click.echo(f"           {notice}")
    if web:
        click.echo(f"Reminders  by email through {settings.smtp_host}, each working day at "
                   f"{settings.reminder_time}" if settings.smtp_host
                   else "Reminders  off (set smtp_host to send them)")
    click.echo(f"Drafts go  {settings.drafts}")
    click.echo(f"Approved   {settings.outbox}")
    click.echo(f"Failed go  {settings.failed_dir} (with NAME.reason.txt beside each)")
    click.echo(f"Database   {safe_url(settings.database_url or '')}")
    click.echo("Press Ctrl+C to stop.")
    try:
        stop.wait()
    finally:
        click.echo("Stopping: finishing files in progress...")
        if reminders is not None:
            reminders.stop()
        if server is not None:
            server.stop()
        if watcher is not None:
            watcher.stop()
        app.close()


def placeholder_warning(settings: Settings) -> str | None:
    """A warning while the council's details printed on every letter are still the
    shipped placeholders; None once they are all set."""
    names = settings.placeholder_details
    if not names:
        return None
    return ("Letters    Warning: " + ", ".join(names) + (" is" if len(names) == 1 else " are")
            + " still the shipped placeholder" + ("" if len(names) == 1 else "s")
            + ";\n           set the council's own in correspond.toml before approving a "
            "letter (README: Letters).")


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: assume it is reachable from the network
