"""PDF: the text layer, page by page. A PDF with no text layer is a scan for a person."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from correspond.errors import UnreadableFile
from correspond.ingest.text import normalise
from correspond.records import Document

PASSWORD = "This PDF is password-protected; ask the sender for an unprotected copy."
DAMAGED = "This PDF is damaged and cannot be opened; ask the sender for a fresh copy."
SCAN = "This PDF is a scan with no text layer, so it needs to be read by a person."
_MAX_PAGES = 200  # an MP's letter is a few pages; beyond this is not a letter

# pypdf logs a warning for every oddity in a real-world PDF; they are not our problem.
logging.getLogger("pypdf").setLevel(logging.ERROR)
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def read_pdf(data: bytes) -> Document:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader)
        pages = reader.pages
        count = len(pages)
    except UnreadableFile:
        raise
    except FileNotDecryptedError as err:
        raise UnreadableFile(PASSWORD) from err
    except (PdfReadError, Exception) as err:
        # pypdf gives up on a missing or broken cross-reference table; pdfminer rebuilds it.
        page_texts = _pdfminer_pages(data)
        if page_texts is None:
            raise UnreadableFile(DAMAGED) from err
        return _document(page_texts, len(page_texts))
    return _document((_page_text(pages, n) for n in range(min(count, _MAX_PAGES))), count)


def _document(page_texts, count: int) -> Document:
    texts: list[str] = []
    blank: list[int] = []
    for number, text in enumerate(page_texts):
        if text.strip():
            texts.append(text)
        else:
            blank.append(number + 1)
    if not texts:
        if count == 0:
            raise UnreadableFile(DAMAGED)
        raise UnreadableFile(SCAN)
    notes = []
    if blank:
        notes.append(_blank_note(blank))
    if count > _MAX_PAGES:
        notes.append(f"Only the first {_MAX_PAGES} of {count} pages were read.")
    return Document(format="pdf", text=normalise("\n\n".join(texts)), notes=tuple(notes))


def _pdfminer_pages(data: bytes) -> list[str] | None:
    try:
        from pdfminer.high_level import extract_text

        text = extract_text(io.BytesIO(data), maxpages=_MAX_PAGES)
    except Exception:
        return None
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdfminer ends every page with a form feed
    return pages


def _decrypt(reader: PdfReader) -> None:
    # Many PDFs are "encrypted" with an empty password only to stop printing or editing.
    try:
        ok = reader.decrypt("")
    except NotImplementedError as err:  # an encryption scheme pypdf cannot undo
        raise UnreadableFile(PASSWORD) from err
    except Exception as err:
        raise UnreadableFile(PASSWORD) from err
    if not ok:
        raise UnreadableFile(PASSWORD)


def _page_text(pages, number: int) -> str:
    try:
        return pages[number].extract_text() or ""
    except RecursionError:
        return ""  # self-referencing drawing objects: no text to be had from this page
    except Exception:
        return ""  # one broken page should not lose the rest of the letter


def _blank_note(blank: list[int]) -> str:
    if len(blank) == 1:
        return f"Page {blank[0]} is a scan with no text layer, so a person should read it."
    listed = ", ".join(str(n) for n in blank[:-1]) + f" and {blank[-1]}"
    return f"Pages {listed} are scans with no text layer, so a person should read them."
