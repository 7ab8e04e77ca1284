"""An email printed to PDF, or printed and scanned: its header lines at the top of the page
(From, Sent, To, Subject) say who sent it, when and about what, as the same email saved
from Outlook says in its headers. The page's text is kept whole."""

from __future__ import annotations

import re
from dataclasses import replace

from correspond.errors import UnreadableFile
from correspond.ingest.eml import read_eml
from correspond.ingest.sniff import looks_like_email
from correspond.records import Attachment, Document

_HEAD = 4096  # a header block is at the top of the first page
# Above it, OCR may have read a speck at the page's edge as a line of punctuation.
_SPECKS = re.compile(r"(?:[^\w\n]*\n)*")


def with_printed_header(document: Document) -> Document:
    if document.format not in ("pdf", "image") or document.subject or document.sent:
        return document
    text = document.text
    specks = _SPECKS.match(text)
    head = text[specks.end() if specks else 0:][:_HEAD].encode("utf-8")
    if not looks_like_email(head):
        return document
    try:
        header = read_eml(head, _no_attachment)
    except UnreadableFile:
        return document
    return replace(document, subject=header.subject, sent=header.sent,
                   sender_name=header.sender_name, sender_email=header.sender_email)


def _no_attachment(data: bytes, name: str, content_type: str | None) -> Attachment:
    # A page's text has no attachments; the header's reader never asks for one.
    return Attachment(name=name, content_type=content_type, data=data)
