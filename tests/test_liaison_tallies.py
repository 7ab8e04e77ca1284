"""The liaison figures are counted in the database (tallies.py): those counts must be the
ones the facts of the same referrals give, for any period or member, and the council's
date each letter went, which they count by, must be the date in England when it went."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from correspond.liaison.facts import referral_facts
from correspond.liaison.figures import period_report
from correspond.liaison.periods import Period, preset_period
from correspond.liaison.selection import Selection
from correspond.liaison.tallies import selected_facts, tallies_in, tallies_of
from correspond.store import reporting
from correspond.store.database import Database
from tools.liaison_history import FALLING

from support import LIAISON_TODAY, liaison_protocol, migrate_to


@pytest.mark.parametrize("preset", ["last_12_months", "last_quarter", "last_month",
                                    "this_month", "last_school_year"])
def test_counts_made_in_the_database_are_those_of_the_facts(liaison_history, preset):
    db, _ = liaison_history
    period = preset_period(preset, LIAISON_TODAY)
    window = reporting.Window(period.start, period.end)

    counted = tallies_in(db, window, today=LIAISON_TODAY)
    expected = tallies_of(referral_facts(db, window, today=LIAISON_TODAY))

    assert counted.letters  # the history has letters in every one of these periods
    assert counted == expected


def test_a_members_counts_made_in_the_database_are_those_of_their_facts(liaison_history):
    db, history = liaison_history
    period = Period(date(2024, 1, 1), LIAISON_TODAY)
    window = reporting.Window(period.start, period.end, member_id=history.member_ids[FALLING])

    counted = tallies_in(db, window, today=LIAISON_TODAY)

    assert set(counted.member_titles) == {history.member_ids[FALLING]}
    assert counted == tallies_of(referral_facts(db, window, today=LIAISON_TODAY))


def test_judged_a_day_later_letters_due_today_become_overdue_in_both_counts(liaison_history):
    db, _ = liaison_history
    period = preset_period("last_month", LIAISON_TODAY)
    window = reporting.Window(period.start, LIAISON_TODAY)
    later = LIAISON_TODAY + timedelta(days=30)

    counted = tallies_in(db, window, today=later)

    assert counted == tallies_of(referral_facts(db, window, today=later))
    assert "pending" not in {key.acknowledgement for key in counted.letters}


def test_an_older_database_gets_the_date_in_england_each_letter_went(empty_database):
    """Migration 0013 fills in the dates of letters sent before it: a reply approved at
    23:30 UTC in July went on the next day in England; one in January on the same day."""
    def older_release(connection: sa.Connection) -> None:
        tables = sa.MetaData()
        tables.reflect(connection, only=["files", "referrals"])
        for number, (acknowledged, replied) in enumerate([
                (datetime(2026, 7, 1, 23, 30, tzinfo=UTC), datetime(2026, 1, 15, 23, 30,
                                                                    tzinfo=UTC)),
                (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), None),
                (None, None)]):
            sha256 = str(number) * 64
            connection.execute(tables.tables["files"].insert().values(
                _required(tables.tables["files"], sha256=sha256)))
            connection.execute(tables.tables["referrals"].insert().values(_required(
                tables.tables["referrals"], reference=f"MP-{number}", sha256=sha256,
                status="acknowledged", acknowledged_at=acknowledged, replied_at=replied)))

    migrate_to(empty_database, "0012", then=older_release)

    db = Database(empty_database)  # migrates to the newest revision, as the service does
    try:
        with db.reading() as connection:
            referrals = db.table("referrals")
            found = connection.execute(sa.select(
                referrals.c.reference, referrals.c.acknowledged_on, referrals.c.replied_on
            ).order_by(referrals.c.reference)).all()
    finally:
        db.close()
    assert [tuple(row) for row in found] == [
        ("MP-0", date(2026, 7, 2), date(2026, 1, 15)),
        ("MP-1", date(2026, 3, 29), None),  # 01:30 BST, the clocks having just gone forward
        ("MP-2", None, None)]


def _required(table: sa.Table, **values: object) -> dict[str, object]:
    """`values`, and a plain value for every other column a row must have."""
    filler = {sa.Integer: 1, sa.Boolean: False, sa.Date: date(2026, 1, 5),
              sa.DateTime: datetime(2026, 1, 5, 9, tzinfo=UTC)}
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.primary_key \
                or column.server_default is not None:
            continue
        row[column.name] = next((value for kind, value in filler.items()
                                 if isinstance(column.type, kind)), "x")
    return row


def test_the_list_behind_every_figure_is_what_the_figure_counts(liaison_history):
    """Each figure's list is found in SQL, by the columns the figure was counted by; it
    holds exactly the referrals Selection.matches picks from the facts, as many as the
    figure says."""
    db, history = liaison_history
    period = preset_period("last_12_months", LIAISON_TODAY)
    window = reporting.Window(period.start, period.end)
    report = period_report(db, period, today=LIAISON_TODAY, protocol=liaison_protocol())
    facts = referral_facts(db, window, today=LIAISON_TODAY)
    counts = [*report.statuses, *report.writers, *report.by_member, *report.by_concern,
              *report.outcomes, *report.changes, *report.holding_replies]
    selections = [(item.label, item.selection, item.count) for item in counts]
    for row in report.targets:  # every cell of the targets table
        for verdict, count in (("within", row.figures.within_target),
                               ("late", row.figures.late), ("overdue", row.figures.overdue),
                               ("pending", row.figures.outstanding_in_time)):
            selections.append((f"{row.letter} {row.group} {verdict}",
                               Selection(group=row.group, **{_ARG[row.letter]: verdict}),
                               count))
    assert any(count for _, _, count in selections)

    for label, selection, count in selections:
        listed = {fact.reference for fact in selected_facts(
            db, window, selection, today=LIAISON_TODAY)}
        assert listed == {fact.reference for fact in facts if selection.matches(fact)}, label
        assert len(listed) == count, label


_ARG = {"acknowledgement": "ack", "reply": "reply"}
