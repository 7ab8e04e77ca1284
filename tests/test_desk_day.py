"""The desk for a team's working day, in a real browser (Playwright and Debian's
Chromium) against the real server and database: search, children, ownership, arrivals,
reminders, letters not about SEND and admin, each done by the role that does it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from support import SAMPLES, RunningDesk
from test_desk_browser import chromium, open_referral, page, sign_in

pytestmark = pytest.mark.slow


def search_for(page, text: str) -> None:
    page.get_by_role("link", name="Search").click()
    page.get_by_label(re.compile("Child, MP, constituency")).fill(text)
    page.get_by_role("button", name="Search", exact=True).click()


def test_a_caseworker_finds_a_referral_by_the_mps_reference_and_a_misspelt_name(
        page, desk: RunningDesk) -> None:
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    other = desk.ingest(SAMPLES / "okafor_email.msg")
    sign_in(page)
    search_for(page, "HG/2026/0412")
    results = page.locator(".search-results tbody tr")
    assert results.count() == 1 and reference in results.inner_text()
    search_for(page, "hg20260412")  # as a caller reads it out, run together
    assert reference in page.locator(".search-results").inner_text()
    search_for(page, "Adma Khan")  # a misspelt first name
    found = page.locator(".search-results").inner_text()
    assert reference in found and other not in found
    assert "spelt a little differently" in found
    page.get_by_role("link", name=reference).click()
    page.wait_for_url(re.compile(r"/referrals/\d+$"))


def test_business_support_search_what_the_queue_shows_them_not_the_letter(
        page, desk: RunningDesk) -> None:
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    sign_in(page, "bea")
    search_for(page, "LS6 2AB")
    assert reference in page.locator(".search-results").inner_text()
    assert page.get_by_role("link", name=reference).count() == 0  # no casework pages
    search_for(page, "Brookfield")  # a word of the letter only (the address)
    assert "No referral matches" in page.get_by_role("status").inner_text()


def test_a_referral_is_assigned_and_appears_in_my_referrals_and_the_team_view(
        page, desk: RunningDesk) -> None:
    from correspond.store.users import add_user

    from support import DESK_PASSWORD

    # Priya Shah is the caseworker on Adam Khan's case C-1001 and a desk user.
    add_user(desk.app.db, "Priya Shah", "caseworker", DESK_PASSWORD)
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    sign_in(page)
    expect(page.get_by_role("heading", name="My referrals")).to_be_visible()  # the start page
    assert "You own no open referrals" in page.locator("main").inner_text()
    open_referral(page, desk, reference)
    page.get_by_role("button", name="Choose case C-1001 for child 1").click()
    owner = page.get_by_label("Owned by")
    assert "Suggested: Priya Shah" in page.locator("#owner").inner_text()
    owner.select_option(label="casey")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("status").filter(
        has_text="casey now owns this referral")).to_be_visible()
    page.get_by_role("link", name="My referrals", exact=True).click()
    assert reference in page.locator("table").inner_text()
    page.get_by_role("link", name="Team", exact=True).click()
    assert re.search(r"casey\s+1\b", page.locator("table").inner_text())
    page.get_by_role("link", name="casey").click()  # the queue, owned by casey
    assert reference in page.get_by_role("row").filter(has_text=reference).inner_text()
    open_referral(page, desk, reference)
    page.get_by_label("Owned by").select_option(label="Priya Shah (suggested)")
    page.get_by_role("button", name="Reassign").click()
    page.get_by_role("link", name="My referrals", exact=True).click()
    assert "You own no open referrals" in page.locator("main").inner_text()
    open_referral(page, desk, reference)
    history = page.locator("section", has=page.get_by_role("heading", name="History"))
    history = history.inner_text()
    assert "to Priya Shah from casey" in history and "to casey" in history


def test_the_due_page_shows_what_is_overdue_and_due_for_the_team(page,
                                                                  desk: RunningDesk) -> None:
    import sqlalchemy as sa

    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    with desk.app.db.writing() as connection:  # received long ago: its acknowledgement is late
        connection.execute(sa.text("UPDATE referrals SET acknowledgement_due = '2026-01-05'"))
    sign_in(page)
    page.get_by_role("link", name="Due", exact=True).click()
    overdue = page.locator("section", has=page.get_by_role("heading", name=re.compile("Overdue")))
    assert overdue.inner_text().count(reference) == 0  # nobody owns it: not "for you"
    page.get_by_label("Whose referrals").select_option(label="The whole team (owned or not)")
    page.get_by_role("button", name="Show").click()
    overdue = page.locator("section", has=page.get_by_role("heading", name=re.compile("Overdue")))
    assert reference in overdue.inner_text() and "Acknowledgement" in overdue.inner_text()


def test_a_spurious_child_is_removed_and_a_missing_one_added(page, desk: RunningDesk) -> None:
    from support import draft_id_of, draft_path_of, draft_text

    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    referral_id = desk.referral_id(reference)
    sign_in(page)
    open_referral(page, desk, reference)
    page.get_by_text("Not a child? Remove Adam Khan").click()
    page.get_by_label("Why is child 1 not a child of this letter?").fill(
        "A table heading, not a name")
    page.get_by_role("button", name="Remove child 1").click()
    expect(page.get_by_role("status").filter(has_text="Child 1 has been removed")).to_be_visible()
    assert "A table heading, not a name" in page.locator("#removed-heading + ul").inner_text()
    letter = draft_text(draft_path_of(desk, draft_id_of(desk, referral_id)))
    assert "Adam" not in letter
    page.goto("/queue")
    row = page.get_by_role("row").filter(has_text=reference).inner_text()
    assert "Adam Khan" not in row and "Name not found" not in row
    open_referral(page, desk, reference)
    page.get_by_role("link", name="Add the child").first.click()
    page.get_by_label("First name").fill("Zara")
    page.get_by_label("Last name").fill("Khan")
    page.get_by_label("Date of birth").fill("3/4/2015")
    page.get_by_role("button", name="Add this child").click()
    expect(page.get_by_role("status").filter(has_text="The child has been added")).to_be_visible()
    letter = draft_text(draft_path_of(desk, draft_id_of(desk, referral_id)))
    assert "Zara" in letter
    page.goto("/queue")
    assert "Zara Khan" in page.get_by_role("row").filter(has_text=reference).inner_text()


def test_business_support_see_a_re_dropped_file_on_arrivals_and_on_its_referral(
        page, desk: RunningDesk, tmp_path) -> None:
    import shutil

    from correspond.domain.clock import local_date, utc_now

    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    again = tmp_path / "Khan letter (2).docx"
    shutil.copyfile(SAMPLES / "khan_letter.docx", again)
    outcome = desk.app.pipeline.ingest(again, name=again.name)
    assert outcome.kind == "duplicate"
    sign_in(page, "bea")
    page.get_by_role("link", name="Arrivals").click()
    rows = page.locator(".arrivals tbody tr")
    assert rows.count() == 2
    assert "Khan letter (2).docx" in rows.nth(0).inner_text()  # newest first
    assert f"Duplicate of {reference}" in rows.nth(0).inner_text()
    assert f"Referral {reference}" in rows.nth(1).inner_text()
    page.get_by_label("Day received").fill("2020-01-01")
    page.get_by_role("button", name="Show that day").click()
    assert "No files arrived on" in page.locator("main").inner_text()
    page.get_by_label("Day received").fill(local_date(utc_now()).isoformat())
    page.get_by_role("button", name="Show that day").click()
    assert page.locator(".arrivals tbody tr").count() == 2
    page.get_by_role("button", name="Sign out").click()
    sign_in(page)
    open_referral(page, desk, reference)
    assert "as Khan letter (2).docx" in page.locator(".received-again").inner_text()


class _Mailbox:
    """What a real local SMTP server (aiosmtpd) received."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def mail_server():
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = _Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, mailbox
    controller.stop()


