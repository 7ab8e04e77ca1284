"""Writing a file all at once: to a temporary name beside it, flushed to disk, then
renamed into place, so a reader (or a crash) never sees half a letter."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from correspond.store.archive import fsync_dir


def write_atomically(destination: Path, write: Callable[[BinaryIO], object]) -> None:
    """Call `write` with an open binary file, then put that file at `destination`."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{destination.stem}-", suffix=".tmp",
                                         dir=destination.parent)
    try:
        with os.fdopen(handle, "w+b") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, destination)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    fsync_dir(destination.parent)


def write_bytes_atomically(destination: Path, data: bytes) -> None:
    write_atomically(destination, lambda stream: stream.write(data))
