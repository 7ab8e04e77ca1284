"""Reading a letter by its parts: no council address, quoted email, footer or table header
is ever taken for the family's details, and each value says where it was read.

The letters here are written for these tests (invented people, real-shaped addresses);
they are not the measurement sets."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

import jsonschema
import pytest

from correspond.extract import load_extractor
from correspond.pipeline.workers import read_and_extract
from correspond.referral_json import referral_to_json
from correspond.shipped import shipped_path

from support import SAMPLES

LETTER_TO_THE_COUNCIL = """\
Harriet Vale MP
Member of Parliament for Ashfield Vale
House of Commons
London SW1A 0AA

Our ref: HV/2026/0311

Director of Children's Services
Greenshire County Council
County Hall
Topsham Road
Exeter EX2 4QD

9 March 2026

Dear Director,

Re: Master Oliver Pennington

I am writing on behalf of my constituent Mrs Claire Pennington of 14 Orchard Rise, Exmouth
EX8 2LT, about her son Oliver Pennington (date of birth 12/05/2016), who attends Brixington
Primary School.

Mrs Pennington asked for an EHC needs assessment for Oliver in November and has heard
nothing since, although a decision was due within six weeks of her request.

Yours sincerely,

Harriet Vale MP
Member of Parliament for Ashfield Vale
"""

FOOTER_AND_POLITENESS = """\
Dear SEND Team,

Our ref: JR/88123

I am writing on behalf of my constituent Mr David Okoro of 3 Mill Lane, Bicester OX26 6HG,
whose son Samuel Okoro (DOB 04/02/2014) is waiting for his annual review outcome. The review
was held on 2 October and nothing has been issued since. This is a very pressing matter for
the family and I would be grateful for an urgent reply.

Kind regards,

Jo Reid
Caseworker to Sam Hurst MP

If your matter is urgent, please telephone the office on 020 7946 0321. This email is
confidential and intended only for the person to whom it is addressed.
"""

TABLE_OF_CHILDREN = """\
Dear Sir or Madam,

My constituent Ms Rachel Adeyemi of 9 Lark Close, Banbury OX16 1AB has two children with EHC
plans whose transport has been withdrawn.

Name\tDate of birth\tSchool
Tobi Adeyemi\t03/04/2013\tFrank Wise School
Kemi Adeyemi\t21/09/2015\tHardwick School

Both children have missed school since the start of term because there is no transport.

Yours faithfully,

