"""Plain text files, and the text clean-up every reader shares."""

from __future__ import annotations

import re

from correspond.domain.text import bom_encoding, decode
from correspond.errors import UnreadableFile
from correspond.records import Document

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MANY_BLANKS = re.compile(r"\n{4,}")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+\n")


def normalise(text: str) -> str:
    """Line endings to \\n, no NULs or stray control characters, at most two blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\ufeff", "")
    text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _MANY_BLANKS.sub("\n\n\n", text)
    return text.strip()


def looks_like_text(data: bytes) -> bool:
    """True if the bytes are plausibly a text file rather than some binary format."""
    if not data.strip():
        return False
    if bom_encoding(data):
        return True
    sample = data[:8192]
    if b"\x00" in sample:
        return False
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return controls <= len(sample) // 100


def read_txt(data: bytes) -> Document:
    text = normalise(decode(data).text)
    if not text:
        raise UnreadableFile("This text file is empty, so there is nothing to read.")
    return Document(format="txt", text=text)
