"""Reading a page image with Tesseract (Debian's `tesseract-ocr` and `tesseract-ocr-eng`).

Each page is first turned level by Tesseract's own skew measure and then read, as
OCRmyPDF's --deskew does; when Tesseract's layout analysis has left a block of text on the
page unread (it can drop a paragraph of a photo without a trace), the page is read again
as a single block. A page read poorly (a low mean word confidence) may be upside
down or sideways, so it is looked at again as OCRmyPDF's --rotate-pages does: Tesseract's
orientation detection (OSD) says how to turn it, and it is read again turned; the better
reading is kept. Upright pages, nearly all of them, are read once. Tesseract's Sauvola
binarisation evens out grey paper, noise and the uneven light of a phone photo; a picture
is first flattened onto white, made grey and scaled to about 300 dpi.

Tesseract runs as a child of the reader process (so the reader's memory limit holds for it
too), on one thread, and is stopped when the file's OCR time runs out (`OcrBudget`).
"""

from __future__ import annotations

import logging
import math
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from correspond.errors import UnreadableFile
from correspond.ingest.ocr_layout import (
    Word,
    leaves_text_unread,
    mean_confidence,
    page_text,
    read_tsv,
)
from correspond.ingest.ocr_text import clean_ocr_text
from correspond.ingest.text import normalise

log = logging.getLogger(__name__)

LANGUAGE = "eng"
DPI = 300  # what Tesseract is trained for; PDF pages are rendered at this
# An A4 page at 300 dpi is 8.7 million pixels; larger pictures are scaled down to this,
# which keeps Tesseract's time and memory bounded whatever the page size.
MAX_PIXELS = 10_000_000
MIN_LONG_SIDE = 2000  # smaller pictures (a 100 dpi fax) are scaled up to this
A4_LONG_SIDE_INCHES = 11.69
# Below this mean word confidence a page is looked at again, turned (see above).
LOOK_AGAIN_BELOW = 0.80
# A page read with a lower confidence than this has no text worth reading (a drawing,
# handwriting, a photo of a screen), unless it is a few words read surely (a letter's
# last page with only its sign-off).
MIN_CONFIDENCE = 0.50
FEW_WORDS = 8
FEW_WORDS_CONFIDENCE = 0.85
BLANK_INK = 0.0005  # a page with less of its area dark than this is blank
MIN_SKEW_DEGREES = 0.3  # less is level enough
MAX_SKEW_DEGREES = 20.0  # more is a misreading of the layout, not a skewed page


@dataclass(frozen=True)
class OcrLimits:
    """How much OCR one file may have: its scanned pages, and the time for all of them
    (the `ocr_max_pages` and `ocr_timeout_seconds` settings)."""

    max_pages: int = 20
    timeout_seconds: float = 60.0


class OcrBudget:
    """The OCR one file may still have; shared by the file's pages and attachments.

    With `defer`, a file's scanned pages are not read at all: the first claim notes that
    the file needs OCR (`deferred`) and stops the reading, so that the reader processes
    can read the file again with OCR's time added to its time limit, while a file with no
    scans keeps its own, shorter limit."""

    def __init__(self, limits: OcrLimits, *, defer: bool = False) -> None:
        self.limits = limits
        self.defer = defer
        self.deferred = False
        self.pages_left = limits.max_pages
        self._deadline = time.monotonic() + limits.timeout_seconds

    def take_pages(self, count: int) -> None:
        """Claim `count` pages for OCR, or raise UnreadableFile saying what to do."""
        if self.defer:
            self.deferred = True
            raise UnreadableFile("This file has scanned pages, read by OCR next.")
        if count > self.pages_left:
            claimed = self.limits.max_pages - self.pages_left + count
            raise UnreadableFile(
                f"This file has {claimed} scanned pages, more than the "
                f"{self.limits.max_pages} read by OCR in one file (ocr_max_pages); drop in "
                f"the letter's own pages on their own, or ask for the limit to be raised.")
        self.pages_left -= count

    def seconds_left(self) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise self.out_of_time()
        return left

    def out_of_time(self) -> UnreadableFile:
        return UnreadableFile(
            f"Reading this scan by OCR took longer than {self.limits.timeout_seconds:g} "
            f"seconds and was stopped (ocr_timeout_seconds); drop in the letter's own pages "
            f"on their own, or ask for the limit to be raised.")


