"""The parts stage: between reading a letter and extracting from it, mark which stretch
of the text is what.

    read_parts(letter) -> LetterParts (records.py)

An email (or an email pasted into a letter file) is first split into its messages
(messages.py: the newest on top, then each quoted or forwarded one, each with its
header, signature and disclaimer); each message's own words, and a letter as a whole,
are then split into blocks (letter.py: letterhead, inside address, date line,
references, subject, body, tables, closing, signature, footer, disclaimers). A reader's
layout hints (a Word page footer, a table) are used where the text is the document's.
"""

from __future__ import annotations

from dataclasses import replace

from correspond.parts.letter import split_letter
from correspond.parts.messages import message_parts, split_messages
from correspond.records import Letter, LetterParts, Message, Part, Region, Span


def read_parts(letter: Letter) -> LetterParts:
    text = letter.text
    messages = split_messages(text, sent=letter.sent if letter.email_body else None,
                              subject=letter.subject if letter.email_body else None)
    if not (letter.email_body or len(messages) > 1 or messages[0].header is not None):
        # A letter (a Word file, a PDF, an attached letter): one message, split whole.
        top = Message(0, "top", Span(0, len(text)), sent=messages[0].sent,
                      body=Span(0, len(text)))
        return LetterParts(text, (top,), split_letter(text, regions=letter.regions))
    parts: list[Part] = []
    for part in message_parts(messages):
        if part.kind != "body":
            parts.append(part)
            continue
        # The message's own words, split into blocks (a table of children, a letter
        # pasted into the email) at the message's depth.
        inner = text[part.span.start:part.span.end]
        for block in split_letter(inner, regions=_shifted(letter.regions, part.span)
                                  if part.depth == 0 else ()):
            parts.append(replace(block, span=Span(block.span.start + part.span.start,
                                                  block.span.end + part.span.start),
                                 depth=part.depth))
    parts.sort(key=lambda item: item.span.start)
    return LetterParts(text, messages, tuple(parts))


def _shifted(regions: tuple[Region, ...], within: Span) -> tuple[Region, ...]:
    """The regions inside `within`, as offsets into its text."""
    return tuple(Region(region.kind, Span(region.span.start - within.start,
                                          region.span.end - within.start))
                 for region in regions
                 if within.start <= region.span.start and region.span.end <= within.end)


__all__ = ["read_parts"]
