"""A page's text as typed, from where Tesseract found each word (its TSV output).

Tesseract's own text keeps every line break on the page, and splits a letter into blocks
its own way (each line of an email's header block apart, say), which the parts stage and
the extractor would read wrongly. Here each line is placed by its words' boxes: a gap
taller than a line of text starts a new paragraph (a blank line), as the typist left it;
within a paragraph, a line that ended only because the next word did not fit is joined to
the next (so a sentence, or a name, reads whole), while short lines, as in an address,
stay lines.
"""

from __future__ import annotations

import csv
import statistics
from dataclasses import dataclass
from pathlib import Path

# A gap between two lines taller than this many lines of text is a blank line.
PARAGRAPH_GAP = 1.0
# A line is taken as wrapped when its next line's first word would have reached this
# close to the right edge of the page's text (a fraction of the page's width).
WRAP_SLACK = 0.01


@dataclass(frozen=True)
class Word:
    line: tuple[int, int, int]  # Tesseract's block, paragraph and line
    left: int
    top: int
    right: int
    bottom: int
    text: str
    confidence: float  # 0 to 100


@dataclass(frozen=True)
class _Line:
    words: list[Word]

    @property
    def left(self) -> int:
        return self.words[0].left

    @property
    def right(self) -> int:
        return self.words[-1].right

    @property
    def top(self) -> int:
        return min(word.top for word in self.words)

    @property
    def bottom(self) -> int:
        return max(word.bottom for word in self.words)

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


def read_tsv(tsv: Path) -> list[Word]:
    """The words Tesseract read, in its reading order."""
    words = []
    with tsv.open(encoding="utf-8", errors="replace", newline="") as stream:
        for row in csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = (row.get("text") or "").strip()
            try:
                confidence = float(row.get("conf") or -1)
                line = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
                left, top = int(row["left"]), int(row["top"])
                right, bottom = left + int(row["width"]), top + int(row["height"])
            except (KeyError, TypeError, ValueError):
                continue
            if text and confidence >= 0:
                words.append(Word(line, left, top, right, bottom, text, confidence))
    return words


def mean_confidence(words: list[Word]) -> float:
    """Mean word confidence in [0, 1], weighted by word length."""
    weight = sum(len(word.text) for word in words)
    if not weight:
        return 0.0
    return sum(word.confidence * len(word.text) for word in words) / weight / 100


def page_text(words: list[Word], page_width: int) -> str:
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        grouped.setdefault(word.line, []).append(word)
    lines = [_Line(line_words) for line_words in grouped.values()]
    if not lines:
        return ""
    height = statistics.median(line.bottom - line.top for line in lines) or 1
    rights = sorted(line.right for line in lines if len(line.words) >= 3)
    column_right = rights[int(len(rights) * 0.9)] if rights else page_width
    slack = WRAP_SLACK * page_width
    paragraphs = [lines[0].text]
    for previous, line in zip(lines, lines[1:]):
        gap = line.top - previous.bottom
        if gap > PARAGRAPH_GAP * height or line.top < previous.top:
            paragraphs.append(line.text)
            continue
        first = line.words[0]
        space = (first.right - first.left) / max(len(first.text), 1)
        wrapped = len(previous.words) >= 3 and (
            previous.right + space + first.right - first.left >= column_right - slack)
        paragraphs[-1] += (" " if wrapped else "\n") + line.text
    return "\n\n".join(paragraphs)
