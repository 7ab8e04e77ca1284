"""Logging set-up. Messages carry referral, delivery and file-hash ids only: never names,
dates of birth, file names or letter text (file names often contain a child's name)."""

from __future__ import annotations

import logging
import traceback

from pythonjsonlogger.json import JsonFormatter

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class WithheldMessageFormatter(logging.Formatter):
    """Shows where an error happened and its type, but not its message: a parser's or the
    file system's message can quote letter text or a file name."""

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return _withheld(ei)


def _withheld(ei) -> str:
    error_type, _, trace = ei
    frames = "".join(traceback.format_tb(trace))
    name = error_type.__name__ if error_type else "Error"
    return f"Traceback (most recent call last):\n{frames}{name} (message withheld)"


class JsonLineFormatter(JsonFormatter):
    """One JSON object a line (python-json-logger): the time, level, logger, message,
    the process (its role and id) and whatever ids the call gave (`extra=`), such as
    `referral_id`. Errors are shown as in the text format, their message withheld."""

    def __init__(self, role: str) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
                         rename_fields={"asctime": "time", "levelname": "level",
                                        "name": "logger", "process": "pid"},
                         static_fields={"role": role})

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return _withheld(ei)


def configure_logging(level: str, log_format: str = "text", role: str = "command") -> None:
    """`role` names this process in JSON logs: serve, worker, desk or a command."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLineFormatter(role) if log_format == "json"
                         else WithheldMessageFormatter(FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
    # Libraries that log document content or file names at INFO/DEBUG are kept quiet.
    for noisy in ("extract_msg", "pypdf", "pdfminer", "watchdog", "alembic", "docxtpl",
                  "RTFDE", "tnefparse"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
