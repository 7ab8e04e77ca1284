"""The pack for a meeting with one MP's (or councillor's) office: their referrals in a
period, how fast they were answered against the protocol, what happened in the end and
what the letters were about, with the list of their referrals still open.

    pack = member_pack(db, member_id, period, today=..., protocol=...)
    pack_docx(pack, template, destination, ...)   # from templates/mp-pack.docx
    pack_xlsx(pack) -> bytes

Only referrals linked to that member are read (the query asks for their id), so another
member's constituents never appear. Children are shown by initials beside our reference
unless the council's `pack_child_names` setting says to name them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from correspond.config import Protocol
from correspond.domain.correspondents import KIND_LABELS
from correspond.domain.dates import written_date
from correspond.draft.pack import PACK_VARIABLES
from correspond.draft.render import render_docx
from correspond.errors import CorrespondError
from correspond.liaison.facts import ReferralFact, referral_facts
from correspond.liaison.figures import (
    PeriodReport,
    TargetFigures,
    build_report,
    month_label,
    percent_change,
    versions_during,
)
from correspond.liaison.periods import Period, add_months, month_start
from correspond.liaison.selection import GROUP_LABELS
from correspond.liaison.spreadsheets import DAY, PERCENT, WHOLE, Column, Sheet, workbook
from correspond.liaison.tallies import tallies_of
from correspond.review import OPEN_REFERRAL_STATUSES, REFERRAL_STATUS_LABELS
from correspond.store import registers, reporting
from correspond.store.database import Database
from correspond.store.registers import Member

# Every referral ever is older than this; the open list goes back this far.
_EVER = date(2000, 1, 1)
LETTER_NAMES = {"acknowledgement": "Acknowledgement", "reply": "Full reply"}


class NoSuchMember(CorrespondError):
    """The pack was asked for a member who is not on the registers."""


@dataclass(frozen=True)
class OpenReferral:
    reference: str
    your_reference: str | None
    child: str  # initials, or names where the setting allows
    received: date
    status: str
    next_step: str | None
    next_date: date | None
    urgent: bool


@dataclass(frozen=True)
class MonthRow:
    month: date
    count: int
    year_earlier: int


@dataclass(frozen=True)
class MemberPack:
    member: Member
    period: Period
    today: date
    report: PeriodReport  # the figures of this member's referrals in the period
    months: tuple[MonthRow, ...]
    open_referrals: tuple[OpenReferral, ...]
    references: tuple[str, ...]  # every referral of the member in the period
    protocol_text: str
    children_named: bool


def member_pack(db: Database, member_id: int, period: Period, *, today: date,
                protocol: Protocol, region: str = "ENG",
                name_children: bool = False) -> MemberPack:
    with db.reading() as connection:
        member = registers.member(db, connection, member_id)
    if member is None:
        raise NoSuchMember("There is no such MP or councillor on the lists.")
    window = reporting.Window(period.start, period.end, member_id=member_id)
    facts = referral_facts(db, window, today=today, region=region)
    earlier = period.year_earlier()
    earlier_facts = [fact for fact in referral_facts(
        db, reporting.Window(earlier.start, earlier.end, member_id=member_id), today=today,
        region=region) if fact.is_send]
    report = build_report(tallies_of(facts), period, today=today, protocol=protocol,
                          year_earlier_total=len(earlier_facts))
    still_open = referral_facts(db, reporting.Window(
        _EVER, today, member_id=member_id, statuses=OPEN_REFERRAL_STATUSES), today=today,
        region=region)
    with db.reading() as connection:
        children = reporting.children_names(db, connection, [fact.id for fact in still_open])
    return MemberPack(
        member=member, period=period, today=today, report=report,
        months=_months(facts, earlier_facts, period),
        open_referrals=tuple(_open(fact, children.get(fact.id, []), name_children)
                             for fact in sorted(still_open, key=_next_date)),
        references=tuple(fact.reference for fact in facts if fact.is_send),
        protocol_text="; ".join(str(version) for version in versions_during(protocol, period)),
        children_named=name_children)


def _months(facts: list[ReferralFact], earlier: list[ReferralFact],
            period: Period) -> tuple[MonthRow, ...]:
    now = Counter(month_start(fact.received) for fact in facts if fact.is_send)
    before = Counter(month_start(fact.received) for fact in earlier)
    rows, month = [], month_start(period.start)
    while month <= period.end:
        rows.append(MonthRow(month, now.get(month, 0), before.get(add_months(month, -12), 0)))
        month = add_months(month, 1)
    return tuple(rows)


def _next_date(fact: ReferralFact) -> tuple[date, str]:
    step = fact.next_step
    return (step[1] if step else fact.received, fact.reference)


def _open(fact: ReferralFact, children: list[tuple[str | None, str | None]],
          name_children: bool) -> OpenReferral:
    step = fact.next_step
    return OpenReferral(
        reference=fact.reference, your_reference=fact.mp_reference,
        child=", ".join(_child(first, last, name_children) for first, last in children),
        received=fact.received, status=REFERRAL_STATUS_LABELS.get(fact.status, fact.status),
        next_step=step[0] if step else None, next_date=step[1] if step else None,
        urgent=fact.urgent)


def _child(first: str | None, last: str | None, name_children: bool) -> str:
    if name_children:
        return " ".join(part for part in (first, last) if part) or "(not named)"
    initials = " ".join(part[0].upper() for part in (first, last) if part)
    return initials or "(not named)"


# --- the Word document ----------------------------------------------------------------

def pack_context(pack: MemberPack, *, council_name: str, service_name: str) -> dict[str, object]:
    """The template's variables (draft/pack.py lists them)."""
    report = pack.report
    change = percent_change(report.send_total, report.year_earlier_total)
    context: dict[str, object] = {
        "council_name": council_name, "service_name": service_name,
        "today": written_date(pack.today), "member_title": pack.member.title,
        "member_name": pack.member.name, "member_area": pack.member.area or "",
        "member_kind": KIND_LABELS.get(pack.member.kind, pack.member.kind),
        "period_label": pack.period.label, "protocol_text": pack.protocol_text,
        "total": report.send_total, "year_earlier_total": report.year_earlier_total,
        "change_text": _change_text(change, report.year_earlier_total),
        "median_days_to_acknowledge": _number(report.median_working_days_to_acknowledge),
        "months": [{"label": month_label(row.month), "count": row.count,
                    "year_earlier": row.year_earlier} for row in pack.months],
        "acknowledgements": _figures(report.acknowledgements),
        "replies": _figures(report.replies),
        "targets": [{"letter": LETTER_NAMES[row.letter], "group": row.label,
                     "days": row.days_text, **_figures(row.figures)}
                    for row in report.targets if row.figures.sent or row.figures.outstanding],
        "outcomes": [{"label": item.label, "count": item.count} for item in report.outcomes
                     if item.count],
        "changes": [{"label": item.label, "count": item.count} for item in report.changes],
        "themes": [{"label": item.label, "count": item.count} for item in report.by_concern],
        "open_referrals": [{
            "reference": item.reference, "your_reference": item.your_reference or "",
            "child": item.child, "received": written_date(item.received),
            "status": item.status, "next_step": item.next_step or "",
            "next_date": _due(item.next_date, pack.today),
            "urgent": "(urgent)" if item.urgent else ""} for item in pack.open_referrals],
        "open_count": len(pack.open_referrals), "children_named": pack.children_named,
    }
    assert context.keys() == PACK_VARIABLES  # a new variable must be declared there too
    return context


