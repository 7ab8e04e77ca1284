"""People acting on one referral at the same moment, over real HTTP to the real server:
every state change checks and changes the state in one transaction, so exactly one
approval wins and what is in the outbox is exactly what was approved."""

from __future__ import annotations

import hashlib
import io
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document

from correspond.store import audit
from correspond.store.users import add_user

from support import (
    DESK_PASSWORD,
    SAMPLES,
    Browser,
    RunningDesk,
    draft_id_of,
    draft_text,
    reference_of,
    signed_in,
)

pytestmark = pytest.mark.slow

CASEWORKERS = ("casey", "cara", "cole", "cath", "cyd")


@pytest.fixture
def khan(desk: RunningDesk) -> int:
    for name in CASEWORKERS[1:]:
        add_user(desk.app.db, name, "caseworker", DESK_PASSWORD)
    return desk.referral_id(desk.ingest(SAMPLES / "khan_letter.docx"))


def _run_together(actions: list[Callable[[], None]]) -> None:
    """Start every action at the same moment on its own thread; re-raise any failure."""
    start = threading.Barrier(len(actions))
    failures: list[BaseException] = []

    def run(action: Callable[[], None]) -> None:
        try:
            start.wait()
            action()
        except BaseException as err:  # reported on the main thread
            failures.append(err)

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures


def _letter_row(desk: RunningDesk, draft_id: int):
    with desk.app.db.reading() as connection:
        return connection.execute(sa.text("SELECT * FROM drafts WHERE id = :id"),
                                  {"id": draft_id}).one()


