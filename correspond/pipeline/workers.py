"""Reading and extracting files in separate, warm processes with limits.

One hostile file (a zip bomb, a recursion-bomb PDF) must not stall the queue or the
machine, so each file is read in a worker process with an address-space limit and a time
limit. The workers load the extraction model once when they start, and stay warm; a
worker that runs out of time is killed and replaced, and the file is set aside.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pebble import ProcessExpired, ProcessPool

from correspond.errors import UnreadableFile
from correspond.ingest.ocr import OcrLimits
from correspond.records import Document, Extraction, Letter

if TYPE_CHECKING:
    from correspond.extract import Extractor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadResult:
    document: Document
    letter: Letter
    extraction: Extraction


class ReaderPool:
    """Warm worker processes that turn a file into a Document, a Letter and an Extraction."""

    def __init__(self, *, model_dir: Path, workers: int, timeout_seconds: float,
                 memory_mb: int, ocr: OcrLimits | None = None) -> None:
        self.ocr = ocr or OcrLimits()
        # A scan may take its OCR time on top of the reading: OCR stops itself at its own
        # limit with a reason that says so; this is the backstop.
        self.timeout_seconds = timeout_seconds + self.ocr.timeout_seconds
        self._workers = workers
        self._pool = ProcessPool(
            max_workers=workers,
            initializer=_start_worker,
            initargs=(str(model_dir), memory_mb, self.ocr),
            # A fresh interpreter, not a fork of a process that has threads running.
            context=multiprocessing.get_context("spawn"),
        )

    def warm_up(self) -> None:
        """Wait until the workers have started and loaded the model."""
        futures = [self._pool.schedule(_ready) for _ in range(self._workers)]
        for future in futures:
            future.result()

    def read(self, path: Path, name: str) -> ReadResult:
        """Read the file at `path` (named `name` when it was dropped). Raises UnreadableFile."""
        future = self._pool.schedule(_read_and_extract, (str(path), name),
                                     timeout=self.timeout_seconds)
        try:
            return future.result()
        except UnreadableFile:
            raise
        except FutureTimeout as err:
            raise UnreadableFile(
                f"Reading this file took longer than {self.timeout_seconds:g} seconds and "
                "was stopped; it may be damaged or deliberately malformed."
            ) from err
        except MemoryError as err:
            raise UnreadableFile(
                "Reading this file needed more memory than allowed; it may be damaged or "
                "deliberately malformed (for example a compressed file that expands hugely)."
            ) from err
        except ProcessExpired as err:
            raise UnreadableFile(
                "The reader stopped unexpectedly on this file; it may be damaged or "
                "deliberately malformed."
            ) from err
        except Exception as err:  # a library bug on odd input: set aside, keep going
            log.exception("Unexpected error while reading a file")
            raise UnreadableFile(
                "This file could not be read because of an unexpected error in the reader; "
                "it has been set aside for a person to look at."
            ) from err

    def close(self) -> None:
        self._pool.close()
        self._pool.join(timeout=10)
        self._pool.stop()


# What follows runs inside the worker processes.

_extractor = None
_ocr = OcrLimits()


def _start_worker(model_dir: str, memory_mb: int, ocr: OcrLimits) -> None:
    global _extractor, _ocr
    limit = memory_mb * 1024 * 1024
    # Tesseract runs as a child of the worker and inherits this limit too.
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from correspond.extract import load_extractor  # imported here: only workers need spaCy

    _extractor = load_extractor(Path(model_dir))
    _ocr = ocr


def _ready() -> bool:
    return _extractor is not None


def _read_and_extract(path: str, name: str) -> ReadResult:
    assert _extractor is not None
    return read_and_extract(Path(path).read_bytes(), name, _extractor, ocr=_ocr)


def read_and_extract(data: bytes, name: str, extractor: Extractor, *,
                     ocr: OcrLimits | None = None) -> ReadResult:
    """The stages a worker runs on one file: read it (scans by OCR within `ocr`), choose
    the letter, extract, and carry OCR's doubt about the text into the confidence.

    The workers call this; so does `correspond evaluate`, so that it measures exactly
    what the service does. Raises UnreadableFile.
    """
    from correspond.ingest import choose_letter, read_document
    from correspond.pipeline.ocr_confidence import lower_for_ocr

    document = read_document(data, name, ocr=ocr)
    letter = choose_letter(document)
    extraction = lower_for_ocr(extractor.extract(letter), letter)
    return ReadResult(document=document, letter=letter, extraction=extraction)
