"""Choose the text the extractor reads: the email body, or the letter attached to it.

MPs' offices usually send a short covering email with the letter attached as Word or PDF.
"""

from __future__ import annotations

import re

from correspond.records import Attachment, Document, Letter, PageRead, Region

MIN_LETTER_CHARS = 200
_LETTER_WORDS = re.compile(r"\b(dear|yours (sincerely|faithfully)|kind regards)\b", re.I)
# Where a reply's quoted history starts; the text above it is the new message.
_QUOTE_START = re.compile(
    r"^(-{2,}\s*original message\s*-{2,}|on .{5,200} wrote:\s*$)", re.I | re.M)
# A photo of the letter is read by OCR, so a typed copy beside it is the better text.
_PREFERENCE = {"docx": 3, "pdf": 3, "image": 2, "txt": 1, "msg": 0, "eml": 0}


def choose_letter(document: Document) -> Letter:
    if document.format in ("msg", "eml"):
        body = strip_quoted(document.text)
        best = _best_attachment(document, body)
        if best is not None:
            attachment, text = best
            inner = attachment.document
            pages = inner.pages if inner is not None and text == inner.text else ()
            regions = inner.regions if inner is not None and inner.text == text else ()
            return _letter(document, text, f"attachment:{attachment.name}",
                           covering_text=body or None, regions=regions, pages=pages)
        return _letter(document, document.text, "body", email_body=True)
    return _letter(document, document.text, "body", regions=document.regions,
                   pages=document.pages)


def _letter(document: Document, text: str, source: str, *,
            covering_text: str | None = None, regions: tuple[Region, ...] = (),
            email_body: bool = False, pages: tuple[PageRead, ...] = ()) -> Letter:
    return Letter(text=text, source=source, covering_text=covering_text,
                  subject=document.subject, sender_name=document.sender_name,
                  sender_email=document.sender_email, sent=document.sent, regions=regions,
                  email_body=email_body, pages=pages)


def strip_quoted(text: str) -> str:
    """The new part of a reply, without the quoted history below it (light touch: only
    when something is left above the quote)."""
    match = _QUOTE_START.search(text)
    if match and text[:match.start()].strip():
        return text[:match.start()].rstrip()
    return text


def _best_attachment(document: Document, body: str) -> tuple[Attachment, str] | None:
    candidates = [(a, text) for a, text in _letters(document, depth=0)
                  if len(text) > MIN_LETTER_CHARS and len(text) > len(body.strip())]
    if not candidates:
        return None
    return max(candidates, key=lambda pair: (
        _PREFERENCE.get(pair[0].document.format, 0) if pair[0].document else 0,
        bool(_LETTER_WORDS.search(pair[1])),
        len(pair[1]),
    ))


def _letters(document: Document, depth: int):
    """Readable attachments with their text, searching forwarded emails too."""
    for attachment in document.attachments:
        inner = attachment.document
        if inner is None:
            continue
        if inner.format in ("msg", "eml") and depth < 3:
            yield from _letters(inner, depth + 1)
        yield attachment, (strip_quoted(inner.text) if inner.format in ("msg", "eml")
                           else inner.text)
