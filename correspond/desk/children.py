"""Adding a child the letter names but reading missed, and removing one that is not a
child (a table's header read as a name), with the reason kept in the history.

Each is one write transaction, like every desk action: the child is added as
corrections (kept beside what was read) or marked removed, and the referral's letters,
queue row and search entry follow at once (DeskActions.refresh).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from correspond.desk.fields import CHILD_FIELDS, MAX_CHILDREN, added_child_path, parse_value
from correspond.desk.queries import load_view
from correspond.errors import DeskProblem
from correspond.store import audit, referrals

if TYPE_CHECKING:
    from correspond.desk.actions import CorrectionResult, DeskActions, Refreshed

MAX_REASON_CHARACTERS = 500


class Children:
    def __init__(self, actions: DeskActions) -> None:
        self.actions = actions
        self.db = actions.db

    def add(self, referral_id: int, form: Mapping[str, str], user: str) -> CorrectionResult:
        """Add a child with the details in `form` (field name -> typed text); its case is
        looked for as for a child read from the letter."""
        typed = {name: text for name, text in form.items() if name in CHILD_FIELDS}
        with self.db.writing() as connection:
            view = load_view(self.db, connection, referral_id)
            position = max(len(view.referral.get("children") or []),
                           len(view.children) + len(view.removed))
            if position >= MAX_CHILDREN:
                raise DeskProblem("A referral can have at most 99 children.")
            values = {f"children[{position}].{name}": parse_value(
                f"children[{position}].{name}", text) for name, text in typed.items()}
            values = {path: value for path, value in values.items() if value is not None}
            if not any(path.endswith(("first_name", "last_name")) for path in values):
                raise DeskProblem("Give the child's first name or last name.")
            result = self.actions.apply_changes(
                connection, view, {added_child_path(position): {}, **values}, user)
            audit.record(self.db, connection, user=user, action="child_added",
                         referral_id=referral_id, detail=f"child {position + 1}")
        return result

    def remove(self, referral_id: int, position: int, reason: str, user: str) -> Refreshed:
        """Remove a child that is not one (kept, marked removed, with why); the letters
        are drafted again without them."""
        reason = " ".join(reason.split())
        if not reason:
            raise DeskProblem("Say why this child is being removed, for example 'a table "
                              "heading, not a child'.")
        if len(reason) > MAX_REASON_CHARACTERS:
            raise DeskProblem(f"Keep the reason to a sentence or two (at most "
                              f"{MAX_REASON_CHARACTERS} characters).")
        with self.db.writing() as connection:
            if not referrals.remove_child(self.db, connection, referral_id, position,
                                          reason=reason, user=user):
                raise DeskProblem(f"This referral has no child number {position + 1} to "
                                  "remove; reload the page to see its children.")
            audit.record(self.db, connection, user=user, action="child_removed",
                         referral_id=referral_id, detail=f"child {position + 1}")
            return self.actions.refresh(connection, referral_id, user)
