"""Who wrote: the MP, their office, a councillor, or someone else."""

from __future__ import annotations

import re

from correspond.domain.names import FULL_NAME, NAME_WORD, TITLED_NAME, strip_titles
from correspond.records import Correspondent, CorrespondentType

_ANY_NAME = rf"(?:(?:The\s+)?(?:Rt\.?\s+)?(?:Hon\.?\s+)?(?:{TITLED_NAME}|{FULL_NAME}))"
_MP_NAME = re.compile(rf"(?P<name>{_ANY_NAME})[ \t,]+MP\b")
_MP_LINE = re.compile(rf"^[ \t]*(?P<name>{_ANY_NAME})[ \t,]+MP[ \t]*$", re.MULTILINE)
_ON_BEHALF_OF_MP = re.compile(
    rf"(?:on behalf of|office of|caseworker (?:to|for)|assistant to|working for)\s+"
    rf"(?P<name>{_ANY_NAME})[ \t,]+MP\b", re.IGNORECASE)
_CONSTITUENCY = re.compile(
    r"(?:Member of Parliament|MP)\s+for\s+(?P<place>[A-Z][\w'’,&\- ]+?)\s*(?:$|[.;\n(])",
    re.MULTILINE)
_STAFF_ROLE = re.compile(
    r"\b(?:(?:senior |parliamentary |constituency )?caseworker|case worker|"
    r"parliamentary assistant|office manager|researcher|senior assistant)\b", re.IGNORECASE)
_COUNCILLOR = re.compile(rf"\b(?:Councillor|Cllr\.?)\s+(?P<name>{FULL_NAME}|{NAME_WORD})")
_REF_VALUE = r"(?P<ref>[A-Z0-9][\w/\-.]*\d[\w/\-.]*)"
_REF_TAIL = r"\.?(?:\s*(?:no|number)\.?)?\s*[:\-]?[ \t]*"
# The MP office's own reference, most explicit label first; "Your ref" and "Council ref"
# are the council's own and are read elsewhere.
_REFERENCES = [re.compile(pattern, re.IGNORECASE) for pattern in (
    rf"\b(?:Our|My)\s+(?:case\s+)?(?:ref(?:erence)?|no\.?|number){_REF_TAIL}{_REF_VALUE}",
    rf"(?<!your )(?<!council )\bCase\s+ref(?:erence)?{_REF_TAIL}{_REF_VALUE}",
    rf"\bquote\s+(?:our\s+)?reference\s+{_REF_VALUE}",
    rf"(?<!your )(?<!council )(?<!your case )\bRef(?:erence)?{_REF_TAIL}{_REF_VALUE}",
)]
# "Subject: JD/26/07734 - Taylor twins": a reference-shaped code opening the subject.
_SUBJECT_REFERENCE = re.compile(
    r"^Subject:\s*(?:(?:RE|FW|Fwd):\s*)*\[?(?P<ref>[A-Z]{1,4}[/\-]\d[\w/\-]*|\d{6,})\b",
    re.IGNORECASE | re.MULTILINE)
# "Subject: Samuel Okoro - annual review - JR/88123": the same code closing the subject.
_SUBJECT_REFERENCE_AT_END = re.compile(
    r"^Subject:[^\n]*[-–:(\[][ \t]*(?P<ref>[A-Z]{1,4}[/\-]\d[\w/\-]*)[ \t]*[)\]]?[ \t]*$",
    re.IGNORECASE | re.MULTILINE)
_PARLIAMENT_EMAIL = re.compile(r"[\w.+\-']+@parliament\.uk\b", re.IGNORECASE)


def find_correspondent(text: str, *, subject: str | None, sender_email: str | None,
                       sender_name: str | None, signature: str | None = None) -> Correspondent:
    """Who wrote. `signature` is the newest message's signature block where the parts
    stage found one; otherwise what follows the closing ("Yours sincerely") is read."""
    header = f"{subject or ''}\n{sender_name or ''}\n{text}"
    sign_off = _sign_off(text)
    if signature and signature.strip() not in sign_off:
        sign_off = f"{sign_off}\n{signature}"
    mp_name = _mp_name(text, sender_name, sign_off)
    caseworker = _caseworker(sign_off)
    on_behalf = _ON_BEHALF_OF_MP.search(header) is not None
    councillor = (_COUNCILLOR_SIGN_OFF.search(sign_off) or _COUNCILLOR.search(sign_off))
    constituency = _constituency(header)
    kind: CorrespondentType
    if mp_name:
        kind = "mp_office" if caseworker or on_behalf else "mp"
    elif councillor:
        kind, mp_name = "councillor", councillor.group("name")
        if "ward" in councillor.groupdict():
            constituency = councillor.group("ward").strip()
        ward = _WARD_LINE.search(text)
        if constituency is None and ward:
            constituency = (ward.group("ward") or ward.group("ward2")).strip()
    else:
        kind = "other"
    return Correspondent(
        type=kind,
        name=strip_titles(mp_name) if mp_name else None,
        constituency=constituency,
        email=_email(text, sender_email),
        reference=_reference(header, subject),
        caseworker=caseworker,
    )


_NAME_ABOVE_MEMBER_LINE = re.compile(
    rf"^[ \t]*(?P<name>{FULL_NAME})[ \t]*\n[ \t]*(?:Member of Parliament|MP) for\b", re.MULTILINE)
