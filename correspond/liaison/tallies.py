"""The counts every liaison figure is made from, counted in the database for a period, or
from the facts already read for a pack or an audit.

    tallies_in(db, window, today=...) -> Tallies     GROUP BY in SQL: the reports page
    tallies_of(facts) -> Tallies                     the same counts from facts
    selected_facts(db, window, selection, ...)       the referrals behind one figure

Each count is of referrals with the same few properties (status; who wrote and how each
letter went; the day received; the member; the concern; the change ticked), so a year of
referrals is a few thousand numbers, not 25,000 rows read one by one. Both ways count
by the same definitions (facts.py), and the referrals behind a figure are picked by the
same SQL columns the figure was counted by, so "3 overdue" opens those 3; tests check
both against the facts (and Selection.matches) on a generated history.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, NamedTuple

import sqlalchemy as sa

from correspond.domain.correspondents import COUNCILLOR, MP, OTHER
from correspond.liaison.facts import (
    KEPT,
    LATE,
    MISSED,
    MOVED,
    NO_TARGET,
    OVERDUE,
    PENDING,
    UNLISTED_COUNCILLOR,
    UNLISTED_MP,
    WAITING,
    WITHIN,
    ReferralFact,
    referral_facts,
)
from correspond.liaison.selection import (
    AWAITING_OUTCOME,
    STILL_OPEN,
    URGENT,
    Selection,
    outcome_key,
)
from correspond.review import ReferralStatus
from correspond.store import registers, reporting
from correspond.store.database import Database


class Letters(NamedTuple):
    """How one SEND referral's letters went, and who wrote it."""

    urgent: bool
    kind: str  # mp, councillor or other, as the protocol counts them
    listed: bool  # from a member on the House of Commons or the council's list
    acknowledgement: str  # its verdict: WITHIN, LATE, OVERDUE or PENDING
    reply: str  # against the protocol's date
    holding: str | None  # KEPT, MISSED or WAITING against a holding reply's date
    outcome: str  # outcome_key: an outcome, AWAITING_OUTCOME or STILL_OPEN


@dataclass(frozen=True)
class Tallies:
    statuses: Counter[str]  # every referral, SEND or not, by status
    # The rest count SEND referrals only.
    letters: Counter[Letters]
    days: Counter[tuple[date, str]]  # (received on, outcome key)
    members: Counter[tuple[int, str]]  # (listed member who wrote, outcome key)
    member_titles: dict[int, str]  # e.g. "Alex Baker MP (Aldershot)"
    concerns: Counter[tuple[str, str]]  # (concern, outcome key): a referral once a concern
    changes: Counter[str]  # each change ticked at closing: a referral once a change
    acknowledged: Counter[tuple[date, date]]  # (received on, acknowledged on)


def tallies_of(facts: Iterable[ReferralFact]) -> Tallies:
    """The counts of facts already read (a member's pack, an audit)."""
    statuses: Counter[str] = Counter()
    letters: Counter[Letters] = Counter()
    days: Counter[tuple[date, str]] = Counter()
    members: Counter[tuple[int, str]] = Counter()
    titles: dict[int, str] = {}
    concerns: Counter[tuple[str, str]] = Counter()
    changes: Counter[str] = Counter()
    acknowledged: Counter[tuple[date, date]] = Counter()
    for fact in facts:
        statuses[fact.status] += 1
        if not fact.is_send:
            continue
        closing = outcome_key(fact) or STILL_OPEN
        letters[Letters(fact.urgent, fact.kind, fact.member_id is not None,
                        fact.acknowledgement.verdict, fact.reply.verdict, fact.holding,
                        closing)] += 1
        days[fact.received, closing] += 1
        if fact.member_id is not None:
            members[fact.member_id, closing] += 1
            titles[fact.member_id] = fact.member or ""
        concerns.update((concern, closing) for concern in set(fact.concerns))
        changes.update({change for _, change in fact.changes})
        if fact.acknowledgement.sent_on is not None:
            acknowledged[fact.received, fact.acknowledgement.sent_on] += 1
    return Tallies(statuses, letters, days, members, titles, concerns, changes, acknowledged)


