"""The liaison team's reads: referrals received (or due) in a period with their dates,
writer, concerns and outcome; monthly counts; the timeline of each letter for an audit;
and the samples drawn for audits.

Named columns only: no letter text, extraction or constituent's details is ever read
here, so no figure or export built on these can carry them by accident. Children's
names are read only by `children_names`, for the MP meeting pack.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.domain.clock import utc_now
from correspond.store.database import Database


@dataclass(frozen=True)
class Window:
    """Which referrals: received from `start` to `end` inclusive or, with `by_due`, with
    a letter due then; of one member when `member_id` is given."""

    start: date
    end: date
    by_due: bool = False
    member_id: int | None = None
    statuses: tuple[str, ...] | None = None  # only referrals with one of these
    only: sa.Select | None = None  # only the referrals whose ids this query gives


class ReferralRow(NamedTuple):
    id: int
    reference: str
    received_date: date
    received_at: datetime
    status: str
    urgent: bool
    correspondent_kind: str | None
    correspondent_type: str | None
    correspondent_id: int | None
    mp_reference: str | None
    acknowledgement_due: date
    acknowledged_on: date | None  # the council's date it went (migration 0013)
    reply_due: date  # the protocol's, as set when the letter arrived
    promised_reply: date | None  # the reply-by date a holding reply moved it to, if one did
    replied_on: date | None
    outcome: str | None
    closed_at: datetime | None


def referral_rows(db: Database, connection: Connection, window: Window) -> list[ReferralRow]:
    referrals, outcomes = db.table("referrals"), db.table("referral_outcomes")
    # Dates and times are read as the database's text and parsed by the standard library's
    # fromisoformat: SQLAlchemy's own parsing of SQLite's dates took most of a report's
    # time with a year's referrals (a database server hands back dates, kept as they are).
    columns = [referrals.c.id, referrals.c.reference, _raw(referrals.c.received_date),
               _raw(referrals.c.received_at), referrals.c.status, referrals.c.urgent,
               referrals.c.correspondent_kind, referrals.c.correspondent_type,
               referrals.c.correspondent_id, referrals.c.mp_reference,
               _raw(referrals.c.acknowledgement_due), _raw(referrals.c.acknowledged_on),
               _raw(referrals.c.first_reply_due), _raw(referrals.c.reply_due),
               _raw(referrals.c.replied_on), outcomes.c.outcome, _raw(outcomes.c.closed_at)]
    query = (sa.select(*columns)
             .outerjoin(outcomes, outcomes.c.referral_id == referrals.c.id)
             .where(in_window(referrals, window))
             .order_by(referrals.c.received_at, referrals.c.id))
    # A holding reply moves reply_due and keeps the first in first_reply_due.
    return [ReferralRow(
        id, reference, _day(received), _moment(received_at), status, bool(urgent), kind,
        written_as, member, mp_reference, _day(acknowledgement_due), _day(acknowledged),
        _day(first_reply_due or reply_due), _day(reply_due) if first_reply_due else None,
        _day(replied), outcome, _moment(closed))
        for (id, reference, received, received_at, status, urgent, kind, written_as, member,
             mp_reference, acknowledgement_due, acknowledged, first_reply_due, reply_due,
             replied, outcome, closed) in connection.execute(query).all()]


def _raw(column: sa.Column) -> sa.ColumnElement:
    return sa.type_coerce(column, sa.String).label(column.name)


def _day(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _moment(value):
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


# No target is longer than 120 working days, so a letter due in a window arrived at most
# this long before it; the bound lets the received_date index find them.
_LONGEST_TARGET = timedelta(days=180)


def protocol_reply_due(referrals: sa.Table) -> sa.ColumnElement:
    """The full reply's due date by the protocol, before any holding reply moved it."""
    return sa.func.coalesce(referrals.c.first_reply_due, referrals.c.reply_due)


def in_window(referrals: sa.Table, window: Window) -> sa.ColumnElement[bool]:
    if window.by_due:
        condition: sa.ColumnElement[bool] = sa.and_(
            referrals.c.received_date.between(window.start - _LONGEST_TARGET, window.end),
            sa.or_(referrals.c.acknowledgement_due.between(window.start, window.end),
                   protocol_reply_due(referrals).between(window.start, window.end)))
    else:
        condition = referrals.c.received_date.between(window.start, window.end)
    if window.member_id is not None:
        condition = sa.and_(condition, referrals.c.correspondent_id == window.member_id)
    if window.statuses is not None:
        condition = sa.and_(condition, referrals.c.status.in_(window.statuses))
    if window.only is not None:
        condition = sa.and_(condition, referrals.c.id.in_(window.only))
    return condition


