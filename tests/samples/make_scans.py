"""Build the small scanned samples in tests/samples/scans/ from the sample letters, with
the scanned-set generator in tools/scans (run from the checkout):

    pip install ".[samples]" && python tests/samples/make_scans.py

The output is committed, so the tests need none of the tools used here. The full scanned
set (every development letter) is built by benchmarks/scanned_extraction.py instead.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1]))

from tools.scans.make import (  # noqa: E402  (the checkout is put on the path above)
    fax_scan,
    image_pdf,
    jpeg,
    phone_photo,
    rasterise,
    scribbled_page,
    typed_then_scanned,
    typeset,
)

LETTERS = HERE / "letters"
SCANS = HERE / "scans"


def main() -> None:
    SCANS.mkdir(exist_ok=True)
    rng = random.Random(2026)
    khan = (LETTERS / "khan_assessment.txt").read_text("utf-8")
    typed = typeset(khan)
    fax = [fax_scan(page, rng) for page in rasterise(typed, 200)]
    photo = phone_photo(rasterise(typed, 150)[0], rng)
    # Large type, so that the letter runs to two pages: the first typed, the second scanned.
    long_typed = typeset(khan, size=17)
    faxed = [fax_scan(page, rng) for page in rasterise(long_typed, 200)]
    outputs = {
        "khan_fax.pdf": image_pdf(fax, 200),
        "khan_photo.jpg": jpeg(photo, sideways=True, quality=55),
        "khan_typed_then_scanned.pdf": typed_then_scanned(long_typed, image_pdf(faxed, 200)),
        "handwritten_note.pdf": image_pdf([scribbled_page(rng, 150).convert("1")], 150),
    }
    for name, data in outputs.items():
        (SCANS / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
