"""Whether a file is a Word document (.docx) at all, before anything relies on it."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO


def is_word_document(source: Path | BinaryIO) -> bool:
    """A zip holding word/document.xml, every member intact (its CRC checks)."""
    try:
        with zipfile.ZipFile(source) as archive:
            return "word/document.xml" in archive.namelist() and archive.testzip() is None
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError,
            RuntimeError):  # unreadable, damaged, or an unsupported/encrypted zip
        return False