def tallies_in(db: Database, window: reporting.Window, *, today: date) -> Tallies:
    """The counts of the referrals in `window`, judged as at `today`, made in SQL."""
    with db.reading() as connection:
        each = _derived(db, window, today)
        send = each.c.status != ReferralStatus.NOT_SEND

        def counted(*columns: sa.ColumnElement, where: sa.ColumnElement[bool] = send,
                    source: sa.FromClause = each, distinct: bool = False) -> Counter[Any]:
            """Referrals by `columns` (a key of one column is its value, not a tuple)."""
            count = sa.func.count(sa.distinct(each.c.id)) if distinct else sa.func.count()
            rows = connection.execute(sa.select(*columns, count).select_from(source)
                                      .where(where).group_by(*columns)).all()
            return Counter({(tuple(row[:-1]) if len(columns) > 1 else row[0]): row[-1]
                            for row in rows})

        concern_table = db.table("referral_concerns")
        change_table = db.table("referral_outcome_changes")
        # One pass for the commonest counts: by status (every referral), and by how
        # each SEND referral's letters went, who wrote it and the member it is from.
        statuses: Counter[str] = Counter()
        letters: Counter[Letters] = Counter()
        members: Counter[tuple[int, str]] = Counter()
        for (status, member, urgent, kind, acknowledgement, reply, holding,
             closing), count in counted(
                each.c.status, each.c.member, each.c.urgent, each.c.kind,
                each.c.acknowledgement, each.c.reply, each.c.holding, each.c.closing,
                where=sa.true()).items():
            statuses[status] += count
            if status == ReferralStatus.NOT_SEND:
                continue
            letters[Letters(bool(urgent), kind, member is not None, acknowledgement, reply,
                            holding, closing)] += count
            if member is not None:
                members[member, closing] += count
        days = counted(each.c.received_date, each.c.closing)
        concerns = counted(
            concern_table.c.category, each.c.closing, distinct=True,
            source=each.join(concern_table, concern_table.c.referral_id == each.c.id))
        changes = counted(
            change_table.c.change, distinct=True,
            source=each.join(change_table, change_table.c.referral_id == each.c.id))
        acknowledged = counted(each.c.received_date, each.c.acknowledged_on,
                               where=sa.and_(send, each.c.acknowledged_on.is_not(None)))
        found = registers.members_by_id(db, connection, {member for member, _ in members})
    titles = {member_id: member.title for member_id, member in found.items()}
    return Tallies(statuses, letters, days, members, titles, concerns, changes, acknowledged)


def selected_facts(db: Database, window: reporting.Window, selection: Selection, *,
                   today: date, region: str = "ENG") -> list[ReferralFact]:
    """The facts of the referrals behind a figure: those in `window` that `selection`
    picks, found by the same columns the figure was counted by."""
    each = _derived(db, window, today)
    picked = sa.select(each.c.id).where(*_conditions(db, each, selection))
    return referral_facts(db, replace(window, only=picked), today=today, region=region)


def _conditions(db: Database, each: sa.Subquery,
                selection: Selection) -> list[sa.ColumnElement[bool]]:
    """Selection.matches, as conditions on _derived's columns."""
    conditions: list[sa.ColumnElement[bool]] = [
        each.c.status == selection.status if selection.status is not None
        # the figures are of SEND referrals unless a status says otherwise
        else each.c.status != ReferralStatus.NOT_SEND]
    if selection.ack is not None:
        conditions.append(each.c.acknowledgement == selection.ack)
    if selection.reply is not None:
        conditions.append(each.c.reply == selection.reply)
    if selection.writer is not None:
        conditions.append(_writer_is(each, selection.writer))
    if selection.member is not None:
        conditions.append(each.c.member == selection.member)
    if selection.concern is not None:
        concerns = db.table("referral_concerns")
        conditions.append(sa.exists().where(concerns.c.referral_id == each.c.id,
                                            concerns.c.category == selection.concern))
    if selection.outcome is not None:
        conditions.append(each.c.closing == selection.outcome)
    if selection.change is not None:
        changes = db.table("referral_outcome_changes")
        conditions.append(sa.exists().where(changes.c.referral_id == each.c.id,
                                            changes.c.change == selection.change))
    if selection.group is not None:
        conditions.append(each.c.urgent.is_(True) if selection.group == URGENT
                          else sa.and_(each.c.urgent.is_(False),
                                       each.c.kind == selection.group))
    if selection.holding is not None:
        conditions.append(each.c.holding.is_not(None) if selection.holding == MOVED
                          else each.c.holding == selection.holding)
    return conditions


