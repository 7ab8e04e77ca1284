"""The desk under a careless user and an attacker, over real HTTP to the real server:
sessions, sign-in limits, odd addresses and odd file names."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from correspond.store import audit
from correspond.store.users import all_users

from support import SAMPLES, Browser, RunningDesk, raw_get, signed_in

pytestmark = pytest.mark.slow


def _session_rows(desk: RunningDesk) -> int:
    with desk.app.db.reading() as connection:
        return connection.execute(sa.text("SELECT count(*) FROM web_sessions")).scalar_one()


def _from(desk: RunningDesk, address: str) -> Browser:
    """A browser whose requests the council's proxy says come from `address`."""
    browser = Browser(desk.url)
    browser.opener.addheaders = [("X-Forwarded-For", address)]
    return browser


def test_anonymous_visitors_cost_the_server_no_session(desk: RunningDesk) -> None:
    person = signed_in(desk, "casey")
    assert _session_rows(desk) == 1
    for _ in range(300):
        visitor = Browser(desk.url)
        status, headers, _ = visitor.get("/sign-in")
        assert status == 200
        assert "correspond_session" not in headers.get("Set-Cookie", "")
    assert _session_rows(desk) == 1
    assert person.get("/queue")[0] == 200  # still signed in
    # The sign-in form still works from a cookie-only session, CSRF token and all.
    assert signed_in(desk, "bea").get("/queue")[0] == 200
    assert _session_rows(desk) == 2


def test_signing_out_removes_the_session_from_the_database(desk: RunningDesk) -> None:
    person = signed_in(desk, "casey")
    cookie = person.session_cookie()
    person.post("/sign-out", token_from="/queue")
    assert _session_rows(desk) == 0
    stale = Browser(desk.url)  # someone who copied the session cookie before sign-out
    stale.cookies.set_cookie(_cookie("correspond_session", cookie))
    status, headers, _ = stale.get("/queue")
    assert status == 302 and headers["Location"].startswith("/sign-in")


def _cookie(name: str, value: str):
    from http.cookiejar import Cookie

    return Cookie(0, name, value, None, False, "127.0.0.1", False, False, "/", True, False,
                  None, False, None, None, {})


def test_switching_an_account_off_ends_all_its_sessions(desk: RunningDesk) -> None:
    at_desk, on_laptop = signed_in(desk, "bea"), signed_in(desk, "bea")
    admin = signed_in(desk, "ada")
    bea = next(user for user in all_users(desk.app.db) if user.name == "bea")
    admin.post(f"/admin/users/{bea.id}/active", {"active": "no"}, token_from="/admin/users")
    admin.post(f"/admin/users/{bea.id}/active", {"active": "yes"}, token_from="/admin/users")
    # Switched back on, the old sessions do not come back: bea signs in afresh.
    for browser in (at_desk, on_laptop):
        status, headers, _ = browser.get("/queue")
        assert status == 302 and headers["Location"].startswith("/sign-in")
    assert signed_in(desk, "bea").get("/queue")[0] == 200


def test_a_guesser_cannot_lock_the_real_person_out(desk_factory) -> None:
    desk = desk_factory(trusted_proxy="127.0.0.1")
    guesser = _from(desk, "10.0.0.5")
    answers = [guesser.sign_in("casey", f"guess number {n}")[0] for n in range(11)]
    assert answers == [401] * 10 + [429]
    status, headers, html = guesser.sign_in("casey")
    assert status == 429 and "Too many wrong passwords for this name from this computer" in html
    assert int(headers["Retry-After"]) > 0
    # casey, at her own desk, signs in as usual.
    status, _, _ = _from(desk, "10.0.0.9").sign_in("casey")
    assert status == 302
    failed = [e for e in audit.events(desk.app.db) if e.action == "sign_in_failed"]
    assert len(failed) == 10 and {e.user_name for e in failed} == {"casey"}


