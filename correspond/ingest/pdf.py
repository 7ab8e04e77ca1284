"""PDF: the text layer, page by page; pages with no text layer, or one that is garbage (a
broken font encoding that comes out as symbols or `(cid:12)`), are read by OCR.

A scanner's PDF is an image per page. Those pages, and only those, are rendered with
pypdfium2 (PDFium, the renderer OCRmyPDF uses) at 300 dpi and read by Tesseract (ocr.py);
a letter typed on page 1 with a scanned page 2 keeps page 1's text layer as it is.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from correspond.errors import UnreadableFile
from correspond.ingest.ocr import OcrBudget, OcrPage, page_pixels_at, read_page_image
from correspond.ingest.pages import document_of_pages
from correspond.records import Document

PASSWORD = "This PDF is password-protected; ask the sender for an unprotected copy."
DAMAGED = "This PDF is damaged and cannot be opened; ask the sender for a fresh copy."
SCAN = ("No text could be read from this PDF, not even by OCR (a scan of handwriting, a blank "
        "page or a faint copy?), so a person needs to read it and enter it by hand.")
_MAX_PAGES = 200  # an MP's letter is a few pages; beyond this is not a letter
_CID = re.compile(r"\(cid:\d+\)")

# pypdf logs a warning for every oddity in a real-world PDF; they are not our problem.
logging.getLogger("pypdf").setLevel(logging.ERROR)
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def read_pdf(data: bytes, budget: OcrBudget) -> Document:
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
        return _document(data, page_texts, len(page_texts), budget)
    return _document(data, [_page_text(pages, n) for n in range(min(count, _MAX_PAGES))],
                     count, budget)


def _document(data: bytes, layers: list[str], count: int, budget: OcrBudget) -> Document:
    if count == 0:
        raise UnreadableFile(DAMAGED)
    scanned = [number for number, text in enumerate(layers) if needs_ocr(text)]
    read: dict[int, OcrPage] = {}
    if scanned:
        budget.take_pages(len(scanned))
        read = _ocr_pages(data, scanned, budget)
    notes = [f"Only the first {_MAX_PAGES} of {count} pages were read."] \
        if count > _MAX_PAGES else []
    return document_of_pages(
        "pdf", [(read.get(number), None if number in read else text)
                for number, text in enumerate(layers)],
        unreadable=SCAN, notes=notes)


def needs_ocr(text: str) -> bool:
    """No text layer, or one that is garbage: a broken font encoding."""
    return not text.strip() or looks_garbled(text)


def looks_garbled(text: str) -> bool:
    """Text from a font whose encoding is broken: `(cid:12)` codes, control characters
    and unassigned code points, or words of letters from several alphabets at once."""
    visible = [character for character in text if not character.isspace()]
    if not visible:
        return False
    if sum(len(code) for code in _CID.findall(text)) > len(visible) * 0.1:
        return True
    odd = sum(1 for character in visible
              if unicodedata.category(character) in ("Cc", "Cn", "Co", "Cs")
              or character == "\ufffd")
    if odd > len(visible) * 0.05:
        return True
    words = [word for word in text.split() if sum(c.isalpha() for c in word) >= 2]
    mixed = sum(1 for word in words if len(_alphabets(word)) > 1)
    return bool(words) and mixed > len(words) * 0.3


def _alphabets(word: str) -> set[str]:
    """The alphabets a word's letters come from (Chinese and Japanese kana count as one)."""
    found = set()
    for character in word:
        if character.isalpha():
            name = unicodedata.name(character, "UNKNOWN").split()[0]
            found.add("CJK" if name in ("CJK", "HIRAGANA", "KATAKANA") else name)
    return found


def _ocr_pages(data: bytes, numbers: list[int], budget: OcrBudget) -> dict[int, OcrPage]:
    """Render the pages numbered (from 0) `numbers` and read them by OCR."""
    import pypdfium2  # only scans need it

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as err:
        if "password" in str(err).lower():
            raise UnreadableFile(PASSWORD) from err
        return {}  # what the text layer gave is all there is
    read = {}
    turn = 0
    try:
        for number in numbers:
            if number >= len(document):
                continue
            page = document[number]
            width, height = page.get_size()
            scale = page_pixels_at(width, height)
            try:
                image = page.render(scale=scale, grayscale=True).to_pil()
            except pypdfium2.PdfiumError:
                continue  # one page that will not render should not lose the rest
            read[number] = read_page_image(image, budget, dpi=scale * 72, turn=turn)
            turn = read[number].turn
    finally:
        document.close()
    return read


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
