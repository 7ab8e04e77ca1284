"""The outbox: where approved letters wait to be sent, exactly as approved.

An approval stages the frozen bytes (the .docx, and its PDF) under hidden names in the
outbox *before* it commits, so a folder that cannot be written to is found while nothing
has been approved yet; once the approval is committed the staged files are renamed into
place. A crash between the commit and the rename leaves staged files that `recover`
publishes (if their approval was committed, and they hold the bytes approved) or removes
(if it was not). A letter is never published twice: once in place it is the council's.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from correspond.errors import DeskProblem
from correspond.store.archive import fsync_dir

_STAGED_PREFIX = ".approving-"


@dataclass(frozen=True)
class Staged:
    """Files written for one approval, not yet in place."""

    draft_id: int
    files: tuple[tuple[Path, Path], ...]  # (staged, final)


@dataclass(frozen=True)
class ApprovedLetter:
    """What the database says was approved, for recovery."""

    draft_id: int
    sha256_by_name: dict[str, str]  # final file name -> SHA-256 approved


class Outbox:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, name: str) -> Path:
        return self.root / name

    def stage(self, draft_id: int, contents: dict[str, bytes]) -> Staged:
        """Write each file of `contents` (final name -> bytes) under a hidden name.

        Raises DeskProblem, with nothing left behind, when the outbox cannot be written."""
        token = secrets.token_hex(6)
        written: list[tuple[Path, Path]] = []
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            for name, data in contents.items():
                staged = self.root / f"{_STAGED_PREFIX}{draft_id}-{token}-{name}"
                descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
                written.append((staged, self.root / name))
                with os.fdopen(descriptor, "wb") as stream:
                    stream.write(data)
                    stream.flush()
                    os.fsync(stream.fileno())
        except OSError as err:
            self.discard(Staged(draft_id, tuple(written)))
            raise DeskProblem(
                f"The letter could not be put in the outbox folder ({err.strerror}), so it "
                "has not been approved; ask IT support to check that the service can write "
                "to the outbox folder, then approve it again.") from err
        return Staged(draft_id, tuple(written))

    def publish(self, staged: Staged) -> None:
        """Rename staged files into place (after the approval is committed)."""
        for temporary, final in staged.files:
            os.replace(temporary, final)
        fsync_dir(self.root)

    def discard(self, staged: Staged) -> None:
        for temporary, _ in staged.files:
            temporary.unlink(missing_ok=True)

    def recover(self, approved: Callable[[int], ApprovedLetter | None]) -> tuple[int, int]:
        """Finish or undo approvals a crash interrupted; returns (published, removed).

        `approved(draft_id)` tells what the database says was approved for that letter."""
        published = removed = 0
        for staged in self._staged_files():
            draft_id, final_name = _parse(staged.name)
            letter = approved(draft_id) if draft_id is not None else None
            if (letter is not None and final_name
                    and not (final := self.root / final_name).exists()
                    and letter.sha256_by_name.get(final_name) == _sha256(staged)):
                os.replace(staged, final)
                published += 1
            else:
                staged.unlink(missing_ok=True)
                removed += 1
        if published or removed:
            fsync_dir(self.root)
        return published, removed

    def _staged_files(self) -> Iterable[Path]:
        if not self.root.is_dir():
            return []
        return sorted(self.root.glob(f"{_STAGED_PREFIX}*"))


def _parse(name: str) -> tuple[int | None, str | None]:
    """`.approving-<draft id>-<token>-<final name>` -> (draft id, final name)."""
    parts = name.removeprefix(_STAGED_PREFIX).split("-", 2)
    if len(parts) != 3 or not parts[0].isdigit():
        return None, None
    return int(parts[0]), parts[2]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
