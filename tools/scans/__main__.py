"""python -m tools.scans OUT [--letters GLOB]... [--seed S]

Writes, for each development letter with a gold file, its scanned versions in folders of
OUT that `correspond evaluate` reads, each beside the letters as typed for comparison:

    OUT/text/NAME.txt          the letter as typed (with NAME.gold.json)
    OUT/grey/NAME.pdf          greyscale office scan, 300 dpi, image-only PDF
    OUT/fax/NAME.pdf           1-bit fax, 200 dpi, image-only PDF (CCITT G4)
    OUT/photo/NAME.jpg         phone photo (one-page letters), some stored sideways with
                               the EXIF orientation set
    OUT/mixed/NAME.pdf         page 1 typed (a text layer), the rest scanned (letters of
                               two pages or more)
    OUT/photo-text/NAME.txt    the one-page letters as typed, to compare the photos with
    OUT/mixed-text/NAME.pdf    the longer letters as typed PDFs (every page a text layer),
                               to compare the part-scanned ones with
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import click

from tools.scans.make import (
    fax_scan,
    grey_scan,
    image_pdf,
    jpeg,
    phone_photo,
    rasterise,
    typed_then_scanned,
    typeset,
)

REPO = Path(__file__).resolve().parents[2]
DEVSET = REPO / "tests" / "devset"
GOLD = ".gold.json"


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--letters", "patterns", multiple=True, default=("*.txt",), show_default=True,
              help="Which development letters (file patterns in tests/devset).")
@click.option("--seed", default=12, show_default=True, help="The same seed, the same scans.")
def main(out: Path, patterns: tuple[str, ...], seed: int) -> None:
    """Write scanned versions of the development letters to OUT."""
    letters = sorted({path for pattern in patterns for path in DEVSET.glob(pattern)
                      if path.with_name(path.stem + GOLD).is_file()})
    if not letters:
        raise click.UsageError("No development letter with a gold file matches.")
    for number, letter in enumerate(letters):
        rng = random.Random(f"{seed}:{letter.name}")
        written = write_scans(letter, out, rng, upside_down=number % 8 == 3)
        click.echo(f"{letter.stem}: {', '.join(written)}")


def write_scans(letter: Path, out: Path, rng: random.Random, *,
                upside_down: bool = False) -> list[str]:
    text = letter.read_text("utf-8")
    typed = typeset(text)
    written = ["grey", "fax"]
    _copy(letter, out / "text")
    pages = rasterise(typed, 300)
    grey = [grey_scan(page, rng, upside_down=upside_down and index == 0)
            for index, page in enumerate(pages)]
    _write(out / "grey", letter, ".pdf", image_pdf(grey, 300))
    fax = [fax_scan(page, rng) for page in rasterise(typed, 200)]
    _write(out / "fax", letter, ".pdf", image_pdf(fax, 200))
    if len(pages) == 1:
        photo = phone_photo(pages[0], rng)
        _write(out / "photo", letter, ".jpg", jpeg(photo, sideways=rng.random() < 0.3))
        _copy(letter, out / "photo-text")
        written.append("photo")
    else:
        _write(out / "mixed", letter, ".pdf", typed_then_scanned(typed, image_pdf(grey, 300)))
        # Its first page is read from the text layer, as every page of the typed PDF is.
        _write(out / "mixed-text", letter, ".pdf", typed)
        written.append("mixed")
    return written


def _write(folder: Path, letter: Path, suffix: str, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / (letter.stem + suffix)).write_bytes(data)
    shutil.copyfile(letter.with_name(letter.stem + GOLD), folder / (letter.stem + GOLD))


def _copy(letter: Path, folder: Path) -> None:
    _write(folder, letter, letter.suffix, letter.read_bytes())


if __name__ == "__main__":
    main()
