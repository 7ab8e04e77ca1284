"""Where a reply goes: the postal address printed in the writer's letterhead.

An MP writes from the House of Commons or from a constituency office, and the reply goes
back to the address they gave; a councillor's letterhead gives the town hall or their
own address. Only the letterhead counts (never the address the letter was sent to,
which is the council's, nor the family's address in its body).
"""

from __future__ import annotations

import re

from correspond.domain.postcodes import INWARD, OUTWARD
from correspond.parts.letter import split_letter

_POSTCODE_AT_END = re.compile(rf"[ \t,]*\b({OUTWARD}[ \t]*{INWARD})[ \t]*$")
# Lines of a letterhead that are about the writer, not their address.
_NOT_ADDRESS = re.compile(
    r"\bMP\b|Member of Parliament|Councillor|\bCllr\b|\bWard\b|\bDivision\b|@|"
    r"\b(?:Tel|Telephone|Phone|Mobile|Email|E-mail|Fax|Web|www)\b|\d{5,}",
    re.IGNORECASE)
_LABEL = re.compile(r"^(?:From|Address)\s*:\s*", re.IGNORECASE)


def letterhead_address(letter_text: str) -> str:
    """The first postal address in the letter's letterhead, one line per line, the
    postcode on a line of its own; '' when the letterhead gives none."""
    for part in split_letter(letter_text):
        if part.kind != "letterhead":
            continue
        address = _address_in(part.span.text_of(letter_text).splitlines())
        if address:
            return address
    return ""


def _address_in(lines: list[str]) -> str:
    for end, line in enumerate(lines):
        if not _POSTCODE_AT_END.search(line):
            continue
        start = end
        while start > 0 and lines[start - 1].strip() and \
                not _NOT_ADDRESS.search(lines[start - 1]):
            start -= 1
        block = [_LABEL.sub("", line).strip() for line in lines[start:end + 1]]
        if any(_NOT_ADDRESS.search(line) for line in block):
            continue  # the postcode was on a line about the writer
        return "\n".join(_address_lines(block))
    return ""


def _address_lines(block: list[str]) -> list[str]:
    """'House of Commons, London SW1A 0AA' -> House of Commons / London / SW1A 0AA."""
    lines = [piece.strip() for line in block for piece in line.split(",") if piece.strip()]
    last = _POSTCODE_AT_END.search(lines[-1])
    if last and last.start() > 0:
        postcode = " ".join(last.group(1).split())
        lines[-1:] = [lines[-1][:last.start()].strip(), postcode]
    return lines


__all__ = ["letterhead_address"]
