"""Which referrals are behind a figure: the filters a figure's link carries, the test a
referral passes, and a sentence saying what the list is.

The reports page builds each figure by counting the referrals a Selection would pass,
and its link carries that Selection; the list page filters with the same test. So
"3 overdue" always opens a list of those 3.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from correspond.domain.concerns import CONCERN_LABELS
from correspond.domain.correspondents import KIND_LABELS
from correspond.domain.outcomes import CHANGES, OUTCOMES, change_label, outcome_label
from correspond.liaison.facts import (
    HOLDING_LABELS,
    MOVED,
    VERDICT_LABELS,
    WRITER_LABELS,
    ReferralFact,
)
from correspond.review import REFERRAL_STATUS_LABELS, ReferralStatus

# A referral's state of closing, beside the outcomes themselves.
AWAITING_OUTCOME = "awaiting"  # replied, its outcome not yet recorded
STILL_OPEN = "open"  # not yet replied
CLOSING_LABELS = {AWAITING_OUTCOME: "Replied, outcome not yet recorded",
                  STILL_OPEN: "Still open (not yet replied)"}
URGENT = "urgent"
GROUP_LABELS = {URGENT: "Urgent letters (whoever wrote)",
                **{kind: f"{label}s" for kind, label in KIND_LABELS.items()}}


def outcome_key(fact: ReferralFact) -> str | None:
    """The fact's outcome, or how far it is from having one; None when not SEND."""
    if not fact.is_send:
        return None
    if fact.outcome:
        return fact.outcome
    if fact.status == ReferralStatus.REPLIED:
        return AWAITING_OUTCOME
    return STILL_OPEN


def target_group(fact: ReferralFact) -> str:
    """Which of the protocol's targets a letter is judged by: the urgent target for an
    urgent letter, else its writer's."""
    return URGENT if fact.urgent else fact.kind


@dataclass(frozen=True)
class Selection:
    status: str | None = None
    ack: str | None = None  # the acknowledgement's verdict (facts.WITHIN, ...)
    reply: str | None = None
    writer: str | None = None  # facts.WRITER_LABELS
    member: int | None = None
    concern: str | None = None
    outcome: str | None = None  # an outcome, AWAITING_OUTCOME or STILL_OPEN
    change: str | None = None
    group: str | None = None  # URGENT or a kind: the target the letter is judged by
    holding: str | None = None  # facts.MOVED, or the reply against the holding reply's date

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Selection:
        """The filters in a page's address; unknown values are ignored, not trusted."""
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = (args.get(field.name) or "").strip()
            if not raw:
                continue
            if field.name == "member":
                if raw.isdigit() and len(raw) < 12:
                    values["member"] = int(raw)
            elif raw in _ALLOWED[field.name]:
                values[field.name] = raw
        return cls(**values)  # type: ignore[arg-type]

    def as_args(self) -> dict[str, Any]:
        return {field.name: str(getattr(self, field.name)) for field in fields(self)
                if getattr(self, field.name) is not None}

    @property
    def is_empty(self) -> bool:
        return not self.as_args()

    def matches(self, fact: ReferralFact) -> bool:
        if self.status is not None and fact.status != self.status:
            return False
        if self.status is None and not fact.is_send:
            return False  # the figures are of SEND referrals unless a status says otherwise
        return all((
            self.ack is None or fact.acknowledgement.verdict == self.ack,
            self.reply is None or fact.reply.verdict == self.reply,
            self.writer is None or fact.writer == self.writer,
            self.member is None or fact.member_id == self.member,
            self.concern is None or self.concern in fact.concerns,
            self.outcome is None or outcome_key(fact) == self.outcome,
            self.change is None or any(change == self.change for _, change in fact.changes),
            self.group is None or target_group(fact) == self.group,
            self.holding is None or fact.holding is not None and (
                self.holding in (MOVED, fact.holding)),
        ))

    def describe(self, member_title: str | None = None) -> str:
        """What the list holds, as a sentence's worth of words."""
        parts = []
        if self.status is not None:
            parts.append(f"status {REFERRAL_STATUS_LABELS.get(self.status, self.status)}")
        if self.ack is not None:
            parts.append(f"acknowledgement {VERDICT_LABELS[self.ack].lower()}")
        if self.reply is not None:
            parts.append(f"full reply {VERDICT_LABELS[self.reply].lower()}")
        if self.group is not None:
            parts.append(f"judged by the target for {GROUP_LABELS[self.group].lower()}")
        if self.holding is not None:
            parts.append(HOLDING_LABELS[self.holding].lower())
        if self.writer is not None:
            parts.append(f"written by {WRITER_LABELS[self.writer].lower()}")
        if self.member is not None:
            parts.append(f"from {member_title or 'member ' + str(self.member)}")
        if self.concern is not None:
            parts.append(f"about {CONCERN_LABELS.get(self.concern, self.concern)}")
        if self.outcome is not None:
            parts.append(f"outcome: {_outcome_words(self.outcome)}")
        if self.change is not None:
            parts.append(f"what changed: {change_label(self.change)}")
        return "; ".join(parts) if parts else "all SEND referrals"


def _outcome_words(outcome: str) -> str:
    return CLOSING_LABELS.get(outcome) or outcome_label(outcome)


_ALLOWED: dict[str, set[str]] = {
    "status": set(REFERRAL_STATUS_LABELS),
    "ack": set(VERDICT_LABELS),
    "reply": set(VERDICT_LABELS),
    "writer": set(WRITER_LABELS),
    "member": set(),
    "concern": set(CONCERN_LABELS),
    "outcome": set(OUTCOMES) | set(CLOSING_LABELS),
    "change": set(CHANGES),
    "group": set(GROUP_LABELS),
    "holding": set(HOLDING_LABELS),
}


__all__ = ["AWAITING_OUTCOME", "CLOSING_LABELS", "GROUP_LABELS", "STILL_OPEN", "URGENT",
           "Selection", "outcome_key", "target_group"]