@dataclass(frozen=True)
class OcrPage:
    text: str  # normalised and cleaned of OCR's usual slips (ocr_text.py)
    confidence: float  # mean word confidence in [0, 1], weighted by the words' lengths
    words: int
    turn: int = 0  # degrees clockwise the page was turned to read it upright

    @property
    def readable(self) -> bool:
        if self.words >= FEW_WORDS:
            return self.confidence >= MIN_CONFIDENCE
        return self.words > 0 and self.confidence >= FEW_WORDS_CONFIDENCE


def read_page_image(image: Image.Image, budget: OcrBudget, *, dpi: float | None = None,
                    turn: int = 0) -> OcrPage:
    """The text of one page image. `turn` is how the page before it had to be turned (a
    scanner feeds every page the same way), tried first. Raises UnreadableFile when
    Tesseract is missing or the file's OCR time has run out."""
    page, dpi = _prepare(image, dpi)
    if _blank(page):
        return OcrPage("", 0.0, 0, turn)
    with tempfile.TemporaryDirectory(prefix="correspond-ocr-") as folder:
        work = Path(folder)
        best = _read_page(_turn(page, turn), dpi, work, budget, turn)
        if best.confidence < LOOK_AGAIN_BELOW:
            upright = _upright(_turn(page, turn), dpi, work, budget)
            if upright is not None:
                again_turn = (turn + upright) % 360
                again = _read_page(_turn(page, again_turn), dpi, work, budget, again_turn)
                if _better(again, best):
                    best = again
    return best


def _read_page(page: Image.Image, dpi: float, work: Path, budget: OcrBudget,
               turn: int) -> OcrPage:
    """Straighten the page and read it; if Tesseract's layout analysis left text on the
    page unread, read it again as one block of text and keep the fuller reading."""
    page = _straightened(page, dpi, work, budget)
    reading, words = _read(page, dpi, work, budget, turn, layout=3)
    if leaves_text_unread(page, words):
        again, _ = _read(page, dpi, work, budget, turn, layout=6)
        if again.words > reading.words * 1.1:
            reading = again
    return reading


def _turn(page: Image.Image, clockwise: int) -> Image.Image:
    # Pillow turns anticlockwise.
    return page.rotate(-clockwise, expand=True) if clockwise % 360 else page


def _prepare(image: Image.Image, dpi: float | None) -> tuple[Image.Image, float]:
    """Grey, on white, and about the size Tesseract reads best."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, "white")
        image = Image.alpha_composite(white, rgba)
    page = image.convert("L")
    scale = 1.0
    pixels = page.width * page.height
    if pixels > MAX_PIXELS:
        scale = math.sqrt(MAX_PIXELS / pixels)
    elif max(page.size) < MIN_LONG_SIDE:
        scale = MIN_LONG_SIDE / max(page.size)
    if scale != 1.0:
        size = (max(1, round(page.width * scale)), max(1, round(page.height * scale)))
        page = page.resize(size, Image.Resampling.LANCZOS)
    # A camera says 72 dpi whatever it saw: a resolution that would not make the picture
    # about a page's size is not believed, and the picture is taken to be an A4 page.
    as_a4 = max(page.size) / A4_LONG_SIDE_INCHES
    dpi = dpi * scale if dpi and 0.6 < dpi * scale / as_a4 < 1.7 else as_a4
    return page, max(70.0, min(dpi, 1200.0))


def _better(candidate: OcrPage, best: OcrPage) -> bool:
    return candidate.confidence * min(candidate.words, 200) > best.confidence * min(best.words, 200)


def _read(page: Image.Image, dpi: float, work: Path, budget: OcrBudget, turn: int, *,
          layout: int) -> tuple[OcrPage, list[Word]]:
    """One reading by Tesseract, with its page segmentation mode `layout` (3: find the
    blocks of text on the page; 6: the page is one block)."""
    image = _saved(page, work)
    _tesseract([str(image), str(work / "page"), "-l", LANGUAGE, "--psm", str(layout),
                "--dpi", str(round(dpi)), "-c", "thresholding_method=2", "tsv"], budget)
    words = read_tsv(work / "page.tsv")
    return OcrPage(clean_ocr_text(normalise(page_text(words, page.width))),
                   mean_confidence(words), len(words), turn), words


def _straightened(page: Image.Image, dpi: float, work: Path, budget: OcrBudget) -> Image.Image:
    """The page turned level by Tesseract's own skew measure (its layout analysis alone,
    a fraction of a reading): a page skewed by two degrees on grey, noisy paper can
    lose whole paragraphs to Tesseract's layout analysis otherwise."""
    # Measured at half size, in half the time, to the same hundredth of a degree.
    half = page.reduce(2) if min(page.size) > MIN_LONG_SIDE // 2 else page
    scale = half.width / page.width
    result = _tesseract([str(_saved(half, work)), "stdout", "-l", LANGUAGE, "--psm", "2",
                         "--dpi", str(round(dpi * scale))], budget, check=False)
    skew = re.search(r"^Deskew angle: (-?[\d.]+)", result.stderr + result.stdout, re.M)
    degrees = math.degrees(float(skew.group(1))) if skew else 0.0
    if not MIN_SKEW_DEGREES <= abs(degrees) <= MAX_SKEW_DEGREES:
        return page
    # Tesseract's angle turns the page back level, anticlockwise, as Pillow turns.
    return page.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True,
                       fillcolor=_paper(page))


