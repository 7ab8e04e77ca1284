"""Scans in the desk: the pages of a scanned letter beside the text read from them, a
set-aside file opened and seen in the browser, and a file nobody could read entered by
hand. Page pictures are drawn in a child process with limits (files/page_images.py) and
served under the same access checks as the file itself."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_login import current_user

from correspond.desk.by_hand import MAX_CHILDREN, child_paths, enter_by_hand
from correspond.desk.fields import CHILD_FIELDS, REFERRAL_FIELDS
from correspond.desk.queries import DeskQueries, ReferralView
from correspond.domain.clock import utc_now
from correspond.errors import DeskProblem, NotARegularFile
from correspond.files.page_images import WIDTHS, CannotShowPages, page_count, page_png
from correspond.files.regular import open_regular
from correspond.pipeline import Pipeline
from correspond.pipeline.ocr_confidence import LOW_OCR_CONFIDENCE
from correspond.pipeline.stages import ENTERED_BY_HAND
from correspond.store import audit
from correspond.store.archive import sha256_of_stream
from correspond.watch.inbox import Inbox
from correspond.web.auth import requires
from correspond.web.formatting import display_name, name_from_token, name_token
from correspond.web.highlight import extracted_spans, highlight

blueprint = Blueprint("scans", __name__)


def _queries() -> DeskQueries:
    return current_app.extensions["correspond.queries"]


def _inbox() -> Inbox:
    return current_app.extensions["correspond.inbox"]


# The referral page ---------------------------------------------------------------------

@blueprint.app_template_global()
def scanned_pages(view: ReferralView) -> list[dict[str, Any]]:
    """For the referral page: each page of a letter read by OCR (or entered by hand), its
    picture's address and the text read from it with what was extracted marked; [] for
    a letter read from text alone."""
    pages = view.extracted.get("pages") or []
    by_hand = view.row.letter_source == ENTERED_BY_HAND
    if not by_hand and not any(page.get("ocr") for page in pages):
        return []
    spans = extracted_spans(view.referral)
    shown = []
    for page in pages:
        number = page["number"]
        text = None
        if page.get("end", 0) > page.get("start", 0):
            text = highlight(view.row.letter_text[page["start"]:page["end"]], spans)
        confidence = page.get("confidence")
        shown.append({
            "number": number, "text": text, "ocr": page.get("ocr", False),
            "unread": "start" in page and text is None,
            "confidence": confidence,
            "low": confidence is not None and confidence < LOW_OCR_CONFIDENCE,
            "image": url_for("scans.referral_page", referral_id=view.row.id, number=number),
            "large": url_for("scans.referral_page", referral_id=view.row.id, number=number,
                             size="large"),
        })
    return shown


@blueprint.get("/referrals/<int:referral_id>/pages/<int:number>.png")
@requires("casework")
def referral_page(referral_id: int, number: int) -> Any:
    path = _queries().letter_file(referral_id)
    if path is None:
        abort(404)
    return _page_picture(path, number)


# A set-aside file ----------------------------------------------------------------------

@blueprint.get("/failed/files/<token>")
@requires("failed_files")
def failed_file(token: str) -> Any:
    name, path = _failed(token)
    audit.record_alone(_queries().db, user=current_user.name, action="viewed",
                       detail="a set-aside file")
    return _failed_page(name, path, form={"is_send": "yes"}, concerns=[])


@blueprint.get("/failed/files/<token>/pages/<int:number>.png")
@requires("failed_files")
def failed_page(token: str, number: int) -> Any:
    _, path = _failed(token)
    return _page_picture(path, number)


@blueprint.get("/failed/files/<token>/file")
@requires("failed_files")
def failed_download(token: str) -> Any:
    name, path = _failed(token)
    try:
        source = open_regular(path)  # a shortcut set aside is never followed
    except NotARegularFile:
        abort(404)
    response = send_file(source, as_attachment=True, download_name=display_name(name),
                         mimetype="application/octet-stream")
    audit.record_alone(_queries().db, user=current_user.name, action="downloaded",
                       detail="a set-aside file")
    return response


@blueprint.post("/failed/files/<token>/enter")
@requires("casework")
def enter_failed(token: str) -> Any:
    name, path = _failed(token)
    form = {key: value for key, value in request.form.items()
            if key in REFERRAL_FIELDS or key.startswith("children[")}
    concerns = request.form.getlist("concerns")
    pipeline: Pipeline = current_app.extensions["correspond.pipeline"]
    try:
        outcome = enter_by_hand(pipeline, path, name=name, pages=_count(path), form=form,
                                concerns=concerns, user=current_user.name)
    except DeskProblem as problem:
        return _failed_page(name, path, form=form, concerns=concerns,
                            problem=problem.reason), 400
    try:
        _inbox().remove_failed(name)
    except OSError:  # recorded and archived; a copy left in failed/ is only untidy
        current_app.logger.warning("An entered file could not be taken out of failed/")
    flash(f"Entered as {outcome.reference}; the acknowledgement is drafted for approval.",
          "success")
    return redirect(url_for("desk.referral", referral_id=outcome.referral_id))


def _failed_page(name: str, path: Path, *, form: dict[str, str], concerns: list[str],
                 problem: str | None = None) -> str:
    token = name_token(name)
    pages = [{"number": number,
              "image": url_for("scans.failed_page", token=token, number=number),
              "large": url_for("scans.failed_page", token=token, number=number,
                               size="large")}
             for number in range(1, _count(path) + 1)]
    return render_template(
        "failed_file.html", name=name, token=token, reason=_inbox().failed_reason(name),
        pages=pages, form=form, concerns=concerns, problem=problem,
        referral_fields=REFERRAL_FIELDS, child_fields=CHILD_FIELDS,
        children=[child_paths(index) for index in range(MAX_CHILDREN)])


def _failed(token: str) -> tuple[str, Path]:
    name = name_from_token(token)
    if name is None:
        abort(404)
    try:
        return name, _inbox().failed_file(name)
    except FileNotFoundError:
        abort(404)


# Trying a set-aside file again -----------------------------------------------------------

RETRIED = "retried"  # session key: files this person tried again, not yet told the end of
STILL_READING_FOR = timedelta(minutes=10)  # after this, a file is no longer waited for


def remember_retry(name: str, path: Path) -> None:
    """Before a set-aside file goes back to the inbox: what it holds and when it went,
    so that the Failed files page can say how the new attempt ended."""
    try:
        with open_regular(path) as source:
            sha256 = sha256_of_stream(source)
    except (OSError, NotARegularFile):
        sha256 = hashlib.sha256(b"").hexdigest()  # a shortcut is set aside again unread
    entries = [entry for entry in session.get(RETRIED, []) if entry["name"] != name][-9:]
    entries.append({"name": name, "sha256": sha256, "at": utc_now().isoformat()})
    session[RETRIED] = entries


def retry_outcomes() -> list[dict[str, Any]]:
    """How each file this person tried again has ended: one that has is told once; one
    still being read is shown as such (and the page looks again shortly)."""
    told, waiting = [], []
    for entry in session.get(RETRIED, []):
        since = datetime.fromisoformat(entry["at"])
        result = _queries().retried(entry["sha256"], since)
        if result is not None:
            told.append({"name": entry["name"], "state": result.outcome,
                         "reason": result.reason, "reference": result.reference})
        elif utc_now() - since < STILL_READING_FOR:
            waiting.append(entry)
            told.append({"name": entry["name"], "state": "reading"})
    session[RETRIED] = waiting
    return told


# Page pictures -------------------------------------------------------------------------

def _count(path: Path) -> int:
    try:
        return page_count(path)
    except CannotShowPages:
        return 0


def _page_picture(path: Path, number: int) -> Any:
    width = WIDTHS[-1] if request.args.get("size") == "large" else WIDTHS[0]
    try:
        picture = page_png(path, number, width)
    except CannotShowPages:
        abort(404)
    return Response(picture, mimetype="image/png")
