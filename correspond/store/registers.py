"""The registers of MPs and councillors: saving an import, and linking each referral to
the listed member who wrote it (domain/correspondents.py says when one fits)."""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from correspond.domain.clock import utc_now
from correspond.domain.correspondents import (
    OTHER,
    Claim,
    RegisterEntry,
    RegisterIndex,
    claimed_kind,
)
from correspond.records import MemberRecord
from correspond.store.database import Database

_COLUMNS = ("name", "area", "area_code", "party", "email", "since")
# Each database's index of listed members, with the version of the lists it was read at.
_INDEXES: weakref.WeakKeyDictionary[Database, tuple[tuple[Any, ...], RegisterIndex]] = (
    weakref.WeakKeyDictionary())


@dataclass(frozen=True)
class RegisterImport:
    added: int
    updated: int
    unchanged: int
    no_longer_listed: int  # on the list before, not on this import: kept, not listed
    referrals_linked: int  # referrals now linked to a member of this list


@dataclass(frozen=True)
class Link:
    """Who wrote a referral, as the figures count them."""

    kind: str  # mp, councillor or other
    correspondent_id: int | None  # the listed member, if one fits


@dataclass(frozen=True)
class Member:
    id: int
    kind: str
    name: str
    area: str | None
    party: str | None
    listed: bool

    @property
    def title(self) -> str:
        """'Alex Baker MP (Aldershot)', 'Cllr Jo Bloggs (Brighton Hill)'."""
        if self.kind == "mp":
            shown = f"{self.name} MP"
        else:
            shown = f"Cllr {self.name}"
        return f"{shown} ({self.area})" if self.area else shown


@dataclass(frozen=True)
class RegisterState:
    kind: str
    listed: int
    imported_at: datetime | None


def save_members(db: Database, kind: str, records: Iterable[MemberRecord]) -> RegisterImport:
    """Replace the list of `kind` with `records`, in one transaction: members are added or
    updated, those missing are kept but no longer listed, and referrals that claimed to be
    from a member of this kind and were linked to no one are linked where one now fits."""
    table = db.table("correspondents")
    now = utc_now()
    added = updated = unchanged = 0
    with db.writing() as connection:
        existing = {row.identity: row for row in connection.execute(
            sa.select(table).where(table.c.kind == kind))}
        seen = set()
        inserts = []
        for record in records:
            if record.kind != kind:
                raise ValueError(f"a {record.kind} in the list of {kind}s")
            seen.add(record.identity)
            values = {name: getattr(record, name) for name in _COLUMNS}
            row = existing.get(record.identity)
            if row is None:
                inserts.append(dict(kind=kind, identity=record.identity, listed=True,
                                    imported_at=now, updated_at=now, **values))
            elif row.listed and all(getattr(row, name) == value
                                    for name, value in values.items()):
                unchanged += 1
            else:
                connection.execute(table.update().where(table.c.id == row.id).values(
                    listed=True, updated_at=now, **values))
                updated += 1
        if inserts:
            connection.execute(table.insert(), inserts)
        added = len(inserts)
        gone = [row.id for identity, row in existing.items()
                if identity not in seen and row.listed]
        if gone:
            connection.execute(table.update().where(table.c.id.in_(gone))
                               .values(listed=False, updated_at=now))
        linked = link_unlinked(db, connection, kind)
    return RegisterImport(added, updated, unchanged, len(gone), linked)


def listed_index(db: Database, connection: Connection) -> RegisterIndex:
    """The members on the lists now, for matching. Read once per change of the lists (a
    letter is recorded every few seconds; the lists change a few times a year)."""
    table = db.table("correspondents")
    version = tuple(connection.execute(
        sa.select(sa.func.count(), sa.func.max(table.c.updated_at))).one())
    cached = _INDEXES.get(db)
    if cached is not None and cached[0] == version:
        return cached[1]
    index = RegisterIndex(
        RegisterEntry(row.id, row.kind, row.name, row.area, row.party)
        for row in connection.execute(sa.select(table).where(table.c.listed)))
    _INDEXES[db] = (version, index)
    return index


def match_claim(db: Database, connection: Connection, claim: Claim) -> Link:
    """Who wrote, for a letter that says `claim`: the kind it claims, and the listed
    member it is, if one fits."""
    kind = claimed_kind(claim.type)
    if kind == OTHER:
        return Link(OTHER, None)
    entry = listed_index(db, connection).match(claim)
    return Link(kind, entry.id if entry else None)


def link_referral(db: Database, connection: Connection, referral_id: int) -> Link:
    """Link a referral to its writer again from its columns as they now stand (after a
    caseworker corrected the name or constituency, say)."""
    referrals = db.table("referrals")
    row = connection.execute(
        sa.select(referrals.c.correspondent_type, referrals.c.mp_name,
                  referrals.c.constituency).where(referrals.c.id == referral_id)).one()
    link = match_claim(db, connection, Claim(row.correspondent_type, row.mp_name,
                                             row.constituency))
    connection.execute(referrals.update().where(referrals.c.id == referral_id).values(
        correspondent_kind=link.kind, correspondent_id=link.correspondent_id))
    return link


def link_unlinked(db: Database, connection: Connection, kind: str) -> int:
    """Link the referrals of `kind` linked to no one, where a listed member now fits."""
    referrals = db.table("referrals")
    rows = connection.execute(
        sa.select(referrals.c.id, referrals.c.correspondent_type, referrals.c.mp_name,
                  referrals.c.constituency)
        .where(referrals.c.correspondent_kind == kind,
               referrals.c.correspondent_id.is_(None))).all()
    index = listed_index(db, connection)
    linked = 0
    for row in rows:
        entry = index.match(Claim(row.correspondent_type, row.mp_name, row.constituency))
        if entry is not None:
            connection.execute(referrals.update().where(referrals.c.id == row.id)
                               .values(correspondent_id=entry.id))
            linked += 1
    return linked


def member(db: Database, connection: Connection, member_id: int) -> Member | None:
    table = db.table("correspondents")
    row = connection.execute(sa.select(table).where(table.c.id == member_id)).first()
    return _member(row) if row is not None else None


def members_with_referrals(db: Database, connection: Connection) -> list[Member]:
    """Every member (listed or not) who has written at least once, by kind then name."""
    table, referrals = db.table("correspondents"), db.table("referrals")
    rows = connection.execute(
        sa.select(table).where(sa.exists().where(referrals.c.correspondent_id == table.c.id))
        .order_by(table.c.kind.desc(), table.c.name)).all()
    return [_member(row) for row in rows]


def members_by_id(db: Database, connection: Connection,
                  ids: Iterable[int]) -> dict[int, Member]:
    table = db.table("correspondents")
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {row.id: _member(row) for row in connection.execute(
        sa.select(table).where(table.c.id.in_(wanted)))}


def register_states(db: Database, connection: Connection) -> dict[str, RegisterState]:
    """How many members each list holds now, and when it was last imported."""
    table = db.table("correspondents")
    rows = connection.execute(
        sa.select(table.c.kind, sa.func.sum(sa.case((table.c.listed, 1), else_=0)),
                  sa.func.max(table.c.updated_at)).group_by(table.c.kind)).all()
    return {kind: RegisterState(kind, int(listed or 0), at) for kind, listed, at in rows}


def _member(row: Any) -> Member:
    return Member(row.id, row.kind, row.name, row.area, row.party, bool(row.listed))


__all__ = ["Link", "Member", "RegisterImport", "RegisterState", "link_referral",
           "link_unlinked", "listed_index", "match_claim", "member", "members_by_id",
           "members_with_referrals", "register_states", "save_members"]