def test_an_administrator_clears_failed_sign_ins(desk_factory) -> None:
    desk = desk_factory(trusted_proxy="127.0.0.1")
    locked = _from(desk, "10.0.0.5")
    for n in range(10):
        locked.sign_in("lia", f"wrong {n}")
    assert locked.sign_in("lia")[0] == 429
    admin = _from(desk, "10.0.0.1")
    assert admin.sign_in("ada")[0] == 302
    _, _, html = admin.get("/admin/users")
    lia = next(user for user in all_users(desk.app.db) if user.name == "lia")
    assert f"/admin/users/{lia.id}/clear-sign-ins" in html
    admin.post(f"/admin/users/{lia.id}/clear-sign-ins", token_from="/admin/users")
    assert "10 failed sign-in(s) for lia cleared" in admin.get("/admin/users")[2]
    assert locked.sign_in("lia")[0] == 302
    assert ("sign_ins_cleared", "lia") in [
        (e.action, e.detail) for e in audit.events(desk.app.db)]


def test_an_id_too_large_for_the_database_is_not_found(desk: RunningDesk) -> None:
    browser = signed_in(desk, "casey")
    for path in ("/referrals/99999999999999999999999", "/referrals/9223372036854775808",
                 "/referrals/99999999999999999999999/original"):
        assert browser.get(path)[0] == 404, path
    assert browser.get("/referrals/9223372036854775807")[0] == 404
    # Past the largest id an INTEGER column holds on PostgreSQL (32 bits).
    assert browser.get("/referrals/2147483648")[0] == 404
    assert browser.get("/referrals/2147483647")[0] == 404


def test_a_next_address_with_a_line_break_goes_to_the_start_page(desk: RunningDesk) -> None:
    browser = Browser(desk.url)
    token = browser.token("/sign-in")
    status, headers, _ = browser.post("/sign-in", {
        "name": "casey", "password": "correct horse battery", "csrf_token": token,
        "next": "/queue\r\nSet-Cookie: planted=1"})
    assert status == 302 and headers["Location"] == "/mine"
    status, _, _ = Browser(desk.url).get("/sign-in?next=/queue%0d%0aX-Planted:%201")
    assert status == 200


def test_a_file_named_with_a_line_break_downloads_and_retries(desk: RunningDesk,
                                                             tmp_path: Path) -> None:
    odd = tmp_path / "letter\r\nfrom Khan.docx"
    shutil.copyfile(SAMPLES / "khan_letter.docx", odd)
    referral = desk.referral_id(desk.ingest(odd))
    browser = signed_in(desk, "casey")
    status, headers, body = raw_get(browser, f"/referrals/{referral}/original")
    assert status == 200 and body == odd.read_bytes()
    assert "\n" not in headers["Content-Disposition"]
    assert "letter??from Khan.docx" in headers["Content-Disposition"]
    downloads = [e for e in audit.events(desk.app.db, referral_id=referral)
                 if e.action == "downloaded"]
    assert len(downloads) == 1
    # Set aside under such a name, it is shown on one line and can be tried again.
    failed = desk.settings.failed_dir / "scan\nof letter.pdf"
    failed.write_bytes(b"%PDF-1.4 broken")
    failed.with_name(failed.name + ".reason.txt").write_text("This PDF is damaged.\n")
    support = signed_in(desk, "bea")
    _, _, html = support.get("/failed")
    assert "scan?of letter.pdf" in html
    chosen = re.search(r'name="file" value="([^"]+)"', html).group(1)
    support.post("/failed/retry", {"file": chosen}, token_from="/failed")
    assert (desk.settings.inbox / "scan\nof letter.pdf").is_file()
    assert not failed.exists()


def test_a_drafts_folder_that_cannot_be_written_gives_a_plain_message(
        desk: RunningDesk) -> None:
    referral = desk.referral_id(desk.ingest(SAMPLES / "khan_letter.docx"))
    reference_folder = next(desk.settings.drafts.iterdir())
    shutil.rmtree(reference_folder)
    reference_folder.write_text("not a folder")  # no one, root included, can write in it
    browser = signed_in(desk, "casey")
    page = f"/referrals/{referral}"
    status, _, _ = browser.post(f"{page}/fields", {"constituent.name": "Mrs Sara Khan"},
                                token_from=page)
    assert status == 302
    _, _, html = browser.get(page)
    assert "drafts folder could not be written to" in html
    with desk.app.db.reading() as connection:
        assert connection.execute(sa.text(
            "SELECT count(*) FROM referral_corrections")).scalar_one() == 0
