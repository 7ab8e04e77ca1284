"""Where the text of a Word document came from: page headers, page footers, tables and
text boxes, as Regions of the text `read_docx` gives, for the parts stage.

This reads the document the way `read_docx` does (its own walkers, so the text matches
line for line) and finds each piece in that text in order. A piece it cannot find is left
out: no hint is better than a wrong one.
"""

from __future__ import annotations

import io

import docx

from correspond.ingest import docx as reader
from correspond.ingest.text import normalise
from correspond.records import Region, RegionKind, Span


def docx_regions(data: bytes, text: str | None = None) -> tuple[Region, ...]:
    """The layout regions of `text`, the text `read_docx(data)` gave (read again if not
    given). Raises UnreadableFile only where `read_docx` would."""
    if text is None:
        text = reader.read_docx(data).text
    try:
        document = docx.Document(io.BytesIO(data))
        headers = reader._header_footer_roots(document, "header")
        body = document.element.body
        footers = reader._header_footer_roots(document, "footer")
    except Exception:  # read_docx read the main part by hand: no headers or footers
        headers, footers = [], []
        body = reader._main_part_by_hand(data)[0]
    return layout_regions(text, headers, body, footers)


def layout_regions(text: str, headers: list, body, footers: list) -> tuple[Region, ...]:
    """The regions of `text`, read by `read_docx` from these header, body and footer
    elements (so `read_docx` can call this with the elements it has already parsed)."""
    finder = _Finder(text)
    regions: list[Region] = []
    seen: set[str] = set()
    for root in headers:
        regions.extend(finder.region("header", _text_of(root, seen)))
    body_span = finder.find(_text_of(body, seen))
    if body_span is not None:
        inner = _Finder(text, body_span.start, body_span.end)
        for element in _tables_and_text_boxes(body):
            if reader._local(element) == "tbl":
                regions.extend(inner.region("table", "\n".join(reader._table(element))))
            else:
                regions.extend(inner.region("textbox", "\n".join(reader._blocks(element)),
                                            in_order=False))
    for root in footers:
        regions.extend(finder.region("footer", _text_of(root, seen)))
    return tuple(sorted(regions, key=lambda region: region.span.start))


def _text_of(root, seen: set[str]) -> str:
    """A header's, footer's or the body's text, empty for a repeat (read_docx skips
    linked headers that repeat per section)."""
    text = "\n".join(reader._blocks(root))
    if not text.strip() or text in seen:
        return ""
    seen.add(text)
    return text


def _tables_and_text_boxes(body) -> list:
    """Outermost tables and text boxes of the body, in document order, leaving out what
    read_docx leaves out (the pre-2010 copy of a text box, deleted text)."""
    found = []
    for element in body.iter():
        name = reader._local(element)
        if name not in ("tbl", "txbxContent"):
            continue
        ancestors = {reader._local(parent) for parent in element.iterancestors()}
        if ancestors & reader._SKIP or ancestors & {"tbl", "txbxContent"}:
            continue
        found.append(element)
    return found


class _Finder:
    """Finds pieces of text in order within `text[start:end]`."""

    def __init__(self, text: str, start: int = 0, end: int | None = None) -> None:
        self.text = text
        self.cursor = start
        self.start = start
        self.end = len(text) if end is None else end
        self.taken: list[Span] = []

    def find(self, raw: str, *, in_order: bool = True) -> Span | None:
        piece = normalise(raw)
        if not piece:
            return None
        at = self.text.find(piece, self.cursor if in_order else self.start, self.end)
        while at != -1 and any(at < span.end and span.start < at + len(piece)
                               for span in self.taken):
            at = self.text.find(piece, at + 1, self.end)
        if at == -1:
            return None
        span = Span(at, at + len(piece))
        self.taken.append(span)
        if in_order:
            self.cursor = span.end
        return span

    def region(self, kind: RegionKind, raw: str, *, in_order: bool = True) -> list[Region]:
        span = self.find(raw, in_order=in_order)
        return [Region(kind, span)] if span is not None else []