def _approvals(desk: RunningDesk, referral_id: int) -> list[audit.AuditEvent]:
    return [event for event in audit.events(desk.app.db, referral_id=referral_id)
            if event.action == "approved"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_approvals_racing_corrections_returns_and_uploads_approve_once(
        desk: RunningDesk, khan: int) -> None:
    page = f"/referrals/{khan}"
    draft_id = draft_id_of(desk, khan)
    browsers = {name: signed_in(desk, name) for name in CASEWORKERS}
    edited = io.BytesIO()
    document = Document(str(_letter_row(desk, draft_id).path))
    document.add_paragraph("Edited in Word before approval.")
    document.save(edited)
    approved = threading.Event()

    def approve(browser: Browser) -> Callable[[], None]:
        def act() -> None:
            # Try until someone's approval has been committed (a change may win first).
            deadline = time.monotonic() + 120
            while not approved.is_set() and time.monotonic() < deadline:
                browser.post(f"{page}/letters/{draft_id}/approve", token_from=page)
                if _letter_row(desk, draft_id).status == "approved":
                    approved.set()
        return act

    def correct(browser: Browser) -> Callable[[], None]:
        def act() -> None:
            for number in range(6):
                browser.post(f"{page}/fields",
                             {"correspondent.name": f"Hannah Greaves {number}"},
                             token_from=page)
        return act

    def give_back(browser: Browser) -> Callable[[], None]:
        def act() -> None:
            for _ in range(3):
                browser.post(f"{page}/letters/{draft_id}/reject",
                             {"reason": "Check the MP's name"}, token_from=page)
        return act

    def upload(browser: Browser) -> Callable[[], None]:
        def act() -> None:
            for _ in range(3):
                browser.post(f"{page}/letters/{draft_id}/upload", token_from=page,
                             files={"letter": ("edited.docx", edited.getvalue())})
        return act

    _run_together([approve(browsers["casey"]), approve(browsers["cara"]),
                   correct(browsers["cole"]), give_back(browsers["cath"]),
                   upload(browsers["cyd"])])

    assert len(_approvals(desk, khan)) == 1
    letter = _letter_row(desk, draft_id)
    assert letter.status == "approved"
    outbox = Path(letter.outbox_path)
    assert outbox.name == f"{reference_of(desk, khan)}-acknowledgement.docx"
    # What left is byte for byte what was approved; the draft did not change after.
    assert _sha256(outbox) == letter.approved_sha256
    assert _sha256(Path(letter.path)) == letter.approved_sha256
    assert _sha256(desk.app.archive.path_for(letter.approved_sha256)) == letter.approved_sha256
    if letter.pdf_path:
        assert _sha256(Path(letter.pdf_path)) == letter.pdf_sha256
    assert [p.name for p in outbox.parent.iterdir() if p.name.startswith(".")] == []
    with desk.app.db.reading() as connection:
        referral = connection.execute(sa.text(
            "SELECT status, acknowledged_at FROM referrals WHERE id = :id"), {"id": khan}).one()
    assert referral.status == "acknowledged" and referral.acknowledged_at is not None


def test_the_approved_letter_says_what_the_referral_said_when_it_was_approved(
        desk: RunningDesk, khan: int) -> None:
    """An approval and a stream of corrections: the outbox letter carries the MP's name
    as last corrected before the approval, never an older one."""
    page = f"/referrals/{khan}"
    draft_id = draft_id_of(desk, khan)
    approver, corrector = signed_in(desk, "casey"), signed_in(desk, "cara")
    approved = threading.Event()

    def approve() -> None:
        while not approved.is_set():
            approver.post(f"{page}/letters/{draft_id}/approve", token_from=page)
            if _letter_row(desk, draft_id).status == "approved":
                approved.set()

    def correct() -> None:
        number = 0
        while not approved.is_set() and number < 40:
            corrector.post(f"{page}/fields", {"correspondent.name": f"Anna Field {number}"},
                           token_from=page)
            number += 1

    _run_together([approve, correct])
    letter = _letter_row(desk, draft_id)
    with desk.app.db.reading() as connection:
        names = connection.execute(sa.text(
            "SELECT value_json, corrected_at FROM referral_corrections "
            "WHERE referral_id = :id AND field = 'correspondent.name' ORDER BY id"),
            {"id": khan}).all()
    before = [row.value_json.strip('"') for row in names
              if row.corrected_at <= letter.approved_at]
    text = draft_text(letter.outbox_path)
    if before:
        assert before[-1] in text
    for older in before[:-1]:
        assert not re.search(rf"\b{re.escape(older)}\b", text)


def test_a_return_racing_an_approval_leaves_one_consistent_outcome(
        desk: RunningDesk, khan: int) -> None:
    page = f"/referrals/{khan}"
    draft_id = draft_id_of(desk, khan)
    approvers = [signed_in(desk, name) for name in ("casey", "cara", "cole")]
    returners = [signed_in(desk, name) for name in ("cath", "cyd")]
    _run_together(
        [lambda b=b: b.post(f"{page}/letters/{draft_id}/approve", token_from=page)
         for b in approvers]
        + [lambda b=b: b.post(f"{page}/letters/{draft_id}/reject", {"reason": "No"},
                              token_from=page) for b in returners])
    letter = _letter_row(desk, draft_id)
    with desk.app.db.reading() as connection:
        referral = connection.execute(sa.text(
            "SELECT status, acknowledged_at FROM referrals WHERE id = :id"), {"id": khan}).one()
    approvals = _approvals(desk, khan)
    assert len(approvals) <= 1
    if letter.status == "approved":
        assert len(approvals) == 1
        assert referral.status == "acknowledged" and referral.acknowledged_at is not None
    else:
        assert letter.status == "rejected" and not approvals
        assert referral.status == "returned" and referral.acknowledged_at is None
    # Whatever won, the approval can no longer be repeated or undone.
    approvers[0].post(f"{page}/letters/{draft_id}/approve", token_from=page)
    approvers[0].post(f"{page}/letters/{draft_id}/approve", token_from=page)
    assert len(_approvals(desk, khan)) == 1
    after = _letter_row(desk, draft_id)
    returners[0].post(f"{page}/letters/{draft_id}/reject", {"reason": "Too late"},
                      token_from=page)
    assert _letter_row(desk, draft_id).status == "approved"
    assert _letter_row(desk, draft_id).version == after.version


def test_a_change_after_approval_is_refused_with_who_and_when(desk: RunningDesk,
                                                              khan: int) -> None:
    page = f"/referrals/{khan}"
    draft_id = draft_id_of(desk, khan)
    casey, cara = signed_in(desk, "casey"), signed_in(desk, "cara")
    token = cara.token(page)  # cara opened the page before casey approved
    casey.post(f"{page}/letters/{draft_id}/approve", token_from=page)
    letter = _letter_row(desk, draft_id)
    edited = io.BytesIO()
    Document(letter.path).save(edited)
    cara.post(f"{page}/letters/{draft_id}/upload", {"csrf_token": token},
              files={"letter": ("edited.docx", edited.getvalue())})
    _, _, html = cara.get(page)
    assert "This letter was approved at" in html and "by casey; it can no longer be changed" in html
    assert "ready to approve" not in html
    assert _sha256(Path(letter.path)) == letter.approved_sha256


def test_an_outbox_that_cannot_be_written_approves_nothing_and_says_why(
        desk: RunningDesk, khan: int) -> None:
    page = f"/referrals/{khan}"
    draft_id = draft_id_of(desk, khan)
    outbox = desk.settings.outbox
    # The outbox replaced by a plain file: no process, root included, can write in it.
    outbox.rmdir()
    outbox.write_text("not a folder")
    browser = signed_in(desk, "casey")
    status, _, _ = browser.post(f"{page}/letters/{draft_id}/approve", token_from=page)
    assert status == 302
    _, _, html = browser.get(page)
    assert "could not be put in the outbox folder" in html
    assert "has not been approved" in html
    assert _letter_row(desk, draft_id).status == "draft"
    assert not _approvals(desk, khan)


def test_caseworkers_taking_one_referral_at_once_leave_one_owner_and_a_true_history(
        desk: RunningDesk, khan: int) -> None:
    page = f"/referrals/{khan}"
    with desk.app.db.reading() as connection:
        ids = dict(connection.execute(sa.text("SELECT name, id FROM users")).all())
    takers = [(name, signed_in(desk, name)) for name in CASEWORKERS]
    _run_together([lambda name=name, b=b: b.post(f"{page}/owner", {"user_id": str(ids[name])},
                                                 token_from=page)
                   for name, b in takers])
    with desk.app.db.reading() as connection:
        owners = connection.execute(sa.text(
            "SELECT user_id FROM assignments WHERE referral_id = :id"), {"id": khan}).all()
    assert len(owners) == 1
    owner = {user_id: name for name, user_id in ids.items()}[owners[0].user_id]
    events = [event for event in reversed(audit.events(desk.app.db, referral_id=khan))
              if event.action in ("assigned", "reassigned")]  # oldest first
    # One first assignment, then each change from whoever held it just before.
    assert [event.action for event in events][:1] == ["assigned"]
    assert all(event.action == "reassigned" for event in events[1:])
    for before, after in zip(events, events[1:]):
        assert after.detail.endswith(f"from {before.detail.split()[1]}")
    assert events[-1].detail.split()[1] == owner


def _replied(desk: RunningDesk, referral_id: int) -> None:
    """Acknowledged and the full reply recorded as sent: ready to close."""
    browser = signed_in(desk, "casey")
    page = f"/referrals/{referral_id}"
    browser.post(f"{page}/letters/{draft_id_of(desk, referral_id)}/approve", token_from=page)
    browser.post(f"{page}/reply-sent", token_from=page)
    with desk.app.db.reading() as connection:
        assert connection.execute(sa.text("SELECT status FROM referrals WHERE id = :id"),
                                  {"id": referral_id}).scalar_one() == "replied"


def test_caseworkers_closing_one_referral_at_once_record_one_outcome(
        desk: RunningDesk, khan: int) -> None:
    _replied(desk, khan)
    page = f"/referrals/{khan}"
    outcomes = ("resolved", "partly_resolved", "not_upheld", "passed_on", "withdrawn")
    closers = [(outcome, signed_in(desk, name)) for outcome, name in zip(outcomes, CASEWORKERS)]
    tokens = [browser.token(page) for _, browser in closers]  # each page open, then all click

    _run_together([
        lambda outcome=outcome, browser=browser, token=token: browser.post(
            f"{page}/close", {"outcome": outcome, "changes": ["assessment:assessment_agreed"],
                              "notes": f"closed as {outcome}", "csrf_token": token})
        for (outcome, browser), token in zip(closers, tokens)])

    with desk.app.db.reading() as connection:
        recorded = connection.execute(sa.text(
            "SELECT outcome, notes, closed_by FROM referral_outcomes WHERE referral_id = :id"),
            {"id": khan}).all()
        changes = connection.execute(sa.text(
            "SELECT count(*) FROM referral_outcome_changes WHERE referral_id = :id"),
            {"id": khan}).scalar_one()
    assert len(recorded) == 1 and changes == 1
    [(outcome, notes, closed_by)] = recorded
    assert notes == f"closed as {outcome}"
    closed = [event for event in audit.events(desk.app.db, referral_id=khan)
              if event.action == "closed"]
    assert [(event.user_name, event.detail) for event in closed] == [(closed_by, outcome)]
    # Everyone else is told, when their page reloads, that it was closed already.
    told = [browser.get(page)[2] for _, browser in closers]
    assert sum("This referral is already closed." in html for html in told) == 4


def test_caseworkers_adding_children_at_once_each_get_a_child_of_their_own(
        desk: RunningDesk, khan: int) -> None:
    page = f"/referrals/{khan}"
    with desk.app.db.reading() as connection:
        before = connection.execute(sa.text(
            "SELECT count(*) FROM referral_children WHERE referral_id = :id"),
            {"id": khan}).scalar_one()
    adders = [(f"Sibling{number}", signed_in(desk, name))
              for number, name in enumerate(CASEWORKERS[:3])]
    tokens = [browser.token(f"{page}/children/new") for _, browser in adders]

    _run_together([
        lambda first=first, browser=browser, token=token: browser.post(
            f"{page}/children", {"first_name": first, "last_name": "Khan",
                                 "csrf_token": token})
        for (first, browser), token in zip(adders, tokens)])

    with desk.app.db.reading() as connection:
        children = connection.execute(sa.text(
            "SELECT position, first_name FROM referral_children WHERE referral_id = :id "
            "ORDER BY position"), {"id": khan}).all()
    added = {row.first_name: row.position for row in children[before:]}
    assert set(added) == {first for first, _ in adders}  # none lost, none overwritten
    assert sorted(added.values()) == list(range(before, before + 3))
    events = sorted(event.detail for event in audit.events(desk.app.db, referral_id=khan)
                    if event.action == "child_added")
    assert events == sorted(f"child {position + 1}" for position in added.values())


def test_two_caseworkers_removing_one_child_at_once_remove_it_once(
        desk: RunningDesk, khan: int) -> None:
    page = f"/referrals/{khan}"
    removers = [signed_in(desk, name) for name in CASEWORKERS[:2]]
    tokens = [browser.token(page) for browser in removers]

    _run_together([
        lambda browser=browser, token=token, number=number: browser.post(
            f"{page}/children/0/remove", {"reason": f"not a child ({number})",
                                          "csrf_token": token})
        for number, (browser, token) in enumerate(zip(removers, tokens))])

    with desk.app.db.reading() as connection:
        removed = connection.execute(sa.text(
            "SELECT removed_by, removed_reason FROM referral_children "
            "WHERE referral_id = :id AND position = 0"), {"id": khan}).one()
    removals = [event for event in audit.events(desk.app.db, referral_id=khan)
                if event.action == "child_removed"]
    assert [event.user_name for event in removals] == [removed.removed_by]
    told = [browser.get(page)[2] for browser in removers]
    assert sum("has no child number 1 to remove" in html for html in told) == 1