def _writer_is(each: sa.Subquery, writer: str) -> sa.ColumnElement[bool]:
    """facts.writer_of(kind, listed) == writer."""
    if writer in (UNLISTED_MP, UNLISTED_COUNCILLOR):
        return sa.and_(each.c.kind == (MP if writer == UNLISTED_MP else COUNCILLOR),
                       each.c.member.is_(None))
    if writer in (MP, COUNCILLOR):
        return sa.and_(each.c.kind == writer, each.c.member.is_not(None))
    return each.c.kind.not_in((MP, COUNCILLOR))


def _derived(db: Database, window: reporting.Window, today: date) -> sa.Subquery:
    """One row per referral in `window` with what the figures count it by, worked out
    as facts.py does. A subquery, so each count groups by its plain columns (PostgreSQL
    would not see a CASE with a bound date, written twice, as the same expression)."""
    referrals, outcomes = db.table("referrals"), db.table("referral_outcomes")
    not_send = referrals.c.status == ReferralStatus.NOT_SEND
    on_day = sa.literal(today, sa.Date)
    protocol_reply_due = reporting.protocol_reply_due(referrals)
    promised = sa.case((referrals.c.first_reply_due.is_not(None), referrals.c.reply_due))
    kind = sa.func.coalesce(referrals.c.correspondent_kind, sa.case(
        # as correspondents.claimed_kind: an MP's office writes for the MP
        (referrals.c.correspondent_type.in_(("mp", "mp_office")), MP),
        (referrals.c.correspondent_type == COUNCILLOR, COUNCILLOR), else_=OTHER))
    return (
        sa.select(
            referrals.c.id, referrals.c.status, referrals.c.received_date,
            referrals.c.urgent, kind.label("kind"),
            referrals.c.correspondent_id.label("member"),
            referrals.c.acknowledged_on,
            _verdict(referrals.c.acknowledged_on, referrals.c.acknowledgement_due, on_day,
                     not_send).label("acknowledgement"),
            _verdict(referrals.c.replied_on, protocol_reply_due, on_day,
                     not_send).label("reply"),
            sa.case((not_send, None), (promised.is_(None), None),
                    (referrals.c.replied_on.is_not(None),
                     sa.case((referrals.c.replied_on <= promised, KEPT), else_=MISSED)),
                    (promised < on_day, MISSED), else_=WAITING).label("holding"),
            sa.case((not_send, None), (outcomes.c.outcome.is_not(None), outcomes.c.outcome),
                    (referrals.c.status == ReferralStatus.REPLIED, AWAITING_OUTCOME),
                    else_=STILL_OPEN).label("closing"),
        )
        .outerjoin(outcomes, outcomes.c.referral_id == referrals.c.id)
        .where(reporting.in_window(referrals, window))
        .subquery())


def _verdict(sent_on: sa.ColumnElement, due: sa.ColumnElement, today: sa.ColumnElement,
             not_send: sa.ColumnElement[bool]) -> sa.ColumnElement:
    """facts.judge in SQL: sent by the due date, after it, or not sent and overdue or not
    yet due; no target for a letter that is not about SEND."""
    return sa.case(
        (not_send, NO_TARGET),
        (sent_on.is_not(None), sa.case((sent_on <= due, WITHIN), else_=LATE)),
        (due < today, OVERDUE), else_=PENDING)


__all__ = ["Letters", "Tallies", "selected_facts", "tallies_in", "tallies_of"]
