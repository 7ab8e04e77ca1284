"""Releasing a file only once it has stopped changing.

A copy in progress keeps changing size or modification time; a file is ready when both
have stayed the same for the settle interval. Events and rescans only say "look at this
path"; this tracker decides when it is complete.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float  # when this size and time were first seen


class StabilityTracker:
    def __init__(self, settle_seconds: float) -> None:
        self.settle_seconds = settle_seconds
        self._seen: dict[Path, _Seen] = {}

    def observe(self, path: Path, now: float) -> None:
        state = _stat(path)
        if state is None:
            self._seen.pop(path, None)
            return
        seen = self._seen.get(path)
        if seen is None or (seen.size, seen.mtime_ns) != state:
            self._seen[path] = _Seen(state[0], state[1], now)

    def ready(self, now: float) -> list[Path]:
        """Paths unchanged for the settle interval; they are forgotten once returned."""
        ready = []
        for path, seen in list(self._seen.items()):
            if now - seen.since < self.settle_seconds:
                continue
            state = _stat(path)
            if state is None:
                del self._seen[path]
            elif state == (seen.size, seen.mtime_ns):
                del self._seen[path]
                ready.append(path)
            else:
                self._seen[path] = _Seen(state[0], state[1], now)
        return ready

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)

    def __len__(self) -> int:
        return len(self._seen)


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return stat.st_size, stat.st_mtime_ns
