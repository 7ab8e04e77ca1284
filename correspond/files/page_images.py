"""Pictures of the pages of a PDF or a scanned picture, for the desk to show.

The file may be hostile (it may be in Failed files because it is), so it is opened and
drawn in a child process with a memory limit and a time limit, never in the desk's own
process: pypdfium2 (PDFium) draws a PDF's page, Pillow turns a picture upright by its
EXIF data. The child writes a PNG to its standard output, which is all the desk trusts.

    page_count(path) -> pages in the file (0: not a PDF or a picture)
    page_png(path, number, width) -> the page (from 1) as a PNG `width` pixels wide
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
from pathlib import Path

from correspond.errors import CorrespondError

MEMORY_MB = 1024
TIMEOUT_SECONDS = 20
WIDTHS = (1000, 2000)  # as shown on the page, and the larger view
MAX_PAGES = 200
MAX_PICTURE_PIXELS = 100_000_000


class CannotShowPages(CorrespondError):
    """The file's pages cannot be drawn (damaged, not a PDF or picture, or too slow)."""


def page_count(path: Path) -> int:
    """How many pages the desk can show of the file: 0 when it is not a PDF or picture."""
    return int(_child("count", str(path)).decode("ascii").strip() or 0)


def page_png(path: Path, number: int, width: int = WIDTHS[0]) -> bytes:
    if width not in WIDTHS:
        raise CannotShowPages("That size of page picture is not offered.")
    return _child("page", str(path), str(number), str(width))


def _child(*arguments: str) -> bytes:
    # The child imports this same copy of correspond, wherever the desk was started from.
    package_root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
    try:
        result = subprocess.run([sys.executable, "-m", "correspond.files.page_images",
                                 *arguments], capture_output=True, timeout=TIMEOUT_SECONDS,
                                check=False, env={**os.environ, "PYTHONPATH": path})
    except subprocess.TimeoutExpired as err:
        raise CannotShowPages("Drawing this page took too long; download the file to open "
                              "it on your computer.") from err
    if result.returncode != 0:
        raise CannotShowPages("This page cannot be shown here; download the file to open "
                              "it on your computer.")
    return result.stdout


# What follows runs in the child process.

def _main(arguments: list[str]) -> None:
    limit = MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from correspond.files.regular import open_regular

    command, path = arguments[0], Path(arguments[1])
    with open_regular(path) as source:  # never through a shortcut
        data = source.read()
    if command == "count":
        sys.stdout.write(str(_count(data)))
        return
    number, width = int(arguments[2]), int(arguments[3])
    image = _page(data, number)
    height = max(1, round(image.height * width / image.width))
    out = io.BytesIO()
    image.convert("L").resize((width, height)).save(out, "PNG")
    sys.stdout.buffer.write(out.getvalue())


def _count(data: bytes) -> int:
    if b"%PDF" in data[:1024]:
        import pypdfium2

        document = pypdfium2.PdfDocument(data)
        try:
            return min(len(document), MAX_PAGES)
        finally:
            document.close()
    picture = _picture(data)
    return min(getattr(picture, "n_frames", 1), MAX_PAGES) if picture is not None else 0


def _page(data: bytes, number: int):
    from PIL import ImageOps

    if not 1 <= number <= MAX_PAGES:
        raise SystemExit(2)
    if b"%PDF" in data[:1024]:
        import pypdfium2

        document = pypdfium2.PdfDocument(data)
        if number > len(document):
            raise SystemExit(2)
        page = document[number - 1]
        width, _ = page.get_size()
        return page.render(scale=WIDTHS[-1] / max(width, 1), grayscale=True).to_pil()
    picture = _picture(data)
    if picture is None or number > getattr(picture, "n_frames", 1):
        raise SystemExit(2)
    picture.seek(number - 1)
    return ImageOps.exif_transpose(picture)


def _picture(data: bytes):
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PICTURE_PIXELS
    try:
        return Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError):
        return None


if __name__ == "__main__":
    try:
        _main(sys.argv[1:])
    except MemoryError:
        os._exit(3)
