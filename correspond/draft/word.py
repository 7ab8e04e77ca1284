"""Whether a file is a Word document (.docx) at all, before anything relies on it."""

from __future__ import annotations

import os
import zipfile
from typing import BinaryIO

from correspond.files.word_package import (
    PackageDamaged,
    PackageProblem,
    check_package,
    open_package,
)


def open_word_document(source: bytes | str | os.PathLike[str] | BinaryIO) -> zipfile.ZipFile:
    """The package, within the limits on unpacked size, every member intact (its CRC
    checks), holding word/document.xml. Raises PackageTooLarge or PackageDamaged."""
    archive = open_package(source)
    try:
        check_package(archive)
        if "word/document.xml" not in archive.namelist():
            raise PackageDamaged("it has no word/document.xml part")
    except BaseException:
        archive.close()
        raise
    return archive


def is_word_document(source: bytes | str | os.PathLike[str] | BinaryIO) -> bool:
    """A zip holding word/document.xml, within the limits, every member intact."""
    try:
        with open_word_document(source):
            return True
    except PackageProblem:
        return False