def concerns_in(db: Database, connection: Connection,
                window: Window) -> dict[int, tuple[str, ...]]:
    """Each referral's concern categories, in the letter's order, once each."""
    referrals, concerns = db.table("referrals"), db.table("referral_concerns")
    found: dict[int, list[str]] = defaultdict(list)
    for referral_id, category in connection.execute(
        sa.select(concerns.c.referral_id, concerns.c.category)
        .join(referrals, referrals.c.id == concerns.c.referral_id)
        .where(in_window(referrals, window))
        .order_by(concerns.c.referral_id, concerns.c.position)
    ).all():
        if category not in found[referral_id]:
            found[referral_id].append(category)
    return {referral_id: tuple(categories) for referral_id, categories in found.items()}


def changes_in(db: Database, connection: Connection,
               window: Window) -> dict[int, tuple[tuple[str, str], ...]]:
    """The changes ticked when each referral was closed: (concern, change)."""
    referrals, changes = db.table("referrals"), db.table("referral_outcome_changes")
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for referral_id, concern, change in connection.execute(
        sa.select(changes.c.referral_id, changes.c.concern, changes.c.change)
        .join(referrals, referrals.c.id == changes.c.referral_id)
        .where(in_window(referrals, window))
    ).all():
        found[referral_id].append((concern, change))
    return {referral_id: tuple(ticked) for referral_id, ticked in found.items()}


def sent_against_due(db: Database, connection: Connection, start: date,
                     end: date) -> tuple[dict[tuple[date, date | None], int],
                                         dict[tuple[date, date | None], int]]:
    """SEND letters due (by the protocol) from `start` to `end`, counted by due date and
    the date they went (None if not yet): (acknowledgements, full replies)."""
    referrals = db.table("referrals")
    found = []
    for due, sent_on in ((referrals.c.acknowledgement_due, referrals.c.acknowledged_on),
                         (protocol_reply_due(referrals), referrals.c.replied_on)):
        rows = connection.execute(
            sa.select(sa.type_coerce(due, sa.String), _raw(sent_on), sa.func.count())
            .where(in_window(referrals, Window(start, end, by_due=True)),
                   referrals.c.status != "not_send", due.between(start, end))
            .group_by(due, sent_on)).all()
        found.append({(_day(day), _day(sent)): count for day, sent, count in rows})
    return found[0], found[1]


def send_count(db: Database, connection: Connection, window: Window) -> int:
    """How many SEND referrals are in `window`."""
    referrals = db.table("referrals")
    return connection.execute(
        sa.select(sa.func.count()).select_from(referrals)
        .where(in_window(referrals, window), referrals.c.status != "not_send")).scalar_one()


def monthly_counts(db: Database, connection: Connection, start: date,
                   end: date) -> list[tuple[int, int, str, int | None, int]]:
    """(year, month, kind, member id, referrals) for SEND referrals received from
    `start` to `end`."""
    referrals = db.table("referrals")
    # Counted per day in SQL and gathered into months here: no dialect's date functions,
    # and the covering index answers it without reading the table.
    counts: dict[tuple[int, int, str, int | None], int] = defaultdict(int)
    for day, kind, member, count in connection.execute(
        sa.select(_raw(referrals.c.received_date), referrals.c.correspondent_kind,
                  referrals.c.correspondent_id, sa.func.count())
        .where(referrals.c.received_date.between(start, end),
               referrals.c.status != "not_send")
        .group_by(referrals.c.received_date, referrals.c.correspondent_kind,
                  referrals.c.correspondent_id)
    ).all():
        received = _day(day)
        counts[(received.year, received.month, kind or "other", member)] += count
    return [(*key, count) for key, count in counts.items()]


def monthly_concerns(db: Database, connection: Connection, start: date,
                     end: date) -> list[tuple[int, int, str, int]]:
    """(year, month, concern, SEND referrals raising it) received from `start` to `end`."""
    referrals, concerns = db.table("referrals"), db.table("referral_concerns")
    counts: dict[tuple[int, int, str], int] = defaultdict(int)
    for day, category, count in connection.execute(
        sa.select(_raw(referrals.c.received_date), concerns.c.category,
                  sa.func.count(sa.distinct(concerns.c.referral_id)))
        .join(concerns, referrals.c.id == concerns.c.referral_id)
        .where(referrals.c.received_date.between(start, end),
               referrals.c.status != "not_send")
        .group_by(referrals.c.received_date, concerns.c.category)
    ).all():
        received = _day(day)
        counts[(received.year, received.month, category)] += count
    return [(*key, count) for key, count in counts.items()]


