"""Names, schools, MPs and constituencies for synthetic training letters.

The real reference lists in ../shared/corpus/reference (ONS and NISRA baby names, a UK
surname list, 6,000 schools, the 650 MPs) are read at training time only; the repository
does not copy them. Hand-written lists below add the many communities of England that a
list of common English names under-represents: apostrophes, hyphens, accents, prefixes.
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from pathlib import Path

from correspond.errors import TrainingError

# Given names and family names from communities the reference lists barely cover.
EXTRA_FIRST_NAMES = """
Aaliyah Abdirahman Abdullahi Adaeze Adebayo Ahmed Aisha Amara Amir Anaya Anjali Arjun Aryan
Ayaan Ayesha Bilal Chidi Chiamaka Chinedu Chloé Cian Cosmin Dawit Deividas Dominik Efua Eilidh
Emeka Eniola Fatima Fatuma Filip Gurleen Hamza Hana Harpreet Hodan Ibrahim Ifeoma Ikram Ilyas
Imran Ioana Isha Jakub Jasmeet Jayden José Kacper Kareem Kemi Khadija Kofi Kwame Łukasz Leyla
Liliana Maja Malik Mariam Marta Mateusz Maryam Mihai Milan Mohamed Muhammad Musa Nadia Naledi
Nikola Nkechi Noor Nuala Oisín Olamide Oliwia Omar Oskar Priya Rahul Rania Ravi Reuben Rhys
Riya Ruqayyah Safiya Saoirse Simran Sipho Siobhán Sofía Somto Tariq Temitope Tobiloba Tomasz
Wiktoria Xin Yasmin Yusuf Zainab Zara Zoë Zofia Zuzanna Amélie Renée Anaïs Ciarán Seán Róisín
Darius Florin Aurelia Shay Kezia Levi Tyson Mercy Precious Blessing Divine Shanice Tyrone
""".split()
EXTRA_SURNAMES = """
Abdi Adeyemi Afolabi Ahmed Akhtar Ali Amoah Anwar Asante Awolowo Bajwa Balogun Begum Bhatt
Chaudhry Chen Choudhury D'Souza Dhillon Farah Gill Guo Hassan Hussain Igwe
Iqbal Jama Kaur Khan Kowalczyk Kowalski Kumar Lewandowski Li Mahmood Malik Mensah Mohamud
Mwangi Nowak Nwosu Obi Okafor Okeke Okonkwo Oladipo Olusegun Osei Owusu Patel Popescu Qureshi
Rahman Rashid Sandhu Shah Sharma Singh Sithole Tran Wiśniewski Wójcik Yilmaz Zhang Ionescu
O'Brien O'Connor O'Neill O'Sullivan McCarthy McDonagh MacLeod Smith-Okoye
Hughes-Mensah Ward-Patel Lee-Wong Saint-Clair
Doherty Connors Price Lovell Boswell Lee Cooper Smith Jones Williams Taylor Brown Davies
""".split()
# Surnames of more than one word.
EXTRA_COMPOUND_SURNAMES = ["Ní Bhriain", "Da Silva", "De Souza", "Van der Berg",
                           "De la Cruz", "Ó Súilleabháin"]
TITLES_FEMALE = ["Mrs", "Ms", "Miss", "Dr", "Mrs", "Ms", "Mrs"]
TITLES_MALE = ["Mr", "Mr", "Mr", "Dr"]
TITLES_ANY = ["Mx"]


@dataclass(frozen=True)
class MemberOfParliament:
    name: str
    constituency: str
    female: bool


@dataclass
class Vocabulary:
    girls: list[str]
    boys: list[str]
    adult_women: list[str]
    adult_men: list[str]
    surnames: list[str]
    schools: list[str]
    towns: list[str]
    mps: list[MemberOfParliament]

    def first_name(self, rng: random.Random, female: bool, child: bool = True) -> str:
        if rng.random() < 0.3:
            return rng.choice(EXTRA_FIRST_NAMES)
        pool = (self.girls if female else self.boys) if child else (
            self.adult_women if female else self.adult_men)
        return rng.choice(pool)

    def surname(self, rng: random.Random) -> str:
        roll = rng.random()
        if roll < 0.05:
            return rng.choice(EXTRA_COMPOUND_SURNAMES)
        if roll < 0.35:
            return rng.choice(EXTRA_SURNAMES)
        if roll < 0.42:  # double-barrelled
            return f"{rng.choice(self.surnames)}-{rng.choice(self.surnames)}"
        return rng.choice(self.surnames)


def load_vocabulary(reference: Path) -> Vocabulary:
    try:
        return _load(reference)
    except FileNotFoundError as err:
        raise TrainingError(
            f"{reference} has no {Path(err.filename or '').name}: give --reference the folder "
            "of reference lists (names, schools, MPs), e.g. ../shared/corpus/reference."
        ) from err


def _load(reference: Path) -> Vocabulary:
    girls, boys = _baby_names(reference)
    return Vocabulary(
        girls=girls,
        boys=boys,
        adult_women=_ons_top100(reference, "F") or girls,
        adult_men=_ons_top100(reference, "M") or boys,
        surnames=_surnames(reference),
        schools=_schools(reference)[0],
        towns=_schools(reference)[1],
        mps=_mps(reference),
    )


def _title_case(name: str) -> str:
    """'o'brien' -> "O'Brien", 'mcdonald' -> 'McDonald', 'smith-jones' -> 'Smith-Jones'."""
    def word(part: str) -> str:
        part = part.capitalize()
        if re.match(r"^(Mc|O')[a-z]", part):
            part = part[:2] + part[2:].capitalize()
        if part.startswith("Mac") and len(part) > 5 and _is_mac_prefixed(part):
            part = part[:3] + part[3:].capitalize()
        return part
    return "-".join(word(piece) for piece in name.strip().split("-"))


