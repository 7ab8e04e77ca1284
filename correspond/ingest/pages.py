"""A document from its pages' text: one text, each page's place in it, and notes on the
pages that could not be read. Shared by the PDF and picture readers."""

from __future__ import annotations

from collections.abc import Sequence

from correspond.errors import UnreadableFile
from correspond.ingest.ocr import OcrPage
from correspond.ingest.text import normalise
from correspond.records import Document, Format, PageRead, Span

PAGE_BREAK = "\n\n"


def document_of_pages(format: Format, pages: Sequence[tuple[OcrPage | None, str | None]], *,
                      unreadable: str, notes: Sequence[str] = ()) -> Document:
    """`pages` holds, for each page, what OCR read from it or else its text layer (None
    for neither: a blank page). Raises UnreadableFile(`unreadable`) if no page has text."""
    texts: list[str] = []
    read: list[PageRead] = []
    not_read: list[int] = []
    position = 0
    for number, (ocr, layer) in enumerate(pages, start=1):
        text = ocr.text if ocr is not None and ocr.readable else normalise(layer or "")
        if not text:
            # Kept, with no text, so that the desk still shows the page's picture.
            not_read.append(number)
            read.append(PageRead(number, Span(position, position), ocr=ocr is not None))
            continue
        if texts:
            position += len(PAGE_BREAK)
        texts.append(text)
        read.append(PageRead(number, Span(position, position + len(text)),
                             ocr=ocr is not None,
                             confidence=round(ocr.confidence, 3) if ocr is not None else None))
        position += len(text)
    if not texts:
        raise UnreadableFile(unreadable)
    all_notes = list(notes)
    if not_read:
        all_notes.insert(0, _not_read_note(not_read))
    return Document(format=format, text=PAGE_BREAK.join(texts), notes=tuple(all_notes),
                    pages=tuple(read))


def _not_read_note(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return (f"Page {numbers[0]} has no text that could be read (by OCR either), so a "
                f"person should read it.")
    listed = ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"
    return (f"Pages {listed} have no text that could be read (by OCR either), so a person "
            f"should read them.")
