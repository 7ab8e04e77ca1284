"""Opening a dropped file to read it: a plain (regular) file only, never through a shortcut.

The inbox is written by many people and read by the service's account, so a shortcut
(symlink) in it must never be followed: it could point at any file the service can read.
A pipe, socket or device would block `open()`, or worse. Each is refused with a sentence
saying what to do instead. The entry is checked by name first (lstat), without opening
it, then again on the opened file, since the name could be swapped between the two.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from correspond.errors import NotARegularFile

SHORTCUT = ("This is a shortcut to another file, not a file; copy the file itself into "
            "the inbox.")
FOLDER = "This is a folder, not a file; copy the files inside it into the inbox one by one."
SPECIAL = ("This is a special file (a pipe, socket or device), not a document; copy the "
           "document itself into the inbox.")


def refusal(mode: int) -> str | None:
    """Why an entry of this mode (from lstat) is not read; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return SHORTCUT
    if stat.S_ISDIR(mode):
        return FOLDER
    return SPECIAL


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading; raises NotARegularFile for anything else."""
    reason = refusal(os.lstat(path).st_mode)
    if reason is not None:
        raise NotARegularFile(reason)
    # O_NONBLOCK: a pipe swapped in after the check must not block this open.
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        descriptor = os.open(path, flags)
    except OSError as err:
        if err.errno == errno.ELOOP:  # swapped for a shortcut after the check
            raise NotARegularFile(SHORTCUT) from err
        raise
    try:
        reason = refusal(os.fstat(descriptor).st_mode)
        if reason is not None:
            raise NotARegularFile(reason)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
