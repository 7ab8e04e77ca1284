"""How much each comparison level is worth: m and u probabilities, Fellegi–Sunter style.

For each field and level, in the manner of Splink:

  m = P(level | the letter is about this record's child)   - how often the truth looks so
  u = P(level | it is about some other child in the records) - how often chance looks so

and the level moves the match weight by log2(m / u) bits: +1 bit doubles the odds that
this record is the child, -1 halves them. The weights of the fields are added to the prior
weight log2(1 / (N - 1)) for N records (one record in N is the child, if any is), and the
total is turned into a match probability.

m values are judgements about letters (how often an MP's office gets a date of birth
exactly right, uses a known-as name, gives a school the family has since left); u values
are what chance agreement costs among a council's records. `correspond evaluate` on a
generated set shows what they do; they were set on one generated set and checked on
another (see README).

Term frequency: for an exact first name or surname, u is the share of records with that
very name (counted from the records at import), so "Smith" proves less than "Nakashima".
The share is floored at TF_MINIMUM_U so that one unusual name cannot outweigh the rest.
"""

from __future__ import annotations

from math import log2

# field -> level -> (m, u). "missing" (either side blank) is worth 0 and is not listed.
M_U: dict[str, dict[str, tuple[float, float]]] = {
    "first_name": {
        "exact": (0.82, 0.012),      # u replaced by the name's frequency when known
        "known_as": (0.08, 0.001),   # the letter uses the name the record gives as known-as
        "nickname": (0.04, 0.002),   # Alfie for Alfred, from nicknames.csv
        "near": (0.03, 0.006),       # one typing slip
        "initial": (0.005, 0.06),
        "different": (0.025, 0.919),
    },
    "last_name": {
        "exact": (0.86, 0.005),      # u replaced by the name's frequency when known
        "part": (0.04, 0.0005),      # one half of a double-barrelled name
        "near": (0.04, 0.003),
        "different": (0.06, 0.9915),  # e.g. the parent's surname given for the child's
    },
    "date_of_birth": {
        "exact": (0.88, 0.00016),    # about one day in 17 years of birthdays
        "swapped": (0.03, 0.00016),  # 03/04 read as 4 March
        "one_digit": (0.04, 0.004),
        "different": (0.05, 0.99568),
        # The letter gives an age, not a date.
        "age_agrees": (0.92, 0.11),
        "age_differs": (0.08, 0.89),
    },
    "school": {
        "exact": (0.70, 0.01),
        "near": (0.08, 0.01),
        "different": (0.22, 0.98),   # a move the record has not caught up with
    },
    "postcode": {
        "exact": (0.85, 0.0003),
        "sector": (0.05, 0.01),
        "different": (0.10, 0.9897),  # moved, or a grandparent writing
    },
    "parent": {
        "exact": (0.60, 0.002),
        "first_name": (0.10, 0.01),
        "surname": (0.15, 0.05),
        "different": (0.15, 0.938),
    },
}

# The address is compared after the postcode and is not independent of it: inside one
# postcode it tells neighbours apart; without an agreeing postcode it stands on its own.
ADDRESS_GIVEN_SAME_POSTCODE = {
    "exact": (0.90, 0.10), "near": (0.05, 0.05), "different": (0.05, 0.85),
}
ADDRESS_OTHERWISE = {
    "exact": (0.60, 0.0003), "near": (0.10, 0.002), "different": (0.30, 0.9977),
}

TF_MINIMUM_U = 0.0001
TERM_FREQUENCY_LEVELS = {("first_name", "exact"), ("first_name", "known_as"),
                         ("last_name", "exact")}


def bits(m: float, u: float) -> float:
    return log2(m / u)


def level_weight(field: str, level: str, *, term_u: float | None = None,
                 postcode_level: str | None = None) -> float:
    """The weight in bits of `level` for `field`; `term_u` is the share of records with
    the agreeing name, where known."""
    if level == "missing":
        return 0.0
    if field == "address":
        table = (ADDRESS_GIVEN_SAME_POSTCODE if postcode_level == "exact"
                 else ADDRESS_OTHERWISE)
        return bits(*table[level])
    m, u = M_U[field][level]
    if term_u is not None and (field, level) in TERM_FREQUENCY_LEVELS:
        u = max(term_u, TF_MINIMUM_U)
    return bits(m, u)


def prior_weight(record_count: int) -> float:
    """One record among N is the child, if any is."""
    return -log2(max(record_count - 1, 1))


def probability(weight: float) -> float:
    odds = 2.0 ** max(min(weight, 60.0), -60.0)
    return odds / (1.0 + odds)