def test_a_caseworker_receives_the_morning_email_and_follows_it_to_the_referral(
        page, desk: RunningDesk, mail_server) -> None:
    import sqlalchemy as sa

    from correspond.desk.queries import DeskQueries
    from correspond.desk.reminders import ReminderScheduler
    from correspond.domain.clock import local_date, utc_now
    from correspond.domain.workdays import is_working_day
    from correspond.store.users import all_users, set_email

    port, mailbox = mail_server
    settings = desk.settings.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": port, "reminder_time": "00:00",
        "urgent_alert_to": ["send-team@example.org"], "desk_url": desk.url})
    reference = desk.ingest(SAMPLES / "khan_letter.docx")
    casey = next(person for person in all_users(desk.app.db) if person.name == "casey")
    set_email(desk.app.db, casey.id, "casey@example.org")
    with desk.app.db.writing() as connection:
        connection.execute(sa.text("INSERT INTO assignments VALUES (1, :user, 'ada', "
                                   "'2026-01-05 09:00:00')"), {"user": casey.id})
        connection.execute(sa.text("UPDATE referrals SET acknowledgement_due = '2026-01-05', "
                                   "urgent = TRUE"))
    queries = DeskQueries(desk.app.db, desk.app.archive)
    scheduler = ReminderScheduler(queries, settings)
    now = utc_now()
    working = is_working_day(local_date(now))
    scheduler.check(now)
    scheduler.check(now)  # a second check the same day sends nothing more
    morning = [m for m in mailbox.messages if m["To"] == "casey@example.org"]
    alerts = [m for m in mailbox.messages if m["To"] == "send-team@example.org"]
    assert len(alerts) == 1 and reference in alerts[0]["Subject"]
    if working:
        assert len(morning) == 1
        assert morning[0]["Subject"] == "correspond: 1 referral due or overdue"
        body = morning[0].get_content()
        assert "Overdue:" in body and reference in body and "Adam" not in body
        link = re.search(r"http://\S+/referrals/\d+", body).group(0)
        sign_in(page)
        page.goto(link)
        expect(page.get_by_role("heading", name=reference)).to_be_visible()
    else:
        assert morning == []  # no reminders at weekends and on bank holidays