Sam Hurst MP
"""


@pytest.fixture(scope="module")
def extractor():
    return load_extractor(shipped_path("models"))


def read(extractor, data: bytes, name: str):
    return read_and_extract(data, name, extractor)


def test_the_councils_own_address_is_never_the_familys(extractor):
    result = read(extractor, LETTER_TO_THE_COUNCIL.encode(), "letter.txt")
    constituent = result.extraction.constituent
    assert constituent.postcode == "EX8 2LT"
    assert result.extraction.sources["constituent.postcode"].part == "body"
    kinds = {part.kind for part in result.parts.parts}
    assert {"letterhead", "recipient", "date", "references", "signature"} <= kinds


def test_a_title_is_not_a_childs_first_name(extractor):
    child = read(extractor, LETTER_TO_THE_COUNCIL.encode(), "letter.txt").extraction.children[0]
    assert (child.first_name, child.last_name) == ("Oliver", "Pennington")
    assert child.date_of_birth.isoformat() == "2016-05-12"


def test_footers_and_politeness_do_not_make_a_letter_urgent(extractor):
    extraction = read(extractor, FOOTER_AND_POLITENESS.encode(), "email.txt").extraction
    assert extraction.urgent is False
    assert "annual_review" in {concern.category for concern in extraction.concerns}


def test_a_table_of_children_gives_its_rows_never_its_header(extractor):
    extraction = read(extractor, TABLE_OF_CHILDREN.encode(), "letter.txt").extraction
    names = [(child.first_name, child.last_name) for child in extraction.children]
    assert names == [("Tobi", "Adeyemi"), ("Kemi", "Adeyemi")]
    assert [child.date_of_birth.isoformat() for child in extraction.children] == [
        "2013-04-03", "2015-09-21"]
    assert [child.school.name for child in extraction.children] == [
        "Frank Wise School", "Hardwick School"]
    assert extraction.sources["children[1].date_of_birth"].part == "table"
    assert extraction.urgent is True  # out of school since the start of term


def _chaser_email() -> bytes:
    message = EmailMessage()
    message["From"] = "Office of Sam Hurst MP <sam.hurst.mp@parliament.uk>"
    message["To"] = "send@greenshire.gov.uk"
    message["Subject"] = "RE: Samuel Okoro - annual review - JR/88123"
    message["Date"] = format_datetime(datetime(2026, 11, 20, 9, 30, tzinfo=UTC))
    message.set_content(
        "Dear SEND Team,\n\nI am still waiting for a reply about Samuel Okoro. Please see my "
        "email below.\n\nKind regards,\nJo Reid\nCaseworker to Sam Hurst MP\n\n"
        "From: Jo Reid <jo.reid@parliament.uk>\nSent: 14 October 2026 16:02\n"
        "To: send@greenshire.gov.uk\nSubject: Samuel Okoro - annual review - JR/88123\n\n"
        "Dear SEND Team,\n\nMy constituent Mr David Okoro of 3 Mill Lane, Bicester OX26 6HG "
        "tells me his son Samuel Okoro (DOB 04/02/2014) has had no outcome from his annual "
        "review held on 2 October.\n\nKind regards,\nJo Reid\n")
    return message.as_bytes()


def test_a_quoted_emails_date_is_not_the_letters_and_its_child_is_counted_once(extractor):
    result = read(extractor, _chaser_email(), "chaser.eml")
    extraction = result.extraction
    assert extraction.letter_date.isoformat() == "2026-11-20"
    assert extraction.sources["letter_date"].part == "email_headers"
    assert [child.first_name for child in extraction.children] == ["Samuel"]
    assert extraction.is_chaser is True
    assert extraction.correspondent.reference == "JR/88123"
    assert [message.depth for message in result.parts.messages] == [0, 1]


def test_the_referral_json_has_a_source_beside_each_value_and_fits_the_schema(
        extractor, schema):
    data = (SAMPLES / "khan_covering_note.eml").read_bytes()
    result = read(extractor, data, "khan_covering_note.eml")
    referral = referral_to_json(file="khan_covering_note.eml", sha256="0" * 64,
                                format=result.document.format, letter=result.letter,
                                parts=result.parts, extraction=result.extraction)
    jsonschema.validate(json.loads(json.dumps(referral)), schema)
    assert referral["sources"]["constituent.postcode"]["part"] in ("body", "subject")
    assert referral["parts"] and all({"kind", "start", "end", "message"} <= set(item)
                                      for item in referral["parts"])


YOUNG_PERSON = """\
Dear SEND 16-25 Team,

I am writing on behalf of my constituent, Ms Leah Marsden of 22 Quarry Hill, Leeds LS9 7BN.
Leah is 19 and has an EHC plan. She is in the second year of a catering course at Park Lane
College, where the support her plan sets out has not been in place since September.

Kind regards,

Hannah Greaves MP
"""


def test_a_young_person_written_about_is_the_child_of_the_referral(extractor):
    extraction = read(extractor, YOUNG_PERSON.encode(), "letter.txt").extraction
    assert [(child.first_name, child.last_name) for child in extraction.children] == [
        ("Leah", "Marsden")]
    assert extraction.constituent.postcode == "LS9 7BN"


def test_the_councils_postcodes_from_the_settings_are_never_the_familys():
    # The family's address is given as the council's building, where letters reach her.
    letter = ("Dear SEND Team,\n\nMy constituent Mrs Ann Ward of 1 Topsham Road, Exeter "
              "EX2 4QD asked me to write about her son Tom Ward (DOB 01/02/2014), who attends "
              "Brixington Primary School and is waiting for his EHC needs assessment "
              "decision.\n\nYours sincerely,\n\nHarriet Vale MP\n")
    plain = read(load_extractor(shipped_path("models")), letter.encode(), "letter.txt")
    assert plain.extraction.constituent.postcode == "EX2 4QD"
    told = read(load_extractor(shipped_path("models"), council_postcodes=["ex24qd"]),
                letter.encode(), "letter.txt")
    assert told.extraction.constituent.postcode is None
