"""One record per referral for the liaison figures: when it came, who wrote it, its
concerns, each letter against its due date, and its outcome.

Every figure on the reports page, in the pack and in the audit is a count of these, and
every list behind a figure is these filtered the same way, so a figure and its list
cannot disagree. Due dates are those set when the letter arrived, by the protocol then
in force (config.Protocol.due_dates), even when a holding reply has since promised the
full reply by a later date: the protocol is what the council is judged by, and the date
promised is kept beside it (what the MP's office was told to expect). Whether a letter
went in time is judged by the council's date it went (acknowledged_on, replied_on), the
same columns the figures are counted from in SQL (tallies.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple

from correspond.domain.clock import local_date
from correspond.domain.correspondents import COUNCILLOR, MP, OTHER, claimed_kind
from correspond.domain.workdays import working_days_between
from correspond.review import OPEN_REFERRAL_STATUSES, ReferralStatus
from correspond.store import registers, reporting
from correspond.store.database import Database

# A letter against its due date.
WITHIN, LATE, OVERDUE, PENDING, NO_TARGET = "within", "late", "overdue", "pending", "none"
VERDICT_LABELS = {WITHIN: "Sent within target", LATE: "Sent late",
                  OVERDUE: "Not sent, overdue", PENDING: "Not sent, not yet due",
                  NO_TARGET: "No target (not SEND)"}
# A full reply against the date a holding reply gave for it.
KEPT, MISSED, WAITING = "kept", "missed", "waiting"
MOVED = "moved"  # any referral whose reply-by date a holding reply moved
HOLDING_LABELS = {MOVED: "A holding reply gave a new reply-by date",
                  KEPT: "Full reply sent by the holding reply's date",
                  MISSED: "Full reply after the holding reply's date, or not sent by it",
                  WAITING: "Not sent, the holding reply's date not yet passed"}
# Who wrote, as the figures group them: a listed MP or councillor, a letter claiming to
# be from an MP no listed MP fits, or anyone else.
UNLISTED_MP = "unlisted_mp"
UNLISTED_COUNCILLOR = "unlisted_councillor"
WRITER_LABELS = {MP: "MPs on the House of Commons list", COUNCILLOR: "Councillors on the list",
                 UNLISTED_MP: "Said to be from an MP not on the list",
                 UNLISTED_COUNCILLOR: "Said to be from a councillor not on the list",
                 OTHER: "Others (not MPs or councillors)"}


class Timing(NamedTuple):
    due: date
    sent_on: date | None
    verdict: str
    working_days: int | None  # from receipt to sending, when sent


class ReferralFact(NamedTuple):
    # A named tuple, not a dataclass: a year's referrals make 25,000 of these per page,
    # and a tuple is made several times faster.
    id: int
    reference: str
    received: date
    received_at: datetime
    status: str
    urgent: bool
    kind: str  # mp, councillor or other, as the protocol counts them
    member_id: int | None  # the listed member who wrote, if one fits
    member: str | None  # their name and area, e.g. "Alex Baker MP (Aldershot)"
    mp_reference: str | None  # the MP office's own reference
    concerns: tuple[str, ...]
    acknowledgement: Timing
    reply: Timing  # against the protocol's date, whatever a holding reply promised
    promised_reply: date | None  # the later reply-by date a holding reply gave, if one did
    holding: str | None  # KEPT, MISSED or WAITING against that date; None without one
    outcome: str | None
    closed_on: date | None
    changes: tuple[tuple[str, str], ...]

    @property
    def is_send(self) -> bool:
        return self.status != ReferralStatus.NOT_SEND

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES

    @property
    def writer(self) -> str:
        """The group the figures count this referral in (WRITER_LABELS)."""
        return writer_of(self.kind, listed=self.member_id is not None)

    @property
    def awaiting_outcome(self) -> bool:
        return self.status == ReferralStatus.REPLIED

    @property
    def next_step(self) -> tuple[str, date] | None:
        """What is due next on an open referral, and when (the full reply by the date a
        holding reply promised, where one did)."""
        if self.acknowledgement.sent_on is None:
            return "Acknowledgement", self.acknowledgement.due
        if self.reply.sent_on is None:
            return "Full reply", self.promised_reply or self.reply.due
        return None


def writer_of(kind: str, *, listed: bool) -> str:
    """The group the figures count a writer in: a listed member by their kind; someone
    claiming to be an MP or councillor that no listed one fits apart; anyone else, other."""
    if listed:
        return kind
    return {MP: UNLISTED_MP, COUNCILLOR: UNLISTED_COUNCILLOR}.get(kind, OTHER)


def referral_facts(db: Database, window: reporting.Window, *, today: date,
                   region: str = "ENG") -> list[ReferralFact]:
    """The facts of the referrals in `window`, oldest first."""
    with db.reading() as connection:
        rows = reporting.referral_rows(db, connection, window)
        concerns = reporting.concerns_in(db, connection, window)
        changes = reporting.changes_in(db, connection, window)
        members = registers.members_by_id(
            db, connection, (row.correspondent_id for row in rows if row.correspondent_id))
    titles = {member_id: member.title for member_id, member in members.items()}
    return [_fact(row, concerns.get(row.id, ()), changes.get(row.id, ()), titles, today,
                  region) for row in rows]


def _fact(row, concerns: tuple[str, ...], changes: tuple[tuple[str, str], ...],
          titles: dict[int, str], today: date, region: str) -> ReferralFact:
    is_send = row.status != ReferralStatus.NOT_SEND
    received = row.received_date
    reply = _timing(received, row.reply_due, row.replied_on, today, region, is_send)
    return ReferralFact(
        id=row.id, reference=row.reference, received=received, received_at=row.received_at,
        status=row.status, urgent=bool(row.urgent),
        kind=row.correspondent_kind or claimed_kind(row.correspondent_type),
        member_id=row.correspondent_id, member=titles.get(row.correspondent_id),
        mp_reference=row.mp_reference, concerns=concerns,
        acknowledgement=_timing(received, row.acknowledgement_due, row.acknowledged_on,
                                today, region, is_send),
        reply=reply, promised_reply=row.promised_reply,
        holding=_holding(row.promised_reply, reply, today) if is_send else None,
        outcome=row.outcome, closed_on=local_date(row.closed_at) if row.closed_at else None,
        changes=changes)


def _timing(received: date, due: date, sent_on: date | None, today: date, region: str,
            is_send: bool) -> Timing:
    if not is_send:
        return Timing(due, sent_on, NO_TARGET, None)
    timing = judge(due, sent_on, today)
    days = working_days_taken(received, sent_on, region) if sent_on else None
    return Timing(due, sent_on, timing.verdict, days)


def _holding(promised: date | None, reply: Timing, today: date) -> str | None:
    """The full reply against the date a holding reply gave for it."""
    if promised is None:
        return None
    if reply.sent_on is not None:
        return KEPT if reply.sent_on <= promised else MISSED
    return MISSED if promised < today else WAITING


def judge(due: date, sent_on: date | None, today: date) -> Timing:
    """A SEND letter due on `due`, sent on the council's date `sent_on` (or not yet),
    against its target as at `today` (no working days)."""
    if sent_on is not None:
        verdict = WITHIN if sent_on <= due else LATE
    else:
        verdict = OVERDUE if due < today else PENDING
    return Timing(due, sent_on, verdict, None)


@lru_cache(maxsize=65536)
def working_days_taken(start: date, end: date, region: str) -> int:
    # Thousands of letters share a few hundred (received, sent) pairs.
    return working_days_between(start, end, region)


def count_verdicts(timings: Iterable[Timing]) -> dict[str, int]:
    counts = dict.fromkeys((WITHIN, LATE, OVERDUE, PENDING), 0)
    for timing in timings:
        if timing.verdict in counts:
            counts[timing.verdict] += 1
    return counts


def send_only(facts: Sequence[ReferralFact]) -> list[ReferralFact]:
    return [fact for fact in facts if fact.is_send]


__all__ = ["HOLDING_LABELS", "KEPT", "LATE", "MISSED", "MOVED", "NO_TARGET", "OVERDUE",
           "PENDING", "UNLISTED_COUNCILLOR", "UNLISTED_MP", "VERDICT_LABELS", "WAITING",
           "WITHIN", "WRITER_LABELS", "ReferralFact", "Timing", "count_verdicts", "judge",
           "referral_facts", "send_only", "working_days_taken", "writer_of"]
