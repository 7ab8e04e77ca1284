"""The protocol audit for a period: the figures against each of the protocol's targets,
every breach with its timeline (received, acknowledged, holding reply, replied, closed,
and who approved each), and a random sample of referrals for a reviewer to check by hand.

    sample = draw_sample(db, period, size=10, drawn_by="lia")   # seeded and recorded
    audit = protocol_audit(db, period, today=..., protocol=..., sample=sample)
    audit_csv(audit) -> str;  audit_docx(audit, destination, council_name=...)

A sample is drawn from the SEND referrals received in the period, in reference order, by
Python's random.Random(seed).sample: the same seed over the same referrals draws the same
sample, and each draw is recorded (audit_samples, which the database keeps unchanged).
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from docx import Document
from docx.shared import Pt

from correspond.config import Protocol
from correspond.domain.clock import local_time
from correspond.domain.dates import written_date
from correspond.domain.outcomes import outcome_label
from correspond.liaison.facts import (
    KEPT,
    LATE,
    MISSED,
    OVERDUE,
    VERDICT_LABELS,
    WAITING,
    WRITER_LABELS,
    ReferralFact,
    referral_facts,
)
from correspond.liaison.figures import PeriodReport, build_report, versions_during
from correspond.liaison.periods import Period
from correspond.liaison.reports import csv_text
from correspond.liaison.tallies import tallies_of
from correspond.review import REFERRAL_STATUS_LABELS
from correspond.store import reporting
from correspond.store.atomic import write_atomically
from correspond.store.database import Database
from correspond.store.reporting import AuditSample

MAX_SAMPLE = 200
LETTER_WORDS = {"acknowledgement": "Acknowledgement", "holding": "Holding reply",
                "replied": "Full reply recorded", "closed": "Closed"}
HOLDING_WORDS = {KEPT: "kept", MISSED: "not kept", WAITING: "not yet passed"}


@dataclass(frozen=True)
class Step:
    what: str
    at: datetime
    by: str | None


@dataclass(frozen=True)
class AuditedReferral:
    fact: ReferralFact
    writer: str
    steps: tuple[Step, ...]

    def step(self, what: str) -> Step | None:
        return next((step for step in self.steps if step.what == what), None)

    @property
    def breaches(self) -> tuple[str, ...]:
        found = []
        for name, timing in (("Acknowledgement", self.fact.acknowledgement),
                             ("Full reply", self.fact.reply)):
            if timing.verdict in (LATE, OVERDUE):
                found.append(f"{name} {VERDICT_LABELS[timing.verdict].lower()} "
                             f"(due {written_date(timing.due)})")
        promised = self.fact.promised_reply
        if promised is not None and self.fact.reply.verdict in (LATE, OVERDUE):
            found.append(f"a holding reply gave {written_date(promised)} "
                         f"({HOLDING_WORDS.get(self.fact.holding or '', '')})")
        return tuple(found)


@dataclass(frozen=True)
class ProtocolAudit:
    period: Period
    today: date
    protocol_text: tuple[str, ...]  # each version in force during the period
    report: PeriodReport
    breaches: tuple[AuditedReferral, ...]
    sample: AuditSample | None
    sampled: tuple[AuditedReferral, ...]


def draw_sample(db: Database, period: Period, *, size: int, drawn_by: str,
                seed: int | None = None, today: date) -> AuditSample:
    """Draw `size` SEND referrals received in `period` at random (from `seed`, or a new
    seed), and record the draw."""
    if not 1 <= size <= MAX_SAMPLE:
        raise ValueError(f"a sample is of 1 to {MAX_SAMPLE} referrals")
    seed = secrets.randbelow(10**9) if seed is None else seed
    population = sorted(fact.reference for fact in referral_facts(
        db, reporting.Window(period.start, period.end), today=today) if fact.is_send)
    drawn = sample_references(population, size, seed)
    sample_id = reporting.record_sample(db, drawn_by=drawn_by, period_start=period.start,
                                        period_end=period.end, seed=seed,
                                        population=len(population), references=drawn)
    found = reporting.sample(db, sample_id)
    assert found is not None
    return found


def sample_references(population: Sequence[str], size: int, seed: int) -> list[str]:
    """The references a seed draws from a population (in reference order)."""
    return sorted(random.Random(seed).sample(sorted(population), min(size, len(population))))


def protocol_audit(db: Database, period: Period, *, today: date, protocol: Protocol,
                   region: str = "ENG", sample: AuditSample | None = None) -> ProtocolAudit:
    facts = referral_facts(db, reporting.Window(period.start, period.end), today=today,
                           region=region)
    report = build_report(tallies_of(facts), period, today=today, protocol=protocol)
    send = [fact for fact in facts if fact.is_send]
    breached = [fact for fact in send
                if {fact.acknowledgement.verdict, fact.reply.verdict} & {LATE, OVERDUE}]
    chosen = set(sample.references) if sample else set()
    sampled = [fact for fact in send if fact.reference in chosen]
    with db.reading() as connection:
        events = reporting.letter_events(db, connection,
                                         [fact.id for fact in (*breached, *sampled)])
    return ProtocolAudit(
        period=period, today=today,
        protocol_text=tuple(str(version) for version in versions_during(protocol, period)),
        report=report,
        breaches=tuple(_audited(fact, events.get(fact.id, [])) for fact in breached),
        sample=sample,
        sampled=tuple(_audited(fact, events.get(fact.id, [])) for fact in sampled))


def _audited(fact: ReferralFact, events: list[reporting.LetterEvent]) -> AuditedReferral:
    steps = [Step("received", fact.received_at, None)]
    steps += [Step(event.what, event.at, event.by) for event in events]
    return AuditedReferral(fact, fact.member or WRITER_LABELS[fact.writer],
                           tuple(sorted(steps, key=lambda step: step.at)))


# --- CSV --------------------------------------------------------------------------------

AUDIT_COLUMNS = (
    "Section", "Reference", "Written by", "Received", "Urgent", "Acknowledgement due",
    "Acknowledged", "Acknowledgement approved by", "Holding reply", "Holding reply approved by",
    "Full reply due", "New reply-by date (holding reply)", "Full reply recorded",
    "Full reply recorded by", "Status", "Outcome", "Breaches",
)
TARGET_COLUMNS = ("Section", "Letter", "For", "Target", "Within target", "Late", "Overdue",
                  "Not yet due")


def audit_csv(audit: ProtocolAudit) -> str:
    """The audit as one CSV: the figures against each target, then each breach, then the
    sample (each row says which)."""
    rows: list[Sequence[object]] = [
        ("Protocol audit", audit.period.label, f"as at {audit.today.isoformat()}"),
        *(("Protocol", text) for text in audit.protocol_text),
        (),
        TARGET_COLUMNS,
    ]
    for row in audit.report.targets:
        rows.append(("Target", row.letter, row.label, row.days_text, row.figures.within_target,
                     row.figures.late, row.figures.overdue, row.figures.outstanding_in_time))
    rows += [(), AUDIT_COLUMNS]
    rows += [_referral_row("Breach", item) for item in audit.breaches]
    if audit.sample:
        rows += [_referral_row("Sample", item) for item in audit.sampled]
        rows.append(("Sample", f"{audit.sample.size} of {audit.sample.population} referrals, "
                               f"seed {audit.sample.seed}, drawn by {audit.sample.drawn_by} "
                               f"on {local_time(audit.sample.drawn_at):%Y-%m-%d %H:%M}"))
    return csv_text(rows)


def _referral_row(section: str, item: AuditedReferral) -> list[object]:
    fact = item.fact
    acknowledged, holding = item.step("acknowledgement"), item.step("holding")
    replied = item.step("replied")
    return [
        section, fact.reference, item.writer, fact.received.isoformat(),
        "yes" if fact.urgent else "no", fact.acknowledgement.due.isoformat(),
        _iso(fact.acknowledgement.sent_on), acknowledged.by if acknowledged else "",
        _moment(holding), holding.by if holding else "", fact.reply.due.isoformat(),
        _iso(fact.promised_reply), _iso(fact.reply.sent_on), replied.by if replied else "",
        REFERRAL_STATUS_LABELS.get(fact.status, fact.status),
        outcome_label(fact.outcome) if fact.outcome else "", "; ".join(item.breaches),
    ]


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _moment(step: Step | None) -> str:
    return f"{local_time(step.at):%Y-%m-%d %H:%M}" if step else ""


# --- Word -------------------------------------------------------------------------------

def audit_docx(audit: ProtocolAudit, destination: Path, *, council_name: str) -> None:
    """The audit as a Word document for the file and the reviewer."""
    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(f"Protocol audit: {audit.period.label}", level=1)
    document.add_paragraph(f"{council_name}. Figures as at {written_date(audit.today)}; "
                           "each letter is judged by the protocol in force when it arrived.")
    for text in audit.protocol_text:
        document.add_paragraph(text, style="List Bullet")
    document.add_heading("Against each target", level=2)
    _table(document, ("Letter", "For", "Target", "Within target", "Late", "Overdue",
                      "Not yet due"),
           [(row.letter.capitalize(), row.label, row.days_text, row.figures.within_target,
             row.figures.late, row.figures.overdue, row.figures.outstanding_in_time)
            for row in audit.report.targets])
    document.add_heading(f"Breaches ({len(audit.breaches)})", level=2)
    if audit.breaches:
        _timeline_table(document, audit.breaches, with_breach=True)
    else:
        document.add_paragraph("No letter missed its target.")
    document.add_heading("Sample for checking by hand", level=2)
    if audit.sample is None:
        document.add_paragraph("No sample drawn: draw one on the desk's audit page.")
    else:
        sample = audit.sample
        document.add_paragraph(
            f"{sample.size} of the {sample.population} SEND referrals received in the "
            f"period, drawn at random by {sample.drawn_by} on "
            f"{local_time(sample.drawn_at):%d/%m/%Y at %H:%M} with seed {sample.seed} "
            "(the same seed draws the same referrals). Check each against the case file "
            "and note what you find.")
        _timeline_table(document, audit.sampled, with_breach=False)
    write_atomically(destination, document.save)


def _timeline_table(document, items: Sequence[AuditedReferral], *, with_breach: bool) -> None:
    headings = ("Reference", "Written by", "Timeline",
                "Breach" if with_breach else "Checked: notes")
    rows = []
    for item in items:
        timeline = "\n".join(_step_text(step, item.fact) for step in item.steps)
        rows.append((item.fact.reference + (" (urgent)" if item.fact.urgent else ""),
                     item.writer, timeline, "; ".join(item.breaches) if with_breach else ""))
    _table(document, headings, rows)


def _step_text(step: Step, fact: ReferralFact) -> str:
    text = (f"{LETTER_WORDS.get(step.what, step.what.capitalize())}: "
            f"{local_time(step.at):%d/%m/%Y %H:%M}" + (f" ({step.by})" if step.by else ""))
    if step.what == "holding" and fact.promised_reply is not None:
        text += f", new reply-by date {fact.promised_reply:%d/%m/%Y}"
    return text


def _table(document, headings: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    # Made at its full size at once: adding rows one by one takes twice as long.
    table = document.add_table(rows=len(rows) + 1, cols=len(headings))
    table.style = "Table Grid"
    every = table.rows
    for cell, heading in zip(every[0].cells, headings):
        cell.paragraphs[0].add_run(heading).bold = True
    for row, values in zip(every[1:], rows):
        for cell, value in zip(row.cells, values):
            cell.text = str(value)


__all__ = ["MAX_SAMPLE", "AuditedReferral", "ProtocolAudit", "Step", "audit_csv",
           "audit_docx", "draw_sample", "protocol_audit", "sample_references"]
