"""The caseworkers' and business support's pages: queue, failed files, one referral and
the actions on it. Every change is a POST with a CSRF token; GET only reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup

from correspond.desk.actions import DeskActions
from correspond.desk.fields import CHILD_FIELDS, REFERRAL_FIELDS
from correspond.desk.ownership import Owners
from correspond.desk.queries import DeskQueries
from correspond.domain.concerns import CONCERN_LABELS
from correspond.draft.preview import PreviewProblem, docx_to_html
from correspond.errors import DeskProblem, TemplateProblem
from correspond.store import audit
from correspond.store.queue import QueueFilter
from correspond.watch.inbox import Inbox
from correspond.web.auth import HOME_PAGES, requires
from correspond.web.formatting import display_name, name_from_token, overdue
from correspond.web.highlight import extracted_spans, highlight
from correspond.web.letters import letters_section
from correspond.web.redirects import redirect_section
from correspond.web.scans import remember_retry, retry_outcomes

blueprint = Blueprint("desk", __name__)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _queries() -> DeskQueries:
    return current_app.extensions["correspond.queries"]


def _actions() -> DeskActions:
    return current_app.extensions["correspond.actions"]


@blueprint.get("/")
@login_required
def home() -> Any:
    return redirect(url_for(HOME_PAGES[current_user.role]))


@blueprint.get("/accessibility")
@login_required
def accessibility() -> Any:
    return render_template("accessibility.html")


@blueprint.get("/queue")
@requires("queue")
def queue() -> Any:
    asked = {key: request.args.get(key) or None
             for key in ("status", "caseworker", "mp", "concern", "assignee")}
    chosen = QueueFilter(status=asked["status"], caseworker=asked["caseworker"],
                         mp=asked["mp"], concern=asked["concern"], assignee=asked["assignee"])
    desk = _queries()
    inbox: Inbox = current_app.extensions["correspond.inbox"]
    choices = {name: [(value, CONCERN_LABELS.get(value, value) if name == "concern" else value)
                      for value in values]
               for name, values in desk.filter_choices().items()}
    return render_template("queue.html", rows=desk.queue(chosen), chosen=chosen,
                           choices=choices, failed_count=len(inbox.failed_files()),
                           overdue=overdue)


@blueprint.get("/failed")
@requires("failed_files")
def failed_files() -> Any:
    inbox: Inbox = current_app.extensions["correspond.inbox"]
    return render_template("failed.html", files=inbox.failed_files(),
                           retried=retry_outcomes())


@blueprint.post("/failed/retry")
@requires("failed_files")
def retry_failed() -> Any:
    inbox: Inbox = current_app.extensions["correspond.inbox"]
    name = name_from_token(request.form.get("file", ""))
    try:
        if name is None:
            raise FileNotFoundError
        remember_retry(name, inbox.failed_file(name))
        inbox.retry(name)
    except FileNotFoundError:
        flash("That file is no longer in the failed folder.", "error")
    else:
        audit.record_alone(_queries().db, user=current_user.name, action="retried",
                           detail="a set-aside file")
    return redirect(url_for("desk.failed_files"))


@blueprint.get("/referrals/<int:referral_id>")
@requires("casework")
def referral(referral_id: int) -> Any:
    desk = _queries()
    view = desk.referral(referral_id, user=current_user.name)
    if view is None:
        abort(404)
    previews = {letter.id: _preview(Path(letter.path)) for letter in view.drafts}
    candidates = {child.position: json.loads(child.candidates_json or "[]")
                  for child in view.children}
    cases = desk.cases({candidate["case_id"] for listed in candidates.values()
                        for candidate in listed})
    ownership = Owners(desk).of(referral_id)
    letter = highlight(view.row.letter_text, extracted_spans(view.referral),
                       view.referral.get("parts") or ())
    return render_template(
        "referral.html", view=view, row=view.row, referral=view.referral, letter=letter,
        previews=previews, cases=cases, candidates=candidates,
        history=desk.history(referral_id),
        referral_fields=REFERRAL_FIELDS, child_fields=CHILD_FIELDS,
        confidence=view.referral.get("confidence") or {}, overdue=overdue,
        ownership=ownership, redirect=redirect_section(referral_id),
        **letters_section(view))


def _preview(path: Path) -> Markup:
    try:
        return Markup(docx_to_html(path))  # mammoth escapes the document's text
    except (PreviewProblem, OSError):
        return Markup("<p>This letter cannot be shown here; download it to open it in "
                      "Word.</p>")


@blueprint.post("/referrals/<int:referral_id>/fields")
@requires("casework")
def correct_fields(referral_id: int) -> Any:
    form = {key: value for key, value in request.form.items()
            if key in REFERRAL_FIELDS or key.startswith("children[")}
    whole_form = request.form.get("form") == "fields"
    if whole_form:
        # An unticked box is not sent at all: absent means "no" (or "no concerns").
        for path, spec in REFERRAL_FIELDS.items():
            if spec.kind == "yesno":
                form.setdefault(path, "")
    concerns = request.form.getlist("concerns") if whole_form else None
    try:
        result = _actions().correct(referral_id, form, concerns, current_user.name)
    except DeskProblem as problem:
        flash(problem.reason, "error")
        return redirect(url_for("desk.referral", referral_id=referral_id) + "#fields")
    if not result.changed:
        flash("Nothing was changed.", "info")
    else:
        message = f"Saved {len(result.changed)} correction(s)."
        if result.redrafted:
            message += " The letter has been redrafted."
        if result.not_redrafted:
            message += (" The letter edited in Word was kept as it is; choose 'Redraft from "
                        "the template' to replace it.")
        if result.rematched:
            message += " The child's case match was looked for again."
        flash(message, "success")
    return redirect(url_for("desk.referral", referral_id=referral_id))


@blueprint.post("/referrals/<int:referral_id>/children/<int:position>/case")
@requires("casework")
def confirm_case(referral_id: int, position: int) -> Any:
    case_id = request.form.get("case_id", "")
    return _act(referral_id, lambda: _actions().confirm_case(
        referral_id, position, case_id, current_user.name),
        f"Child {position + 1} is linked to case {case_id.strip()}.", "#matching")


@blueprint.post("/referrals/<int:referral_id>/children/<int:position>/new-case")
@requires("casework")
def open_new_case(referral_id: int, position: int) -> Any:
    return _act(referral_id, lambda: _actions().open_new_case(
        referral_id, position, current_user.name),
        f"Child {position + 1} is marked as needing a new case.", "#matching")


@blueprint.post("/referrals/<int:referral_id>/redraft")
@requires("casework")
def redraft(referral_id: int) -> Any:
    try:
        redrafted = _actions().redraft(referral_id, current_user.name)
    except (DeskProblem, TemplateProblem) as problem:
        flash(problem.reason, "error")
    else:
        if redrafted:
            flash("The letters have been redrafted from the templates.", "success")
        else:
            flash("There is no letter to redraft: every letter is approved, or none is "
                  "drafted yet.", "info")
    return redirect(url_for("desk.referral", referral_id=referral_id) + "#letters")


@blueprint.post("/referrals/<int:referral_id>/reply-sent")
@requires("casework")
def reply_sent(referral_id: int) -> Any:
    return _act(referral_id, lambda: _actions().record_reply(referral_id, current_user.name),
                "The full reply is recorded as sent.", "")


@blueprint.get("/referrals/<int:referral_id>/letters/<int:draft_id>.docx")
@requires("casework")
def download_letter(referral_id: int, draft_id: int) -> Any:
    letter = _letter(referral_id, draft_id)
    path = Path(letter.outbox_path or letter.path)
    reference = _queries().row(referral_id).reference
    response = send_file(path, mimetype=DOCX_TYPE, as_attachment=True,
                         download_name=f"{reference}-{letter.kind}.docx")
    audit.record_alone(_queries().db, user=current_user.name, action="downloaded",
                       referral_id=referral_id, detail=letter.kind)
    return response


@blueprint.get("/referrals/<int:referral_id>/letters/<int:draft_id>.pdf")
@requires("casework")
def download_pdf(referral_id: int, draft_id: int) -> Any:
    letter = _letter(referral_id, draft_id)
    if not letter.pdf_path:
        abort(404)
    return send_file(letter.pdf_path, mimetype="application/pdf", as_attachment=True,
                     download_name=Path(letter.pdf_path).name)


@blueprint.post("/referrals/<int:referral_id>/letters/<int:draft_id>/upload")
@requires("casework")
def upload_letter(referral_id: int, draft_id: int) -> Any:
    upload = request.files.get("letter")
    if upload is None or not upload.filename:
        flash("Choose the edited Word document to upload.", "error")
        return redirect(url_for("desk.referral", referral_id=referral_id) + "#letters")
    data = upload.read()
    return _act(referral_id, lambda: _actions().upload(referral_id, draft_id, data,
                                                    current_user.name),
                "Your edited letter has been uploaded and is ready to approve.", "#letters")


@blueprint.post("/referrals/<int:referral_id>/letters/<int:draft_id>/approve")
@requires("casework")
def approve_letter(referral_id: int, draft_id: int) -> Any:
    try:
        approved = _actions().approve(referral_id, draft_id, current_user.name)
    except DeskProblem as problem:
        flash(problem.reason, "error")
        return redirect(url_for("desk.referral", referral_id=referral_id) + "#letters")
    message = f"Approved. The letter is in the outbox as {approved.docx.name}"
    if approved.pdf:
        message += f" and {approved.pdf.name}."
    else:
        message += f". {approved.pdf_problem}"
    flash(message, "success")
    return redirect(url_for("desk.referral", referral_id=referral_id))


@blueprint.post("/referrals/<int:referral_id>/letters/<int:draft_id>/reject")
@requires("casework")
def reject_letter(referral_id: int, draft_id: int) -> Any:
    reason = request.form.get("reason", "")
    try:
        _actions().reject(referral_id, draft_id, reason, current_user.name)
    except DeskProblem as problem:
        flash(problem.reason, "error")
        return redirect(url_for("desk.referral", referral_id=referral_id) + "#letters")
    flash("The letter has been returned with your reason; the referral is back in the "
          "queue.", "success")
    return redirect(url_for("desk.queue"))


@blueprint.get("/referrals/<int:referral_id>/original")
@requires("casework")
def original(referral_id: int) -> Any:
    found = _queries().original_file(referral_id)
    if found is None:
        abort(404)
    name, path = found
    response = send_file(path, as_attachment=True, download_name=display_name(name))
    audit.record_alone(_queries().db, user=current_user.name, action="downloaded",
                       referral_id=referral_id, detail="original correspondence")
    return response


@blueprint.get("/referrals/<int:referral_id>/attachments/<int:position>")
@requires("casework")
def attachment(referral_id: int, position: int) -> Any:
    found = _queries().attachment_file(referral_id, position)
    if found is None:
        abort(404)
    name, path = found
    # Always a download, never shown inline: an attached HTML file must not run here.
    response = send_file(path, as_attachment=True, download_name=display_name(name),
                         mimetype="application/octet-stream")
    audit.record_alone(_queries().db, user=current_user.name, action="downloaded",
                       referral_id=referral_id, detail=f"attachment {position + 1}")
    return response


def _letter(referral_id: int, draft_id: int):
    try:
        return _queries().draft(referral_id, draft_id)
    except DeskProblem:
        abort(404)


def _act(referral_id: int, action, success: str, anchor: str) -> Any:
    try:
        action()
    except (DeskProblem, TemplateProblem) as problem:
        flash(problem.reason, "error")
    else:
        flash(success, "success")
    return redirect(url_for("desk.referral", referral_id=referral_id) + anchor)
