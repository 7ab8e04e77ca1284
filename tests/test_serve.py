"""`correspond serve` as staff run it: one process with the watcher and the web desk, on
the embedded defaults, stopped cleanly by Ctrl+C or the service manager's SIGTERM."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.request import urlopen

import pytest

from support import LETTERS, wait_for

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_runs_the_watcher_and_the_desk_until_stopped(tmp_path: Path) -> None:
    home = tmp_path / "home"
    port = free_port()
    environment = {**os.environ, "CORRESPOND_SETTLE_SECONDS": "0.2", "CORRESPOND_WORKERS": "1"}
    service = subprocess.Popen(
        [sys.executable, "-m", "correspond", "--home", str(home), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment, text=True)
    try:
        banner = []
        while not any(line.startswith("Press Ctrl+C") for line in banner):
            line = service.stdout.readline()
            assert line, "serve stopped before it was ready:\n" + "".join(banner)
            banner.append(line)
        printed = "".join(banner)
        assert f"Web desk   http://127.0.0.1:{port}" in printed
        assert "correspond users add YOUR-NAME --role admin" in printed  # no users yet
        # The council's details on letters are the placeholders until set.
        assert "council_name, council_address, council_phone, council_email are still " \
            "the shipped placeholders" in printed
        # The templates staff edit are the home folder's copies, made at first start.
        assert f"Templates  {home.resolve() / 'templates'}" in printed
        assert (home / "templates" / "acknowledgement.docx").is_file()
        with urlopen(f"http://127.0.0.1:{port}/sign-in") as page:
            assert page.status == 200 and b"Sign in" in page.read()
        shutil.copy(LETTERS / "khan_assessment.txt", home / "inbox" / "khan.txt")
        draft = home / "drafts" / f"MP-{_year()}-0001" / "acknowledgement.docx"
        wait_for(draft.exists, timeout=60, what="the acknowledgement to be drafted")
        service.send_signal(signal.SIGTERM)
        assert service.wait(timeout=30) == 0
    finally:
        if service.poll() is None:
            service.kill()
    # The port is free again: the web desk stopped with the service. (SO_REUSEADDR: the
    # closed connection's TIME_WAIT does not count, only a listener would.)
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))


def _year() -> int:
    from correspond.domain.clock import local_date, utc_now

    return local_date(utc_now()).year


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("::1", True), ("localhost", True),
    ("0.0.0.0", False), ("10.1.2.3", False), ("desk.council.local", False)])
def test_serve_knows_when_the_desk_is_open_to_the_network(host: str, loopback: bool) -> None:
    from correspond.daemon import _loopback

    assert _loopback(host) is loopback


def test_the_placeholder_warning_goes_once_the_councils_details_are_set(tmp_path: Path) -> None:
    from correspond.config import load_settings
    from correspond.daemon import placeholder_warning

    details = {"council_name": "Northshire County Council",
               "council_address": "County Hall\nNorthtown\nNT1 1AA",
               "council_phone": "01632 960123", "council_email": "send@northshire.example"}
    assert placeholder_warning(load_settings(tmp_path, **details)) is None
    one_left = {**details, "council_phone": "01632 960000"}
    warning = placeholder_warning(load_settings(tmp_path, **one_left))
    assert warning is not None and "council_phone is still the shipped placeholder;" in warning


def test_the_councils_address_shows_on_one_line_as_toml_writes_it(tmp_path: Path) -> None:
    from correspond.config import load_settings, settings_in_force

    settings = load_settings(tmp_path, council_address="County Hall\nNorthtown\nNT1 1AA")
    shown = {name: value for name, _, value in settings_in_force(settings)}
    assert shown["council_address"] == "County Hall\\nNorthtown\\nNT1 1AA"