def test_no_email_is_sent_until_a_mail_server_is_set(desk: RunningDesk, mail_server) -> None:
    from correspond.desk.queries import DeskQueries
    from correspond.desk.reminders import send_morning_reminders
    from correspond.domain.clock import utc_now

    _, mailbox = mail_server
    desk.ingest(SAMPLES / "khan_letter.docx")
    queries = DeskQueries(desk.app.db, desk.app.archive)
    assert send_morning_reminders(queries, desk.settings, utc_now()) == 0
    assert mailbox.messages == []


def test_a_letter_not_about_send_is_passed_to_another_service_with_no_send_clocks(
        page, desk: RunningDesk) -> None:
    from support import draft_text

    reference = desk.ingest(SAMPLES / "housing_letter.pdf")
    sign_in(page)
    page.goto("/queue?status=not_send")
    page.get_by_role("link", name=reference).click()
    summary = page.locator("dl.summary").inner_text()
    assert "None: not about SEND" in summary and "Reply by" not in summary
    assert page.get_by_role("button", name="Redraft from the template").count() == 0
    assert page.get_by_text("Draft a holding reply").count() == 0
    page.get_by_label("Service to pass it to").select_option(label="Housing Options")
    page.get_by_role("button", name="Pass it on and draft the letter").click()
    expect(page.get_by_role("status").filter(has_text="passed to Housing Options")).to_be_visible()
    article = page.locator("article[data-kind='redirect']")
    assert "Housing Options" in article.locator(".preview").inner_text()
    assert "their child" not in article.locator(".preview").inner_text()
    page.get_by_role("button", name="Approve and send to the outbox").click()
    letter = desk.settings.outbox / f"{reference}-redirect.docx"
    assert "passed your letter to Housing Options" in draft_text(letter)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "bea")
    page.goto("/queue?status=not_send")
    row = page.get_by_role("row").filter(has_text=reference).inner_text()
    assert "To forward to Housing Options" in row and "None: not about SEND" in row