_COUNCILLOR_SIGN_OFF = re.compile(
    rf"^[ \t]*(?:Cllr\.?[ \t]+|Councillor[ \t]+)?(?P<name>{FULL_NAME})[ \t]*\n[ \t]*"
    rf"(?:[\w ]+[ \t])?Councillor (?:for|of)[ \t]+(?P<ward>[^\n,]+?)(?:[ \t]+Ward)?[ \t]*$",
    re.MULTILINE)


def _mp_name(text: str, sender_name: str | None, sign_off: str) -> str | None:
    # The signature block names the MP most reliably; then "on behalf of X MP"; then
    # any "X MP" in the text (but never "my constituent ... MP").
    signature = _MP_LINE.findall(sign_off) or [
        found.group("name") for found in _NAME_ABOVE_MEMBER_LINE.finditer(sign_off)]
    if signature:
        return signature[-1]
    for pattern in (_ON_BEHALF_OF_MP, _MP_LINE, _MP_NAME):
        found = pattern.search(text)
        if found:
            return found.group("name")
    if sender_name:
        found = _MP_NAME.search(sender_name + " ")
        if found:
            return found.group("name")
    return None


def _caseworker(sign_off: str) -> str | None:
    """'Tom Reyes' from a sign-off such as 'Tom Reyes\\nSenior Caseworker to ... MP'."""
    lines = [line.strip() for line in sign_off.splitlines()]
    for index, line in enumerate(lines):
        if not _STAFF_ROLE.search(line):
            continue
        same_line = re.match(rf"(?P<name>{FULL_NAME})\s*[,\-–]\s*", line)
        if same_line:
            return same_line.group("name")
        for previous in reversed(lines[:index]):
            if not previous:
                continue
            if re.fullmatch(FULL_NAME, previous):
                return previous
            break
    return None


_CONSTITUENCY_TAIL = re.compile(r"[A-Z][\w'’\-]*(?:\s+(?:and|upon|on|[A-Z][\w'’\-]*))*")


# A councillor's ward or division on its own line: "Belmont Division", "Anfield Ward",
# "Ward Councillor for Werrington".
_WARD_LINE = re.compile(
    r"^[ \t]*(?:(?P<ward>[A-Z][\w'’\-]*(?:[ \t]+(?:and|[A-Z][\w'’\-]*))*)[ \t]+(?:Ward|Division)"
    r"|(?:Ward |Division )?Councillor(?:,| for)[ \t]+(?P<ward2>[A-Z][^\n,]*?)"
    r"(?:[ \t]+(?:Ward|Division))?)"
    r"[ \t]*$", re.MULTILINE)
_SHOUTED_CONSTITUENCY = re.compile(
    r"^[ \t]*MEMBER OF PARLIAMENT FOR (?P<place>[A-Z][A-Z'’,&\- ]+?)[ \t]*$", re.MULTILINE)
_SMALL_WORDS = {"and", "of", "the", "upon", "on", "with", "in"}


def _constituency(text: str) -> str | None:
    shouted = _SHOUTED_CONSTITUENCY.search(text)
    if shouted:  # a letterhead in capitals: "MEMBER OF PARLIAMENT FOR LUTON NORTH"
        words = shouted.group("place").strip(" ,").split()
        return " ".join(word.lower() if index and word.lower() in _SMALL_WORDS
                        else "-".join(part.capitalize() for part in word.split("-"))
                        for index, word in enumerate(words))
    found = _CONSTITUENCY.search(text)
    if not found:
        return None
    place = found.group("place").strip(" ,")
    # "Bristol East, House of Commons" on one line: keep the constituency only (but a
    # comma can belong to it: "Oldham West, Chadderton and Royton").
    head, _, rest = place.partition(",")
    rest = rest.strip()
    if rest and _CONSTITUENCY_TAIL.fullmatch(rest) and \
            not re.match(r"(?:House of Commons|London|Westminster)\b", rest):
        return f"{head.strip()}, {rest}"
    return head.strip() or None


def _reference(text: str, subject: str | None) -> str | None:
    for pattern in _REFERENCES:
        found = pattern.search(text)
        if found:
            return found.group("ref").rstrip(".-/")
    subject_line = f"Subject: {subject}" if subject else ""
    for pattern in (_SUBJECT_REFERENCE, _SUBJECT_REFERENCE_AT_END):
        found = pattern.search(subject_line) or pattern.search(text)
        if found:
            return found.group("ref").rstrip(".-/")
    return None


def _email(text: str, sender_email: str | None) -> str | None:
    if sender_email:
        return sender_email
    found = _PARLIAMENT_EMAIL.search(text)
    return found.group(0) if found else None


def _sign_off(text: str) -> str:
    """The part of the letter after the closing ('Yours sincerely', 'Kind regards')."""
    closings = list(re.finditer(
            r"^\s*(?:yours\s+(?:sincerely|faithfully|truly)|kind(?:est)? regards|best wishes|"
            r"best regards|regards|with best wishes|many thanks)\b.*$",
            text, re.IGNORECASE | re.MULTILINE))
    if not closings:
        return text[-600:]
    return text[closings[-1].end():]
