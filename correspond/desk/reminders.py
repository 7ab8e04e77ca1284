"""The desk's emails: each working morning, every caseworker with referrals due or
overdue is sent the list (references and dates, linking to the desk), and, when set, an
alert goes out as an urgent referral lands. Subjects carry no personal data, and bodies
no names: only references, what is due and when, and links.

Each email is claimed in `reminders_sent` before it is sent (store/reminders.py), so two
desk processes, or a restart, never send one twice; one that could not be sent is
released, to be tried again at the next check.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage

from correspond.config import Settings
from correspond.desk.due import OVERDUE, TODAY, Deadline, due_list
from correspond.desk.queries import DeskQueries
from correspond.domain.clock import local_date, local_time, utc_now
from correspond.domain.workdays import is_working_day
from correspond.store import reminders
from correspond.store.users import all_users, email_of

log = logging.getLogger(__name__)
CHECK_SECONDS = 60


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str


class MailProblem(Exception):
    """The mail server could not be reached or refused the message."""


def morning_emails(queries: DeskQueries, settings: Settings, today: date) -> list[
        tuple[str, Email]]:
    """(recipient key, email) for each active caseworker with an email address who owns
    referrals overdue or due today or on the next working day."""
    found = []
    for person in all_users(queries.db):
        if person.role != "caseworker" or not person.active:
            continue
        address = email_of(queries.db, person.id)
        if not address:
            continue
        due = due_list(queries, today, owner=person.name, region=settings.bank_holidays)
        if not due.deadlines:
            continue
        lines = [f"Good morning. These referrals you own need a letter soon "
                 f"({today:%A} {today.day} {today:%B %Y}):", ""]
        for when, heading in ((OVERDUE, "Overdue"), (TODAY, "Due today"),
                              ("next", f"Due {due.next_day:%A}")):
            items = due.of(when)
            if items:
                lines += [f"{heading}:"] + [_line(item, settings) for item in items] + [""]
        lines += [f"Everything due: {_desk(settings)}/due", "",
                  "Sent by correspond; reply to your team, not to this address."]
        count = len(due.deadlines)
        found.append((f"user:{person.id}", Email(
            address, f"correspond: {count} referral{'s' if count != 1 else ''} due or overdue",
            "\n".join(lines))))
    return found


def urgent_alert(settings: Settings, referral_id: int, reference: str) -> Email | None:
    if not settings.urgent_alert_to:
        return None
    return Email(", ".join(settings.urgent_alert_to), f"correspond: urgent referral {reference}",
                 f"An urgent referral, {reference}, has arrived.\n\n"
                 f"{_desk(settings)}/referrals/{referral_id}\n")


def _line(item: Deadline, settings: Settings) -> str:
    urgent = " (urgent)" if item.row.urgent else ""
    return (f"  {item.row.reference}{urgent}: {item.what.lower()} by "
            f"{item.due.day} {item.due:%B}  {_desk(settings)}/referrals/{item.row.id}")


def _desk(settings: Settings) -> str:
    return (settings.desk_url or f"http://{settings.host}:{settings.port}").rstrip("/")


def send(settings: Settings, email: Email) -> None:
    """Send one email through the configured server (smtplib)."""
    if not settings.smtp_host:
        raise MailProblem("No mail server is set (smtp_host).")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = (settings.mail_from, email.to,
                                                          email.subject)
    message.set_content(email.body)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as server:
            if settings.smtp_starttls:
                server.starttls()
            if settings.smtp_username:
                server.login(settings.smtp_username, settings.smtp_password or "")
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as err:
        raise MailProblem(f"The mail server {settings.smtp_host}:{settings.smtp_port} "
                          f"did not take the email: {err}") from err


def send_morning_reminders(queries: DeskQueries, settings: Settings, now: datetime) -> int:
    """Send today's reminders not yet sent; returns how many went. Nothing on a day
    that is not a working day, or before `reminder_time`."""
    today = local_date(now)
    if not settings.smtp_host or not is_working_day(today, settings.bank_holidays):
        return 0
    if local_time(now).strftime("%H:%M") < settings.reminder_time:
        return 0
    return _send_claimed(queries, settings, "morning", today,
                         morning_emails(queries, settings, today))


def send_urgent_alert(queries: DeskQueries, settings: Settings, referral_id: int,
                      reference: str) -> int:
    email = urgent_alert(settings, referral_id, reference)
    if email is None or not settings.smtp_host:
        return 0
    return _send_claimed(queries, settings, "urgent", local_date(utc_now()),
                         [(f"referral:{referral_id}", email)])


def _send_claimed(queries: DeskQueries, settings: Settings, kind: str, day: date,
                  emails: list[tuple[str, Email]]) -> int:
    sent = 0
    for recipient, email in emails:
        if not reminders.claim(queries.db, kind, recipient, day):
            continue  # sent already (or being sent by another process)
        try:
            send(settings, email)
        except MailProblem as problem:
            reminders.release(queries.db, kind, recipient, day)
            log.warning("%s email to %s not sent: %s", kind, recipient, problem)
            continue
        reminders.mark_sent(queries.db, kind, recipient, day)
        sent += 1
    return sent


class ReminderScheduler:
    """Checks every minute while the desk runs: the morning reminders once the time
    comes, and an alert for each urgent referral that landed since the last check."""

    def __init__(self, queries: DeskQueries, settings: Settings) -> None:
        self.queries = queries
        self.settings = settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="reminders", daemon=True)
        self._since = utc_now()

    def start(self) -> None:
        if self.settings.smtp_host:
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(CHECK_SECONDS):
            self.check(utc_now())

    def check(self, now: datetime) -> None:
        try:
            send_morning_reminders(self.queries, self.settings, now)
            # A little before the last check, so none landing meanwhile is missed (the
            # claim stops a second alert).
            since = self._since - timedelta(minutes=10)
            for referral_id, reference in reminders.urgent_since(self.queries.db, since):
                send_urgent_alert(self.queries, self.settings, referral_id, reference)
            self._since = now
        except Exception:  # a bad moment must not stop tomorrow's reminders
            log.exception("reminder check failed")