def test_ticking_then_unticking_about_send_leaves_nothing_to_approve(page,
                                                                     desk: RunningDesk) -> None:
    reference = desk.ingest(SAMPLES / "housing_letter.pdf")
    sign_in(page)
    page.goto("/queue?status=not_send")
    page.get_by_role("link", name=reference).click()
    page.get_by_label("About special educational needs (SEND)").check()
    page.get_by_role("button", name="Save and redraft").click()
    assert page.locator("article[data-kind='acknowledgement']").count() == 1
    page.get_by_label("About special educational needs (SEND)").uncheck()
    page.get_by_role("button", name="Save and redraft").click()
    acknowledgement = page.locator("article[data-kind='acknowledgement']")
    assert "Withdrawn" in acknowledgement.inner_text()
    assert acknowledgement.get_by_role("button", name=re.compile("Approve")).count() == 0


def test_an_administrator_changes_a_role_resets_a_password_and_switches_an_account_off(
        page, desk: RunningDesk) -> None:
    from support import DESK_PASSWORD

    sign_in(page, "ada")
    page.get_by_text("Change role, password or email for lia").click()
    page.get_by_label("Role of lia").select_option(label="Caseworker")
    page.get_by_role("button", name="Change role of lia").click()
    expect(page.get_by_role("status").filter(has_text="lia is now a caseworker")).to_be_visible()
    page.get_by_text("Change role, password or email for lia").click()
    page.get_by_label("One-time password for lia").fill("temporary password 1")
    page.get_by_role("button", name="Reset password of lia").click()
    expect(page.get_by_role("status").filter(has_text="lia's password is reset")).to_be_visible()
    page.get_by_role("button", name="Switch off bea").click()
    expect(page.get_by_role("status").filter(
        has_text="bea is switched off: they are signed out and cannot sign in")).to_be_visible()
    page.get_by_role("link", name="Audit trail").click()
    trail = page.locator("table").inner_text()
    assert re.search(r"user disabled\s+bea", trail) and "user 2" not in trail  # names
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "bea")
    expect(page.get_by_role("alert").filter(
        has_text="Your account is switched off")).to_be_visible()

    page.goto("/sign-in")
    page.get_by_label("Name").fill("lia")
    page.get_by_label("Password").fill("temporary password 1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    page.goto("/queue")  # nothing else until a new password is chosen
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    page.get_by_label("Current password").fill("temporary password 1")
    page.get_by_label("New password", exact=True).fill(DESK_PASSWORD + " 2")
    page.get_by_label("New password again").fill(DESK_PASSWORD + " 2")
    page.get_by_role("button", name="Save my password").click()
    expect(page.get_by_role("heading", name="My referrals")).to_be_visible()  # now a caseworker


def test_screenshots_of_the_working_day_pages(page, desk: RunningDesk, tmp_path) -> None:
    """Set CORRESPOND_SCREENSHOTS=docs/screenshots to refresh the README's pictures."""
    import os
    from pathlib import Path

    from support import REPO

    khan = desk.ingest(SAMPLES / "khan_letter.docx")
    desk.ingest(SAMPLES / "okafor_email.msg")
    folder = Path(os.environ.get("CORRESPOND_SCREENSHOTS") or tmp_path)
    if not folder.is_absolute():
        folder = REPO / folder
    folder.mkdir(parents=True, exist_ok=True)
    sign_in(page)
    open_referral(page, desk, khan)
    page.get_by_label("Owned by").select_option(label="casey")
    page.get_by_role("button", name="Assign").click()
    shots = {"my-referrals": "/mine", "search": "/search?q=Adma+Khan", "due": "/due?whose=everyone",
             "team": "/team", "arrivals": "/arrivals"}
    for name, path in shots.items():
        page.goto(path)
        page.screenshot(path=folder / f"{name}.png", full_page=True)
        assert (folder / f"{name}.png").read_bytes().startswith(b"\x89PNG")
