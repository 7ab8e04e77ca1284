"""Who owns a referral: assigning it to a caseworker (a desk user), reassigning it, each
caseworker's own referrals and the team's workload. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass

from correspond.desk.queries import DeskQueries, load_view, queue_order
from correspond.domain.clock import local_date, utc_now
from correspond.domain.text import name_key
from correspond.errors import DeskProblem
from correspond.review import OPEN_REFERRAL_STATUSES
from correspond.store import assignments, audit
from correspond.store.cases import case_by_id
from correspond.store.queue import QueueRow


@dataclass(frozen=True)
class Ownership:
    """A referral's owner, who can own it, and whom the linked case suggests."""

    assignee: str | None
    people: list[tuple[int, str]]  # (user id, name) of each active caseworker
    suggested: tuple[int, str] | None


class Owners:
    def __init__(self, queries: DeskQueries) -> None:
        self.queries = queries
        self.db = queries.db

    def of(self, referral_id: int) -> Ownership:
        with self.db.reading() as connection:
            view = load_view(self.db, connection, referral_id)
            people = assignments.caseworker_users(self.db, connection)
            owner = assignments.assignee(self.db, connection, referral_id)
            # The caseworker on a linked case, when they are a desk user by that name.
            by_name = {name_key(name): (user_id, name) for user_id, name in people}
            suggested = None
            for child in view.children:
                if child.case_id and child.match_status == "matched":
                    case = case_by_id(self.db, connection, child.case_id)
                    if case and case.caseworker and name_key(case.caseworker) in by_name:
                        suggested = by_name[name_key(case.caseworker)]
                        break
        return Ownership(owner, people, suggested)

    def assign(self, referral_id: int, user_id: int | None, by: str) -> str | None:
        """Give the referral to the caseworker `user_id` (None: to nobody); returns the
        new owner's name."""
        with self.db.writing() as connection:
            load_view(self.db, connection, referral_id)  # no such referral: DeskProblem
            people = dict(assignments.caseworker_users(self.db, connection))
            before = assignments.assignee(self.db, connection, referral_id)
            if user_id is None:
                if assignments.unassign(self.db, connection, referral_id):
                    audit.record(self.db, connection, user=by, action="unassigned",
                                 referral_id=referral_id, detail=f"from {before}")
                return None
            if user_id not in people:
                raise DeskProblem("Choose a caseworker from the list; only a caseworker who "
                                  "can sign in can own a referral.")
            if people[user_id] == before:
                return before
            assignments.assign(self.db, connection, referral_id, user_id, by=by)
            audit.record(self.db, connection, user=by,
                         action="reassigned" if before else "assigned",
                         referral_id=referral_id,
                         detail=f"to {people[user_id]}" + (f" from {before}" if before else ""))
            return people[user_id]

    def mine(self, user_name: str) -> list[QueueRow]:
        """The open referrals `user_name` owns, in the queue's order."""
        with self.db.reading() as connection:
            ids = assignments.assigned_ids(self.db, connection, user_name)
        rows = self.queries.rows_of(ids)
        return sorted((row for row in rows if row.status in OPEN_REFERRAL_STATUSES),
                      key=queue_order)

    def team(self) -> list[assignments.Workload]:
        with self.db.reading() as connection:
            return assignments.workloads(self.db, connection, local_date(utc_now()))
