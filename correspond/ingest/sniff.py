"""Decide what kind of file some bytes are: by content first, then by name.

A file is read by what it is, not what it is called, so an .eml that is really an Outlook
.msg is read as a .msg. Kinds we do not read are refused with a sentence saying what the
file is and what to do about it.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

import olefile

from correspond.errors import UnreadableFile
from correspond.ingest.text import looks_like_text
from correspond.records import Format

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]*\S?")
_MAIL_HEADERS = (b"from", b"to", b"subject", b"date", b"received", b"return-path",
                 b"message-id", b"mime-version", b"content-type", b"delivered-to",
                 b"reply-to", b"sender", b"x-mailer", b"cc", b"thread-topic")

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
# Pictures read by OCR: photos and scans of a letter.
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".gif", ".bmp"}
_PASSWORD_WORD = "This Word document is password-protected; ask the sender for an unprotected copy."
_OLD_DOC = "This is an old-style Word .doc file; save it as .docx or PDF and drop it in again."


def extension(name: str) -> str:
    return PurePath(name or "").suffix.lower()


def sniff(data: bytes, name: str) -> Format:
    """The format to read `data` as. Raises UnreadableFile for kinds we do not read."""
    ext = extension(name)
    if not data or not data.strip(b"\x00 \t\r\n"):
        raise UnreadableFile("This file is empty, so there is nothing to read.")
    if data.startswith(OLE_MAGIC):
        return _sniff_ole(data)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _sniff_zip(data, ext)
    if b"%PDF" in data[:1024]:
        return "pdf"
    if data.lstrip()[:5].lower() == b"{\\rtf":
        raise UnreadableFile("This is a Rich Text (.rtf) file; save it as .docx or PDF and "
                             "drop it in again.")
    if is_image(data):
        return "image"
    if looks_like_email(data):
        return "eml"
    if ext in (".msg", ".eml"):
        raise UnreadableFile("This file is named as an email but does not contain one; ask "
                             "the sender to send the email again.")
    if ext == ".docx":
        raise UnreadableFile("This file is named as a Word document but is not one; ask the "
                             "sender for a fresh copy.")
    if ext == ".pdf":
        raise UnreadableFile("This PDF is damaged and cannot be opened; ask the sender for a "
                             "fresh copy.")
    if ext == ".doc":
        raise UnreadableFile(_OLD_DOC)
    if looks_like_text(data):
        if data.lstrip()[:1] == b"<" and b"<html" in data[:2048].lower():
            raise UnreadableFile("This is a web page (HTML) file; save it as PDF and drop it "
                                 "in again.")
        return "txt"
    raise UnreadableFile(f"This file is not a kind the service reads{_called(ext)}; save the "
                         "letter as .docx or PDF and drop it in again.")


def is_image(data: bytes) -> bool:
    # A bitmap starts "BM" as text may; its reserved header bytes are zero.
    return data.startswith(_IMAGE_MAGIC) or (data[:2] == b"BM" and data[6:10] == bytes(4))


def _called(ext: str) -> str:
    return f" ({ext})" if re.fullmatch(r"\.[a-z0-9]{1,8}", ext) else ""


def looks_like_email(data: bytes) -> bool:
    """True if the bytes start with RFC 822 headers (allowing an mbox "From " line)."""
    head = data[:16384].lstrip(b"\r\n\t ")
    lines = head.splitlines()
    if lines and lines[0].startswith(b"From "):
        lines = lines[1:]
    names: set[bytes] = set()
    bad = 0
    for number, line in enumerate(lines[:400]):
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t"):
            continue  # a folded continuation of the previous header
        if not _HEADER_LINE.match(line):
            if number == 0:
                return False
            bad += 1  # real mailers sometimes fold without indenting; tolerate a few
            continue
        names.add(line.split(b":", 1)[0].strip().lower())
    return bad <= len(names) and any(header in names for header in _MAIL_HEADERS)


def _sniff_ole(data: bytes) -> Format:
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True,
                                                                        storages=True)}
    except Exception as err:
        raise UnreadableFile("This Outlook or Office file is damaged and cannot be opened; "
                             "ask the sender for a fresh copy.") from err
    top = {path.split("/", 1)[0] for path in streams}
    if "__properties_version1.0" in top or any(s.startswith("__substg1.0_") for s in top):
        return "msg"
    if "encryptedpackage" in top or "encryptioninfo" in top:
        raise UnreadableFile(_PASSWORD_WORD.replace("Word document", "Office document"))
    if "worddocument" in top:
        raise UnreadableFile(_OLD_DOC)
    if "workbook" in top or "book" in top:
        raise UnreadableFile("This is an Excel spreadsheet, not a letter, so it needs to be "
                             "read by a person.")
    if "powerpoint document" in top:
        raise UnreadableFile("This is a PowerPoint presentation, not a letter, so it needs "
                             "to be read by a person.")
    raise UnreadableFile("This is an old-style Office file the service does not read; save "
                         "it as .docx or PDF and drop it in again.")


def _sniff_zip(data: bytes, ext: str) -> Format:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            types = (archive.read("[Content_Types].xml")[:65536]
                     if "[Content_Types].xml" in names else b"")
    except Exception as err:
        if ext == ".docx":
            raise UnreadableFile("This Word document is damaged and cannot be opened; ask "
                                 "the sender for a fresh copy.") from err
        raise UnreadableFile("This compressed (zip) file is damaged and cannot be opened; "
                             "ask the sender for a fresh copy.") from err
    if "word/document.xml" in names or b"wordprocessingml.document.main" in types:
        return "docx"
    if any(name.startswith("xl/") for name in names):
        raise UnreadableFile("This is an Excel spreadsheet, not a letter, so it needs to be "
                             "read by a person.")
    if any(name.startswith("ppt/") for name in names):
        raise UnreadableFile("This is a PowerPoint presentation, not a letter, so it needs "
                             "to be read by a person.")
    if "mimetype" in names and "content.xml" in names:
        raise UnreadableFile("This is an OpenDocument file; save it as .docx or PDF and drop "
                             "it in again.")
    raise UnreadableFile("This is a zip of several files; take the letter out of the zip "
                         "and drop it in on its own.")
