"""School and college names, and whether a letter names one as attended or wanted."""

from __future__ import annotations

import re
from dataclasses import dataclass

_KIND = (r"(?:School|Academy|College|Primary|Infants?|Juniors?|Grammar|Nursery|High|"
         r"Pupil Referral Unit|PRU|Sixth Form|Free School|Studio School|"
         # Alternative provision is where a child is taught now, as a school is.
         r"(?:Learning|Education|Tuition|Pupil|Teaching|Resource|Inclusion) Centre|"
         r"(?:Medical |Home )?Tuition Service|Short Stay School|Alternative Provision|"
         r"AP Academy|Hospital School|Inclusion Unit)")
_WORD = r"(?:St\.?|[A-Z][\w'’\-]*|[A-Z]{2,}|of|the|and|&|upon|on|in|de|la|le)"
SCHOOL_NAME = re.compile(
    rf"\b(?:The\s+)?(?:St\.?|[A-Z][\w'’\-]*)(?:[ \t]+{_WORD}){{0,7}}?[ \t]+{_KIND}"
    rf"(?:[ \t]+(?:School|Academy|College))?(?:[ \t]+for[ \t]+(?:Girls|Boys))?\b")
# "St Hilda's", "St Anne's": a saint's school named informally, after "at" or "attends".
_SAINTS_SCHOOL = re.compile(
    r"\b(?:at|attends|attend|to|from|of)[ \t](?P<name>(?:St\.?|Saint)[ \t][A-Z][a-z]+['’]s)\b"
    r"(?![ \t]+(?:Church|Hospital|Road|Street|Avenue|Lane|Close|Way|Court|House|Square))")

_WANTS = re.compile(
    r"(?:place at|a place in|named?|naming|wants?(?: \w+)? to (?:attend|go to)|"
    r"apply(?:ing)? (?:for|to)|application (?:for|to)|preference (?:for|of)|consult(?:ed|ing)?|"
    r"placement at|move to|moving to|transfer to|specialist (?:place|provision) at|"
    r"requested|request(?:ing)?|prefer(?:red|s)?|would like \w+ to attend|secure a place at|"
    r"offered a place at|awaiting a place at|considered for|asked for|names|for a place at|"
    r"consulted|consult|to be named|place at|would like|considered)\s*$",
    re.IGNORECASE)
# Named as where the child was, not where they are: "was permanently excluded from X",
# "left X in July", "previously attended X".
_PAST = re.compile(
    r"(?:excluded from|left|used to (?:attend|go to)|previously (?:attended|at|went to)|"
    r"formerly (?:at|of)|was (?:at|attending|a pupil at)|moved (?:him|her|them)? ?from|"
    r"removed from|taken off (?:the )?roll (?:at|of)|no longer (?:at|attends|attending))\s*$",
    re.IGNORECASE)
# "she's at Oakley", "he goes to Brookfield": a school named informally after a verb that
# says where a child is taught.
_INFORMAL = re.compile(
    r"\b(?:attends|attending|(?:she|he|they)(?:'s| is| are) at|in (?:Year \d{1,2}|Reception) at|"
    r"goes to|is a pupil at|on (?:the )?roll (?:at|of)|started at)[ \t]+"
    r"(?P<name>(?:St\.?[ \t])?[A-Z][a-z]+(?:[ \t][A-Z][a-z]+){0,3})\b(?![ \t]+(?:Road|Street|"
    r"Hospital|House|Ward|Clinic|Centre|Court|Avenue|Lane))")
_NOT_INFORMAL = re.compile(r"^(?:Home|Hospital|School|College|Nursery|University|Work|"
                           r"Christmas|Easter|January|February|March|April|May|June|July|"
                           r"August|September|October|November|December|The|A|An|Year)\b")
_NOT_SCHOOLS = re.compile(r"^(?:The\s+)?(?:SEND|SEN|Local|Council|Special Educational|"
                          r"Secondary|Primary|Mainstream|Independent|Special)\b")


@dataclass(frozen=True)
class SchoolMention:
    name: str
    start: int
    end: int
    wanted: bool  # named as a school the family asks for, not the one attended
    past: bool = False  # named as where the child was, not where they are now


def find_schools(text: str) -> list[SchoolMention]:
    mentions = []
    for found in SCHOOL_NAME.finditer(text):
        name = " ".join(found.group(0).split())
        if _NOT_SCHOOLS.match(name) and len(name.split()) <= 2:
            continue
        before = text[max(0, found.start() - 60):found.start()]
        mentions.append(SchoolMention(name, found.start(), found.end(),
                                      bool(_WANTS.search(before)),
                                      bool(_PAST.search(before))))
    for pattern in (_SAINTS_SCHOOL, _INFORMAL):
        for found in pattern.finditer(text):
            start, end = found.span("name")
            if any(start < other.end and other.start < end for other in mentions):
                continue
            if pattern is _INFORMAL and _NOT_INFORMAL.match(found.group("name")):
                continue
            before = text[max(0, start - 60):start]
            mentions.append(SchoolMention(found.group("name"), start, end,
                                          bool(_WANTS.search(before)),
                                          bool(_PAST.search(before))))
    return sorted(mentions, key=lambda mention: mention.start)
