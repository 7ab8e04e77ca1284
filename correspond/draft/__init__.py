"""Drafting the council's letters from .docx templates, for a person to approve.

    Drafter.draft("acknowledgement", ...) -> drafts/<council reference>/acknowledgement.docx

The templates live in settings.templates_dir (one <kind>.docx per kind of letter) and
are edited in Word; `correspond templates check` lists the variables they may use.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from correspond.domain.workdays import add_working_days, is_working_day
from correspond.draft.context import letter_context
from correspond.draft.render import render_docx
from correspond.errors import TemplateProblem
from correspond.records import Extraction

# A kind names a template file and a council reference names a folder, so neither may
# carry path separators or dots that could lead outside the drafts folder.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")


class DatedReferral(Protocol):
    """What a letter needs of its referral besides the extraction: its reference and its
    dates (a referrals row, or the NewReferral being recorded). Read-only, as both are."""

    @property
    def reference(self) -> str: ...
    @property
    def received_date(self) -> date: ...
    @property
    def acknowledgement_due(self) -> date: ...
    @property
    def reply_due(self) -> date: ...


class Drafter:
    def __init__(self, settings: Any) -> None:
        self.settings = settings

    def template_for(self, kind: str) -> Path:
        _check_name("letter kind", kind)
        return Path(self.settings.templates_dir) / f"{kind}.docx"

    def draft_for(self, kind: str, referral: DatedReferral, extraction: Extraction) -> Path:
        """Render the `kind` letter for a referral (a stored row or a new one) as it now
        stands; returns the drafted file."""
        return self.draft(kind, extraction=extraction, council_reference=referral.reference,
                          received=referral.received_date,
                          acknowledgement_due=referral.acknowledgement_due,
                          reply_due=referral.reply_due)

    def draft(self, kind: str, *, extraction: Extraction, council_reference: str,
              received: date, acknowledgement_due: date, reply_due: date) -> Path:
        """Render the `kind` template for this referral; returns the drafted file."""
        template = self.template_for(kind)
        _check_name("council reference", council_reference)
        context = letter_context(
            extraction=extraction, council_reference=council_reference, received=received,
            acknowledgement_due=acknowledgement_due, reply_due=reply_due,
            settings=self.settings,
        )
        destination = Path(self.settings.drafts) / council_reference / f"{kind}.docx"
        render_docx(template, context, destination)
        return destination


def _check_name(what: str, value: str) -> None:
    if not _SAFE_NAME.match(value):
        raise TemplateProblem(f"'{value}' cannot be used as a {what}: use letters, digits, "
                              "'-' and '_' only.")


__all__ = ["Drafter", "add_working_days", "is_working_day"]
