"""What the desk drafts a letter from: the referral as it now stands, its children's
linked case records, what the caseworker wrote and chose, and who is drafting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from correspond.desk.messages import folder_problem
from correspond.desk.queries import ReferralView
from correspond.domain.clock import local_date, utc_now
from correspond.draft import Drafter
from correspond.errors import DeskProblem
from correspond.records import CaseRecord, Casework, Extraction
from correspond.store import audit, redirects
from correspond.store.cases import cases_by_id
from correspond.store.database import Database
from correspond.store.referrals import insert_draft
from correspond.store.replies import reply_inputs

# Letters dated the day they are drafted; an acknowledgement keeps the day the letter
# it acknowledges was received.
DATED_WHEN_DRAFTED = frozenset({"holding", "response", "redirect"})


def linked_cases(db: Database, connection: Connection, view: ReferralView) -> list[CaseRecord]:
    """The case records of the referral's children that are linked to one, in order."""
    linked = [child.case_id for child in view.children
              if child.case_id and child.match_status == "matched"]
    found = cases_by_id(db, connection, linked)
    return [found[case_id] for case_id in dict.fromkeys(linked) if case_id in found]


def casework_for(db: Database, connection: Connection, view: ReferralView, user: str,
                 kind: str) -> Casework:
    service = redirects.chosen(db, connection, view.row.id)
    return Casework(
        cases=tuple(linked_cases(db, connection, view)), drafted_by=user,
        inputs=reply_inputs(db, connection, view.row.id),
        today=local_date(utc_now()) if kind in DATED_WHEN_DRAFTED else None,
        redirect_service=service.name if service else "",
        redirect_contact=service.contact if service else "")


def render_letter(drafter: Drafter, kind: str, row: Any, extraction: Extraction,
                  casework: Casework) -> Path:
    try:
        return drafter.draft_for(kind, row, extraction, casework)
    except OSError as err:
        raise DeskProblem(folder_problem("drafts", err)) from err


def add_letter_in(db: Database, connection: Connection, drafter: Drafter, view: ReferralView,
                  extraction: Extraction, kind: str, user: str) -> None:
    """Inside the caller's write: draft a new letter of `kind` and record it."""
    path = render_letter(drafter, kind, view.row, extraction,
                         casework_for(db, connection, view, user, kind))
    insert_draft(db, connection, view.row.id, kind, str(path))
    audit.record(db, connection, user=user, action="drafted", referral_id=view.row.id,
                 detail=kind)
