"""The parent or carer (or young person) on whose behalf the MP writes."""

from __future__ import annotations

import re

from correspond.domain.names import FULL_NAME, NAME_WORD, TITLED_NAME, TITLES, clean_name
from correspond.domain.postcodes import (
    INWARD,
    INWARD_LOWER,
    OUTWARD,
    OUTWARD_LOWER,
    normalise_postcode,
)
from correspond.domain.text import EMAIL
from correspond.records import Constituent

POSTCODE = re.compile(
    rf"\b({OUTWARD})[ \t]*({INWARD})\b"
    # typed in lower case ("nw10 9pd") only at the end of an address: before a full
    # stop, comma or the end of the line, where little else has this shape.
    rf"|\b({OUTWARD_LOWER})[ \t]?({INWARD_LOWER})(?=[.,;)]?[ \t]*$|[,;)])",
    re.MULTILINE)
_NAMED = (
    rf"(?:my|our|her|his|their|a)\s+constituents?,?\s+(?P<a>{TITLED_NAME}|{FULL_NAME})",
    rf"^\s*Constituent\s*:\s*(?P<b>{TITLED_NAME}|{FULL_NAME})",
    # A Re: or Subject: line names the constituent only with a title; untitled it is
    # usually the child ("Re: Adam Khan (DOB 3/4/2015)").
    rf"^\s*(?:Re|RE|Subject)\s*:\s*(?P<h>{TITLED_NAME})",
    rf"constituent:?\s+(?P<c>{TITLED_NAME})",
    rf"on behalf of\s+(?P<d>{TITLED_NAME})(?![ \t,]+MP\b)",
    rf"(?:one of )?(?:my|our) (?:residents?|ward residents?),?\s+(?P<e>{TITLED_NAME}|{FULL_NAME})",
    rf"(?P<f>{TITLED_NAME})(?:\s*\([^)\n]*\))?,?\s+(?:has|have)\s+(?:contacted|asked|written|"
    rf"been in touch|approached|raised)",
    rf"contacted by\s+(?P<g>{TITLED_NAME})",
)
# In order of trust: the first pattern that matches names the constituent.
_NAME_PATTERNS = [re.compile(pattern, re.MULTILINE) for pattern in _NAMED]
_ADDRESS_AFTER_NAME = re.compile(
    r"\s*(?:,|\s+of|\s+who lives at|\s+at)\s+(?P<address>[^\n]{3,120}?"
    rf"\b(?:{OUTWARD}[ \t]*{INWARD}|{OUTWARD_LOWER}[ \t]?{INWARD_LOWER}))\b")
_PHONE = re.compile(
    r"(?<![\d])(?:\+44[ \t]?\(?0?\)?[ \t]?|\(?0)(?:\d[ \t\-]?){9,10}(?![\d])")


def find_constituent(text: str, *, subject: str | None, own_emails: set[str]) -> Constituent:
    body = _body(text)
    found = _first_match(f"{subject or ''}\n{body}") or _first_match(text)
    name = address = postcode = None
    if found:
        name = _fullest_mention(clean_name(next(value for value in found.groups() if value)),
                                text)
        address = _address_after(name, text)
        if address:
            postcode = _postcode_in(address)
        else:
            postcode = _postcode_near(name, text)
    if postcode is None:
        postcode = _first_postcode_outside_westminster(body)
    return Constituent(name=name, address=address, postcode=postcode,
                       email=_constituent_email(body, own_emails), phone=_phone(body))


def locate_home(name: str, text: str) -> tuple[str | None, str | None]:
    """The constituent's address and postcode near a mention of `name`."""
    address = _address_after(name, text)
    if address:
        return address, _postcode_in(address)
    return None, _postcode_near(name, text)


def _postcode_in(address: str) -> str | None:
    found = POSTCODE.search(address)
    return normalise_postcode(found.group(0)) if found else None


def _address_after(name: str, text: str) -> str | None:
    """The address written straight after any mention of the constituent's name."""
    for mention in re.finditer(re.escape(name), text):
        located = _ADDRESS_AFTER_NAME.match(text, mention.end())
        if located:
            return clean_name(located.group("address"))
    return None


_TITLED = re.compile(TITLED_NAME)
# Lines with these words give the MP's, council's or school's address, not the family's.
_NOT_HOME = re.compile(r"\b(?:[Oo]ffice|Town Hall|Council\b(?! (?:flat|house|estate|site))|"
                       r"House of Commons|Civic|School|Academy|College|Constituency|Westminster|"
                       r"Surgery|Ward)\b")


def _fullest_mention(name: str, text: str) -> str:
    """"Mrs Joan Pattison" where the letter first says "Mrs Pattison" and later in full."""
    surname = name.split()[-1]
    best = name
    for found in _TITLED.finditer(text):
        candidate = clean_name(found.group(0))
        words = candidate.split()
        if words[-1] == surname and len(words) > len(best.split()) and \
                words[0] == best.split()[0]:
            best = candidate
    if len(best.split()) == 2 and best.split()[0].rstrip(".") in TITLES:
        # Only "Mrs Kavanagh" with a title: the parent's own signature, "Aoife Kavanagh".
        for found in re.finditer(rf"^[ \t]*(?P<name>{NAME_WORD}[ \t]+{re.escape(surname)})[ \t]*$",
                                 text, re.MULTILINE):
            return found.group("name")
    return best


def _postcode_near(name: str, text: str) -> str | None:
    """A postcode within a few lines after a mention of the constituent."""
    surname = name.split()[-1]
    for mention in re.finditer(re.escape(surname), text):
        window = text[mention.end():mention.end() + 250]
        for found in POSTCODE.finditer(window):
            line_start = text.rfind("\n", 0, mention.end() + found.start()) + 1
            line_end = text.find("\n", mention.end() + found.end())
            line = text[line_start:line_end if line_end != -1 else len(text)]
            if not _NOT_HOME.search(line):
                return normalise_postcode(found.group(0))
    return None


def _first_match(text: str) -> re.Match[str] | None:
    for pattern in _NAME_PATTERNS:
        found = pattern.search(text)
        if found:
            return found
    return None


def _body(text: str) -> str:
    """The letter before its sign-off, where the MP's own contact details are not."""
    closing = re.search(r"^\s*(?:yours\s+(?:sincerely|faithfully)|kind(?:est)? regards|"
                        r"best wishes|regards)\b", text, re.IGNORECASE | re.MULTILINE)
    return text[:closing.start()] if closing else text


def _first_postcode_outside_westminster(text: str) -> str | None:
    for found in POSTCODE.finditer(text):
        postcode = normalise_postcode(found.group(0))
        line_start = text.rfind("\n", 0, found.start()) + 1
        line_end = text.find("\n", found.end())
        line = text[line_start:line_end if line_end != -1 else len(text)]
        if postcode and not postcode.startswith("SW1A") and not _NOT_HOME.search(line):
            return postcode
    return None


def _constituent_email(text: str, own_emails: set[str]) -> str | None:
    for found in EMAIL.finditer(text):
        email = found.group(0).rstrip(".")
        lowered = email.lower()
        if lowered in own_emails or lowered.endswith(("parliament.uk", ".gov.uk")):
            continue
        return email
    return None


def _phone(text: str) -> str | None:
    found = _PHONE.search(text)
    return " ".join(found.group(0).split()) if found else None
