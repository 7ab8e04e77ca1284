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
                 memory_mb: int, council_postcodes: Sequence[str] = ()) -> None:
        self.timeout_seconds = timeout_seconds
        self._workers = workers
        self._pool = ProcessPool(
            max_workers=workers,
            initializer=_start_worker,
            initargs=(str(model_dir), memory_mb, tuple(council_postcodes)),
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


def _start_worker(model_dir: str, memory_mb: int, council_postcodes: tuple[str, ...]) -> None:
    global _extractor
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from correspond.extract import load_extractor  # imported here: only workers need spaCy

    _extractor = load_extractor(Path(model_dir), council_postcodes=council_postcodes)


def _ready() -> bool:
    return _extractor is not None


def _read_and_extract(path: str, name: str) -> ReadResult:
    assert _extractor is not None
    return read_and_extract(Path(path).read_bytes(), name, _extractor)


def read_and_extract(data: bytes, name: str, extractor: Extractor) -> ReadResult:
    """The stages a worker runs on one file: read it, choose the letter, extract.

    The workers call this; so does `correspond evaluate`, so that it measures exactly
    what the service does. Raises UnreadableFile.
    """
    from correspond.extract.sources import with_sources
    from correspond.ingest import choose_letter, read_document
    from correspond.parts import read_parts

    document = read_document(data, name)
    letter = choose_letter(document)
    parts = read_parts(letter)
    extraction = with_sources(extractor.extract(letter, parts), letter, parts)
    return ReadResult(document=document, letter=letter, parts=parts, extraction=extraction)
