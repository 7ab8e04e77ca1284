"""Referral and letter statuses, and their transition tables.

A status changes only through a named transition, and the store applies it as one
conditional UPDATE (`... WHERE status IN (allowed)`) inside a write transaction, so two
people acting at once can never both win: the second finds the status already moved and
is told what happened instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar


class ReferralStatus(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"  # the acknowledgement waits for a caseworker
    RETURNED = "returned"  # a letter was sent back with a reason
    ACKNOWLEDGED = "acknowledged"  # the acknowledgement was approved for sending
    REPLIED = "replied"  # the full reply was sent; its outcome is still to record
    CLOSED = "closed"  # closed with its outcome (what happened in the end)
    NOT_SEND = "not_send"  # read (or marked) as not about SEND: no SEND letters


class LetterStatus(StrEnum):
    DRAFT = "draft"
    REJECTED = "rejected"  # returned with a reason; may be edited, redrafted or approved
    APPROVED = "approved"  # frozen: its bytes are in the outbox and never change
    WITHDRAWN = "withdrawn"  # no longer needed (the letter was marked not about SEND)


S = TypeVar("S", bound=StrEnum)


@dataclass(frozen=True)
class Transition(Generic[S]):
    name: str
    allowed_from: frozenset[S]
    to: S

    def allows(self, status: str) -> bool:
        return status in self.allowed_from


def _transition(name: str, allowed_from: set[S], to: S) -> Transition[S]:
    return Transition(name, frozenset(allowed_from), to)


_R = ReferralStatus
_L = LetterStatus

REFERRAL: dict[str, Transition[ReferralStatus]] = {
    t.name: t for t in (
        _transition("acknowledge", {_R.AWAITING_APPROVAL, _R.RETURNED}, _R.ACKNOWLEDGED),
        # Returning the acknowledgement (or any letter before it is approved) puts the
        # referral back in the queue; after acknowledgement a returned letter leaves the
        # referral where it is (its reason still shows).
        _transition("return", {_R.AWAITING_APPROVAL, _R.RETURNED}, _R.RETURNED),
        _transition("reply", {_R.ACKNOWLEDGED}, _R.REPLIED),
        # Closing records the outcome with it, in the same transaction (desk/actions.py).
        _transition("close", {_R.REPLIED}, _R.CLOSED),
        _transition("mark_send", {_R.NOT_SEND}, _R.AWAITING_APPROVAL),
        _transition("mark_not_send", {_R.AWAITING_APPROVAL, _R.RETURNED}, _R.NOT_SEND),
    )
}

LETTER: dict[str, Transition[LetterStatus]] = {
    t.name: t for t in (
        # Redrafted from the template, or replaced by an edited copy from Word.
        _transition("change", {_L.DRAFT, _L.REJECTED}, _L.DRAFT),
        _transition("return", {_L.DRAFT, _L.REJECTED}, _L.REJECTED),
        # No four-eyes rule: a returned letter may still be approved as it stands.
        _transition("approve", {_L.DRAFT, _L.REJECTED}, _L.APPROVED),
        # A letter that no longer applies (an acknowledgement of a letter a caseworker
        # marks as not about SEND) is set aside, kept, and put back if they change back.
        _transition("withdraw", {_L.DRAFT, _L.REJECTED}, _L.WITHDRAWN),
        _transition("restore", {_L.WITHDRAWN}, _L.DRAFT),
    )
}

# The referrals that still need something done, shown in the queue by default.
OPEN_REFERRAL_STATUSES = (_R.AWAITING_APPROVAL, _R.RETURNED, _R.ACKNOWLEDGED)

# In the order a referral moves through them, with the words the teams use.
REFERRAL_STATUS_LABELS: dict[str, str] = {
    _R.AWAITING_APPROVAL: "Awaiting approval",
    _R.RETURNED: "Returned to caseworker",
    _R.ACKNOWLEDGED: "Acknowledged",
    _R.REPLIED: "Replied",
    _R.CLOSED: "Closed",
    _R.NOT_SEND: "Not SEND",
}
LETTER_STATUS_LABELS: dict[str, str] = {
    _L.DRAFT: "Draft",
    _L.REJECTED: "Returned",
    _L.APPROVED: "Approved",
    _L.WITHDRAWN: "Withdrawn",
}

# The letters a referral can have, in the words the teams use.
LETTER_KIND_LABELS: dict[str, str] = {
    "acknowledgement": "Acknowledgement",
    "holding": "Holding reply",
    "response": "Full response",
    "redirect": "Letter passing it to another service",
}
# The letters about SEND, set aside when a letter is marked as not about SEND; the
# redirect letter is for a letter that is not.
SEND_LETTERS = frozenset({"acknowledgement", "holding", "response"})
# What approving a letter of each kind does to its referral: the acknowledgement starts
# the wait for the full reply; the full response ends it (stopping the reply clock). A
# holding reply changes no status: it moves the reply-by date to the one it gives.
LETTER_EFFECTS: dict[str, Transition[ReferralStatus]] = {
    "acknowledgement": REFERRAL["acknowledge"],
    "response": REFERRAL["reply"],
}
