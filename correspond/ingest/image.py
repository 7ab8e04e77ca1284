"""Pictures of letters (a phone photo, a scanner's JPEG, PNG or TIFF, a fax's multi-page
TIFF), read by OCR page by page (ocr.py).

A phone stores a photo as the sensor saw it and says in its EXIF data how to turn it, so
each picture is turned as a viewer would show it before it is read.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from correspond.errors import UnreadableFile
from correspond.ingest.ocr import OcrBudget, OcrPage, read_page_image
from correspond.ingest.pages import document_of_pages
from correspond.records import Document

# Pictures far larger than any photo (a decompression bomb) are refused from their header,
# before they are decoded; the reader process's memory limit is the second guard.
MAX_PIXELS = 100_000_000
# Smaller pictures are logos, signatures and icons, not a page of a letter.
MIN_PIXELS = 500_000
MIN_SIDE = 500
NOT_READ = ("This picture has no text that could be read by OCR (it may be handwriting, a "
            "blank page or a photo of a screen), so a person needs to read it; open it from "
            "Failed files and enter it by hand.")


def read_image(data: bytes, budget: OcrBudget) -> Document:
    frames = _frames(data, budget)
    pages: list[OcrPage] = []
    for frame, dpi in frames:
        pages.append(read_page_image(frame, budget, dpi=dpi,
                                     turn=pages[-1].turn if pages else 0))
    return document_of_pages("image", [(page, None) for page in pages], unreadable=NOT_READ)


def looks_like_a_page(data: bytes) -> bool:
    """True for a picture large enough to be a page of a letter (read from its header)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except Exception:
        return False
    return width * height >= MIN_PIXELS and min(width, height) >= MIN_SIDE


def _frames(data: bytes, budget: OcrBudget) -> list[tuple[Image.Image, float | None]]:
    """Each page of the picture, upright, with its resolution where it says; the pages
    are claimed from the OCR budget before any is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise UnreadableFile(_too_large(image.size))
            budget.take_pages(getattr(image, "n_frames", 1))
            frames = []
            for frame in ImageSequence.Iterator(image):
                upright = ImageOps.exif_transpose(frame)
                upright.load()
                frames.append((upright, _dpi(frame)))
    except UnreadableFile:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        raise UnreadableFile(_too_large(None)) from err
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        raise UnreadableFile("This picture is damaged and cannot be opened; ask the sender "
                             "for a fresh copy.") from err
    if not frames:
        raise UnreadableFile("This picture has no pages to read.")
    return frames


def _dpi(frame: Image.Image) -> float | None:
    resolution = frame.info.get("dpi")
    try:
        return float(resolution[0]) if resolution else None
    except (TypeError, ValueError, IndexError):
        return None


def _too_large(size: tuple[int, int] | None) -> str:
    shown = f" ({size[0]:,} by {size[1]:,} pixels)" if size else ""
    return (f"This picture is far larger than a photo or a scan of a letter{shown}, so it "
            f"was not read; ask the sender for the letter as PDF or a smaller photo.")
