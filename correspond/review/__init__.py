"""Review: the statuses a referral and its letters pass through, and the only changes
between them that are allowed. Every module that reads or writes a status uses these."""

from correspond.review.status import (
    LETTER,
    LETTER_EFFECTS,
    LETTER_KIND_LABELS,
    LETTER_STATUS_LABELS,
    OPEN_REFERRAL_STATUSES,
    REFERRAL,
    REFERRAL_STATUS_LABELS,
    SEND_LETTERS,
    LetterStatus,
    ReferralStatus,
    Transition,
)

__all__ = ["LETTER", "LETTER_EFFECTS", "LETTER_KIND_LABELS", "LETTER_STATUS_LABELS",
           "LetterStatus", "OPEN_REFERRAL_STATUSES", "REFERRAL", "REFERRAL_STATUS_LABELS",
           "ReferralStatus", "SEND_LETTERS", "Transition"]
