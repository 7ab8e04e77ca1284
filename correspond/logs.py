"""Logging set-up. Messages carry referral, delivery and file-hash ids only: never names,
dates of birth, file names or letter text (file names often contain a child's name)."""

from __future__ import annotations

import logging


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Libraries that log document content or file names at INFO/DEBUG are kept quiet.
    for noisy in ("extract_msg", "pypdf", "pdfminer", "watchdog", "alembic", "docxtpl",
                  "RTFDE", "tnefparse"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