def _upright(page: Image.Image, dpi: float, work: Path, budget: OcrBudget) -> int | None:
    """How far to turn the page clockwise to be upright, by Tesseract's orientation
    detection; None when it is upright (or Tesseract cannot tell)."""
    result = _tesseract([str(_saved(page, work)), "stdout", "-l", "osd", "--psm", "0",
                         "--dpi", str(round(dpi))], budget, check=False)
    rotate = re.search(r"^Rotate: (\d+)", result.stdout, re.M)
    if rotate is None or int(rotate.group(1)) not in (90, 180, 270):
        return None
    return int(rotate.group(1))


def _paper(page: Image.Image) -> int:
    """The page's background grey, to fill the corners a turn uncovers."""
    histogram = page.histogram()
    return max(range(128, 256), key=lambda level: histogram[level])


def _blank(page: Image.Image) -> bool:
    """Hardly a dark pixel: nothing for Tesseract to read (a blank page of a scan)."""
    histogram = page.histogram()
    dark = sum(histogram[:128])
    return dark < page.width * page.height * BLANK_INK


def _saved(page: Image.Image, work: Path) -> Path:
    # PGM: written in milliseconds (PNG takes a second or two for a page at 300 dpi).
    path = work / "page.pgm"
    page.save(path, "PPM")
    return path


def _tesseract(arguments: list[str], budget: OcrBudget, *,
               check: bool = True) -> subprocess.CompletedProcess[str]:
    program = shutil.which("tesseract")
    if program is None:
        raise UnreadableFile("This file is a scan, and the OCR program (Tesseract) is not "
                             "installed on the server; ask your administrator to install "
                             "tesseract-ocr, then try the file again.")
    # One thread: the reader processes are the parallelism, and OpenMP's spinning
    # threads cost more than they give on a busy machine.
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        result = subprocess.run([program, *arguments], capture_output=True, text=True,
                                errors="replace", env=environment,
                                timeout=budget.seconds_left())
    except subprocess.TimeoutExpired as err:
        raise budget.out_of_time() from err
    except OSError as err:
        raise UnreadableFile("The OCR program (Tesseract) could not be started on the "
                             "server; ask your administrator to check it is installed, "
                             "then try the file again.") from err
    if check and result.returncode != 0:
        log.warning("Tesseract failed with status %s", result.returncode)
        raise UnreadableFile("The OCR program (Tesseract) could not read this scan; a "
                             "person needs to read it.")
    return result


def page_pixels_at(width_points: float, height_points: float) -> float:
    """The scale (pixels per point) to render a PDF page at: 300 dpi, or less for a page
    so large that it would be more than MAX_PIXELS."""
    scale = DPI / 72
    pixels = width_points * height_points * scale * scale
    if pixels > MAX_PIXELS:
        scale *= math.sqrt(MAX_PIXELS / pixels)
    return scale
