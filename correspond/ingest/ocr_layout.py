"""A page's text as typed, from where Tesseract found each word (its TSV output).

Tesseract's own text keeps every line break on the page, and splits a letter into blocks
its own way (each line of an email's header block apart, say), which the parts stage and
the extractor would read wrongly. Here each line is placed by its words' boxes: lines
further apart than the page's usual spacing have a blank line between them, as the typist
left it;
within a paragraph, a line that ended only because the next word did not fit is joined to
the next (so a sentence, or a name, reads whole), while short lines, as in an address,
stay lines. A gap of several characters between words on a line (a form's labels and
values in columns) is kept as spaces.
"""

from __future__ import annotations

import csv
import statistics
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter

# Looking for text Tesseract left unread: the page at a sixth of its size, a pixel this
# much darker than the paper around it is ink, and a row with this much ink (of 255) is a
# row of text. More unread rows than this share of them means a block was dropped.
_SCALE = 6
_INK = 60
_TEXT_ROW = 8
UNREAD_SHARE = 0.10
# Lines further apart than this many times the page's usual line spacing have a blank
# line between them.
PARAGRAPH_SPACING = 1.6
# A line is taken as wrapped when its next line's first word would have reached this
# close to the right edge of the page's text (a fraction of the page's width).
WRAP_SLACK = 0.01
# A gap between words on a line at least this many characters wide is a column's, kept.
COLUMN_GAP = 3.0


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
    def bottom(self) -> int:
        # Its first word's: lines start at the margin, one under the other, so a page
        # still a little skewed moves them alike.
        return self.words[0].bottom

    @property
    def text(self) -> str:
        """The words one space apart, but a gap as wide as several characters (a form's
        label and its value in a column) as that many spaces, as it was typed."""
        widths = sorted((word.right - word.left) / len(word.text) for word in self.words)
        character = widths[len(widths) // 2]
        text = self.words[0].text
        for previous, word in zip(self.words, self.words[1:]):
            gap = (word.left - previous.right) / character if character else 0
            text += " " * (round(gap) if gap >= COLUMN_GAP else 1) + word.text
        return text


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
    steps = [line.bottom - previous.bottom for previous, line in zip(lines, lines[1:])
             if line.bottom > previous.bottom]
    spacing = statistics.median(steps) if steps else 1
    rights = sorted(line.right for line in lines if len(line.words) >= 3)
    column_right = rights[int(len(rights) * 0.9)] if rights else page_width
    slack = WRAP_SLACK * page_width
    paragraphs = [lines[0].text]
    for previous, line in zip(lines, lines[1:]):
        step = line.bottom - previous.bottom
        if step > PARAGRAPH_SPACING * spacing or step <= 0:  # a blank line, or a new column
            paragraphs.append(line.text)
            continue
        first = line.words[0]
        space = (first.right - first.left) / max(len(first.text), 1)
        wrapped = len(previous.words) >= 3 and (
            previous.right + space + first.right - first.left >= column_right - slack)
        paragraphs[-1] += (" " if wrapped else "\n") + line.text
    return "\n\n".join(paragraphs)


def leaves_text_unread(page: Image.Image, words: list[Word]) -> bool:
    """True when rows of the page hold ink that no word read covers: Tesseract's layout
    analysis sometimes drops a whole paragraph of a photo or a noisy scan without a trace,
    so what is on the page is compared with what was read."""
    small = page.reduce(_SCALE)
    # Thin strokes vanish under a maximum filter, leaving the paper's own brightness, so
    # shadows and grey paper are not taken for ink.
    paper = small.filter(ImageFilter.MaxFilter(7))
    ink = ImageChops.subtract(paper, small).point(lambda value: 255 if value > _INK else 0)
    rows = ink.resize((1, ink.height), Image.Resampling.BOX).tobytes()
    covered = bytearray(ink.height)
    for word in words:
        for row in range(max(0, word.top // _SCALE - 1),
                         min(ink.height, word.bottom // _SCALE + 2)):
            covered[row] = 1
    text_rows = [row for row, amount in enumerate(rows) if amount > _TEXT_ROW]
    unread = sum(1 for row in text_rows if not covered[row])
    return unread > max(_SCALE * 2, UNREAD_SHARE * len(text_rows))
