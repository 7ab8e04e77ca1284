"""The generator of synthetic MP letters with their annotations, for training.

Not one template with slots: each letter picks a structure (formal letter, caseworker
email, forwarded chain, chaser, councillor, misrouted), a family with one or more
children, how each fact is written (date formats, reference styles, formal or informal
school names, first name or pronoun), and which concerns it raises in what words. Every
person and family is invented; MPs, constituencies and schools come from public lists.

Entity labels: CHILD, CONSTITUENT, MP (the elected member who writes or is written for),
CASEWORKER (the MP's staff), SCHOOL (attended now), REQ_SCHOOL (asked for). Document
labels: each concern id, SEND, URGENT, CHASER.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from tools.training.phrases import (
    CONCERN_SENTENCES,
    COUNCIL_ADDRESSES,
    DISTRACTORS,
    MISROUTED,
    NEEDS,
    NEEDS_TAIL,
    OFFICIAL_ROLES,
    REQUESTS,
    URGENT_CATEGORIES,
    URGENT_EXTRAS,
)
from tools.training.text import AnnotatedText, Labelled
from tools.training.vocabulary import TITLES_FEMALE, TITLES_MALE, MemberOfParliament, Vocabulary

CONCERN_IDS = list(CONCERN_SENTENCES)
DOC_LABELS = [*CONCERN_IDS, "SEND", "URGENT", "CHASER"]
ENTITY_LABELS = ["CHILD", "CONSTITUENT", "MP", "CASEWORKER", "SCHOOL", "REQ_SCHOOL"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_STREETS = ["Brookfield Road", "Albion Street", "Church Lane", "Victoria Terrace", "Mill Lane",
            "Station Road", "Oak Avenue", "Kingsway", "The Crescent", "Holly Close",
            "Clarence Street", "Green Lane", "Park View", "Windsor Drive", "Elm Grove"]


@dataclass
class ChildFacts:
    first: str
    last: str
    female: bool
    born: date
    school: str
    requested_school: str | None
    named: bool = True  # False: "her daughter, aged 9"

    @property
    def pronouns(self) -> dict[str, str]:
        he, his, him = ("she", "her", "her") if self.female else ("he", "his", "him")
        return {"he": he, "his": his, "him": him, "He": he.capitalize(), "His": his.capitalize()}


@dataclass
class Family:
    title: str
    first: str
    last: str
    female: bool
    street: str
    town: str
    postcode: str
    email: str
    phone: str
    children: list[ChildFacts] = field(default_factory=list)

    @property
    def formal(self) -> str:
        return f"{self.title} {self.first} {self.last}"

    @property
    def short(self) -> str:
        return f"{self.title} {self.last}"


@dataclass
class Example:
    text: str
    entities: list[tuple[int, int, str]]
    cats: dict[str, float]
    style: str


class LetterGenerator:
    def __init__(self, vocabulary: Vocabulary, seed: int) -> None:
        self.words = vocabulary
        self.rng = random.Random(seed)
        self.today = date(2026, 11, 1)

    # People and facts.

    def family(self, children: int) -> Family:
        rng = self.rng
        female = rng.random() < 0.8
        title = rng.choice(TITLES_FEMALE if female else TITLES_MALE)
        last = self.words.surname(rng)
        kids = []
        shared_birthday = children == 2 and rng.random() < 0.3  # twins
        born = self.today - timedelta(days=rng.randint(4 * 365, 19 * 365))
        for index in range(children):
            child_female = rng.random() < 0.45
            child_last = last if rng.random() < 0.85 else self.words.surname(rng)
            if index and not shared_birthday:
                born = born - timedelta(days=rng.randint(400, 2500))
            kids.append(ChildFacts(
                first=self.words.first_name(rng, child_female),
                last=child_last, female=child_female, born=born,
                school=rng.choice(self.words.schools),
                requested_school=rng.choice(self.words.schools) if rng.random() < 0.3 else None,
                named=rng.random() > 0.06,
            ))
        return Family(
            title=title, first=self.words.first_name(rng, female, child=False), last=last,
            female=female, street=f"{rng.randint(1, 220)} {rng.choice(_STREETS)}",
            town=rng.choice(self.words.towns), postcode=self.postcode(),
            email=f"{last.lower().replace(' ', '').replace(chr(39), '')}{rng.randint(1, 99)}@example.com",
            phone=f"07700 900{rng.randint(0, 999):03d}", children=kids,
        )

    def postcode(self) -> str:
        rng = self.rng
        area = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.choice([1, 2])))
        return f"{area}{rng.randint(1, 29)} {rng.randint(0, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"

    def recent_date(self) -> date:
        return self.today - timedelta(days=self.rng.randint(10, 300))

    def written_date(self, value: date, *, birth: bool = False) -> str:
        """A date as letters write it: always day before month."""
        rng = self.rng
        day, month, year = value.day, value.month, value.year
        suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        styles = [
            f"{day} {_MONTHS[month - 1]} {year}",
            f"{day}{suffix} {_MONTHS[month - 1]} {year}",
            f"{day:02d}/{month:02d}/{year}",
            f"{day}/{month}/{year}",
            f"{day}.{month}.{str(year)[2:]}",
            f"{day:02d}.{month:02d}.{year}",
            f"{day} {_MONTHS[month - 1][:3]} {year}",
            f"{_MONTHS[month - 1]} {day}{suffix}, {year}",
            f"the {day}{suffix} of {_MONTHS[month - 1]} {year}",
            f"{day:02d}-{month:02d}-{year}",
        ]
        weights = [5, 4, 5, 2, 1, 2, 2, 1, 1, 1] if birth else [6, 4, 2, 1, 0, 1, 2, 1, 1, 0]
        return rng.choices(styles, weights)[0]

    def mp_reference(self, mp: MemberOfParliament) -> str:
        rng = self.rng
        initials = "".join(part[0] for part in mp.name.split()[:2]).upper()
        number = rng.randint(100, 99999)
        return rng.choice([
            f"{initials}{number}", f"{initials}/{self.today.year}/{number:04d}",
            f"{initials}-{str(self.today.year)[2:]}-{number:04d}", f"{rng.randint(10**7, 10**8 - 1):08d}",
            f"{initials}/{rng.choice(['KL', 'AB', 'JM', 'SR'])}/{number}",
            f"ZA{rng.randint(10000, 99999)}", f"{initials}{rng.randint(1000, 9999)}/{rng.choice('ABC')}",
        ])

    def council_reference(self) -> str:
        rng = self.rng
        return rng.choice([f"SEN/{rng.randint(1000, 9999)}", f"MP-{self.today.year}-{rng.randint(1, 999):04d}",
                           f"CS{rng.randint(100000, 999999)}", f"EHC-{rng.randint(10000, 99999)}"])

    def informal_school(self, name: str) -> str:
        """How a parent might name the school: often shorter than the register does."""
        if self.rng.random() < 0.6:
            return name
        short = re.sub(r"\b(?:Church of England|C of E|CofE|CE|Roman Catholic|RC|Catholic)\b", "",
                       name)
        short = re.sub(r"\s+(?:Primary|Junior|Infant|Nursery|Community|Voluntary Aided)?\s*"
                       r"(?:and\s+Nursery\s+)?School$", "", short)
        short = " ".join(short.split())
        if len(short.split()) == 0 or short == name:
            return name
        return self.rng.choice([short, f"{short} Primary" if "Primary" in name else short,
                                f"{short} School"])

    # The letter.

    def example(self) -> Example:
        rng = self.rng
        roll = rng.random()
        if roll < 0.1:
            return self._misrouted()
        children = rng.choices([1, 2, 3], [0.78, 0.18, 0.04])[0]
        family = self.family(children)
        mp = rng.choice(self.words.mps)
        concerns = self._concerns()
        style = rng.choices(["formal", "caseworker", "forwarded", "chaser", "councillor", "form"],
                            [0.34, 0.22, 0.15, 0.13, 0.09, 0.07])[0]
        text = AnnotatedText()
        chaser = style == "chaser"
        urgent_extra = rng.random() < 0.08
        if style in ("formal", "chaser", "councillor"):
            self._formal(text, family, mp, concerns, style, urgent_extra)
        elif style == "caseworker":
            self._caseworker_email(text, family, mp, concerns, urgent_extra)
        elif style == "form":
            self._case_form(text, family, mp, concerns, urgent_extra)
        else:
            self._forwarded(text, family, mp, concerns, urgent_extra)
        urgent = bool(URGENT_CATEGORIES & set(concerns)) or urgent_extra
        cats = dict.fromkeys(DOC_LABELS, 0.0)
        for concern in concerns:
            cats[concern] = 1.0
        cats["SEND"] = 1.0
        cats["URGENT"] = 1.0 if urgent else 0.0
        cats["CHASER"] = 1.0 if chaser else 0.0
        return Example(text.text, text.spans, cats, style)

    def _concerns(self) -> list[str]:
        rng = self.rng
        count = rng.choices([1, 2, 3], [0.35, 0.45, 0.2])[0]
        weights = [6, 4, 2, 3, 5, 3, 3, 3, 2, 4, 2, 2, 2, 1]
        chosen: list[str] = []
        while len(chosen) < count:
            pick = rng.choices(CONCERN_IDS, weights)[0]
            if pick not in chosen and not (pick == "other" and chosen):
                chosen.append(pick)
        return chosen

    # Structures.

    def _formal(self, text: AnnotatedText, family: Family, mp: MemberOfParliament,
                concerns: list[str], style: str, urgent_extra: bool) -> None:
        rng = self.rng
        councillor = style == "councillor"
        writer_name = mp.name
        if councillor:
            writer_name = f"{self.words.first_name(rng, rng.random() < 0.5, child=False)} {self.words.surname(rng)}"
        if not councillor:
            text.line(rng.choice(["HOUSE OF COMMONS", "House of Commons", f"{mp.name.upper()} MP"]))
            text.line(rng.choice(["LONDON SW1A 0AA", "London SW1A 0AA", f"Member of Parliament for {mp.constituency}"]))
        else:
            text.line("Councillor {w}", {"w": Labelled(writer_name, "MP")})
            text.line(f"{rng.choice(self.words.towns)} Ward")
        text.add("\n")
        reference = self.mp_reference(mp)
        label = rng.choice(["Our ref: ", "Our Ref. ", "Ref: ", "My ref ", "Case reference: ", "Our reference: "])
        text.line(f"{label}{reference}")
        chaser_ref = self.council_reference() if style == "chaser" and rng.random() < 0.7 else None
        if chaser_ref:
            text.line(f"{rng.choice(['Your ref: ', 'Your Ref: ', 'Council ref: '])}{chaser_ref}")
        text.add("\n")
        text.line(rng.choice(["Director of Children's Services", "SEND Service", "The SEND Team",
                              "Head of SEND", "Chief Executive"]))
        text.line(rng.choice(["Example Council", "Northshire County Council", "City Council",
                              f"{rng.choice(self.words.towns)} Council"]))
        if rng.random() < 0.6:
            text.line(rng.choice(COUNCIL_ADDRESSES))
            text.line(f"{rng.choice(self.words.towns)} {self.postcode()}")
        text.add("\n")
        text.line(self.written_date(self.recent_date()))
        text.add("\n")
        text.line(rng.choice(["Dear Director,", "Dear Sir or Madam,", "Dear Colleague,",
                              "Dear SEND Team,", "Dear Ms Patterson,"]))
        text.add("\n")
        main = family.children[0]
        if rng.random() < 0.6:
            re_line = rng.choice(["parent", "child", "both"])
            if re_line == "parent" or not main.named:
                text.line("Re: {p}, {a}, {t} {pc}", {"p": Labelled(family.formal, "CONSTITUENT"),
                                                     "a": family.street, "t": family.town,
                                                     "pc": family.postcode})
            elif re_line == "child":
                text.line("Re: {c} ({d})", {"c": Labelled(f"{main.first} {main.last}", "CHILD"),
                                            "d": self.written_date(main.born, birth=True)})
            else:
                text.line("RE: {c} - {p}", {"c": Labelled(f"{main.first} {main.last}", "CHILD"),
                                            "p": Labelled(family.formal, "CONSTITUENT")})
            text.add("\n")
        if style == "chaser":
            text.line(self._chaser_opening(family, chaser_ref))
            text.add("\n")
        self._introduce(text, family, voice="member", councillor=councillor)
        self._body(text, family, concerns, urgent_extra)
        self._consent(text, family)
        text.line(rng.choice(REQUESTS).format(child=main.first if main.named else "the child",
                                              parent=family.short))
        text.add("\n")
        text.line(rng.choice(["Yours sincerely,", "Yours faithfully,", "Kind regards,", "Yours sincerely"]))
        text.add("\n")
        if councillor:
            text.line(rng.choice(["Cllr {w}", "{w}", "Councillor {w}"]), {"w": Labelled(writer_name, "MP")})
            text.line(rng.choice([f"Councillor for {rng.choice(self.words.towns)} Ward",
                                  f"Councillor for {rng.choice(self.words.towns)}",
                                  f"Labour Councillor for {rng.choice(self.words.towns)} Ward",
                                  f"Liberal Democrat Councillor, {rng.choice(self.words.towns)} Ward"]))
        else:
            post = rng.choice([" MP", " MP", "", " CBE MP"])
            text.line("{w}" + post, {"w": Labelled(mp.name, "MP")})
            text.line(rng.choice(["Member of Parliament for {c}", "MP for {c}", "Member of Parliament for {c}"]),
                      {"c": mp.constituency})

    def _caseworker_email(self, text: AnnotatedText, family: Family, mp: MemberOfParliament,
                          concerns: list[str], urgent_extra: bool) -> None:
        rng = self.rng
        worker = f"{self.words.first_name(rng, rng.random() < 0.6, child=False)} {self.words.surname(rng)}"
        reference = self.mp_reference(mp)
        handle = re.sub(r"[^a-z.]", "", worker.lower().replace(" ", "."))
        text.line("From: {w} <" + handle + "@parliament.uk>", {"w": Labelled(worker, "CASEWORKER")})
        text.line("Sent: " + self.written_date(self.recent_date()) + " 10:14")
        text.line("To: SEND Team <send@example.gov.uk>")
        subject = rng.choice([f"Constituent enquiry [Ref: {reference}]", f"{family.formal} - {reference}",
                              f"Our ref {reference} - SEND concern", f"Case {reference}"])
        text.line("Subject: {s}", {"s": subject})
        text.add("\n")
        text.line(rng.choice(["Dear SEND Team,", "Dear colleagues,", "Hello,", "Dear Sir/Madam,"]))
        text.add("\n")
        text.fill(rng.choice([
            "I am writing on behalf of {m} MP, who has been contacted by {p}. ",
            "{m} MP has asked me to raise the following case with you on behalf of {p}. ",
            "I'm contacting you from the office of {m} MP about a constituent, {p}. ",
        ]), {"m": Labelled(mp.name, "MP"), "p": Labelled(family.formal, "CONSTITUENT")})
        text.fill("{p} lives at {a}, {t} {pc}.\n\n", {"p": family.short, "a": family.street,
                                                        "t": family.town, "pc": family.postcode})
        self._introduce(text, family, voice="office")
        self._body(text, family, concerns, urgent_extra)
        self._consent(text, family)
        text.line(rng.choice(["Many thanks for your help.", "I look forward to hearing from you.",
                              "I would be grateful for an update as soon as possible."]))
        text.add("\n")
        text.line(rng.choice(["Kind regards,", "Best wishes,", "Regards,", "Many thanks,"]))
        text.add("\n")
        text.line("{w}", {"w": Labelled(worker, "CASEWORKER")})
        text.line(rng.choice(["Caseworker to {m} MP", "Senior Caseworker, Office of {m} MP",
                              "Office of {m} MP", "Parliamentary Caseworker for {m} MP"]),
                  {"m": Labelled(mp.name, "MP")})
        text.line(rng.choice(["Member of Parliament for {c}", "House of Commons", "{c}"]),
                  {"c": mp.constituency})

    def _forwarded(self, text: AnnotatedText, family: Family, mp: MemberOfParliament,
                   concerns: list[str], urgent_extra: bool) -> None:
        rng = self.rng
        worker = f"{self.words.first_name(rng, rng.random() < 0.6, child=False)} {self.words.surname(rng)}"
        reference = self.mp_reference(mp)
        text.line(f"Subject: FW: {rng.choice(['Help needed', 'My son', 'My daughter', 'EHCP', 'School'])} [{reference}]")
        text.add("\n")
        text.line("Dear SEND Team,")
        text.add("\n")
        text.fill(rng.choice([
            "Please see below an email from our constituent. I would be grateful if you could look into the concerns raised and reply to {m} MP.",
            "{m} MP has received the email below from a constituent and would be grateful for your advice.",
            "Forwarding the below on behalf of {m} MP. Could you look into this please?",
        ]), {"m": Labelled(mp.name, "MP")})
        text.add("\n\n")
        text.line("Thanks,")
        text.line("{w}", {"w": Labelled(worker, "CASEWORKER")})
        text.line("Office of {m} MP", {"m": Labelled(mp.name, "MP")})
        text.add("\n")
        text.line(rng.choice(["---------- Forwarded message ---------", "-----Original Message-----",
                              "________________________________"]))
        text.line("From: {p} <" + family.email + ">", {"p": Labelled(f"{family.first} {family.last}", "CONSTITUENT")})
        text.line("Sent: " + self.written_date(self.recent_date()))
        text.line("To: " + mp.name.split()[-1].upper() + ", " + mp.name.split()[0] + " <" +
                  mp.name.lower().replace(" ", ".") + ".mp@parliament.uk>")
        text.line("Subject: " + rng.choice(["Help please", "My child's EHCP", "SEND support"]))
        text.add("\n")
        text.fill("Dear {m},\n\n", {"m": Labelled(rng.choice([mp.name, f"{'Ms' if mp.female else 'Mr'} {mp.name.split()[-1]}"]), "MP")})
        self._introduce(text, family, voice="parent")
        self._body(text, family, concerns, urgent_extra, voice="parent")
        text.line(rng.choice(["I really hope you can help.", "Please help us.", "Thank you for reading this."]))
        text.add("\n")
        text.line(rng.choice(["Regards", "Many thanks", "Yours sincerely", "Thanks"]))
        text.line("{p}", {"p": Labelled(rng.choice([f"{family.first} {family.last}", family.formal]), "CONSTITUENT")})
        text.line(f"{family.street}, {family.town}")
        text.line(family.postcode)
        text.line(family.phone)

    def _misrouted(self) -> Example:
        rng = self.rng
        family = self.family(0)
        mp = rng.choice(self.words.mps)
        topic, sentences = rng.choice(MISROUTED)
        text = AnnotatedText()
        text.line(f"Our ref: {self.mp_reference(mp)}")
        text.add("\n")
        text.line(rng.choice(["Housing Services", "Highways", "Revenues and Benefits", "Example Council",
                              "Chief Executive"]))
        text.add("\n")
        text.line(self.written_date(self.recent_date()))
        text.add("\n")
        text.line("Dear Sir or Madam,")
        text.add("\n")
        text.fill("I am writing on behalf of my constituent {p} of {a}, {t} {pc}, about {topic}.\n\n",
                  {"p": Labelled(family.formal, "CONSTITUENT"), "a": family.street,
                   "t": family.town, "pc": family.postcode, "topic": topic})
        he, his = ("she", "her") if family.female else ("he", "his")
        for sentence in sentences:
            text.fill(sentence + " ", {"parent": Labelled(family.short, "CONSTITUENT"),
                                       "date": self.written_date(self.recent_date()),
                                       "street": family.street, "he_parent": he,
                                       "his_parent": his, "his_parent_cap": his.capitalize()})
        text.add("\n\n")
        text.line(rng.choice(REQUESTS[:3]).format(child="this", parent=family.short))
        text.add("\n")
        text.line("Yours sincerely,")
        text.add("\n")
        text.line("{m} MP", {"m": Labelled(mp.name, "MP")})
        text.line(f"Member of Parliament for {mp.constituency}")
        cats = dict.fromkeys(DOC_LABELS, 0.0)
        return Example(text.text, text.spans, cats, "misrouted")

    # Paragraphs.

    def _chaser_opening(self, family: Family, council_ref: str | None) -> str:
        rng = self.rng
        when = self.written_date(self.recent_date())
        quoted = f" (your ref: {council_ref})" if council_ref and rng.random() < 0.6 else ""
        return rng.choice([
            f"I wrote to you on {when}{quoted} on behalf of my constituent and have not yet received a reply.",
            f"Further to my letter of {when}{quoted}, I am writing again because my constituent's situation has not improved.",
            f"I am still awaiting a response to my previous correspondence of {when}{quoted}.",
        ])

    def _introduce(self, text: AnnotatedText, family: Family, *, voice: str,
                   councillor: bool = False) -> None:
        rng = self.rng
        parent = Labelled(family.formal, "CONSTITUENT")
        if voice == "member":
            text.fill(rng.choice([
                "I am writing on behalf of my constituent, {p}, ",
                "My constituent {p} has contacted me ",
                "I have been contacted by {p}, a resident of my ward, " if councillor else "I have been contacted by my constituent {p} ",
                "{p} has asked me to write to you ",
            ]), {"p": parent})
            text.add(rng.choice(["about ", "regarding ", "concerning "]))
            rng.random()  # a draw that decides nothing, kept so a seed still gives the shipped model's letters
        elif voice == "office":
            text.add(rng.choice(["The enquiry concerns ", "This is about ", "It relates to "]))
        else:
            text.add(rng.choice(["I am writing about ", "I need your help with ", "I'm contacting you about "]))
        owner = {"member": "her" if family.female else "his", "office": f"{family.short}'s",
                 "parent": "my"}[voice]
        owner_label = Labelled(owner)
        for index, child in enumerate(family.children):
            if index:
                text.add(" and " if index == len(family.children) - 1 else ", ")
            relation = ("daughter" if child.female else "son")
            if len(family.children) == 2 and family.children[0].born == family.children[1].born:
                relation = rng.choice([relation, "twin " + relation])
            text.fill("{o} " + relation, {"o": owner_label})
            self._child_details(text, child)
        text.add(". " if rng.random() < 0.5 else ".\n\n")

    def _child_details(self, text: AnnotatedText, child: ChildFacts) -> None:
        rng = self.rng
        if not child.named:
            age = (self.today - child.born).days // 365
            text.add(rng.choice([f", aged {age}", f" ({age})", f", who is {age} years old", f" (Year {max(1, min(13, age - 4))})"]))
            return
        full = f"{child.first} {child.last}"
        name = full if rng.random() < 0.75 else child.first
        dob = self.written_date(child.born, birth=True)
        school = Labelled(self.informal_school(child.school), "SCHOOL")
        form = rng.randint(0, 5)
        values: dict[str, Labelled | str] = {"c": Labelled(name, "CHILD"), "d": dob, "s": school,
                  "y": f"Year {max(1, min(13, (self.today - child.born).days // 365 - 4))}",
                  "a": str((self.today - child.born).days // 365)}
        template = [
            ", {c} (date of birth {d}), who attends {s}",
            ", {c}, DOB {d}, a pupil at {s}",
            " {c} (born {d}), who is in {y} at {s}",
            ", {c} ({d})",
            " {c}, aged {a}, who goes to {s}",
            ", {c} (D.O.B. {d}) at {s}",
        ][form]
        text.fill(template, values)

    def _body(self, text: AnnotatedText, family: Family, concerns: list[str], urgent_extra: bool,
              voice: str = "member") -> None:
        rng = self.rng
        child = family.children[0]
        name = child.first if child.named else ("my child" if voice == "parent" else "the child")
        first_person = voice == "parent"
        parent_ref = "I" if first_person else family.short
        values: dict[str, Labelled | str] = {
            "child": Labelled(name, "CHILD") if child.named else name,
            "parent": Labelled(parent_ref, None if first_person else "CONSTITUENT"),
            "school": Labelled(self.informal_school(child.school), "SCHOOL"),
            "req_school": Labelled(child.requested_school or rng.choice(self.words.schools), "REQ_SCHOOL"),
            "date": self.written_date(self.recent_date()),
            "weeks": str(rng.randint(3, 30)),
            "his_parent": "my" if first_person else ("her" if family.female else "his"),
            **child.pronouns,
        }
        need = rng.choice(NEEDS) + rng.choice(NEEDS_TAIL)
        text.fill(need + "\n\n", values)
        for concern in concerns:
            if rng.random() < 0.45:
                self._distractor(text, values)
            sentences = rng.sample(CONCERN_SENTENCES[concern], k=min(2, len(CONCERN_SENTENCES[concern])))
            for sentence in sentences[: rng.choice([1, 1, 2])]:
                if first_person:
                    sentence = (sentence.replace("{parent} has", "I have").replace("{parent} was", "I was")
                                .replace("{parent} is", "I am").replace("{parent} would", "I would")
                                .replace("{parent} tells me that", "").replace("{parent} believes", "I believe")
                                .replace("{parent} feels", "I feel").replace("{parent} made", "I made")
                                .replace("{parent} intends", "I intend").replace("{parent} cannot", "I cannot")
                                .replace("{parent} requested", "I requested").replace("{parent}", "me"))
                text.fill(sentence.strip() + " ", values)
            text.add("\n\n")
        if urgent_extra and not first_person:
            text.add(rng.choice(URGENT_EXTRAS) + "\n\n")
        for sibling in family.children[1:]:
            if sibling.named:
                text.fill(rng.choice([
                    "{c} is also affected: {his} needs have not been assessed either.\n\n",
                    "The same concerns apply to {c}, who also attends {s}.\n\n",
                ]), {"c": Labelled(sibling.first, "CHILD"), "his": sibling.pronouns["his"],
                     "s": Labelled(self.informal_school(sibling.school), "SCHOOL")})

    def _distractor(self, text: AnnotatedText, values: dict[str, Labelled | str]) -> None:
        rng = self.rng

        def person() -> str:
            return f"{self.words.first_name(rng, rng.random() < 0.5, child=False)} {self.words.surname(rng)}"

        extra = {
            "official": rng.choice([person(), f"{rng.choice(['Mr', 'Mrs', 'Ms'])} {self.words.surname(rng)}"]),
            "role": rng.choice(OFFICIAL_ROLES),
            "doctor": f"Dr {self.words.surname(rng)}",
            "head": rng.choice([person(), f"{rng.choice(['Mr', 'Mrs', 'Ms', 'Miss'])} {self.words.surname(rng)}"]),
            "month": rng.choice(["January", "February", "March", "April", "May", "June", "July",
                                 "September", "October", "November", "December"]),
            "town": rng.choice(self.words.towns),
        }
        sentence = rng.choice(DISTRACTORS)
        parent = values["parent"]
        if "{parent}" in sentence and isinstance(parent, Labelled) and parent.text == "I":
            return
        text.fill(sentence + " ", {**values, **extra})

    def _case_form(self, text: AnnotatedText, family: Family, mp: MemberOfParliament,
                   concerns: list[str], urgent_extra: bool) -> None:
        """A caseworker's enquiry form: labelled fields, then the story."""
        rng = self.rng
        worker = f"{self.words.first_name(rng, rng.random() < 0.6, child=False)} {self.words.surname(rng)}"
        text.line("From: {w} <casework@parliament.uk>", {"w": Labelled(worker, "CASEWORKER")})
        text.line(f"Subject: Case referral {self.mp_reference(mp)}")
        text.add("\n")
        text.line("Dear SEND Team,")
        text.add("\n")
        text.line("Please find below a case from the office of {m} MP.", {"m": Labelled(mp.name, "MP")})
        text.add("\n")
        text.line("Constituent: {p}", {"p": Labelled(family.formal, "CONSTITUENT")})
        text.line(f"Address: {family.street}, {family.town}, {family.postcode}")
        for kid in family.children:
            if kid.named:
                text.line("Child: {c}", {"c": Labelled(f"{kid.first} {kid.last}", "CHILD")})
                text.line("Date of birth: " + self.written_date(kid.born, birth=True))
                text.line("School: {s}", {"s": Labelled(self.informal_school(kid.school), "SCHOOL")})
        text.line("Issue: " + ", ".join(concern.replace("_", " ") for concern in concerns))
        text.add("\n")
        self._body(text, family, concerns, urgent_extra)
        text.line("Kind regards,")
        text.line("{w}", {"w": Labelled(worker, "CASEWORKER")})
        text.line("Caseworker, Office of {m} MP", {"m": Labelled(mp.name, "MP")})

    def _consent(self, text: AnnotatedText, family: Family) -> None:
        rng = self.rng
        if rng.random() < 0.55:
            text.fill(rng.choice([
                "{p} has given consent for me to share these details with you. {p2} can be contacted on {ph} or at {e}.\n\n",
                "{p} is happy to be contacted directly on {ph}.\n\n",
                "My constituent has consented to my raising this with you.\n\n",
            ]), {"p": Labelled(family.short, "CONSTITUENT"), "p2": "She" if family.female else "He",
                 "ph": family.phone, "e": family.email})


def generate(vocabulary: Vocabulary, count: int, seed: int) -> list[Example]:
    return list(write_letters(vocabulary, count, seed))


def write_letters(vocabulary: Vocabulary, count: int, seed: int) -> Iterator[Example]:
    """The same letters as `generate`, one at a time (for a progress bar)."""
    generator = LetterGenerator(vocabulary, seed)
    return (generator.example() for _ in range(count))
