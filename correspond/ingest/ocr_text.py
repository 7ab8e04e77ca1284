"""Mending the slips OCR makes in what the extractor reads, in OCR'd text only.

Tesseract reads a 0 as O and a 1 as I or l where the letters look alike, the pronoun I as
a bar (or "I am" as "Iam"), and keeps a word hyphenated across a line end as two pieces.
In a postcode each position is a letter or a digit, so a slip there can be put right (and
in a lower-case postcode, an l read as I or a 9 as q); in a date, a reference or a phone
number a letter among digits is a digit, and so is a day before a month's name ("Sth
November"); "d.o.b." read as "d.00.b." is mended, and a letter after a district outside
central London ("RG5S") is a speck. A central London postcode may be read with no digit
at all ("SWIA OAA", the House of Commons' in nearly every MP's letterhead), or with a
digit read twice ("SW1A O0AA"). A name read with different accents (or with I as J, or
its accented e as "@") in different places is written one way throughout, and "Clir" is a
councillor's "Cllr". A word broken at a line end is joined on the first line (keeping the
hyphen of a double-barrelled name). Anything else is left as read.
"""

from __future__ import annotations

import re
from collections import Counter

from correspond.domain.postcodes import OUTWARD, normalise_postcode
from correspond.domain.text import fold

_AS_DIGIT = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "i": "1", "|": "1",
                           "S": "5", "B": "8"})
_AS_LETTER = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B", "$": "S"})
_LOOKS_DIGIT = "0-9OIliSB"
# The postcode areas whose districts may end in a letter (EC1A, WC2N, SW1A, W1T, N1C,
# NW1W, SE1P, E1W); in any other, "RG5S" cannot be a district.
_LETTERED_DISTRICT_AREAS = {"EC", "WC", "SW", "W", "N", "NW", "SE", "E"}
# A central London district read with its digit as a letter ("SWIA"): with no digit read
# anywhere, only this form is taken for a postcode (so "NO SIR" stays words).
_CENTRAL_DISTRICT_AS_READ = re.compile(r"(EC|WC|SW|NW|SE)[OIl][A-Z]")
# A postcode's sector digit read twice, once as a letter ("SW1A O0AA").
_DOUBLED_SECTOR = re.compile(
    rf"(?<![\w$])({OUTWARD})( ?)(0O|O0|1[Il|]|[Il|]1)([A-Z]{{2}})\b")
# A postcode as OCR may have read it: letters and digits where its digits and letters go.
_POSSIBLE_POSTCODE = re.compile(
    rf"(?<![\w$])([A-Z0-9$]{{1,2}}[{_LOOKS_DIGIT}][A-Z0-9]?)[ ]?([{_LOOKS_DIGIT}][A-Z0-9]{{2}})\b")
# A run of digits with O, I, l or | among them (and an ordinal's ending), between
# separators: a date's part, a reference's number, a phone number.
_NUMBER_LIKE = re.compile(r"(?<![A-Za-z0-9])([0-9OoIl|]{2,})(st|nd|rd|th)?(?![A-Za-z0-9])")
# "d.o.b." with its o read as a zero (or two).
_DOB = re.compile(r"\b([dD])([.,] ?)[0oO]{1,2}([.,] ?)([bB])\b")
# A postcode typed in lower case ("ls8 2pa") with its l read as a capital I, or the
# digit of its unit read as a letter ("nw10 qpd").
_LOWER_POSTCODE_I = re.compile(r"(?<![\w$])I([a-z]?[0-9][a-z0-9]? ?[0-9][a-z]{2})\b")
_LOWER_POSTCODE = re.compile(r"(?<![\w$])([a-z]{1,2}[0-9][a-z0-9]?)( ?)([oOIlqgQG])([a-z]{2})\b")
_LOWER_AS_DIGIT = str.maketrans({"o": "0", "O": "0", "I": "1", "l": "1", "q": "9", "g": "9",
                                 "Q": "9", "G": "9"})
# A capitalised word ending in "@" is a name whose last letter had an accent ("Zo@").
_ACCENT_AS_AT = re.compile(r"\b([A-Z][a-z]+)@(?=[\s,.;:'’)]|$)")
# A day before a month's name: "Sth November" is the 5th.
_DAY = re.compile(r"(?<![A-Za-z0-9])([0-9OoIlS|]{1,2})(st|nd|rd|th)?(?=\s+(?:Jan|Feb|Mar|Apr|May|"
                  r"Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b)")
# "Cllr" (a councillor) read with its "ll" as "li".
_CLLR = re.compile(r"\bCli[r|]\b|\bCIlr\b|\bClIr\b")
_CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w]+\b")
# "| have not had a reply": a bar standing alone as a word is the pronoun.
_BAR_FOR_I = re.compile(
    r"(?<![^\s\"'(])\|(?=('[a-z]{1,2}\b|[ \t]+(am|have|had|was|would|should|could|will|"
    r"hope|write|wrote|understand|look|do|did|know|think|believe|trust|enclose|attach|also|"
    r"feel|want|must|can|cannot|met|spoke|visited|asked|raised|need|apologise|remain)\b))")
