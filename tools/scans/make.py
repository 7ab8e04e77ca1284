"""Typeset a letter, rasterise it and degrade it as an office scanner, a fax or a phone
camera would, with a seed so that the same letter always comes out the same.

    typeset(text) -> PDF bytes (fpdf2; DejaVu Serif where installed)
    rasterise(pdf, dpi) -> page images (pypdfium2, the renderer OCRmyPDF uses)
    grey_scan / fax_scan / phone_photo(page, rng) -> a degraded page image
    scribbled_page(rng, dpi) -> a page of joined-up scribble, as handwriting looks to OCR
    image_pdf(pages, dpi) -> an image-only PDF (no text layer)
    typed_then_scanned(pdf, scanned) -> page 1 typed, the rest scanned
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Sequence
from pathlib import Path

import pypdfium2
from fpdf import FPDF
from PIL import Image, ImageChops, ImageDraw, ImageFilter
from pypdf import PdfReader, PdfWriter

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
EXIF_ORIENTATION = 0x0112
ROTATED_90_CLOCKWISE = 6  # EXIF: turn the stored picture 90° clockwise to show it upright


def typeset(text: str, *, size: float = 11) -> bytes:
    """The letter on A4, one line of the text a line of the page, as a word processor
    with 25 mm margins would lay it out."""
    pdf = FPDF(format="A4")
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(True, margin=20)
    if FONT.is_file():
        pdf.add_font("Letter", fname=str(FONT))
        pdf.set_font("Letter", size=size)
    else:  # the core font knows Latin-1 only
        pdf.set_font("Times", size=size)
        text = text.encode("latin-1", "replace").decode("latin-1")
    pdf.add_page()
    pdf.multi_cell(0, size * 0.5, text.replace("\t", "    "))
    return bytes(pdf.output())


def rasterise(pdf: bytes, dpi: int) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[number].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
                for number in range(len(document))]
    finally:
        document.close()


def grey_scan(page: Image.Image, rng: random.Random, *, upside_down: bool = False) -> Image.Image:
    """An office multifunction printer's greyscale scan: the page a little skewed, grey
    paper, sensor noise and a soft focus."""
    paper = rng.randint(200, 232)
    page = _skew(page, rng, fill=255)
    page = page.point(lambda value: int(value * paper / 255))  # white paper prints grey
    page = _noise(page, rng, strength=rng.uniform(0.08, 0.16))
    page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.0)))
    return page.rotate(180) if upside_down else page


def fax_scan(page: Image.Image, rng: random.Random) -> Image.Image:
    """A 1-bit fax: skewed, noisy before it was thresholded, so specks and broken strokes."""
    page = _skew(page, rng, fill=255)
    page = _noise(page, rng, strength=rng.uniform(0.10, 0.18))
    page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.8)))
    threshold = rng.randint(140, 170)
    return page.point(lambda value: 255 if value > threshold else 0).convert("1")


def phone_photo(page: Image.Image, rng: random.Random) -> Image.Image:
    """A phone photo of the letter on a desk: skewed, light falling off across the
    page, noise, a little out of focus, saved as JPEG."""
    page = _skew(page, rng, fill=255)
    light = Image.linear_gradient("L").rotate(rng.choice((0, 90, 180, 270)))
    fall = rng.uniform(0.25, 0.45)  # how much darker the far side of the page is
    light = light.point(lambda value: int(255 - value * fall)).resize(
        page.size, Image.Resampling.BILINEAR)
    page = ImageChops.multiply(page, light)
    page = _noise(page, rng, strength=rng.uniform(0.05, 0.12))
    return page.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.1)))


def scribbled_page(rng: random.Random, dpi: int) -> Image.Image:
    """An A4 page of handwriting-like loops on ruled lines: what a handwritten note is
    to OCR, a page with ink and no letters it knows."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    line_height = dpi // 3
    for top in range(dpi, height - dpi, line_height):
        x = dpi + rng.randint(0, dpi // 4)
        while x < width - dpi:
            word = rng.randint(dpi // 4, dpi)  # one word's width
            points = []
            for step in range(0, word, max(1, dpi // 40)):
                loop = math.sin(step / (dpi / 25)) * rng.uniform(0.2, 0.45) * line_height
                points.append((x + step + rng.uniform(-2, 2), top + loop))
            draw.line(points, fill=0, width=max(2, dpi // 60), joint="curve")
            x += word + rng.randint(dpi // 10, dpi // 4)
    return page


def jpeg(image: Image.Image, *, sideways: bool = False, quality: int = 80) -> bytes:
    """A JPEG as a camera saves it; `sideways` stores it turned a quarter, with the EXIF
    orientation that tells a viewer to turn it back."""
    exif = Image.Exif()
    if sideways:
        image = image.rotate(90, expand=True)
        exif[EXIF_ORIENTATION] = ROTATED_90_CLOCKWISE
    out = io.BytesIO()
    image.convert("L").save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def image_pdf(pages: Sequence[Image.Image], dpi: int) -> bytes:
    """An image-only PDF, as a scanner writes: JPEG pages for grey, CCITT G4 for 1-bit."""
    out = io.BytesIO()
    first, *rest = pages
    options = {} if first.mode == "1" else {"quality": 75}
    first.save(out, "PDF", resolution=dpi, save_all=True, append_images=rest, **options)
    return out.getvalue()


def typed_then_scanned(typed: bytes, scanned: bytes) -> bytes:
    """Page 1 from the typed PDF (a text layer), the later pages from the scanned one."""
    writer = PdfWriter()
    typed_pages = PdfReader(io.BytesIO(typed)).pages
    scanned_pages = PdfReader(io.BytesIO(scanned)).pages
    writer.add_page(typed_pages[0])
    for page in scanned_pages[1:]:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _skew(page: Image.Image, rng: random.Random, *, fill: int) -> Image.Image:
    angle = rng.uniform(0.5, 3.0) * rng.choice((-1, 1))
    return page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)


def _noise(page: Image.Image, rng: random.Random, *, strength: float) -> Image.Image:
    """Grain from the seeded generator (Pillow's own noise cannot be seeded)."""
    grain = Image.frombytes("L", page.size, rng.randbytes(page.width * page.height))
    return Image.blend(page, grain, strength)
