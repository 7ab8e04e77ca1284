"""The service as the benchmarks run it: a `correspond` command started on a home folder,
its peak memory sampled while it runs (with its reader processes), stopped at the end.

    with serving(home) as service:      # `correspond serve` on a free port
        ...service.base...              # http://127.0.0.1:PORT, answering
    service.memory.peak_total           # bytes, the service and its children
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.request import urlopen

import psutil


class MemorySampler(threading.Thread):
    """Peak resident memory of a process and all its children, every 0.1 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak_total = 0
        self.peak_parent = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                parent = self.process.memory_info().rss
                children = sum(child.memory_info().rss
                               for child in self.process.children(recursive=True))
            except psutil.Error:
                break
            self.peak_parent = max(self.peak_parent, parent)
            self.peak_total = max(self.peak_total, parent + children)
            self.stopped.wait(0.1)

    def stop(self) -> None:
        self.stopped.set()
        self.join()


@dataclass(frozen=True)
class Served:
    base: str  # the desk's address
    memory: MemorySampler


@contextmanager
def serving(home: Path) -> Iterator[Served]:
    """`correspond serve` on `home`, answering on a free port, until the block ends."""
    port = free_port()
    service = subprocess.Popen(
        [sys.executable, "-m", "correspond", "--home", str(home), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    memory = MemorySampler(service.pid)
    memory.start()
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, service)
        yield Served(base, memory)
    finally:
        memory.stop()
        service.terminate()
        service.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base: str, service: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if service.poll() is not None:
            raise SystemExit(f"the service stopped (exit code {service.returncode})")
        try:
            with urlopen(base + "/sign-in"):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the service did not start")