# "I am" read with its space lost (no English word is "Iam").
_I_AM = re.compile(r"\bIam\b")
_BROKEN_WORD = re.compile(r"(\w*[A-Za-z])-[ \t]*\n[ \t]*([A-Za-z][\w']*)([ \t]*)(?=(\n?))")


def clean_ocr_text(text: str) -> str:
    text = _ACCENT_AS_AT.sub(r"\1e", text)
    text = _one_spelling_per_name(text)
    text = _CLLR.sub("Cllr", text)
    text = _BROKEN_WORD.sub(_join, text)
    text = _BAR_FOR_I.sub("I", text)
    text = _I_AM.sub("I am", text)
    text = _DOB.sub(r"\1\2o\3\4", text)
    text = _DAY.sub(_as_day, text)
    text = _NUMBER_LIKE.sub(_as_number, text)
    text = _LOWER_POSTCODE_I.sub(r"l\1", text)
    text = _LOWER_POSTCODE.sub(_as_lower_postcode, text)
    text = _DOUBLED_SECTOR.sub(_once, text)
    return _POSSIBLE_POSTCODE.sub(_as_postcode, text)


def _one_spelling_per_name(text: str) -> str:
    """A name read with its accents one way here and another there ("Zoë", "Zoe", "Zoé"),
    or with its I read as J ("Ionuț", "Jonut"), is one name: each is written as it was
    read most often."""
    readings: dict[str, Counter[str]] = {}
    for word in _CAPITALISED.findall(text):
        key = fold(word)
        readings.setdefault("I" + key[1:] if key[0] == "J" else key, Counter())[word] += 1
    chosen = {word: counts.most_common(1)[0][0] for counts in readings.values()
              if len(counts) > 1 for word in counts}
    if not chosen:
        return text
    return _CAPITALISED.sub(lambda match: chosen.get(match.group(0), match.group(0)), text)


def _join(match: re.Match[str]) -> str:
    first, second, _space, line_end = match.groups()
    # "Smith-\nJones" is a double-barrelled name; "assess-\nment" one word.
    joined = f"{first}-{second}" if second[0].isupper() else first + second
    return joined if line_end else joined + "\n"


def _as_number(match: re.Match[str]) -> str:
    digits, ending = match.group(1), match.group(2) or ""
    if not any(character.isdigit() for character in digits):
        return match.group(0)  # "lO", "Il": no digit read, nothing to go on
    return digits.translate(_AS_DIGIT) + ending


def _as_lower_postcode(match: re.Match[str]) -> str:
    outward, space, digit, letters = match.groups()
    mended = outward + space + digit.translate(_LOWER_AS_DIGIT) + letters
    return mended if normalise_postcode(mended) else match.group(0)


def _once(match: re.Match[str]) -> str:
    outward, space, doubled, unit = match.groups()
    digit = "0" if "0" in doubled else "1"
    return outward + space + digit + unit


def _as_day(match: re.Match[str]) -> str:
    day, ending = match.group(1), match.group(2) or ""
    if not ending and not any(character.isdigit() for character in day):
        return match.group(0)  # "I" or "So" before a month is a word, not a day
    mended = day.translate(_AS_DIGIT)
    return mended + ending if 1 <= int(mended) <= 31 else match.group(0)


def _as_postcode(match: re.Match[str]) -> str:
    outward, inward = match.groups()
    if not _postcode_like(outward, inward):
        return match.group(0)
    if normalise_postcode(outward + inward):
        return _without_stray_letter(outward, inward, match.group(0))
    area_length = 2 if len(outward) == 4 or (len(outward) == 3 and outward[1].isalpha()) \
        else 1
    mended_outward = (outward[:area_length].translate(_AS_LETTER)
                      + outward[area_length].translate(_AS_DIGIT)
                      + outward[area_length + 1:])
    mended_inward = inward[0].translate(_AS_DIGIT) + inward[1:].translate(_AS_LETTER)
    mended = normalise_postcode(mended_outward + mended_inward)
    if mended is None:
        return match.group(0)
    separator = " " if " " in match.group(0) else ""
    return mended_outward + separator + mended_inward


def _without_stray_letter(outward: str, inward: str, read: str) -> str:
    """A postcode district ending in a letter ("SW1A") is a central London one; elsewhere
    the letter is a speck read as one ("RG5S 3EX" is RG5 3EX)."""
    district = re.fullmatch(r"([A-Z]{1,2})([0-9])([A-Z])", outward)
    if district is None or district.group(1) in _LETTERED_DISTRICT_AREAS:
        return read
    return outward[:-1] + (" " if " " in read else "") + inward


def _postcode_like(outward: str, inward: str) -> bool:
    """Read with a digit, and with letters where a postcode has its area and its unit
    (so a phone number or a year is never taken for one)."""
    read_a_digit = (any(c.isdigit() for c in outward + inward)
                    or (_CENTRAL_DISTRICT_AS_READ.fullmatch(outward) is not None
                        and inward[0] in "OI"))
    return (read_a_digit
            and (outward[0].isalpha() or outward[0] == "$")
            and any(c.isalpha() for c in inward[1:]))
