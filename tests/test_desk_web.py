"""The web desk's rules, over real HTTP to the real server (waitress on a real port), on
a real SQLite database with referrals read by the real pipeline: sign-in, sessions,
CSRF, roles, the audit trail, corrections, approval and upload."""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from correspond.domain.clock import local_date, utc_now
from correspond.domain.dates import written_date
from correspond.domain.workdays import add_working_days
from correspond.store import audit
from correspond.store.users import all_users
from correspond.web.formatting import name_token

from hostile_word import counting_server, image_bomb, letter_with_linked_pictures, png
from support import (
    DESK_PASSWORD,
    SAMPLES,
    Browser,
    RunningDesk,
    draft_id_of,
    draft_path_of,
    draft_text,
    raw_get,
    reference_of,
    signed_in,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def khan(desk: RunningDesk) -> int:
    return desk.referral_id(desk.ingest(SAMPLES / "khan_letter.docx"))


def test_every_page_and_file_needs_sign_in(desk: RunningDesk, khan: int) -> None:
    browser = Browser(desk.url)
    for path in ("/", "/queue", "/failed", f"/referrals/{khan}", f"/referrals/{khan}/original",
                 f"/referrals/{khan}/letters/1.docx", "/reports/", "/reports/referrals.csv",
                 "/admin/users"):
        status, headers, _ = browser.get(path)
        assert status == 302, path
        assert headers["Location"].startswith("/sign-in"), path


def test_sign_in_with_a_wrong_password_is_refused_without_saying_which_was_wrong(
        desk: RunningDesk) -> None:
    browser = Browser(desk.url)
    status, _, html = browser.sign_in("casey", "not the password")
    assert status == 401
    assert "name or password is not right" in html
    status, _, html = browser.sign_in("nobody", "not the password")
    assert status == 401 and "name or password is not right" in html


def test_sign_in_takes_each_role_to_its_start_page_with_a_safe_cookie(
        desk: RunningDesk) -> None:
    for name, start in (("casey", "/mine"), ("bea", "/queue"), ("lia", "/reports/"),
                        ("ada", "/admin/users")):
        browser = Browser(desk.url)
        status, headers, _ = browser.sign_in(name)
        assert (status, headers["Location"]) == (302, start), name
        cookie = headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_sign_in_goes_back_to_the_page_asked_for_but_never_to_another_site(
        desk: RunningDesk, khan: int) -> None:
    browser = Browser(desk.url)
    token = browser.token("/sign-in")
    status, headers, _ = browser.post("/sign-in", {
        "name": "casey", "password": DESK_PASSWORD, "next": f"/referrals/{khan}",
        "csrf_token": token})
    assert headers["Location"] == f"/referrals/{khan}"
    browser = Browser(desk.url)
    token = browser.token("/sign-in")
    status, headers, _ = browser.post("/sign-in", {
        "name": "casey", "password": DESK_PASSWORD, "next": "//evil.example/steal",
        "csrf_token": token})
    assert headers["Location"] == "/mine"


def test_sign_in_gives_a_new_session_id(desk: RunningDesk) -> None:
    browser = Browser(desk.url)
    browser.get("/sign-in")
    browser.token("/sign-in")
    before = browser.session_cookie()
    browser.sign_in("casey")
    assert browser.session_cookie() not in (None, before)


def test_signing_out_ends_the_session_on_the_server(desk: RunningDesk) -> None:
    browser = signed_in(desk, "casey")
    stolen = browser.session_cookie()
    assert browser.get("/queue")[0] == 200
    status, headers, _ = browser.post("/sign-out", token_from="/queue")
    assert headers["Location"] == "/sign-in"
    # The old cookie, replayed, opens nothing: the session is gone from the server.
    replay = Browser(desk.url)
    replay.opener.addheaders = [("Cookie", f"correspond_session={stolen}")]
    status, headers, _ = replay.get("/queue")
    assert status == 302 and headers["Location"].startswith("/sign-in")


def test_a_session_ends_after_the_idle_time(desk_factory) -> None:
    desk = desk_factory(session_idle_minutes=0.05)  # 3 seconds
    browser = signed_in(desk, "casey")
    for _ in range(4):  # in use: each request keeps it alive past 3 s
        time.sleep(1.2)
        assert browser.get("/queue")[0] == 200
    time.sleep(4)
    status, headers, _ = browser.get("/queue")
    assert status == 302 and headers["Location"].startswith("/sign-in")


def test_a_form_without_its_token_is_refused(desk: RunningDesk, khan: int) -> None:
    browser = signed_in(desk, "casey")
    status, _, html = browser.post(f"/referrals/{khan}/fields", {"constituent.name": "X"})
    assert status == 400 and "form had expired" in html
    with desk.app.db.reading() as connection:
        assert connection.execute(sa.text(
            "SELECT count(*) FROM referral_corrections")).scalar_one() == 0


def test_no_action_happens_on_a_get(desk: RunningDesk, khan: int) -> None:
    browser = signed_in(desk, "casey")
    for path in (f"/referrals/{khan}/letters/1/approve", f"/referrals/{khan}/letters/1/reject",
                 f"/referrals/{khan}/fields", f"/referrals/{khan}/redraft", "/sign-out",
                 "/failed/retry", f"/referrals/{khan}/children/0/new-case"):
        assert browser.get(path)[0] == 405, path
    assert list(desk.settings.outbox.iterdir()) == []


@pytest.mark.parametrize("name", ["lia", "bea", "ada"])
def test_other_roles_get_403_for_a_caseworkers_actions(desk: RunningDesk, khan: int,
                                                        name: str) -> None:
    browser = signed_in(desk, name)
    start = {"lia": "/reports/", "bea": "/queue", "ada": "/admin/users"}[name]
    token = browser.token(start)
    assert browser.get(f"/referrals/{khan}")[0] == 403
    assert browser.get(f"/referrals/{khan}/letters/1.docx")[0] == 403
    status, _, _ = browser.post(f"/referrals/{khan}/letters/1/approve",
                                {"csrf_token": token})
    assert status == 403
    assert list(desk.settings.outbox.iterdir()) == []
    refused = [event for event in audit.events(desk.app.db) if event.action == "refused"]
    assert {event.user_name for event in refused} == {name}


def test_each_role_reaches_only_its_own_pages(desk: RunningDesk) -> None:
    allowed = {
        "casey": {"/queue", "/failed", "/reports/"},
        "bea": {"/queue", "/failed"},
        "lia": {"/reports/", "/reports/referrals.csv"},
        "ada": {"/admin/users", "/admin/templates", "/reports/"},
    }
    pages = {"/queue", "/failed", "/reports/", "/reports/referrals.csv", "/admin/users",
             "/admin/templates"}
    for name, mine in allowed.items():
        browser = signed_in(desk, name)
        for page in pages:
            expected = 200 if page in mine or (page == "/reports/referrals.csv"
                                               and "/reports/" in mine) else 403
            assert browser.get(page)[0] == expected, (name, page)


def test_pages_are_not_cached_or_framed(desk: RunningDesk, khan: int) -> None:
    browser = signed_in(desk, "casey")
    status, headers, _ = browser.get(f"/referrals/{khan}")
    assert status == 200
    assert headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "Server" not in headers or "waitress" not in headers["Server"]


def test_the_audit_trail_records_views_and_refuses_changes(desk: RunningDesk,
                                                           khan: int) -> None:
    browser = signed_in(desk, "casey")
    browser.get(f"/referrals/{khan}")
    events = audit.events(desk.app.db, referral_id=khan)
    assert [(e.user_name, e.action) for e in events] == [("casey", "viewed")]
    for statement in ("UPDATE audit_events SET user_name = 'someone else'",
                      "DELETE FROM audit_events"):
        with pytest.raises(sa.exc.IntegrityError, match="append-only"):
            with desk.app.db.writing() as connection:
                connection.execute(sa.text(statement))
    assert len(audit.events(desk.app.db)) == len(events) + 1  # + casey's sign-in


def test_correcting_a_field_redrafts_the_letter_and_keeps_what_was_read(
        desk: RunningDesk, khan: int) -> None:
    browser = signed_in(desk, "casey")
    page = f"/referrals/{khan}"
    status, headers, _ = browser.post(f"{page}/fields", {"constituent.name": "Mrs Sara Khan"},
                                      token_from=page)
    assert status == 302
    status, _, html = browser.get(page)
    assert "Saved 1 correction(s). The letter has been redrafted." in html
    assert "Mrs Sara Khan" in draft_text(draft_path_of(desk, draft_id_of(desk, khan)))
    with desk.app.db.reading() as connection:
        stored = connection.execute(sa.text(
            "SELECT extraction_json FROM referrals WHERE id = :id"), {"id": khan}).scalar_one()
    assert "Mrs Sarah Khan" in stored and "Mrs Sara Khan" not in stored
    actions = [(e.action, e.detail) for e in audit.events(desk.app.db, referral_id=khan)]
    assert ("edited", "constituent.name") in actions
    assert "Mrs Sara Khan" not in str(actions)  # values typed stay out of the trail


def test_a_bad_date_is_explained_and_nothing_is_saved(desk: RunningDesk, khan: int) -> None:
    browser = signed_in(desk, "casey")
    page = f"/referrals/{khan}"
    browser.post(f"{page}/fields", {"children[0].date_of_birth": "31/02/2015"},
                 token_from=page)
    status, _, html = browser.get(page)
    assert "Date of birth: &#39;31/02/2015&#39; is not a date" in html
    with desk.app.db.reading() as connection:
        assert connection.execute(sa.text(
            "SELECT count(*) FROM referral_corrections")).scalar_one() == 0


def test_approving_puts_the_letter_in_the_outbox_and_records_the_time(
        desk: RunningDesk, khan: int) -> None:
    browser = signed_in(desk, "casey")
    page = f"/referrals/{khan}"
    draft_id = draft_id_of(desk, khan)
    status, _, _ = browser.post(f"{page}/letters/{draft_id}/approve", token_from=page)
    assert status == 302
    reference = reference_of(desk, khan)
    letter = desk.settings.outbox / f"{reference}-acknowledgement.docx"
    assert "Khan" in draft_text(letter)
    with desk.app.db.reading() as connection:
        row = connection.execute(sa.text(
            "SELECT status, acknowledged_at FROM referrals WHERE id = :id"),
            {"id": khan}).one()
    assert row.status == "acknowledged" and row.acknowledged_at is not None
    # Approving twice does not send twice.
    status, _, _ = browser.post(f"{page}/letters/{draft_id}/approve", token_from=page)
    _, _, html = browser.get(page)
    assert re.search(r"This letter was approved at \d\d:\d\d by casey; "
                     r"it can no longer be changed", html)
    assert sorted(p.suffix for p in desk.settings.outbox.iterdir()) in (
        [".docx"], [".docx", ".pdf"])


def test_returning_a_letter_needs_a_reason_and_puts_it_back_in_the_queue(
        desk: RunningDesk, khan: int) -> None:
    browser = signed_in(desk, "casey")
    page = f"/referrals/{khan}"
    draft_id = draft_id_of(desk, khan)
    browser.post(f"{page}/letters/{draft_id}/reject", {"reason": "  "}, token_from=page)
    assert "Say why the letter is being returned" in browser.get(page)[2]
    browser.post(f"{page}/letters/{draft_id}/reject",
                 {"reason": "Wrong school named"}, token_from=page)
    _, _, queue = browser.get("/queue")
    assert "Returned: Wrong school named" in queue


def test_an_upload_that_is_not_a_word_document_is_refused(desk: RunningDesk,
                                                          khan: int) -> None:
    browser = signed_in(desk, "casey")
    page = f"/referrals/{khan}"
    draft_id = draft_id_of(desk, khan)
    path = draft_path_of(desk, draft_id)
    before = path.read_bytes()
    browser.post(f"{page}/letters/{draft_id}/upload", token_from=page,
                 files={"letter": ("letter.docx", b"%PDF-1.4 not a word document")})
    assert "not a Word document" in browser.get(page)[2]
    assert path.read_bytes() == before


def test_business_support_retry_a_failed_file(desk: RunningDesk) -> None:
    failed = desk.settings.failed_dir / "scan.pdf"
    failed.write_bytes(b"%PDF-1.4 broken")
    failed.with_name("scan.pdf.reason.txt").write_text("This PDF is damaged.\n")
    browser = signed_in(desk, "bea")
    _, _, html = browser.get("/failed")
    assert "scan.pdf" in html and "This PDF is damaged." in html
    chosen = re.search(r'name="file" value="([^"]+)"', html).group(1)
    browser.post("/failed/retry", {"file": chosen}, token_from="/failed")
    assert (desk.settings.inbox / "scan.pdf").read_bytes() == b"%PDF-1.4 broken"
    assert not failed.exists() and not failed.with_name("scan.pdf.reason.txt").exists()
    # A name that leads outside the failed folder is not moved.
    browser.post("/failed/retry", {"file": name_token("../correspond.toml")},
                 token_from="/failed")
    assert "no longer in the failed folder" in browser.get("/failed")[2]


def test_the_queue_puts_urgent_first_and_filters_by_concern(desk: RunningDesk) -> None:
    desk.ingest(SAMPLES / "khan_letter.docx")
    desk.ingest(SAMPLES / "okafor_email.msg")
    browser = signed_in(desk, "bea")
    _, _, html = browser.get("/queue")
    references = re.findall(r"MP-\d{4}-\d{4}", html)
    assert len(references) == 2
    assert html.index("Urgent") < html.index("Adam Khan")  # Okafor's urgent letter first
    _, _, html = browser.get("/queue?concern=transport")
    assert "Adam Khan" not in html and len(re.findall(r"MP-\d{4}-\d{4}", html)) == 1


def test_users_add_reads_the_password_from_standard_input(home: Path) -> None:
    from click.testing import CliRunner

    from correspond.cli import cli
    from correspond.config import load_settings
    from correspond.store.database import Database
    from correspond.store.users import authenticate

    runner = CliRunner()
    result = runner.invoke(cli, ["--home", str(home), "users", "add", "Priya Shah",
                                 "--role", "caseworker"], input="a long enough secret\n")
    assert result.exit_code == 0, result.output
    assert "Priya Shah can now sign in as caseworker" in result.output
    short = runner.invoke(cli, ["--home", str(home), "users", "add", "Tom", "--role",
                                "liaison"], input="short\n")
    assert short.exit_code != 0 and "at least 12 characters" in short.output
    again = runner.invoke(cli, ["--home", str(home), "users", "add", "Priya Shah",
                                "--role", "admin"], input="another long secret\n")
    assert again.exit_code != 0 and "already a user called Priya Shah" in again.output
    db = Database(load_settings(home).database_url)
    try:
        assert authenticate(db, "Priya Shah", "a long enough secret").role == "caseworker"
        stored = db.engine.connect().execute(sa.text(
            "SELECT password_hash FROM users")).scalar_one()
        assert stored.startswith("$argon2id$") and "a long enough secret" not in stored
    finally:
        db.close()


def test_an_administrator_checks_and_downloads_the_templates(desk: RunningDesk) -> None:
    browser = signed_in(desk, "ada")
    _, _, html = browser.get("/admin/templates")
    assert "acknowledgement.docx" in html and "Works" in html
    assert str(desk.settings.home / "templates") in html  # the copies staff edit
    status, headers, _ = browser.get("/admin/templates/acknowledgement.docx")
    assert status == 200 and "attachment" in headers["Content-Disposition"]
    assert browser.get("/admin/templates/..%2Fcorrespond.docx")[0] == 404


def test_an_account_switched_off_is_signed_out_at_its_next_click(desk: RunningDesk) -> None:
    admin = signed_in(desk, "ada")
    admin.post("/admin/users", {"name": "Noor", "role": "caseworker",
                                "password": "a brand new password"}, token_from="/admin/users")
    assert "Noor can now sign in as caseworker" in admin.get("/admin/users")[2]
    noor = Browser(desk.url)
    assert noor.sign_in("Noor", "a brand new password")[0] == 302
    assert noor.get("/queue")[0] == 200
    noor_id = next(user.id for user in all_users(desk.app.db) if user.name == "Noor")
    admin.post(f"/admin/users/{noor_id}/active", {"active": "no"}, token_from="/admin/users")
    status, headers, _ = noor.get("/queue")
    assert status == 302 and headers["Location"].startswith("/sign-in")
    status, _, html = Browser(desk.url).sign_in("Noor", "a brand new password")
    assert status == 403 and "Your account is switched off" in html  # told, not "wrong"
    assert Browser(desk.url).sign_in("Noor", "a wrong password!")[0] == 401


def test_without_libreoffice_the_word_letter_is_approved_and_the_page_says_so(
        desk_factory) -> None:
    desk = desk_factory(libreoffice="no-such-office-program")
    khan = desk.referral_id(desk.ingest(SAMPLES / "khan_letter.docx"))
    browser = signed_in(desk, "casey")
    page = f"/referrals/{khan}"
    browser.post(f"{page}/letters/{draft_id_of(desk, khan)}/approve", token_from=page)
    _, _, html = browser.get(page)
    assert "LibreOffice is not installed on this server, so no PDF was made" in html
    assert [p.suffix for p in desk.settings.outbox.iterdir()] == [".docx"]


def test_wrong_passwords_from_one_computer_stop_it_trying_that_name(desk: RunningDesk) -> None:
    browser = Browser(desk.url)
    answers = [browser.sign_in("casey", f"guess number {n}")[0] for n in range(11)]
    assert answers == [401] * 10 + [429]
    # From this computer, the real password waits too (an administrator can clear it).
    status, _, html = browser.sign_in("casey")
    assert status == 429 and "Try again in 15 minutes" in html
    failed = [e for e in audit.events(desk.app.db) if e.action == "sign_in_failed"]
    assert len(failed) == 10 and {e.user_name for e in failed} == {"casey"}
    # Another person is not locked out by someone guessing at casey.
    assert signed_in(desk, "lia")


def test_an_administrator_reads_and_exports_the_audit_trail(desk: RunningDesk,
                                                            khan: int) -> None:
    casey = signed_in(desk, "casey")
    casey.get(f"/referrals/{khan}")
    Browser(desk.url).sign_in("lia", "not the password")
    admin = signed_in(desk, "ada")
    table = admin.get("/admin/audit?user=casey")[2].split("<tbody>")[1]
    assert "viewed" in table and "MP-" in table and "sign in failed" not in table
    table = admin.get("/admin/audit?action=sign_in_failed")[2].split("<tbody>")[1]
    assert "lia" in table and "viewed" not in table
    _, _, html = admin.get("/admin/audit?from=2001-01-01&to=2001-12-31")
    assert "0 entries" in html
    today = local_date(utc_now()).isoformat()
    table = admin.get(f"/admin/audit?from={today}&to={today}")[2].split("<tbody>")[1]
    assert "viewed" in table
    status, headers, text = admin.get("/admin/audit.csv?user=casey")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "When (UK time),Who,What,Referral,Detail"
    assert {line.split(",")[1] for line in lines[1:]} == {"casey"}
    assert "exported" in admin.get("/admin/audit?action=exported")[2]
    assert signed_in(desk, "casey").get("/admin/audit")[0] == 403


def test_the_accessibility_statement_is_linked_from_every_page(desk: RunningDesk) -> None:
    assert Browser(desk.url).get("/accessibility")[0] == 302  # no page without sign-in
    browser = signed_in(desk, "bea")
    _, _, queue = browser.get("/queue")
    assert 'href="/accessibility"' in queue
    assert "Accessibility statement for correspond" in browser.get("/accessibility")[2]


def test_a_holding_reply_and_the_full_reply_are_recorded(desk: RunningDesk, khan: int) -> None:
    browser = signed_in(desk, "casey")
    page = f"/referrals/{khan}"
    browser.post(f"{page}/reply-sent", token_from=page)
    assert "Approve the acknowledgement before recording the reply" in browser.get(page)[2]
    # A holding reply needs its new date and a reason.
    browser.post(f"{page}/holding", {"reason_choice": "0", "new_reply_due": ""},
                 token_from=page)
    assert "is not a date" in browser.get(page)[2]
    with desk.app.db.reading() as connection:
        first_due = connection.execute(sa.text(
            "SELECT reply_due FROM referrals WHERE id = :id"), {"id": khan}).scalar_one()
    new_due = add_working_days(date.fromisoformat(str(first_due)), 10)
    browser.post(f"{page}/holding", {
        "reason_choice": "own", "own_reason": "we are waiting for the school's report",
        "new_reply_due": f"{new_due.day}/{new_due.month}/{new_due.year}"}, token_from=page)
    with desk.app.db.reading() as connection:
        holding = connection.execute(sa.text(
            "SELECT id FROM drafts WHERE referral_id = :id AND kind = 'holding'"),
            {"id": khan}).scalar_one()
    text = draft_text(draft_path_of(desk, holding))
    assert "not yet able to send you the full reply" in text
    assert "We are waiting for the school's report." in text
    assert f"We will send you a full reply by {written_date(new_due)}." in text
    browser.post(f"{page}/letters/{holding}/approve", token_from=page)
    reference = reference_of(desk, khan)
    assert (desk.settings.outbox / f"{reference}-holding.docx").exists()
    with desk.app.db.reading() as connection:  # a holding reply is not the acknowledgement
        row = connection.execute(sa.text(
            "SELECT acknowledged_at, reply_due, first_reply_due FROM referrals "
            "WHERE id = :id"), {"id": khan}).one()
    assert row.acknowledged_at is None
    # ...but it moves the reply-by date to the one it gives, keeping the first.
    assert (str(row.reply_due), str(row.first_reply_due)) == (str(new_due), str(first_due))
    browser.post(f"{page}/letters/{draft_id_of(desk, khan)}/approve", token_from=page)
    browser.post(f"{page}/reply-sent", token_from=page)
    assert "The full reply is recorded as sent" in browser.get(page)[2]
    report = signed_in(desk, "lia").get("/reports/summary.csv")[2]
    assert "Replies,Sent within target,1" in report


def test_a_letter_read_as_not_send_can_be_put_right(desk: RunningDesk) -> None:
    housing = desk.referral_id(desk.ingest(SAMPLES / "housing_letter.pdf"))
    reference = reference_of(desk, housing)
    browser = signed_in(desk, "casey")
    assert reference not in browser.get("/queue")[2]  # not in the open queue...
    assert reference in browser.get("/queue?status=not_send")[2]  # ...but can be found
    page = f"/referrals/{housing}"
    browser.post(f"{page}/fields", {"form": "fields", "is_send": "yes"}, token_from=page)
    with desk.app.db.reading() as connection:
        status = connection.execute(sa.text("SELECT status FROM referrals WHERE id = :id"),
                                    {"id": housing}).scalar_one()
    assert status == "awaiting_approval"
    assert f"Our ref: {reference}" in draft_text(draft_path_of(desk, draft_id_of(desk, housing)))
    assert reference in browser.get("/queue")[2]
    # And back: a caseworker says it is not about SEND after all.
    browser.post(f"{page}/fields", {"form": "fields"}, token_from=page)
    assert reference not in browser.get("/queue")[2]


def _guess_from(desk: RunningDesk, forwarded_for: str, attempt: int) -> int:
    browser = Browser(desk.url)
    token = browser.token("/sign-in")
    browser.opener.addheaders = [("X-Forwarded-For", forwarded_for)]
    return browser.post("/sign-in", {"name": f"nobody{attempt}", "password": "guess",
                                     "csrf_token": token})[0]


def test_behind_the_councils_proxy_each_person_is_counted_by_their_own_address(
        desk_factory) -> None:
    desk = desk_factory(trusted_proxy="127.0.0.1")
    answers = [_guess_from(desk, "10.0.0.5", n) for n in range(61)]
    assert answers == [401] * 60 + [429]  # 60 a minute from one address, across names
    assert _guess_from(desk, "10.0.0.6", 61) == 401  # a colleague is not locked out


def test_without_a_trusted_proxy_a_forwarded_address_is_not_believed(desk) -> None:
    answers = [_guess_from(desk, f"10.0.0.{n}", n) for n in range(61)]
    assert answers[-1] == 429  # all from this machine, whatever the header claimed


def test_the_original_and_its_attachments_download_as_they_arrived(desk: RunningDesk) -> None:
    import hashlib

    referral = desk.referral_id(desk.ingest(SAMPLES / "khan_covering_note.eml"))
    browser = signed_in(desk, "casey")
    _, _, html = browser.get(f"/referrals/{referral}")
    assert "Covering email" in html and "(the letter read above)" in html
    status, headers, original = raw_get(browser, f"/referrals/{referral}/original")
    assert status == 200 and "khan_covering_note.eml" in headers["Content-Disposition"]
    assert original == (SAMPLES / "khan_covering_note.eml").read_bytes()
    status, headers, attached = raw_get(browser, f"/referrals/{referral}/attachments/0")
    assert status == 200 and headers["Content-Type"] == "application/octet-stream"
    with desk.app.db.reading() as connection:
        stored = connection.execute(sa.text(
            "SELECT sha256 FROM attachments WHERE referral_id = :id AND position = 0"),
            {"id": referral}).scalar_one()
    assert hashlib.sha256(attached).hexdigest() == stored
    assert browser.get(f"/referrals/{referral}/attachments/9")[0] == 404


def test_an_upload_that_links_outside_itself_is_refused_and_approving_fetches_nothing(
        desk: RunningDesk, khan: int, tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(png(grey=200))
    browser = signed_in(desk, "casey")
    page = f"/referrals/{khan}"
    draft_id = draft_id_of(desk, khan)
    path = draft_path_of(desk, draft_id)
    before = path.read_bytes()
    with counting_server() as server:
        hostile = letter_with_linked_pictures(
            tmp_path / "letter.docx", f"{server.url}/pixel.png", secret.as_uri(),
            template=f"{server.url}/template.dotm").read_bytes()

        browser.post(f"{page}/letters/{draft_id}/upload", token_from=page,
                     files={"letter": ("letter.docx", hostile)})
        html = browser.get(page)[2]
        assert "links to pictures or files outside the letter" in html
        assert "(2 linked pictures and a template stored elsewhere)" in html
        assert path.read_bytes() == before
        # One uploaded before uploads were checked is approved without fetching either.
        path.write_bytes(hostile)
        browser.post(f"{page}/letters/{draft_id}/approve", token_from=page)
        time.sleep(0.5)  # a request still on its way would arrive by now

        assert server.requests == []
    pdf = desk.settings.outbox / f"{reference_of(desk, khan)}-acknowledgement.pdf"
    if pdf.exists():  # where LibreOffice is installed
        assert sum(len(page.images) for page in PdfReader(pdf).pages) == 0


def test_an_upload_with_only_web_links_is_accepted(desk: RunningDesk, khan: int,
                                                   tmp_path: Path) -> None:
    browser = signed_in(desk, "casey")
    page = f"/referrals/{khan}"
    draft_id = draft_id_of(desk, khan)
    letter = letter_with_linked_pictures(tmp_path / "letter.docx",
                                         hyperlink="https://example.org/help")
    browser.post(f"{page}/letters/{draft_id}/upload", token_from=page,
                 files={"letter": ("letter.docx", letter.read_bytes())})
    assert "Your edited letter has been uploaded" in browser.get(page)[2]
    assert draft_path_of(desk, draft_id).read_bytes() == letter.read_bytes()


def test_a_zip_bomb_upload_is_refused(desk: RunningDesk, khan: int,
                                                             tmp_path: Path) -> None:
    bomb = image_bomb(tmp_path / "letter.docx").read_bytes()  # 512 MB in half a megabyte
    browser = signed_in(desk, "casey")
    page = f"/referrals/{khan}"
    draft_id = draft_id_of(desk, khan)
    path = draft_path_of(desk, draft_id)
    before = path.read_bytes()
    status, _, _ = browser.post(f"{page}/letters/{draft_id}/upload", token_from=page,
                                files={"letter": ("letter.docx", bomb)})
    assert status == 302
    html = browser.get(page)[2]
    assert "expands to more than" in html
    assert path.read_bytes() == before
    assert browser.get(page)[0] == 200


def test_the_letter_shows_its_parts_so_a_caseworker_sees_why_a_value_was_taken(
        desk: RunningDesk) -> None:
    referral = desk.referral_id(desk.ingest(SAMPLES / "khan_letter.txt"))
    browser = signed_in(desk, "casey")
    _, _, html = browser.get(f"/referrals/{referral}")
    assert 'aria-label="Addressed to: not read as the family&#39;s address"' in html
    assert "Letterhead: the writer&#39;s own details" in html
    # The family's postcode is marked in the body, not inside a labelled block.
    assert '<mark tabindex="0" title="Postcode">' in html