@dataclass(frozen=True)
class LetterEvent:
    referral_id: int
    what: str  # acknowledgement, holding, replied, closed, ...
    at: datetime
    by: str | None


def letter_events(db: Database, connection: Connection,
                  referral_ids: Sequence[int]) -> dict[int, list[LetterEvent]]:
    """What was sent for each referral, when and who approved it: the approved letters,
    the full reply recorded, the closing; oldest first."""
    drafts, audit = db.table("drafts"), db.table("audit_events")
    found: dict[int, list[LetterEvent]] = defaultdict(list)
    for chunk in _chunks(list(referral_ids)):
        for row in connection.execute(
            sa.select(drafts.c.referral_id, drafts.c.kind, drafts.c.approved_at,
                      drafts.c.approved_by)
            .where(drafts.c.referral_id.in_(chunk), drafts.c.approved_at.is_not(None))
        ):
            found[row.referral_id].append(
                LetterEvent(row.referral_id, row.kind, row.approved_at, row.approved_by))
        for row in connection.execute(
            sa.select(audit.c.referral_id, audit.c.action, audit.c.at, audit.c.user_name)
            .where(audit.c.referral_id.in_(chunk), audit.c.action.in_(("replied", "closed")))
        ):
            found[row.referral_id].append(
                LetterEvent(row.referral_id, row.action, row.at, row.user_name))
    for events in found.values():
        events.sort(key=lambda event: event.at)
    return found


def children_names(db: Database, connection: Connection,
                   referral_ids: Sequence[int]) -> dict[int, list[tuple[str | None, str | None]]]:
    """(first name, surname) of each referral's children as the letter gives them."""
    children = db.table("referral_children")
    found: dict[int, list[tuple[str | None, str | None]]] = defaultdict(list)
    for chunk in _chunks(list(referral_ids)):
        for row in connection.execute(
            sa.select(children.c.referral_id, children.c.first_name, children.c.last_name)
            .where(children.c.referral_id.in_(chunk)).order_by(children.c.position)
        ):
            found[row.referral_id].append((row.first_name, row.last_name))
    return found


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[start:start + size] for start in range(0, len(ids), size)]


# --- audit samples ----------------------------------------------------------------------

@dataclass(frozen=True)
class AuditSample:
    id: int
    drawn_at: datetime
    drawn_by: str
    period_start: date
    period_end: date
    seed: int
    size: int
    population: int
    references: tuple[str, ...]


def record_sample(db: Database, *, drawn_by: str, period_start: date, period_end: date,
                  seed: int, population: int, references: Sequence[str]) -> int:
    table = db.table("audit_samples")
    with db.writing() as connection:
        return connection.execute(table.insert().values(
            drawn_at=utc_now(), drawn_by=drawn_by, period_start=period_start,
            period_end=period_end, seed=seed, size=len(references), population=population,
            references_json=json.dumps(list(references))).returning(table.c.id)).scalar_one()


def sample(db: Database, sample_id: int) -> AuditSample | None:
    table = db.table("audit_samples")
    with db.reading() as connection:
        row = connection.execute(sa.select(table).where(table.c.id == sample_id)).first()
    if row is None:
        return None
    return AuditSample(row.id, row.drawn_at, row.drawn_by, row.period_start, row.period_end,
                       row.seed, row.size, row.population,
                       tuple(json.loads(row.references_json)))


def samples(db: Database, limit: int = 20) -> list[AuditSample]:
    table = db.table("audit_samples")
    with db.reading() as connection:
        ids = connection.execute(sa.select(table.c.id).order_by(table.c.id.desc())
                                 .limit(limit)).scalars().all()
    return [found for found in (sample(db, sample_id) for sample_id in ids) if found]


__all__ = ["AuditSample", "LetterEvent", "ReferralRow", "Window", "changes_in",
           "children_names", "concerns_in", "letter_events", "monthly_concerns",
           "monthly_counts", "in_window", "protocol_reply_due", "record_sample",
           "referral_rows", "sample", "samples", "send_count", "sent_against_due"]
