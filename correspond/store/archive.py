"""The archive of originals: every file and attachment kept once, named by its SHA-256.

Writing is idempotent and atomic: the content goes to a temporary file beside its final
place, is flushed to disk, then renamed. A crash leaves either no entry or a whole one.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

_CHUNK = 1024 * 1024
_TEMP_PREFIX = ".incoming-"
# A temporary file untouched this long was left by a crash (copying one file into the
# archive takes seconds).
LEFTOVER_SECONDS = 3600


@dataclass(frozen=True)
class Archived:
    sha256: str
    size: int
    path: Path


class Archive:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def store_stream(self, reader: BinaryIO) -> Archived:
        """Copy what `reader` holds into the archive, hashing as it copies (one read)."""
        digest = hashlib.sha256()
        size = 0
        temp = self._temp_file()
        try:
            with temp.open("wb") as writer:
                while chunk := reader.read(_CHUNK):
                    digest.update(chunk)
                    writer.write(chunk)
                    size += len(chunk)
                writer.flush()
                os.fsync(writer.fileno())
            return self._settle(temp, digest.hexdigest(), size)
        finally:
            temp.unlink(missing_ok=True)

    def store_bytes(self, data: bytes) -> Archived:
        sha256 = hashlib.sha256(data).hexdigest()
        final = self.path_for(sha256)
        if final.exists():
            return Archived(sha256, len(data), final)
        temp = self._temp_file()
        try:
            with temp.open("wb") as writer:
                writer.write(data)
                writer.flush()
                os.fsync(writer.fileno())
            return self._settle(temp, sha256, len(data))
        finally:
            temp.unlink(missing_ok=True)

    def remove_leftovers(self, older_than_seconds: float = LEFTOVER_SECONDS) -> int:
        """Delete temporary files a crash left behind; returns how many. Only old ones:
        a fresh one may be another process's, writing to the same archive now."""
        removed = 0
        if self.root.is_dir():
            cutoff = time.time() - older_than_seconds
            for leftover in self.root.glob(f"{_TEMP_PREFIX}*"):
                try:
                    if leftover.stat().st_mtime > cutoff:
                        continue
                except FileNotFoundError:  # its writer has just finished with it
                    continue
                leftover.unlink(missing_ok=True)
                removed += 1
        return removed

    def _temp_file(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=self.root)
        os.close(handle)
        return Path(name)

    def _settle(self, temp: Path, sha256: str, size: int) -> Archived:
        final = self.path_for(sha256)
        if not final.exists():
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, final)
            fsync_dir(final.parent)
        return Archived(sha256, size, final)


def sha256_of_file(path: Path) -> str:
    with path.open("rb") as reader:
        return sha256_of_stream(reader)


def sha256_of_stream(reader: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := reader.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (a no-op where directories cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
