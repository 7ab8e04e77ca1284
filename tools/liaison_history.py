"""A made-up history of MP referrals with known answers, for the liaison figures' tests
and benchmarks: months of letters from real MPs on the shipped House of Commons list,
councillors, an MP's office the list does not bear out, and members of the public; each
acknowledged, replied to and closed (or not yet) a known number of working days after it
arrived, some with a holding reply that moved the reply-by date.

    history = make_history(db, protocol, today=date(2026, 3, 16), months=24, seed=7)

Everything goes in through the store's own functions, as the pipeline and the desk write
it. `history.plans` says what each referral must count as (its verdicts against the
protocol worked out here, by its own reading of the targets, not by the code it tests),
so a test counts the plans to know what every figure must be. One MP, FALLING, writes
20 letters a month for the first 12 complete months and 17 for the next 12: a fall of
exactly 15%. Every other member writes as many in the second year as in the first.

    python -m tools.liaison_history HOME --referrals 50000   # for a benchmark's desk
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from correspond.config import Protocol
from correspond.domain.concerns import CONCERN_LABELS
from correspond.domain.correspondents import COUNCILLOR, MP, OTHER, Claim
from correspond.domain.outcomes import CHANGES_BY_CONCERN, OUTCOMES
from correspond.domain.workdays import add_working_days
from correspond.imports.registers import import_members, load_shipped_mps
from correspond.records import (
    Child,
    Concern,
    Constituent,
    Correspondent,
    Extraction,
    Letter,
    MatchDecision,
)
from correspond.review import LETTER, REFERRAL, ReferralStatus
from correspond.store import audit, outcomes, referrals, registers
from correspond.store.database import Database
from correspond.store.drafts import move_letter

LONDON = ZoneInfo("Europe/London")
# The MPs who write, by constituency (all on the shipped list); the first is FALLING.
CONSTITUENCIES = (
    "Aldershot", "Basingstoke", "East Hampshire", "Eastleigh", "Fareham and Waterlooville",
    "Gosport", "Havant", "New Forest East", "New Forest West", "North East Hampshire",
    "North West Hampshire", "Winchester",
)
FALLING = f"mp:{CONSTITUENCIES[0]}"
COUNCILLORS = (("Jo Bloggs", "Brighton Hill"), ("Priya Patel", "Kempshott"),
               ("Tom Oakes", "Winklebury"), ("Sam Green", "Popley"))
# Writers the figures must never count as MPs.
PUBLIC = ("Prince Vasíli", "Anna Pavlovna", "Marya Dmitrievna", "Pierre Bezukhov")
UNLISTED = ("Jane Doe", "Aldershot")  # says she is the MP for Aldershot; she is not
FIRST_NAMES = ("Adam", "Zara", "Oliver", "Amelia", "Noah", "Isla", "Leo", "Ava", "Ivy",
               "Theo", "Freya", "Arlo", "Mia", "Elijah", "Lily")
SURNAMES = ("Khan", "Smith", "Okafor", "Nowak", "Patel", "Evans", "Murphy", "O'Neill",
            "Williams", "Ahmed", "Taylor", "Jones")
CASEWORKERS = ("casey", "chris", "sam")
# Working days after receipt that a holding reply (sent after 10) gives as its new date.
PROMISED_AFTER = (18, 25)


@dataclass(frozen=True)
class Plan:
    """One referral as made, and what it must count as."""

    reference: str
    id: int
    received: date
    writer: str  # "mp:<constituency>", "councillor:<ward>", "unlisted_mp", "other"
    kind: str  # as the protocol counts the writer
    listed: bool  # a member on a list, so counted by name
    is_send: bool
    urgent: bool
    concerns: tuple[str, ...]
    child: tuple[str, str]
    acknowledgement_target: int  # working days, by the protocol in force when it came
    reply_target: int
    acknowledged_after: int | None  # working days; None: not yet acknowledged
    replied_after: int | None
    # A holding reply's new reply-by date, in working days after receipt (None: no
    # holding reply moved it), and whether the full reply came by it: kept, missed, or
    # waiting (not sent, the new date not yet passed).
    promised_after: int | None
    acknowledgement_verdict: str  # within, late, overdue, pending or none
    reply_verdict: str  # against the protocol's target, whatever a holding reply said
    holding_verdict: str | None
    status: str
    outcome: str | None
    changes: tuple[tuple[str, str], ...]

    @property
    def month(self) -> date:
        return self.received.replace(day=1)


@dataclass
class History:
    today: date
    plans: list[Plan] = field(default_factory=list)
    member_ids: dict[str, int] = field(default_factory=dict)  # writer -> correspondent id

    def send(self) -> list[Plan]:
        return [plan for plan in self.plans if plan.is_send]


def make_history(db: Database, protocol: Protocol, *, today: date, months: int = 24,
                 seed: int = 7, scale: float = 1.0, region: str = "ENG",
                 progress: Callable[[int], None] | None = None) -> History:
    """Record `months` complete months of referrals before `today`'s month, and this
    month's up to yesterday; `scale` multiplies every writer's monthly letters."""
    rng = random.Random(seed)
    load_shipped_mps(db)
    import_members(db, COUNCILLOR, _councillor_csv())
    history = History(today)
    history.member_ids = _member_ids(db)
    first = _add_months(today.replace(day=1), -months)
    schedule = _schedule(rng, months, scale)
    with db.writing() as connection:
        for month_index in range(months + 1):
            month = _add_months(first, month_index)
            for writer, count in schedule(month_index):
                for _ in range(count):
                    received = _day_in(rng, month, today)
                    if received is None:
                        continue
                    plan = _record(db, connection, rng, protocol, history, writer, received,
                                   region)
                    history.plans.append(plan)
                    if progress:
                        progress(1)
    return history


def _councillor_csv() -> bytes:
    rows = ["Name,Ward,Party"] + [f"{name},{ward},Independent" for name, ward in COUNCILLORS]
    return ("\n".join(rows) + "\n").encode()


def _member_ids(db: Database) -> dict[str, int]:
    with db.reading() as connection:
        index = registers.listed_index(db, connection)
        found = {}
        for constituency in CONSTITUENCIES:
            entry = index.match(Claim("mp", None, constituency))
            assert entry is not None, constituency
            found[f"mp:{constituency}"] = entry.id
        for name, ward in COUNCILLORS:
            entry = index.match(Claim("councillor", name, ward))
            assert entry is not None, name
            found[f"councillor:{ward}"] = entry.id
    return found


def _schedule(rng: random.Random, months: int, scale: float
              ) -> Callable[[int], list[tuple[str, int]]]:
    """How many letters each writer sends in each month (index 0 is the first month,
    `months` this month so far): over the last 24 complete months, the same in each of
    the two years for everyone but FALLING, whose second year is 15% down."""
    writers = ([f"mp:{name}" for name in CONSTITUENCIES[1:]]
               + [f"councillor:{ward}" for _, ward in COUNCILLORS]
               + ["unlisted_mp", "other", "not_send"])
    ranges = {"unlisted_mp": (0, 2), "other": (2, 5), "not_send": (1, 4)}
    plan: dict[str, list[int]] = {}
    for writer in writers:
        low, high = ranges.get(writer, (1, 3) if writer.startswith("councillor") else (3, 8))
        counts = [rng.randint(low, high) for _ in range(months + 1)]
        if months >= 24:
            second_year = counts[months - 24:months - 12]
            rng.shuffle(second_year)
            counts[months - 12:months] = second_year
        plan[writer] = [round(count * scale) for count in counts]
    falling = [20] * (months + 1)
    if months >= 12:
        falling[months - 12:months] = [17] * 12
    falling[months] = 10
    plan[FALLING] = [round(count * scale) for count in falling]

    def for_month(index: int) -> list[tuple[str, int]]:
        return [(writer, counts[index]) for writer, counts in plan.items()]
    return for_month


def _day_in(rng: random.Random, month: date, today: date) -> date | None:
    last = (_add_months(month, 1) - timedelta(days=1)).day
    day = month.replace(day=rng.randint(1, last))
    return day if day < today else None


def _record(db: Database, connection, rng: random.Random, protocol: Protocol,
            history: History, writer: str, received: date, region: str) -> Plan:
    kind, correspondent = _correspondent(rng, writer)
    is_send = writer != "not_send"
    urgent = is_send and rng.random() < 0.1
    concerns = tuple(rng.sample(sorted(CONCERN_LABELS), rng.choice((1, 1, 2)))) if is_send \
        else ()
    child = (rng.choice(FIRST_NAMES), rng.choice(SURNAMES))
    extraction = Extraction(
        is_send=is_send, correspondent=correspondent,
        constituent=Constituent(name=f"Mrs {rng.choice(SURNAMES)}"),
        children=(Child(first_name=child[0], last_name=child[1]),),
        concerns=tuple(Concern(category) for category in concerns), urgent=urgent)
    received_at = datetime.combine(received, time(10, rng.randint(0, 59)),
                                   LONDON).astimezone(UTC)
    link = registers.match_claim(db, connection, _claim(correspondent))
    acknowledgement_due, reply_due = protocol.due_dates(received, link.kind, urgent, region)
    reference = referrals.next_reference(db, connection, "MP", received.year)
    sha256 = hashlib.sha256(reference.encode()).hexdigest()
    referrals.record_file(db, connection, sha256, 100, f"synthetic/{sha256}")
    referral_id = referrals.insert_referral(db, connection, referrals.NewReferral(
        reference=reference, sha256=sha256, format="eml", received_at=received_at,
        received_date=received, acknowledgement_due=acknowledgement_due, reply_due=reply_due,
        status=ReferralStatus.AWAITING_APPROVAL if is_send else ReferralStatus.NOT_SEND,
        letter=Letter(text="(synthetic)", source="body", subject="Constituent's child"),
        extraction=extraction, matches=(MatchDecision("new"),), referral_json={},
        correspondent=link))
    acknowledgement_target, reply_target = _targets(protocol, received, link.kind, urgent)
    plan: dict[str, Any] = dict(
        reference=reference, id=referral_id, received=received, writer=writer,
        kind=link.kind, listed=link.correspondent_id is not None, is_send=is_send,
        urgent=urgent, concerns=concerns, child=child,
        acknowledgement_target=acknowledgement_target, reply_target=reply_target,
        acknowledged_after=None, replied_after=None, promised_after=None, outcome=None,
        changes=())
    if not is_send:
        return Plan(**plan, acknowledgement_verdict="none", reply_verdict="none",
                    holding_verdict=None, status=ReferralStatus.NOT_SEND)
    acknowledged_after = rng.choice((0, 1, 1, 2, 2, 2, 3, 4))
    replied_after = acknowledged_after + rng.choice((4, 8, 10, 12, 14, 14, 16, 19, 22))
    acknowledged = _sent(received, acknowledged_after, history.today, region, rng)
    replied = _sent(received, replied_after, history.today, region, rng) if acknowledged \
        else None
    status = ReferralStatus.AWAITING_APPROVAL
    draft_id = referrals.insert_draft(db, connection, referral_id, "acknowledgement",
                                      f"synthetic/{reference}/acknowledgement.docx")
    if acknowledged:
        by = rng.choice(CASEWORKERS)
        move_letter(db, connection, draft_id, LETTER["approve"], approved_by=by,
                    approved_at=acknowledged)
        referrals.move_referral(db, connection, referral_id, REFERRAL["acknowledge"],
                                acknowledged_at=acknowledged)
        status, plan["acknowledged_after"] = ReferralStatus.ACKNOWLEDGED, acknowledged_after
        if replied_after > 12 and (holding := _sent(received, 10, history.today, region, rng)):
            holding_id = referrals.insert_draft(db, connection, referral_id, "holding",
                                                f"synthetic/{reference}/holding.docx")
            move_letter(db, connection, holding_id, LETTER["approve"], approved_by=by,
                        approved_at=holding)
            # As the desk does on approving it: the holding reply's new date becomes the
            # reply-by date, the protocol's first date kept beside it.
            promised_after = rng.choice(PROMISED_AFTER)
            if promised_after > reply_target:
                promised = add_working_days(received, promised_after, region)
                referrals.update_referral(db, connection, referral_id, reply_due=promised,
                                          first_reply_due=reply_due)
                audit.record(db, connection, user=by, action="reply date moved",
                             referral_id=referral_id, detail=f"to {promised.isoformat()}",
                             at=holding)
                plan["promised_after"] = promised_after
    if replied:
        referrals.move_referral(db, connection, referral_id, REFERRAL["reply"],
                                replied_at=replied)
        audit.record(db, connection, user=rng.choice(CASEWORKERS), action="replied",
                     referral_id=referral_id, at=replied)
        status, plan["replied_after"] = ReferralStatus.REPLIED, replied_after
        closed = _sent(received, replied_after + 3, history.today, region, rng)
        if closed and rng.random() < 0.9:
            outcome = rng.choice(sorted(OUTCOMES))
            changes = tuple((concern, rng.choice(CHANGES_BY_CONCERN[concern]))
                            for concern in concerns if outcome in ("resolved",
                                                                   "partly_resolved"))
            user = rng.choice(CASEWORKERS)
            referrals.move_referral(db, connection, referral_id, REFERRAL["close"])
            outcomes.record_outcome(db, connection, referral_id, outcome, changes, None,
                                    user, at=closed)
            audit.record(db, connection, user=user, action="closed",
                         referral_id=referral_id, detail=outcome, at=closed)
            status, plan["outcome"], plan["changes"] = ReferralStatus.CLOSED, outcome, changes
    return Plan(**plan, status=status,
                acknowledgement_verdict=_verdict(received, acknowledgement_target,
                                                 plan["acknowledged_after"], history.today,
                                                 region),
                reply_verdict=_verdict(received, reply_target, plan["replied_after"],
                                       history.today, region),
                holding_verdict=None if plan["promised_after"] is None else {
                    "within": "kept", "late": "missed", "overdue": "missed",
                    "pending": "waiting"}[_verdict(received, plan["promised_after"],
                                                   plan["replied_after"], history.today,
                                                   region)])


def _correspondent(rng: random.Random, writer: str) -> tuple[str, Correspondent]:
    if writer.startswith("mp:"):
        area = writer.removeprefix("mp:")
        office = rng.random() < 0.3
        return MP, Correspondent(type="mp_office" if office else "mp", constituency=area,
                                 reference=f"HC{rng.randint(1000, 9999)}")
    if writer.startswith("councillor:"):
        ward = writer.removeprefix("councillor:")
        name = next(name for name, listed_ward in COUNCILLORS if listed_ward == ward)
        return COUNCILLOR, Correspondent(type="councillor", name=name, constituency=ward)
    if writer == "unlisted_mp":
        return MP, Correspondent(type="mp", name=UNLISTED[0], constituency=UNLISTED[1])
    return OTHER, Correspondent(type="other", name=rng.choice(PUBLIC))


def _claim(correspondent: Correspondent) -> Claim:
    return Claim(correspondent.type, correspondent.name, correspondent.constituency)


def _targets(protocol: Protocol, received: date, kind: str, urgent: bool) -> tuple[int, int]:
    """The protocol's targets for a letter, read here from the versions as listed."""
    version = protocol.versions[0]
    for candidate in protocol.versions:
        if candidate.effective <= received:
            version = candidate
    found = []
    for targets in (version.acknowledgement, version.reply):
        days = {MP: targets.mp, COUNCILLOR: targets.councillor, OTHER: targets.other}[kind]
        if urgent and targets.urgent is not None:
            days = min(days, targets.urgent)
        found.append(days)
    return found[0], found[1]


def _sent(received: date, after: int, today: date, region: str,
          rng: random.Random) -> datetime | None:
    """The moment a letter went `after` working days after `received`, if before today."""
    day = add_working_days(received, after, region)
    if day >= today:
        return None
    return datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59)),
                            LONDON).astimezone(UTC)


def _verdict(received: date, target: int, after: int | None, today: date,
             region: str) -> str:
    if after is not None:
        return "within" if after <= target else "late"
    return "overdue" if add_working_days(received, target, region) < today else "pending"


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
