"""A caseworker confirms or corrects a child's link; the decision is kept and reused."""

from __future__ import annotations

import logging

from correspond.errors import MatchConfirmationError
from correspond.match.family import family_key
from correspond.records import Child, Constituent
from correspond.store import confirmations
from correspond.store.cases import case_by_id
from correspond.store.database import Database

log = logging.getLogger(__name__)


def confirm_match(db: Database, referral_id: int, child_index: int, case_id: str,
                  user: str) -> None:
    """Link child `child_index` (0 for the first) of referral `referral_id` to `case_id`,
    as `user` decided. The next letter about the same child from the same family links
    to it without asking."""
    if not user.strip():
        raise MatchConfirmationError("Say who confirms the match.")
    with db.writing() as connection:
        child = confirmations.stored_child(db, connection, referral_id, child_index)
        if child is None:
            raise MatchConfirmationError(
                f"Referral {referral_id} has no child number {child_index + 1}.")
        if case_by_id(db, connection, case_id) is None:
            raise MatchConfirmationError(f"There is no case record {case_id}.")
        written = Child(first_name=child.first_name, last_name=child.last_name,
                        date_of_birth=child.date_of_birth)
        constituent = Constituent(name=child.constituent.get("name"),
                                  postcode=child.constituent.get("postcode"))
        confirmations.record_confirmation(
            db, connection, family_key=family_key(written, constituent), case_id=case_id,
            referral_id=referral_id, position=child_index, user=user.strip())
    log.info("referral %s child %s linked to case %s by a caseworker", referral_id,
             child_index, case_id)


def confirm_by_reference(db: Database, reference: str, child_index: int, case_id: str,
                         user: str) -> None:
    """As confirm_match, naming the referral by its council reference (MP-2026-0001)."""
    with db.reading() as connection:
        referral_id = confirmations.referral_id_for(db, connection, reference)
    if referral_id is None:
        raise MatchConfirmationError(f"There is no referral {reference}.")
    confirm_match(db, referral_id, child_index, case_id, user)