def pack_docx(pack: MemberPack, template: Path, destination: Path, *, council_name: str,
              service_name: str) -> None:
    """Render the council's pack template for `pack` into `destination`."""
    render_docx(template, pack_context(pack, council_name=council_name,
                                       service_name=service_name), destination)


def _due(day: date | None, today: date) -> str:
    if day is None:
        return ""
    return written_date(day) + (" (overdue)" if day < today else "")


def _figures(figures: TargetFigures) -> dict[str, object]:
    percent = figures.percent_within_target
    return {"within": figures.within_target, "late": figures.late,
            "overdue": figures.overdue, "pending": figures.outstanding_in_time,
            "sent": figures.sent, "percent": "–" if percent is None else f"{percent:g}%"}


def _change_text(change: float | None, before: int) -> str:
    if change is None:
        return "none in the same period a year earlier" if not before else ""
    if change == 0:
        return f"the same as a year earlier ({before})"
    direction = "up" if change > 0 else "down"
    return f"{direction} {abs(change):g}% on {before} a year earlier"


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return str(int(value)) if value == int(value) else f"{value:g}"


# --- the spreadsheet ------------------------------------------------------------------

def pack_xlsx(pack: MemberPack) -> bytes:
    report, note = pack.report, f"{pack.member.title}: {pack.period.label}"
    target_columns = [Column("Letter"), Column("For"), Column("Target", width=36),
                      Column("Within target", WHOLE), Column("Late", WHOLE),
                      Column("Overdue", WHOLE), Column("Not yet due", WHOLE),
                      Column("Within target (% of sent)", PERCENT)]
    return workbook([
        Sheet("Months", [Column("Month", DAY), Column("Referrals", WHOLE),
                         Column("A year earlier", WHOLE)],
              [(row.month, row.count, row.year_earlier) for row in pack.months], note),
        Sheet("Timeliness", target_columns,
              [(LETTER_NAMES[row.letter], GROUP_LABELS[row.group], row.days_text,
                row.figures.within_target, row.figures.late, row.figures.overdue,
                row.figures.outstanding_in_time, row.figures.percent_within_target)
               for row in report.targets], note),
        Sheet("Outcomes", [Column("Outcome", width=36), Column("Referrals", WHOLE)],
              [(item.label, item.count) for item in report.outcomes], note),
        Sheet("Themes", [Column("Concern", width=36), Column("Referrals", WHOLE)],
              [(item.label, item.count) for item in report.by_concern], note),
        Sheet("Open referrals", [Column("Our reference"), Column("Your reference"),
                                 Column("Child"), Column("Received", DAY), Column("Status"),
                                 Column("Next"), Column("Due by", DAY), Column("Urgent")],
              [(item.reference, item.your_reference, item.child, item.received, item.status,
                item.next_step, item.next_date, "yes" if item.urgent else "no")
               for item in pack.open_referrals], f"{pack.member.title}: open on "
                                                 f"{written_date(pack.today)}"),
    ])


__all__ = ["MemberPack", "NoSuchMember", "OpenReferral", "member_pack", "pack_context",
           "pack_docx", "pack_xlsx"]
