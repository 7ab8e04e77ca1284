"""What the desk tells a caseworker when an action cannot be done, in one sentence."""

from __future__ import annotations

from datetime import datetime

from correspond.domain.clock import local_date, local_time, utc_now
from correspond.review import ReferralStatus
from correspond.store.drafts import Draft


def by_whom(user: str | None, moment: datetime | None) -> str:
    """" by casey at 10:42" (with the date when not today), for messages."""
    if moment is None:
        return f" by {user}" if user else ""
    local = local_time(moment)
    when = (f"at {local:%H:%M}" if local.date() == local_date(utc_now())
            else f"on {local.day} {local:%B %Y} at {local:%H:%M}")
    return f" {when} by {user}" if user else f" {when}"


def cannot_change(letter: Draft) -> str:
    if letter.is_approved:
        return (f"This letter was approved{by_whom(letter.approved_by, letter.approved_at)}; "
                "it can no longer be changed.")
    return "This letter cannot be changed now; reload the page to see its state."


def cannot_acknowledge(status: str | None) -> str:
    if status == ReferralStatus.NOT_SEND:
        return ("This letter is marked as not about SEND, so its acknowledgement cannot be "
                "approved; tick 'About SEND' first if it is.")
    return "The acknowledgement for this referral has already been approved."


def cannot_reply(status: str | None) -> str:
    if status == ReferralStatus.NOT_SEND:
        return ("This letter is marked as not about SEND, so its full response cannot be "
                "approved; tick 'About SEND' first if it is.")
    if status == ReferralStatus.REPLIED:
        return "The full reply for this referral has already been sent."
    return "Approve the acknowledgement before the full response."


def folder_problem(folder: str, err: OSError) -> str:
    return (f"The {folder} folder could not be written to ({err.strerror}), so nothing was "
            f"changed; ask IT support to check that the service can write to the {folder} "
            "folder.")
