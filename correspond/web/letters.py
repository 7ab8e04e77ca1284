"""The referral page's letters: drafting the full response and the holding reply, what
the caseworker writes and ticks for them, and confirming that another child a letter
names may be named. (Approving, uploading and returning a letter are in pages.py.)"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_login import current_user

from correspond.desk.actions import DeskActions
from correspond.desk.queries import ReferralView
from correspond.desk.replies import Replies, Saved
from correspond.errors import DeskProblem, TemplateProblem
from correspond.web.auth import requires

blueprint = Blueprint("letters", __name__)
OWN_REASON = "own"


def _replies() -> Replies:
    actions: DeskActions = current_app.extensions["correspond.actions"]
    return actions.replies


def letters_section(view: ReferralView) -> dict[str, Any]:
    """What the referral page's Letters section shows besides the letters themselves."""
    replies = _replies()
    return {"reply_choices": replies.choices(view.row.id),
            "mentions": replies.mentions(view.row.id, view.drafts),
            "own_reason_value": OWN_REASON}


@blueprint.post("/referrals/<int:referral_id>/response")
@requires("casework")
def draft_response(referral_id: int) -> Any:
    return _act(referral_id, lambda: _replies().draft_response(referral_id, current_user.name),
                "The full response has been drafted: tick the paragraphs to use and write "
                "what you have found and what happens next.", "#response")


@blueprint.post("/referrals/<int:referral_id>/response/sections")
@requires("casework")
def save_response(referral_id: int) -> Any:
    form = request.form
    try:
        saved = _replies().save_response(
            referral_id, what_found=form.get("what_found", ""),
            what_next=form.get("what_next", ""), paragraphs=form.getlist("paragraphs"),
            clocks=form.getlist("clocks"), user=current_user.name)
    except (DeskProblem, TemplateProblem) as problem:
        flash(problem.reason, "error")
    else:
        flash(_saved("The full response has been updated.", saved), "success")
    return redirect(url_for("desk.referral", referral_id=referral_id) + "#response")


@blueprint.post("/referrals/<int:referral_id>/holding")
@requires("casework")
def draft_holding(referral_id: int) -> Any:
    form = request.form
    choice = form.get("reason_choice", "")
    reasons = _replies().choices(referral_id).holding_reasons
    if choice == OWN_REASON:
        reason = form.get("own_reason", "")
    elif choice.isdigit() and int(choice) < len(reasons):
        reason = reasons[int(choice)]
    else:
        reason = ""
    try:
        saved = _replies().draft_holding(referral_id, new_date=form.get("new_reply_due", ""),
                                         reason=reason, user=current_user.name)
    except (DeskProblem, TemplateProblem) as problem:
        flash(problem.reason, "error")
    else:
        flash(_saved("The holding reply has been drafted with its new date; approving it "
                     "moves the reply-by date.", saved), "success")
    return redirect(url_for("desk.referral", referral_id=referral_id) + "#holding")


@blueprint.post("/referrals/<int:referral_id>/disclosures")
@requires("casework")
def confirm_disclosure(referral_id: int) -> Any:
    case_id = request.form.get("case_id", "")
    try:
        name = _replies().confirm_disclosure(referral_id, case_id, current_user.name)
    except DeskProblem as problem:
        flash(problem.reason, "error")
    else:
        flash(f"Recorded that {name} is the same family's and may be named in this "
              "referral's letters.", "success")
    return redirect(url_for("desk.referral", referral_id=referral_id) + "#letters")


def _saved(message: str, saved: Saved) -> str:
    if saved.redrafted:
        return message
    return ("Saved. The letter edited in Word was kept as it is; choose 'Redraft from the "
            "template' to draft it again with what you saved.")


def _act(referral_id: int, action, success: str, anchor: str) -> Any:
    try:
        action()
    except (DeskProblem, TemplateProblem) as problem:
        flash(problem.reason, "error")
    else:
        flash(success, "success")
    return redirect(url_for("desk.referral", referral_id=referral_id) + anchor)
