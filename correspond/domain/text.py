"""Text as the council's files and letters carry it: decoding bytes whose encoding may
be missing or wrong, folding accents and other letters to plain ASCII for comparison,
and the comparison key of a name."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from anyascii import anyascii

EMAIL = re.compile(r"[\w.+\-']+@[\w\-]+(?:\.[\w\-]+)+")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),  # before UTF-16: its LE BOM starts the same
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # as a person would name it: "UTF-8", "Windows-1252", ...


def bom_encoding(data: bytes) -> str | None:
    for bom, encoding, _ in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode(data: bytes, *candidates: str | None) -> Decoded:
    """Decode text whose encoding may be missing or wrong: a byte-order mark, then each
    candidate (a declared charset first), UTF-8, then Windows-1252, which every office PC
    in England has written at some time (what Excel saves), and Latin-1 for the five
    bytes Windows-1252 leaves undefined."""
    for bom, encoding, label in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(encoding, errors="replace"), label)
    tried = [c for c in candidates if c] + ["utf-8"]
    for candidate in tried:
        try:
            return Decoded(data.decode(candidate), _label(candidate))
        except (UnicodeDecodeError, LookupError, ValueError, TypeError):
            continue
    for candidate in tried[:-1]:
        if _is_multibyte(candidate):
            # A stray bad byte in Japanese or Chinese text should not turn it all to Latin.
            return Decoded(data.decode(candidate, errors="replace"), _label(candidate))
    try:
        return Decoded(data.decode("cp1252"), "Windows-1252")
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1"), "Latin-1")


def _label(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return encoding
    return {"utf-8": "UTF-8", "cp1252": "Windows-1252", "iso8859-1": "Latin-1"}.get(
        name, name.upper())


def _is_multibyte(encoding: str) -> bool:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return not (name.startswith(("cp125", "iso8859", "latin", "ascii", "mac", "cp437", "cp850",
                                 "koi8", "utf-8")))


def fold(text: str) -> str:
    """`text` in plain ASCII, every letter transliterated: "Zoë" -> "Zoe", "Łukasz" ->
    "Lukasz", "Straße" -> "Strasse"; case and punctuation are kept (anyascii)."""
    return text if text.isascii() else anyascii(text)


def name_key(name: str | None) -> str:
    """A comparison key for a name: letters and digits only, folded and casefolded.

    "Zoë O'Neill-Smith" -> "zoeoneillsmith"; "Łukasz" -> "lukasz".
    """
    if not name:
        return ""
    return "".join(ch for ch in fold(name) if ch.isalnum()).casefold()
