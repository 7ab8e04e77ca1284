"""Logging set-up. Messages carry referral, delivery and file-hash ids only: never names,
dates of birth, file names or letter text (file names often contain a child's name)."""

from __future__ import annotations

import logging
import traceback

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class WithheldMessageFormatter(logging.Formatter):
    """Shows where an error happened and its type, but not its message: a parser's or the
    file system's message can quote letter text or a file name."""

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        error_type, _, trace = ei
        frames = "".join(traceback.format_tb(trace))
        name = error_type.__name__ if error_type else "Error"
        return f"Traceback (most recent call last):\n{frames}{name} (message withheld)"


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(WithheldMessageFormatter(FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
    # Libraries that log document content or file names at INFO/DEBUG are kept quiet.
    for noisy in ("extract_msg", "pypdf", "pdfminer", "watchdog", "alembic", "docxtpl",
                  "RTFDE", "tnefparse"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
