"""Where the text of a PDF sat on the page, as Regions of the text `read_pdf` gives, for
the parts stage: pdfminer's layout analysis groups a page's lines into text boxes (the
letterhead, the inside address, each paragraph), which plain text loses when a PDF has
no blank lines; a box in the top or bottom margin of a page is its header or footer.

Each box is found in the text by its characters alone (pdfminer and pypdf space words
differently), in order; a box that cannot be found is left out: no hint is better than a
wrong one. A letter's page takes pdfminer a few milliseconds; only the first pages are
analysed.
"""

from __future__ import annotations

import io
import logging

from correspond.records import Region, RegionKind, Span

MAX_PAGES = 10  # a letter's heading and sign-off are on its first pages
MARGIN = 0.06  # of the page's height: a box wholly inside it is a page header or footer

logging.getLogger("pdfminer").setLevel(logging.ERROR)


def pdf_regions(data: bytes, text: str) -> tuple[Region, ...]:
    """The layout regions of `text`, the text `read_pdf(data)` gave. A PDF pdfminer
    cannot lay out gives none."""
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams, LTTextBox

        boxes = []
        for page in extract_pages(io.BytesIO(data), maxpages=MAX_PAGES, laparams=LAParams()):
            height = page.height or 1
            for element in page:
                if isinstance(element, LTTextBox):
                    boxes.append((_kind(element.y0, element.y1, page.y0, height),
                                  element.get_text()))
    except Exception:  # the text was read; the layout is only a hint
        return ()
    finder = _Finder(text)
    regions = []
    for kind, box_text in boxes:
        span = finder.find(box_text)
        if span is not None:
            regions.append(Region(kind, span))
    return tuple(sorted(regions, key=lambda region: region.span.start))


def _kind(y0: float, y1: float, bottom: float, height: float) -> RegionKind:
    if y1 - bottom < MARGIN * height:
        return "footer"
    if y0 - bottom > (1 - MARGIN) * height:
        return "header"
    return "textbox"


class _Finder:
    """Finds pieces of text in `text` by their non-space characters, in order where it
    can, never overlapping a piece found before."""

    def __init__(self, text: str) -> None:
        self.offsets = [i for i, ch in enumerate(text) if not ch.isspace()]
        self.compact = "".join(text[i] for i in self.offsets)
        self.cursor = 0
        self.taken: list[tuple[int, int]] = []

    def find(self, piece: str) -> Span | None:
        needle = "".join(piece.split())
        if not needle:
            return None
        at = self._free(needle, self.cursor)
        if at == -1:
            at = self._free(needle, 0)  # boxes come in layout order, not always reading order
        if at == -1:
            return None
        end = at + len(needle)
        self.taken.append((at, end))
        self.cursor = max(self.cursor, end)
        return Span(self.offsets[at], self.offsets[end - 1] + 1)

    def _free(self, needle: str, start: int) -> int:
        at = self.compact.find(needle, start)
        while at != -1 and any(at < end and begin < at + len(needle)
                               for begin, end in self.taken):
            at = self.compact.find(needle, at + 1)
        return at
