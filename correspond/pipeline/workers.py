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
from collections.abc import Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pebble import ProcessExpired, ProcessPool

from correspond.errors import UnreadableFile
from correspond.ingest.ocr import OcrBudget, OcrLimits
from correspond.records import Document, Extraction, Letter, LetterParts

if TYPE_CHECKING:
    from correspond.extract import Extractor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadResult:
    document: Document
    letter: Letter
    extraction: Extraction
    parts: LetterParts | None = None


class ReaderPool:
    """Warm worker processes that turn a file into a Document, a Letter and an Extraction."""

    def __init__(self, *, model_dir: Path, workers: int, timeout_seconds: float,
                 memory_mb: int, ocr: OcrLimits | None = None,
                 council_postcodes: Sequence[str] = ()) -> None:
        self.ocr = ocr or OcrLimits()
        self.timeout_seconds = timeout_seconds
        self._workers = workers
        self._pool = ProcessPool(
            max_workers=workers,
            initializer=_start_worker,
            initargs=(str(model_dir), memory_mb, self.ocr, tuple(council_postcodes)),
            # A fresh interpreter, not a fork of a process that has threads running.
            context=multiprocessing.get_context("spawn"),
        )

    def warm_up(self) -> None:
        """Wait until the workers have started and loaded the model."""
        futures = [self._pool.schedule(_ready) for _ in range(self._workers)]
        for future in futures:
            future.result()

    def read(self, path: Path, name: str) -> ReadResult:
        """Read the file at `path` (named `name` when it was dropped). Raises UnreadableFile.

        A file is read first without OCR, within `read_timeout_seconds`; one with scanned
        pages is then read again with OCR, which has `ocr_timeout_seconds` more (and
        stops itself at that limit, saying so). So a hostile file with no scans is
        stopped as soon as before, and a scan has the time its pages need."""
        result = self._read(path, name, defer_ocr=True, timeout=self.timeout_seconds,
                            what="Reading this file")
        if result is None:
            result = self._read(path, name, defer_ocr=False,
                                timeout=self.timeout_seconds + self.ocr.timeout_seconds,
                                what="Reading this scan")
        assert result is not None
        return result

    def _read(self, path: Path, name: str, *, defer_ocr: bool, timeout: float,
              what: str) -> ReadResult | None:
        future = self._pool.schedule(_read_and_extract, (str(path), name, defer_ocr),
                                     timeout=timeout)
        try:
            return future.result()
        except UnreadableFile:
            raise
        except FutureTimeout as err:
            raise UnreadableFile(
                f"{what} took longer than {timeout:g} seconds and was stopped; it may be "
                "damaged or deliberately malformed."
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


def _start_worker(model_dir: str, memory_mb: int, ocr: OcrLimits,
                  council_postcodes: tuple[str, ...]) -> None:
    global _extractor, _ocr
    limit = memory_mb * 1024 * 1024
    # Tesseract runs as a child of the worker and inherits this limit too.
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from correspond.extract import load_extractor  # imported here: only workers need spaCy

    _extractor = load_extractor(Path(model_dir), council_postcodes=council_postcodes)
    _ocr = ocr


def _ready() -> bool:
    return _extractor is not None


def _read_and_extract(path: str, name: str, defer_ocr: bool) -> ReadResult | None:
    """In a worker: the file read and extracted, or None when `defer_ocr` and the file
    has scanned pages (to be read again with OCR's time)."""
    assert _extractor is not None
    budget = OcrBudget(_ocr, defer=defer_ocr)
    try:
        return _read_budgeted(Path(path).read_bytes(), name, _extractor, budget)
    except UnreadableFile:
        if budget.deferred:
            return None
        raise


def read_and_extract(data: bytes, name: str, extractor: Extractor, *,
                     ocr: OcrLimits | None = None) -> ReadResult:
    """The stages a worker runs on one file: read it (scans by OCR within `ocr`), choose
    the letter, extract, and carry OCR's doubt about the text into the confidence.

    The workers call this; so does `correspond evaluate`, so that it measures exactly
    what the service does. Raises UnreadableFile.
    """
    return _read_budgeted(data, name, extractor, OcrBudget(ocr or OcrLimits()))


def _read_budgeted(data: bytes, name: str, extractor: Extractor,
                   budget: OcrBudget) -> ReadResult:
    from correspond.extract.sources import with_sources
    from correspond.ingest import choose_letter, read_document
    from correspond.parts import read_parts
    from correspond.pipeline.ocr_confidence import lower_for_ocr

    document = read_document(data, name, ocr=budget)
    if budget.deferred:  # an attachment's scans were set aside unread: read it again
        raise UnreadableFile("This file has scanned pages, read by OCR next.")
    letter = choose_letter(document)
    parts = read_parts(letter)
    extraction = with_sources(extractor.extract(letter, parts), letter, parts)
    extraction = lower_for_ocr(extraction, letter)
    return ReadResult(document=document, letter=letter, parts=parts, extraction=extraction)
