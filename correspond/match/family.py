"""The key under which a caseworker's decision is remembered for a family."""

from __future__ import annotations

import hashlib

from correspond.domain.postcodes import normalise_postcode
from correspond.domain.text import name_key
from correspond.match.compare import person_name
from correspond.records import Child, Constituent


def family_key(child: Child, constituent: Constituent) -> str:
    """A digest of the child as written (names, date of birth) and the constituent's
    postcode and name: the same family writing about the same child again has the same
    key. A digest, so the table of decisions holds no names."""
    parent_first, parent_last = person_name(constituent.name)
    parts = [
        name_key(child.first_name), name_key(child.last_name),
        child.date_of_birth.isoformat() if child.date_of_birth else "",
        normalise_postcode(constituent.postcode) or "", parent_first, parent_last,
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()
