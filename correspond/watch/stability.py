"""Releasing a file only once it has stopped changing.

A copy in progress keeps changing size or modification time; a file is ready when both
have stayed the same for the settle interval. Events and rescans only say "look at this
path"; this tracker decides when it is complete.

A file its writer has closed, or renamed into the inbox, is finished as far as the writer
knows: it needs only a short check that nothing is still changing it, not the whole
interval. That is what lets a draft exist about a second after a letter lands. (Network
shares watched by polling send no such events and always wait the full interval.)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# How long a closed or renamed-in file must stay unchanged before it is taken.
FINISHED_SETTLE_SECONDS = 0.1


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float  # when this size and time were first seen
    finished: bool = False  # closed by its writer, or renamed in, since it last changed


class StabilityTracker:
    def __init__(self, settle_seconds: float) -> None:
        self.settle_seconds = settle_seconds
        self._seen: dict[Path, _Seen] = {}

    def observe(self, path: Path, now: float, *, finished: bool = False) -> None:
        """Note the file's state; `finished` when the writer has just closed or renamed it."""
        state = _stat(path)
        if state is None:
            self._seen.pop(path, None)
            return
        seen = self._seen.get(path)
        if seen is None or (seen.size, seen.mtime_ns) != state:
            self._seen[path] = _Seen(state[0], state[1], now, finished)
        elif finished:
            seen.finished = True

    def ready(self, now: float) -> list[Path]:
        """Paths unchanged for the settle interval; they are forgotten once returned."""
        ready = []
        for path, seen in list(self._seen.items()):
            settle = (min(FINISHED_SETTLE_SECONDS, self.settle_seconds) if seen.finished
                      else self.settle_seconds)
            if now - seen.since < settle:
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
        stat = os.lstat(path)  # a shortcut is watched as itself, never followed
    except (FileNotFoundError, NotADirectoryError):
        return None
    return stat.st_size, stat.st_mtime_ns
