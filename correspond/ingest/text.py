"""Plain text files, and the text clean-up every reader shares."""

from __future__ import annotations

import codecs
import re

from correspond.errors import UnreadableFile
from correspond.records import Document

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: the UTF-32 LE BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
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


def bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode_bytes(data: bytes, *candidates: str | None) -> str:
    """Decode text whose encoding may be missing or wrong: BOM, then each candidate (the
    declared charset first), UTF-8, then Windows-1252, which every office PC in England
    has written at some time."""
    encoding = bom_encoding(data)
    if encoding:
        return data.decode(encoding, errors="replace")
    tried = [c for c in candidates if c] + ["utf-8"]
    for candidate in tried:
        try:
            return data.decode(candidate)
        except (UnicodeDecodeError, LookupError, ValueError, TypeError):
            continue
    for candidate in tried[:-1]:
        if _is_multibyte(candidate):
            # A stray bad byte in Japanese or Chinese text should not turn it all to Latin.
            return data.decode(candidate, errors="replace")
    return data.decode("cp1252", errors="replace")


def _is_multibyte(encoding: str) -> bool:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return not (name.startswith(("cp125", "iso8859", "latin", "ascii", "mac", "cp437", "cp850",
                                 "koi8", "utf-8")))


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
    text = normalise(decode_bytes(data))
    if not text:
        raise UnreadableFile("This text file is empty, so there is nothing to read.")
    return Document(format="txt", text=text)