def _is_mac_prefixed(part: str) -> bool:
    # "Macdonald" and "MacDonald" both occur; "Mack", "Mace", "Machin" are not prefixed.
    return part.lower() in {"macdonald", "mackenzie", "mackay", "maclean", "macleod",
                            "macintyre", "macpherson", "macmillan", "macarthur"}


def _baby_names(reference: Path) -> tuple[list[str], list[str]]:
    girls: set[str] = set()
    boys: set[str] = set()
    with (reference / "sdglinkage_firstname_uk.csv").open(encoding="utf-8") as source:
        for row in csv.DictReader(source):
            if int(row["birthyear"]) >= 2003:
                (girls if row["sex"] == "female" else boys).add(_title_case(row["firstname"]))
    nisra = reference / "nisra_babynames_ni_1997-2020.csv"
    if nisra.is_file():
        with nisra.open(encoding="utf-8") as source:
            for row in csv.DictReader(source):
                if int(row["year"]) >= 2005 and int(row["rank"]) <= 150:
                    (girls if row["sex"] == "F" else boys).add(row["name"].strip())
    return sorted(girls), sorted(boys)


def _ons_top100(reference: Path, sex: str) -> list[str]:
    path = reference / "ons_babynames_ew_top100_rankings.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as source:
        return sorted({row["name"].strip() for row in csv.DictReader(source)
                       if row["sex"] == sex and 1964 <= int(row["year"]) <= 1994})


def _surnames(reference: Path) -> list[str]:
    with (reference / "sdglinkage_lastname_uk.csv").open(encoding="utf-8") as source:
        return [_title_case(row["surname"]) for row in csv.DictReader(source)
                if row["surname"].isalpha() or "-" in row["surname"] or "'" in row["surname"]]


def _schools(reference: Path) -> tuple[list[str], list[str]]:
    names, towns = [], set()
    path = reference / "edubase_july2017_schools_to_geocode.csv"
    with path.open(encoding="latin-1") as source:
        for row in csv.DictReader(source):
            name = " ".join(row["Establishment name"].split())
            if name and "," not in name:
                names.append(name)
            if row.get("Town") and row["Town"] != "NA":
                towns.add(row["Town"].strip())
    return names, sorted(towns)


def _mps(reference: Path) -> list[MemberOfParliament]:
    with (reference / "oi_current-MPs.csv").open(encoding="utf-8") as source:
        return [MemberOfParliament(row["MP"].strip(), row["PCON24NM"].strip(),
                                   row["Gender"] == "F")
                for row in csv.DictReader(source) if row["MP"].strip()]
