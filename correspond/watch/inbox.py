"""The drop folder: which files are waiting, claiming one, and where it goes afterwards.

A file is claimed by renaming it into `inbox/.processing/TOKEN__NAME` (atomic on one
file system, a network share included). The token is recorded with the outcome in the
same transaction, so after a crash a restart knows, for each claimed file, whether it was
already recorded (finish moving it) or not (process it again). A claimed file is still in
the inbox folder: it is never lost, and never processed twice.

Entries are looked at as themselves (lstat), never through a shortcut. Shortcuts, pipes
and other special files wait and are claimed like files, so that they too end in one
place (failed/, with the reason); only folders are left where they are.
"""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from correspond.store.archive import fsync_dir
from correspond.store.atomic import write_bytes_atomically

PROCESSING = ".processing"
FAILED = "failed"
REASON_SUFFIX = ".reason.txt"

# Names a file has while an application is still writing it, or that are not documents.
_IGNORED_PATTERNS = ("~$*", "*.tmp", "*.temp", "*.part", "*.partial", "*.crdownload",
                     "*.download", "*.swp", "thumbs.db", "desktop.ini")


def is_ignored(name: str) -> bool:
    lowered = name.lower()
    return name.startswith(".") or any(fnmatch(lowered, pattern) for pattern in _IGNORED_PATTERNS)


def _is_folder(path: Path) -> bool:
    """A folder itself (not a shortcut to one); False if the entry has gone."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


@dataclass(frozen=True)
class Claim:
    token: str
    name: str
    path: Path


class Inbox:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.processing_dir = root / PROCESSING
        self.failed_dir = root / FAILED

    def prepare(self) -> None:
        for folder in (self.root, self.processing_dir, self.failed_dir):
            folder.mkdir(parents=True, exist_ok=True)

    def waiting_files(self) -> list[Path]:
        """Entries dropped at the top of the inbox, oldest first: files, and shortcuts and
        special files to be set aside; not folders."""
        waiting = []
        with os.scandir(self.root) as entries:
            for entry in entries:
                if not self.is_waiting(Path(entry.path)):
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        continue
                    waiting.append((entry.stat(follow_symlinks=False).st_mtime_ns,
                                    Path(entry.path)))
                except FileNotFoundError:  # taken or removed while listing
                    continue
        return [path for _, path in sorted(waiting)]

    def is_waiting(self, path: Path) -> bool:
        # A plain file named `failed` where the folder should be is not a letter.
        return path.parent == self.root and not is_ignored(path.name) \
            and path.name != FAILED

    @staticmethod
    def new_token() -> str:
        return secrets.token_hex(8)

    def claim(self, path: Path, token: str | None = None) -> Claim | None:
        """Take a waiting file for processing; None if it has gone (another worker took
        it) or cannot be moved."""
        token = token or self.new_token()
        claimed = self.processing_dir / f"{token}__{path.name}"
        try:
            os.rename(path, claimed)
        except FileNotFoundError:
            return None
        except PermissionError:  # still open in the writing application (SMB locks)
            return None
        return Claim(token, path.name, claimed)

    def claimed_files(self) -> list[Claim]:
        """Files claimed and not yet finished (after a crash, a stop or a failed write),
        shortcuts and special files included."""
        claims = []
        if self.processing_dir.is_dir():
            for path in sorted(self.processing_dir.iterdir()):
                token, separator, name = path.name.partition("__")
                if separator:
                    claims.append(Claim(token, name, path))
        return claims

    def release(self, claim: Claim) -> None:
        """The file is recorded (and archived): it leaves the inbox."""
        claim.path.unlink(missing_ok=True)
        fsync_dir(self.processing_dir)

    def put_back(self, claim: Claim) -> Path:
        """Return a file to the inbox unprocessed (it was still being copied)."""
        destination = _free_name(self.root, claim.name)
        os.rename(claim.path, destination)
        return destination

    def set_aside(self, claim: Claim, reason: str) -> str:
        """Move a file to failed/ with NAME.reason.txt beside it; returns the name used.

        The reason is written first, so a crash between the two leaves the file claimed
        (and the restart sets it aside again), never a file without its reason.
        """
        destination = _free_name(self.failed_dir, claim.name, avoid_suffix=REASON_SUFFIX)
        reason_file = destination.with_name(destination.name + REASON_SUFFIX)
        write_bytes_atomically(reason_file, (reason.strip() + "\n").encode("utf-8"))
        os.rename(claim.path, destination)
        fsync_dir(self.failed_dir)
        return destination.name

    def failed_files(self) -> list[FailedFile]:
        """Files set aside, newest first, each with its reason."""
        found = []
        if self.failed_dir.is_dir():
            for path in self.failed_dir.iterdir():
                if path.name.endswith(REASON_SUFFIX) or path.name.startswith(".") \
                        or _is_folder(path):
                    continue
                reason = self.failed_reason(path.name)
                try:
                    set_aside_at = os.lstat(path).st_mtime
                except FileNotFoundError:  # tried again while listing
                    continue
                found.append(FailedFile(path.name, reason, set_aside_at))
        return sorted(found, key=lambda item: item.set_aside_at, reverse=True)

    def failed_file(self, name: str) -> Path:
        """Where the set-aside file `name` is; FileNotFoundError if there is none (or the
        name is not a plain name of one: no folders, no reason files)."""
        path = self.failed_dir / name
        if Path(name).name != name or is_ignored(name) or name.endswith(REASON_SUFFIX) \
                or not os.path.lexists(path) or _is_folder(path):
            raise FileNotFoundError(name)
        return path

    def failed_reason(self, name: str) -> str:
        reason_file = self.failed_dir / (name + REASON_SUFFIX)
        return (reason_file.read_text(encoding="utf-8", errors="replace").strip()
                if reason_file.is_file() else "No reason was recorded.")

    def retry(self, name: str) -> Path:
        """Put a set-aside file back in the inbox to be read again; returns where.

        The file moves before its reason is removed, so a crash in between leaves a
        stray reason file, never a file without its reason in failed/.
        """
        source = self.failed_file(name)
        destination = _free_name(self.root, name)
        os.rename(source, destination)
        source.with_name(name + REASON_SUFFIX).unlink(missing_ok=True)
        fsync_dir(self.failed_dir)
        return destination

    def remove_failed(self, name: str) -> None:
        """A set-aside file has been recorded another way (entered by hand, its original
        archived): it leaves failed/, its reason after it."""
        source = self.failed_file(name)
        source.unlink()
        source.with_name(name + REASON_SUFFIX).unlink(missing_ok=True)
        fsync_dir(self.failed_dir)


@dataclass(frozen=True)
class FailedFile:
    name: str
    reason: str
    set_aside_at: float  # seconds since the epoch


def _free_name(folder: Path, name: str, avoid_suffix: str = "") -> Path:
    """`folder/name`, or `folder/stem (2).ext` and so on if that is taken."""
    candidate = folder / name
    stem, suffix = os.path.splitext(name)
    number = 2
    while os.path.lexists(candidate) or (
            avoid_suffix and os.path.lexists(candidate.with_name(candidate.name + avoid_suffix))):
        candidate = folder / f"{stem} ({number}){suffix}"
        number += 1
    return candidate
