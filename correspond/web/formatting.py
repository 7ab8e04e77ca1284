"""Filters and globals the page templates share: dates as people write them, labels for
statuses, concerns and roles, and what counts as overdue."""

from __future__ import annotations

import base64
import os
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from flask import Flask

from correspond.config import Settings
from correspond.desk.fields import current_value
from correspond.domain.clock import local_date, local_time, utc_now
from correspond.domain.concerns import CONCERN_LABELS
from correspond.domain.roles import ROLES
from correspond.draft.context import uk_date
from correspond.review import LETTER_KIND_LABELS, LETTER_STATUS_LABELS, REFERRAL_STATUS_LABELS

MATCH_LABELS = {"matched": "Linked", "review": "Needs a decision", "new": "New case"}
LOW_CONFIDENCE = 0.8


def register(app: Flask, settings: Settings) -> None:
    app.jinja_env.filters.update(
        uk_date=_uk_date, when=_when,
        epoch_when=lambda seconds: _when(datetime.fromtimestamp(seconds, UTC)),
        status_label=lambda s: REFERRAL_STATUS_LABELS.get(s, s),
        letter_status_label=lambda s: LETTER_STATUS_LABELS.get(s, s),
        letter_kind_label=lambda k: LETTER_KIND_LABELS.get(k, k.capitalize()),
        concern_label=lambda c: CONCERN_LABELS.get(c, c),
        match_label=lambda m: MATCH_LABELS.get(m, m), role_label=lambda r: ROLES.get(r, r),
        percent=lambda x: "" if x is None else f"{x * 100:.0f}%",
        uk_slash_date=_slash_date, basename=lambda path: Path(path).name if path else "",
        display_name=display_name, name_token=name_token)
    app.jinja_env.globals.update(
        service_name="correspond", council_name=settings.council_name,
        today=lambda: local_date(utc_now()), status_labels=REFERRAL_STATUS_LABELS,
        concern_labels=CONCERN_LABELS, roles=ROLES, low_confidence=LOW_CONFIDENCE,
        referral_value=current_value)


def _uk_date(value: date | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = local_date(value)
    return uk_date(value)


def _slash_date(value: str | None) -> str:
    """An ISO date as a form shows it for editing: 27/3/2015."""
    if not value:
        return ""
    day = date.fromisoformat(value)
    return f"{day.day}/{day.month}/{day.year}"


def _when(moment: datetime | None) -> str:
    """'3 December 2026, 14:05' in UK time."""
    if moment is None:
        return ""
    local = local_time(moment)
    return f"{uk_date(local.date())}, {local:%H:%M}"


def overdue(due: date, done: Any) -> bool:
    return done is None and due < local_date(utc_now())


def display_name(name: str) -> str:
    """A file name as staff may see it: control characters (a line break in a name
    dropped from a script, say) shown as '?', so a name is always one visible line."""
    return "".join("?" if unicodedata.category(ch) in ("Cc", "Cf", "Cs") else ch
                   for ch in name).strip() or "unnamed file"


def name_token(name: str) -> str:
    """An opaque, form-safe token for a file name: browsers turn a line feed in a form
    value into CR LF, so a name is never posted back as itself."""
    return base64.urlsafe_b64encode(os.fsencode(name)).decode("ascii")


def name_from_token(token: str) -> str | None:
    try:
        return os.fsdecode(base64.urlsafe_b64decode(token.encode("ascii")))
    except (ValueError, UnicodeError):
        return None
