"""The liaison figures against 24 months of made-up referrals whose answers are known
(tools/liaison_history.py): every figure is checked against the number it must be,
counted from the plans the history was made from."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from correspond.domain.workdays import add_working_days
from correspond.liaison.facts import referral_facts
from correspond.liaison.figures import TargetFigures, period_report
from correspond.liaison.periods import Period, preset_period
from correspond.liaison.selection import Selection
from correspond.liaison.trend import trend
from correspond.store import reporting
from tools.liaison_history import FALLING

from support import LIAISON_TODAY, liaison_protocol

PROTOCOL = liaison_protocol()


def expected_figures(plans, verdict_of) -> TargetFigures:
    counts = Counter(verdict_of(plan) for plan in plans)
    return TargetFigures(counts["within"], counts["late"], counts["overdue"], counts["pending"])


def in_period(history, period: Period, *, send: bool = True):
    return [plan for plan in history.plans
            if period.contains(plan.received) and (plan.is_send or not send)]


def test_the_history_is_big_enough_to_prove_anything(liaison_history):
    _, history = liaison_history
    assert len(history.plans) >= 2000
    months = {plan.month for plan in history.plans}
    assert len(months) >= 24


@pytest.mark.parametrize("preset", ["last_12_months", "last_quarter", "last_month",
                                    "this_month", "last_school_year"])
def test_every_figure_of_a_period_is_the_number_it_must_be(liaison_history, preset):
    db, history = liaison_history
    period = preset_period(preset, LIAISON_TODAY)
    plans = in_period(history, period)

    report = period_report(db, period, today=LIAISON_TODAY, protocol=PROTOCOL)

    assert report.total == len(in_period(history, period, send=False))
    assert report.send_total == len(plans)
    assert report.acknowledgements == expected_figures(
        plans, lambda plan: plan.acknowledgement_verdict)
    assert report.replies == expected_figures(plans, lambda plan: plan.reply_verdict)
    statuses = Counter(plan.status for plan in in_period(history, period, send=False))
    assert {item.label: item.count for item in report.statuses if item.count} == {
        {"awaiting_approval": "Awaiting approval", "acknowledged": "Acknowledged",
         "replied": "Replied", "closed": "Closed", "not_send": "Not SEND"}[status]: count
        for status, count in statuses.items()}
    earlier = period.year_earlier()
    assert report.year_earlier_total == len(in_period(history, earlier))
    concerns = Counter(concern for plan in plans for concern in plan.concerns)
    assert sum(item.count for item in report.by_concern) == sum(concerns.values())
    outcomes = Counter(plan.outcome for plan in plans if plan.outcome)
    assert {item.selection.outcome: item.count for item in report.outcomes
            if item.selection.outcome in outcomes} == dict(outcomes)
    awaiting = sum(plan.status == "replied" for plan in plans)
    assert next(item.count for item in report.outcomes
                if item.selection.outcome == "awaiting") == awaiting


def test_by_mp_counts_only_members_on_the_lists(liaison_history):
    db, history = liaison_history
    period = preset_period("last_12_months", LIAISON_TODAY)
    plans = in_period(history, period)

    report = period_report(db, period, today=LIAISON_TODAY, protocol=PROTOCOL)

    expected = Counter(plan.writer for plan in plans if plan.listed)
    found = {item.selection.member: item.count for item in report.by_member}
    assert found == {history.member_ids[writer]: count for writer, count in expected.items()}
    names = " ".join(item.label for item in report.by_member)
    assert "Vasíli" not in names and "Unknown" not in names and "Jane Doe" not in names
    assert "Alex Baker MP (Aldershot)" in names  # the House of Commons list's name
    writers = {item.selection.writer: item.count for item in report.writers}
    assert writers["unlisted_mp"] == sum(plan.writer == "unlisted_mp" for plan in plans)
    assert writers["other"] == sum(plan.writer == "other" for plan in plans)
    assert writers["mp"] == sum(plan.listed and plan.kind == "mp" for plan in plans)


def test_a_period_across_a_change_of_protocol_judges_each_letter_by_its_own_version(
        liaison_history):
    db, history = liaison_history
    period = Period(date(2025, 8, 1), date(2025, 9, 30))
    plans = in_period(history, period)
    # Acknowledged 3 working days after an MP's letter: in time in August (3 days), late
    # in September (2 days).
    august = [plan for plan in plans if plan.received.month == 8 and plan.kind == "mp"
              and not plan.urgent and plan.acknowledged_after == 3]
    september = [plan for plan in plans if plan.received.month == 9 and plan.kind == "mp"
                 and not plan.urgent and plan.acknowledged_after == 3]
    assert august and september
    assert {plan.acknowledgement_verdict for plan in august} == {"within"}
    assert {plan.acknowledgement_verdict for plan in september} == {"late"}

    report = period_report(db, period, today=LIAISON_TODAY, protocol=PROTOCOL)

    facts = {fact.reference: fact for fact in referral_facts(
        db, reporting.Window(period.start, period.end), today=LIAISON_TODAY)}
    assert {facts[plan.reference].acknowledgement.verdict for plan in august} == {"within"}
    assert {facts[plan.reference].acknowledgement.verdict for plan in september} == {"late"}
    assert report.acknowledgements == expected_figures(
        plans, lambda plan: plan.acknowledgement_verdict)
    mp_acknowledgements = next(row for row in report.targets
                               if row.letter == "acknowledgement" and row.group == "mp")
    assert mp_acknowledgements.days_text == "3 working days; 2 working days from 1 September 2025"
    assert mp_acknowledgements.figures == expected_figures(
        [plan for plan in plans if plan.kind == "mp" and not plan.urgent],
        lambda plan: plan.acknowledgement_verdict)


def test_each_figures_list_holds_exactly_the_referrals_it_counts(liaison_history):
    db, history = liaison_history
    period = preset_period("last_quarter", LIAISON_TODAY)
    report = period_report(db, period, today=LIAISON_TODAY, protocol=PROTOCOL)
    facts = referral_facts(db, reporting.Window(period.start, period.end), today=LIAISON_TODAY)
    plans = {plan.reference: plan for plan in in_period(history, period, send=False)}

    def listed(selection: Selection) -> set[str]:
        return {fact.reference for fact in facts if selection.matches(fact)}

    counts = [*report.statuses, *report.writers, *report.by_member, *report.by_concern,
              *report.outcomes, *report.changes]
    for item in counts:
        assert len(listed(item.selection)) == item.count, item.label
    overdue = listed(Selection(ack="overdue")) | listed(Selection(reply="overdue"))
    assert overdue == {reference for reference, plan in plans.items()
                       if "overdue" in (plan.acknowledgement_verdict, plan.reply_verdict)}
    for row in report.targets:
        selection = (Selection(group=row.group, ack="late") if row.letter == "acknowledgement"
                     else Selection(group=row.group, reply="late"))
        assert len(listed(selection)) == row.figures.late, row


def test_the_trend_shows_24_months_and_the_built_in_fall_of_one_mp(liaison_history):
    db, history = liaison_history

    found = trend(db, today=LIAISON_TODAY, protocol=PROTOCOL)

    assert len(found.months) == 24
    assert found.months[0].month == date(2024, 3, 1)
    assert found.months[-1].month == date(2026, 2, 1)
    per_month = Counter(plan.month for plan in history.send())
    assert [item.count for item in found.months] == [per_month[item.month]
                                                     for item in found.months]
    assert found.months[-1].year_earlier == per_month[date(2025, 2, 1)]
    falling = next(member for member in found.members
                   if member.member_id == history.member_ids[FALLING])
    assert (falling.last_year, falling.year_before) == (204, 240)
    assert falling.change_percent == -15.0
    [warning] = [warning for warning in found.warnings if warning.member_id is not None]
    assert warning.member_id == history.member_ids[FALLING]
    assert "fell by 15% year on year: 204" in warning.message
    # Everyone else wrote as many letters in each year: no other warning of a fall.
    assert all(member.last_year == member.year_before for member in found.members
               if member.member_id != history.member_ids[FALLING])


def test_the_on_time_warning_follows_last_months_letters(liaison_history):
    db, history = liaison_history
    found = trend(db, today=LIAISON_TODAY, protocol=PROTOCOL)
    last_month = Period(date(2026, 2, 1), date(2026, 2, 28))

    def due_in_month(plan, letter: str) -> bool:
        target = getattr(plan, f"{letter}_target")
        return last_month.contains(add_working_days(plan.received, target))

    for letter, figures in (("acknowledgement", found.last_month.acknowledgements),
                            ("reply", found.last_month.replies)):
        due = [plan for plan in history.send() if due_in_month(plan, letter)]
        verdicts = Counter(getattr(plan, f"{letter}_verdict") for plan in due)
        assert (figures.within_target, figures.late, figures.overdue) == (
            verdicts["within"], verdicts["late"], verdicts["overdue"])
        share = 100 * verdicts["within"] / len(due)
        warned = any(f"of {'acknowledgements' if letter == 'acknowledgement' else 'full replies'}"
                     f" due went on time" in warning.message for warning in found.warnings)
        assert warned == (share < 90)


def test_the_concern_mix_counts_each_quarters_referrals(liaison_history):
    db, history = liaison_history
    found = trend(db, today=LIAISON_TODAY, protocol=PROTOCOL)
    assert len(found.concern_mix) == 8
    first = found.concern_mix[0]
    plans = [plan for plan in history.send()
             if first.start <= plan.received <= first.end]
    assert first.total == len(plans)
    assert first.counts == dict(Counter(c for plan in plans for c in plan.concerns))
    assert (first.start, first.end) == (date(2024, 3, 1), date(2024, 5, 31))


def test_a_holding_reply_moves_the_next_date_but_the_protocol_judges_by_its_own(
        liaison_history):
    db, history = liaison_history
    period = Period(date(2025, 3, 1), LIAISON_TODAY)
    plans = in_period(history, period)
    moved = [plan for plan in plans if plan.promised_after is not None]
    verdicts = Counter(plan.holding_verdict for plan in moved)
    assert verdicts["kept"] and verdicts["missed"]  # the history holds both
    # A full reply late against the protocol, but by the date the holding reply gave.
    assert any(plan.reply_verdict == "late" and plan.holding_verdict == "kept"
               for plan in moved)

    report = period_report(db, period, today=LIAISON_TODAY, protocol=PROTOCOL)

    assert report.replies == expected_figures(plans, lambda plan: plan.reply_verdict)
    shown = {item.selection.holding: item.count for item in report.holding_replies}
    assert shown == {"moved": len(moved), "kept": verdicts["kept"],
                     "missed": verdicts["missed"], "waiting": verdicts["waiting"]}
    facts = referral_facts(db, reporting.Window(period.start, period.end),
                           today=LIAISON_TODAY)
    for item in report.holding_replies:  # each figure's list holds what it counts
        assert sum(item.selection.matches(fact) for fact in facts) == item.count
    by_reference = {fact.reference: fact for fact in facts}
    for plan in moved:
        fact = by_reference[plan.reference]
        assert fact.reply.due == add_working_days(plan.received, plan.reply_target)
        promised = add_working_days(plan.received, plan.promised_after)
        assert fact.promised_reply == promised
        if plan.replied_after is None:
            assert fact.next_step == ("Full reply", promised)
