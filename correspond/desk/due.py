"""What falls due: each open referral's next deadline (the acknowledgement until it is
sent, then the full reply), sorted into overdue, due today and due on the next working
day, for one person or the whole team. The morning reminders are made from the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from correspond.desk.queries import DeskQueries, queue_order
from correspond.domain.workdays import add_working_days
from correspond.store.queue import QueueFilter, QueueRow

OVERDUE, TODAY, NEXT_DAY = "overdue", "today", "next"


@dataclass(frozen=True)
class Deadline:
    row: QueueRow
    what: str  # "Acknowledgement" or "Full reply"
    due: date
    when: str  # OVERDUE, TODAY or NEXT_DAY


@dataclass(frozen=True)
class DueList:
    today: date
    next_day: date  # the next working day
    deadlines: list[Deadline]

    def of(self, when: str) -> list[Deadline]:
        return [deadline for deadline in self.deadlines if deadline.when == when]


def next_deadline(row: QueueRow) -> tuple[str, date] | None:
    if row.acknowledged_at is None:
        return "Acknowledgement", row.acknowledgement_due
    if row.replied_at is None:
        return "Full reply", row.reply_due
    return None


def due_list(queries: DeskQueries, today: date, *, owner: str | None = None,
             region: str = "ENG") -> DueList:
    """The open referrals (those `owner` owns, when given) due by the next working day."""
    next_day = add_working_days(today, 1, region)
    found = []
    for row in sorted(queries.queue(QueueFilter(assignee=owner)), key=queue_order):
        deadline = next_deadline(row)
        if deadline is None or deadline[1] > next_day:
            continue
        what, due = deadline
        when = OVERDUE if due < today else TODAY if due == today else NEXT_DAY
        found.append(Deadline(row, what, due, when))
    return DueList(today, next_day, found)
