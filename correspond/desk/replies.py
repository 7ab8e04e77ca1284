"""The full response and the holding reply at the desk: what the caseworker writes and
chooses for them, and the other children a letter may name once confirmed.

Like every desk action, each change reads the state, checks it and changes it in one
write transaction, with its audit event. A letter a caseworker has edited in Word and
uploaded is never redrafted silently: what they save is kept for the next redraft, and
they are told.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from correspond.config import Settings
from correspond.desk.disclosure import Mention, letter_text, other_children
from correspond.desk.drafting import add_letter_in, casework_for, linked_cases, render_letter
from correspond.desk.fields import extraction_from_json
from correspond.desk.messages import cannot_change
from correspond.desk.queries import ReferralView, load_view
from correspond.domain.clock import local_date, utc_now
from correspond.domain.dates import parse_uk_date, written_date
from correspond.domain.statutory import case_clocks
from correspond.domain.workdays import add_working_days, is_working_day
from correspond.draft import Drafter
from correspond.draft.context import is_young_person
from correspond.draft.paragraphs import Entry
from correspond.draft.wording import HOLDING_REASONS, clock_sentence
from correspond.errors import DeskProblem, TemplateProblem
from correspond.records import ReplyInputs
from correspond.review import LETTER, ReferralStatus
from correspond.store import audit, drafts
from correspond.store.cases import cases_by_id
from correspond.store.database import Database
from correspond.store.drafts import Draft
from correspond.store.replies import confirm_disclosure, reply_inputs, save_reply_inputs

RESPONSE, HOLDING = "response", "holding"
HOLDING_SUGGESTED_WORKING_DAYS = 10
MAX_SECTION_CHARACTERS = 10_000
MAX_REASON_CHARACTERS = 500


@dataclass(frozen=True)
class ClockChoice:
    key: str  # "C-1001/assessment_decision", as ReplyInputs.confirmed_clocks holds it
    sentence: str  # as the letter would state it
    late: bool


@dataclass(frozen=True)
class ReplyChoices:
    """What the referral page offers for the full response and the holding reply."""

    inputs: ReplyInputs
    paragraphs: list[Entry]  # the approved wording for this letter's concerns
    wording: dict[str, str]  # each one's heading -> its words, as this letter would say them
    library_problems: tuple[str, ...]
    clocks: list[ClockChoice]
    suggested_reply_due: date
    holding_reasons: tuple[str, ...]

    @property
    def own_reason(self) -> str:
        """A reason the caseworker wrote themselves (not one of the list's)."""
        reason = self.inputs.holding_reason
        return "" if reason in self.holding_reasons else reason


@dataclass(frozen=True)
class Saved:
    redrafted: bool  # False: the letter edited in Word was kept as it is


class Replies:
    def __init__(self, settings: Settings, db: Database, drafter: Drafter) -> None:
        self.settings = settings
        self.db = db
        self.drafter = drafter

    # Reading ---------------------------------------------------------------------

    def choices(self, referral_id: int) -> ReplyChoices:
        with self.db.reading() as connection:
            view = load_view(self.db, connection, referral_id)
            inputs = reply_inputs(self.db, connection, referral_id)
            records = linked_cases(self.db, connection, view)
            casework = casework_for(self.db, connection, view, "", RESPONSE)
        today = local_date(utc_now())
        clocks = [ClockChoice(f"{record.case_id}/{clock.key}",
                              clock_sentence(clock, record.called), clock.state == "late")
                  for record in records for clock in case_clocks(record, today)]
        problems: tuple[str, ...]
        try:
            library = self.drafter.library()
        except TemplateProblem as problem:
            offered, problems = [], (problem.reason,)
        else:
            referral = view.referral
            situations = [name for name, applies in (
                ("chaser", bool(referral.get("is_chaser"))),
                ("urgent", bool(referral.get("urgent"))),
                ("late", any(choice.late for choice in clocks)),
                ("young person", is_young_person(extraction_from_json(referral))),
            ) if applies]
            categories = [item["category"] for item in referral.get("concerns", [])]
            offered = library.offered(categories, situations)
            # Ticked earlier but no longer offered (the concerns changed): still shown.
            offered += [entry for entry in library.chosen(inputs.paragraphs)
                        if entry not in offered]
            problems = library.problems
        # Each paragraph as this letter would say it, for the caseworker to choose from.
        context = self.drafter.context_for(view.row, extraction_from_json(view.referral),
                                           casework)
        wording = {entry.heading: _wording(entry, context) for entry in offered}
        start = max(today, view.row.reply_due)
        return ReplyChoices(
            inputs=inputs, paragraphs=offered, wording=wording, library_problems=problems,
            clocks=clocks,
            suggested_reply_due=add_working_days(start, HOLDING_SUGGESTED_WORKING_DAYS,
                                                 self.settings.bank_holidays),
            holding_reasons=HOLDING_REASONS)

    def mentions(self, referral_id: int, letters: list[Draft]) -> dict[int, list[Mention]]:
        """For each unapproved letter, the other children it names (not yet confirmed)."""
        found: dict[int, list[Mention]] = {}
        with self.db.reading() as connection:
            for letter in letters:
                if letter.is_approved:
                    continue
                try:
                    data = Path(letter.path).read_bytes()
                except OSError:
                    continue
                found[letter.id] = other_children(self.db, connection, referral_id,
                                                  letter_text(data))
        return found

    # Changing --------------------------------------------------------------------

    def draft_response(self, referral_id: int, user: str) -> None:
        """Draft the full response from the template, the case and what is saved."""
        with self.db.writing() as connection:
            view = load_view(self.db, connection, referral_id)
            _check_open(view)
            if any(letter.kind == RESPONSE for letter in view.drafts):
                raise DeskProblem("The full response has already been drafted.")
            add_letter_in(self.db, connection, self.drafter, view,
                          extraction_from_json(view.referral), RESPONSE, user)

    def save_response(self, referral_id: int, *, what_found: str, what_next: str,
                      paragraphs: list[str], clocks: list[str], user: str) -> Saved:
        """Keep what the caseworker wrote and chose, and draft the response again with
        it (unless they have edited it in Word: then it is kept, and they are told)."""
        what_found, what_next = _section(what_found), _section(what_next)
        choices = self.choices(referral_id)
        known_paragraphs = {entry.heading for entry in choices.paragraphs}
        if not set(paragraphs) <= known_paragraphs:
            raise DeskProblem("Choose paragraphs from the list; reload the page if the "
                              "paragraph library has just changed.")
        known_clocks = [choice.key for choice in choices.clocks]
        if not set(clocks) <= set(known_clocks):
            raise DeskProblem("Choose timescales from the list; reload the page if the case "
                              "record has just changed.")
        with self.db.writing() as connection:
            view = load_view(self.db, connection, referral_id)
            letter = _letter_of_kind(view, RESPONSE)
            if letter is None:
                raise DeskProblem("Draft the full response first.")
            if letter.is_approved:
                raise DeskProblem(cannot_change(letter))
            inputs = replace(
                reply_inputs(self.db, connection, referral_id), what_found=what_found,
                what_next=what_next,
                paragraphs=tuple(entry.heading for entry in choices.paragraphs
                                 if entry.heading in paragraphs),
                confirmed_clocks=tuple(key for key in known_clocks if key in clocks))
            save_reply_inputs(self.db, connection, referral_id, inputs, user)
            audit.record(self.db, connection, user=user, action="edited",
                         referral_id=referral_id, detail="full response: sections and choices")
            if letter.source == "uploaded":
                return Saved(redrafted=False)
            self._redraft(connection, view, letter, user)
        return Saved(redrafted=True)

    def draft_holding(self, referral_id: int, *, new_date: str, reason: str,
                      user: str) -> Saved:
        """Draft (or draft again) the holding reply with its new reply-by date and the
        reason for it; approving it moves the referral's reply-by date."""
        reason = " ".join(reason.split())
        if not reason:
            raise DeskProblem("Choose a reason for the holding reply, or write your own.")
        if len(reason) > MAX_REASON_CHARACTERS:
            raise DeskProblem("Keep the reason to one or two sentences (at most "
                              f"{MAX_REASON_CHARACTERS} characters).")
        with self.db.writing() as connection:
            view = load_view(self.db, connection, referral_id)
            _check_open(view)
            promised = self._new_reply_date(new_date, view)
            inputs = replace(reply_inputs(self.db, connection, referral_id),
                             holding_reply_due=promised, holding_reason=reason)
            save_reply_inputs(self.db, connection, referral_id, inputs, user)
            letter = _letter_of_kind(view, HOLDING)
            if letter is None:
                add_letter_in(self.db, connection, self.drafter, view,
                              extraction_from_json(view.referral), HOLDING, user)
                return Saved(redrafted=True)
            if letter.is_approved:
                raise DeskProblem(cannot_change(letter))
            audit.record(self.db, connection, user=user, action="edited",
                         referral_id=referral_id, detail="holding reply: date and reason")
            if letter.source == "uploaded":
                return Saved(redrafted=False)
            self._redraft(connection, view, letter, user)
        return Saved(redrafted=True)

    def confirm_disclosure(self, referral_id: int, case_id: str, user: str) -> str:
        """The caseworker's word that the child of `case_id` is the same family's and may
        be named in this referral's letters; returns the child's name as recorded."""
        case_id = case_id.strip()
        with self.db.writing() as connection:
            load_view(self.db, connection, referral_id)  # the referral exists
            record = cases_by_id(self.db, connection, [case_id]).get(case_id)
            if record is None:
                raise DeskProblem(f"There is no case {case_id}.")
            if confirm_disclosure(self.db, connection, referral_id, case_id, user):
                audit.record(self.db, connection, user=user, action="disclosure confirmed",
                             referral_id=referral_id, detail=f"case {case_id}")
        return record.name

    def _redraft(self, connection, view: ReferralView, letter: Draft, user: str) -> None:
        if not drafts.move_letter(self.db, connection, letter.id, LETTER["change"],
                                  source="drafted", changed_by=user):
            raise DeskProblem(cannot_change(letter))
        render_letter(self.drafter, letter.kind, view.row, extraction_from_json(view.referral),
                      casework_for(self.db, connection, view, user, letter.kind))
        audit.record(self.db, connection, user=user, action="redrafted",
                     referral_id=view.row.id, detail=letter.kind)

    def _new_reply_date(self, text: str, view: ReferralView) -> date:
        try:
            promised = parse_uk_date(text)
        except ValueError:
            raise DeskProblem(f"New reply-by date: '{text.strip()}' is not a date; write it "
                              "as 15/12/2026.") from None
        current = view.row.reply_due
        if promised <= max(current, local_date(utc_now())):
            raise DeskProblem(f"The new reply-by date must be later than "
                              f"{written_date(max(current, local_date(utc_now())))}.")
        if not is_working_day(promised, self.settings.bank_holidays):
            raise DeskProblem(f"{written_date(promised)} is not a working day (a weekend or "
                              "a bank holiday); choose a working day.")
        return promised


def _wording(entry: Entry, context: dict[str, object]) -> str:
    try:
        return " ".join(Drafter.wording(entry, context))
    except TemplateProblem as problem:
        return problem.reason


def _check_open(view: ReferralView) -> None:
    if view.row.status == ReferralStatus.NOT_SEND:
        raise DeskProblem("This letter is marked as not about SEND, so it has no reply to "
                          "draft; tick 'About SEND' first if it is.")
    if view.row.status == ReferralStatus.REPLIED:
        raise DeskProblem("The full reply has already been sent for this referral.")


def _letter_of_kind(view: ReferralView, kind: str) -> Draft | None:
    return next((letter for letter in view.drafts if letter.kind == kind), None)


def _section(text: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_SECTION_CHARACTERS:
        raise DeskProblem(f"A section of the response can be at most "
                          f"{MAX_SECTION_CHARACTERS:,} characters; shorten it, or write the "
                          "rest in Word and upload the letter.")
    return text


__all__ = ["HOLDING_REASONS", "ClockChoice", "ReplyChoices", "Replies", "Saved"]
