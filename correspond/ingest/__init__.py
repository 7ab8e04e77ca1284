"""Reading files into Documents: one reader per format, bytes in, Document out.

`read_document` raises UnreadableFile, with a sentence a person can act on, for any file
it cannot read; no other exception escapes it, whatever the bytes. Scans and pictures are
read by OCR within `OcrLimits`: one budget of pages and time for the file and everything
attached to it.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from correspond.errors import UnreadableFile
from correspond.ingest.letter import choose_letter
from correspond.ingest.ocr import OcrBudget, OcrLimits
from correspond.ingest.sniff import IMAGE_EXTENSIONS, extension, is_image, sniff
from correspond.records import Attachment, Document

__all__ = ["read_document", "choose_letter", "OcrBudget", "OcrLimits"]

log = logging.getLogger(__name__)

MAX_DEPTH = 3  # emails inside emails; deeper than this is a recursion bomb, not a letter
_UNEXPECTED = ("This file could not be read because of an unexpected problem in the "
               "reader; a person needs to look at it.")
_READABLE_EXTENSIONS = {".docx", ".pdf", ".txt", ".eml", ".msg"}
# Letters in formats we refuse, worth a note on the attachment saying why.
_LETTER_LIKE_EXTENSIONS = {".doc", ".rtf", ".odt", ".docm", ".dotx", ".wpd", ".pages"}
_READABLE_TYPES = {"application/pdf", "text/plain", "message/rfc822", "message/global",
                   "application/vnd.ms-outlook", "application/msword",
                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def read_document(data: bytes, name: str, *, ocr: OcrLimits | OcrBudget | None = None) -> Document:
    """Read a dropped file, its scans by OCR within `ocr` (limits, or a budget already
    begun). Raises UnreadableFile (and nothing else) if it cannot be read."""
    budget = ocr if isinstance(ocr, OcrBudget) else OcrBudget(ocr or OcrLimits())
    return _read(data, name, depth=0, budget=budget)


def _read(data: bytes, name: str, depth: int, budget: OcrBudget) -> Document:
    try:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise UnreadableFile("This file could not be read because it has no content.")
        data = bytes(data)
        kind = sniff(data, name or "")
        document = _READERS[kind](data, _child_reader(depth, budget), budget)
        if kind in ("pdf", "image"):
            from correspond.ingest.printed_email import with_printed_header

            document = with_printed_header(document)
        if kind in ("msg", "eml") and not document.text and not any(
                a.document is not None for a in document.attachments):
            raise UnreadableFile("This email has no text and no readable attachment, so it "
                                 "needs to be read by a person.")
        return document
    except UnreadableFile:
        raise
    except RecursionError as err:
        raise UnreadableFile("This file is built in a deliberately tangled way and was not "
                             "read; a person needs to look at it.") from err
    except MemoryError:
        raise  # the worker's memory limit: the reader pool reports it
    except Exception as err:  # a library bug on odd input must not escape as a traceback
        log.warning("Reader failed on %r: %s: %s", name, type(err).__name__, err)
        raise UnreadableFile(_UNEXPECTED) from err


def _child_reader(depth: int, budget: OcrBudget):
    """How an email reader turns one of its attachments into an Attachment."""

    def read_child(data: bytes, name: str, content_type: str | None) -> Attachment:
        if not _worth_reading(data, name, content_type):
            return Attachment(name=name, content_type=content_type, data=data)
        if depth + 1 > MAX_DEPTH:
            return Attachment(name=name, content_type=content_type, data=data,
                              problem="This attachment is nested too deeply inside other "
                                      "emails to be read automatically.")
        try:
            document = _read(data, name, depth + 1, budget)
        except UnreadableFile as err:
            return Attachment(name=name, content_type=content_type, data=data,
                              problem=err.reason)
        return Attachment(name=name, content_type=content_type, data=data, document=document)

    return read_child


def _worth_reading(data: bytes, name: str, content_type: str | None) -> bool:
    ext = extension(name)
    if ext in IMAGE_EXTENSIONS or (content_type or "").lower().startswith("image/") \
            or is_image(data):
        # A photo or scan of the letter; not a logo, a signature or an icon.
        from correspond.ingest.image import looks_like_a_page
        return looks_like_a_page(data)
    if ext in _READABLE_EXTENSIONS or ext in _LETTER_LIKE_EXTENSIONS:
        return True
    # A named file of another kind (.csv, .xlsx) is not a letter, whatever its type.
    if not ext and (content_type or "").lower() in _READABLE_TYPES:
        return True
    # A readable file under an unhelpful name (e.g. "attachment-1" or "ATT00001.bin").
    return data.startswith((b"%PDF", b"\xd0\xcf\x11\xe0")) or (
        data.startswith(b"PK\x03\x04") and b"word/" in data[:4096])


def _read_docx(data: bytes, _read_child, _budget: OcrBudget) -> Document:
    from correspond.ingest.docx import read_docx
    from correspond.ingest.docx_regions import docx_regions

    document = read_docx(data)
    # Where the page header, footer and tables are: hints for the parts stage.
    return replace(document, regions=docx_regions(data, document.text))


def _read_pdf(data: bytes, _read_child, budget: OcrBudget) -> Document:
    from correspond.ingest.pdf import read_pdf
    from correspond.ingest.pdf_regions import pdf_regions

    document = read_pdf(data, budget)
    return replace(document, regions=pdf_regions(data, document.text))


def _read_image(data: bytes, _read_child, budget: OcrBudget) -> Document:
    from correspond.ingest.image import read_image
    return read_image(data, budget)


def _read_txt(data: bytes, _read_child, _budget: OcrBudget) -> Document:
    from correspond.ingest.text import read_txt
    return read_txt(data)


def _read_eml(data: bytes, read_child, _budget: OcrBudget) -> Document:
    from correspond.ingest.eml import read_eml
    return read_eml(data, read_child)


def _read_msg(data: bytes, read_child, _budget: OcrBudget) -> Document:
    from correspond.ingest.msg import read_msg
    return read_msg(data, read_child)


_READERS = {"docx": _read_docx, "pdf": _read_pdf, "txt": _read_txt, "eml": _read_eml,
            "msg": _read_msg, "image": _read_image}
