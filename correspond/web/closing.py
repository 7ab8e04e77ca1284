"""On a referral's page: who wrote it, checked against the lists of MPs and councillors,
and closing it with what happened in the end (its outcome and what changed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_login import current_user

from correspond.desk.actions import DeskActions
from correspond.domain.correspondents import COUNCILLOR, MP
from correspond.domain.outcomes import OUTCOMES, change_label, changes_for
from correspond.errors import DeskProblem
from correspond.store import outcomes, registers
from correspond.store.database import Database
from correspond.web.auth import requires

blueprint = Blueprint("closing", __name__)


@dataclass(frozen=True)
class WriterCheck:
    """What the page says about who wrote, beside the name the letter gives."""

    kind: str  # mp, councillor or other
    member: str | None  # the listed member, e.g. "Alex Baker MP (Aldershot)"
    list_loaded: bool  # whether there is a list of that kind to check against

    @property
    def unlisted(self) -> bool:
        """A letter claiming to be from an MP or councillor whom no listed member fits."""
        return self.kind in (MP, COUNCILLOR) and self.member is None and self.list_loaded


def _db() -> Database:
    return current_app.extensions["correspond.db"]


@blueprint.app_template_global("writer_check")
def writer_check(row: Any) -> WriterCheck:
    with _db().reading() as connection:
        member = (registers.member(_db(), connection, row.correspondent_id)
                  if row.correspondent_id else None)
        lists = registers.register_states(_db(), connection)
    kind = row.correspondent_kind or "other"
    return WriterCheck(kind, member.title if member else None,
                       bool(lists.get(kind) and lists[kind].listed))


@blueprint.app_template_global("recorded_outcome")
def recorded_outcome(referral_id: int) -> outcomes.Outcome | None:
    with _db().reading() as connection:
        return outcomes.outcome_of(_db(), connection, referral_id)


@blueprint.app_context_processor
def _closing_words() -> dict[str, Any]:
    return {"outcome_choices": OUTCOMES, "changes_for": changes_for,
            "change_label": change_label}


@blueprint.post("/referrals/<int:referral_id>/close")
@requires("casework")
def close(referral_id: int) -> Any:
    actions: DeskActions = current_app.extensions["correspond.actions"]
    try:
        actions.close(referral_id, request.form.get("outcome", ""),
                      request.form.getlist("changes"), request.form.get("notes", ""),
                      current_user.name)
    except DeskProblem as problem:
        flash(problem.reason, "error")
        return redirect(url_for("desk.referral", referral_id=referral_id) + "#outcome")
    flash("The referral is closed with its outcome.", "success")
    return redirect(url_for("desk.referral", referral_id=referral_id) + "#outcome")
