"""Who wrote, checked against the registers: the House of Commons list of MPs and the
council's list of councillors.

A letter says who wrote it (an MP, their office, a councillor, anyone else), a name and a
constituency or ward. It counts as from a member only when a listed member fits: the
constituency's MP whose name agrees (or the constituency alone, when the letter names
no one), else the one listed member whose name agrees. A letter that claims to be from
an MP whom no listed MP fits is shown so ("not on the list"); anyone else is "other", and
is never counted as an MP, whatever name the letter carries.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from correspond.domain.names import strip_titles
from correspond.domain.text import fold, name_key

MP, COUNCILLOR, OTHER = "mp", "councillor", "other"
KIND_LABELS = {MP: "MP", COUNCILLOR: "Councillor", OTHER: "Other correspondent"}
# Words a constituency or ward is written with or without.
_AREA_NOISE = re.compile(r"\b(?:the|ward|constituency|division)\b")


@dataclass(frozen=True)
class RegisterEntry:
    """A member on a register: an MP and their constituency, or a councillor and ward."""

    id: int
    kind: str  # MP or COUNCILLOR
    name: str
    area: str | None
    party: str | None = None


@dataclass(frozen=True)
class Claim:
    """Who a letter says it is from, as read (or as a caseworker corrected it)."""

    type: str | None  # the extraction's correspondent type: mp, mp_office, councillor, other
    name: str | None
    area: str | None  # constituency or ward


def claimed_kind(correspondent_type: str | None) -> str:
    """The protocol's kind of correspondent for what a letter says: an MP's office writes
    for the MP."""
    if correspondent_type in ("mp", "mp_office"):
        return MP
    if correspondent_type == COUNCILLOR:
        return COUNCILLOR
    return OTHER


def area_key(area: str | None) -> str:
    """'Ynys Môn' -> 'ynysmon'; 'Brighton Hill Ward' -> 'brightonhill'; '&' is 'and'."""
    if not area:
        return ""
    text = fold(area).casefold().replace("&", " and ")
    return "".join(ch for ch in _AREA_NOISE.sub(" ", text) if ch.isalnum())


def _name_parts(name: str) -> tuple[str, str]:
    """(first name key, surname key) of a name, titles and honours taken off."""
    words = [name_key(word) for word in strip_titles(name).split()]
    words = [word for word in words if word]
    if not words:
        return "", ""
    return (words[0] if len(words) > 1 else ""), words[-1]


def names_agree(listed: str, written: str) -> bool:
    """Same surname, and first names that agree where both are given ('Ed' for 'Edward',
    an initial for the name)."""
    listed_first, listed_last = _name_parts(listed)
    first, last = _name_parts(written)
    if not last or last != listed_last:
        return False
    if not first or not listed_first:
        return True
    return listed_first.startswith(first) or first.startswith(listed_first)


class RegisterIndex:
    """The listed members, looked up by area and by surname."""

    def __init__(self, entries: Iterable[RegisterEntry]) -> None:
        self._by_area: dict[tuple[str, str], list[RegisterEntry]] = defaultdict(list)
        self._by_surname: dict[tuple[str, str], list[RegisterEntry]] = defaultdict(list)
        self.kinds: set[str] = set()
        for entry in entries:
            self.kinds.add(entry.kind)
            if entry.area:
                self._by_area[(entry.kind, area_key(entry.area))].append(entry)
            self._by_surname[(entry.kind, _name_parts(entry.name)[1])].append(entry)

    def match(self, claim: Claim) -> RegisterEntry | None:
        """The listed member the letter is from, or None (see the module's rules)."""
        kind = claimed_kind(claim.type)
        if kind == OTHER:
            return None
        in_area = self._by_area.get((kind, area_key(claim.area))) if claim.area else None
        if in_area:
            # The area is known: its member must be the one named (a name that is not its
            # member's is a claim the list does not bear out).
            fitting = [entry for entry in in_area
                       if not claim.name or names_agree(entry.name, claim.name)]
            return fitting[0] if len(fitting) == 1 else None
        if not claim.name:
            return None
        fitting = [entry for entry in self._by_surname.get((kind, _name_parts(claim.name)[1]), [])
                   if names_agree(entry.name, claim.name)]
        return fitting[0] if len(fitting) == 1 else None


__all__ = ["COUNCILLOR", "Claim", "KIND_LABELS", "MP", "OTHER", "RegisterEntry",
           "RegisterIndex", "area_key", "claimed_kind", "names_agree"]
