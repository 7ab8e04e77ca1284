"""Drafting the council's letters from .docx templates, for a person to approve.

    Drafter.draft_for("acknowledgement", referral, extraction, casework)
        -> drafts/<council reference>/acknowledgement.docx

The templates live in settings.templates_dir (one <kind>.docx per kind of letter:
acknowledgement, holding, response) beside the council's paragraph library
(paragraphs.docx), and are edited in Word; `correspond templates check` lists the
variables they may use.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from correspond.domain.workdays import add_working_days, is_working_day
from correspond.draft.context import letter_context
from correspond.draft.paragraphs import LIBRARY_FILE, Entry, Library, read_library
from correspond.draft.render import render_docx, render_text
from correspond.errors import TemplateProblem
from correspond.records import Casework, Extraction

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
    @property
    def letter_text(self) -> str: ...


class Drafter:
    def __init__(self, settings: Any) -> None:
        self.settings = settings

    def template_for(self, kind: str) -> Path:
        _check_name("letter kind", kind)
        return Path(self.settings.templates_dir) / f"{kind}.docx"

    def library_path(self) -> Path:
        return Path(self.settings.templates_dir) / LIBRARY_FILE

    def library(self) -> Library:
        """The council's paragraph library; empty when there is none."""
        path = self.library_path()
        return read_library(path) if path.is_file() else Library()

    def draft_for(self, kind: str, referral: DatedReferral, extraction: Extraction,
                  casework: Casework | None = None) -> Path:
        """Render the `kind` letter for a referral (a stored row or a new one) as it now
        stands, with what the council knows of the case; returns the drafted file."""
        return self.draft(kind, extraction=extraction, council_reference=referral.reference,
                          received=referral.received_date,
                          acknowledgement_due=referral.acknowledgement_due,
                          reply_due=referral.reply_due, letter_text=referral.letter_text,
                          casework=casework)

    def draft(self, kind: str, *, extraction: Extraction, council_reference: str,
              received: date, acknowledgement_due: date, reply_due: date,
              letter_text: str = "", casework: Casework | None = None) -> Path:
        """Render the `kind` template for this referral; returns the drafted file."""
        template = self.template_for(kind)
        _check_name("council reference", council_reference)
        context = letter_context(
            extraction=extraction, council_reference=council_reference, received=received,
            acknowledgement_due=acknowledgement_due, reply_due=reply_due,
            settings=self.settings, letter_text=letter_text, casework=casework,
        )
        if casework is not None and casework.inputs.paragraphs:
            context["paragraphs"] = [
                text for entry in self.library().chosen(casework.inputs.paragraphs)
                for text in self.wording(entry, context)]
        destination = Path(self.settings.drafts) / council_reference / f"{kind}.docx"
        render_docx(template, context, destination)
        return destination

    def context_for(self, referral: DatedReferral, extraction: Extraction,
                    casework: Casework | None = None) -> dict[str, object]:
        """The variables a letter for this referral would be drafted with."""
        return letter_context(
            extraction=extraction, council_reference=referral.reference,
            received=referral.received_date, acknowledgement_due=referral.acknowledgement_due,
            reply_due=referral.reply_due, settings=self.settings,
            letter_text=referral.letter_text, casework=casework)

    @staticmethod
    def wording(entry: Entry, context: dict[str, object]) -> list[str]:
        """An approved paragraph's wording with its variables filled from `context`."""
        return [render_text(text, context, f"The approved paragraph '{entry.heading}'")
                for text in entry.texts]


def _check_name(what: str, value: str) -> None:
    if not _SAFE_NAME.match(value):
        raise TemplateProblem(f"'{value}' cannot be used as a {what}: use letters, digits, "
                              "'-' and '_' only.")


__all__ = ["Drafter", "add_working_days", "is_working_day"]
