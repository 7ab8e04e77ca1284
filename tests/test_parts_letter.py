"""Splitting a letter's text into its blocks: on letters written here in the styles MPs,
councillors, advocates and families write, on the development set, and on real Word and
PDF files. Every name, address and reference here is invented."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from correspond.errors import UnreadableFile
from correspond.ingest import read_document
from correspond.parts.letter import split_letter
from correspond.records import Part, Region, Span

DEVSET = Path(__file__).parent / "devset"
SAMPLES = Path(__file__).parent / "samples" / "files"


def kind_of(text: str, needle: str, parts: tuple[Part, ...] | None = None, *,
            last: bool = False) -> str:
    """The kind of the part holding the first (or last) occurrence of `needle`."""
    parts = split_letter(text) if parts is None else parts
    at = text.rindex(needle) if last else text.index(needle)
    found = [part for part in parts if at in part.span]
    assert found, f"{needle!r} is in no part"
    assert found[0].span.end >= at + len(needle), f"{needle!r} is split across parts"
    return found[0].kind


def assert_well_formed(text: str, parts: tuple[Part, ...]) -> None:
    """In order, not overlapping, covering every non-blank character, trimmed."""
    covered = 0
    for part in parts:
        assert part.span.start >= covered, f"{part} overlaps the part before it"
        assert text[covered:part.span.start].strip() == "", \
            f"{text[covered:part.span.start]!r} is in no part"
        chunk = part.span.text_of(text)
        assert chunk and chunk == chunk.strip(), f"{part} is empty or untrimmed"
        covered = part.span.end
    assert text[covered:].strip() == ""


MP_LETTER = """\
HANNAH GREAVES MP
Member of Parliament for Leeds Central and Headingley
House of Commons, London SW1A 0AA
Constituency office: 14 Kirkgate, Leeds LS2 7DJ
Tel: 0113 496 0123  |  hannah.greaves.mp@parliament.uk

Our ref: HG/2026/0412
Your ref:

Ms J Smith
Director of Children's Services
Example Council
Civic Centre
Market Street
Exampletown EX1 2CD

Monday 14th October 2026

Dear Ms Smith,

Re: Adam Khan (DOB 03/04/2015), 27 Brookfield Road, Leeds LS6 2AB

I am writing on behalf of my constituent Mrs Sarah Khan about her children, who both
attend Meanwood Church of England Primary School.

Name\tDate of birth\tSchool
Adam Khan\t03/04/2015\tMeanwood CE Primary
Zara Khan\t11/09/2018\tMeanwood CE Primary

Mrs Khan asked the council for an Education, Health and Care needs assessment for Adam
on 2 June 2026 and has had no decision. I would be grateful for your help.

Yours sincerely,



Hannah Greaves MP
Member of Parliament for Leeds Central and Headingley

Caseworker: Tom Reid
Tel: 0113 496 0124
tom.reid@parliament.uk

Enc. Copy of Mrs Khan's request of 2 June 2026
cc: Headteacher, Meanwood CE Primary

This letter is confidential and is intended only for the person to whom it is addressed.
The office cannot deal with urgent matters by email; please call 0113 496 0123.
"""


def test_an_mps_letter_is_split_into_its_blocks():
    parts = split_letter(MP_LETTER)
    assert_well_formed(MP_LETTER, parts)
    assert [part.kind for part in parts] == [
        "letterhead", "references", "recipient", "date", "salutation", "subject", "body",
        "table", "body", "closing", "signature", "enclosures", "disclaimer"]
    assert parts[2].span.text_of(MP_LETTER).startswith("Ms J Smith")
    assert parts[2].span.text_of(MP_LETTER).endswith("EX1 2CD")
    assert parts[3].span.text_of(MP_LETTER) == "Monday 14th October 2026"
    assert kind_of(MP_LETTER, "Tom Reid", parts) == "signature"
    assert kind_of(MP_LETTER, "cc: Headteacher", parts) == "enclosures"
    assert kind_of(MP_LETTER, "urgent matters", parts) == "disclaimer"


def test_a_table_gives_one_record_per_child_under_its_headers():
    table = next(part for part in split_letter(MP_LETTER) if part.kind == "table")
    assert table.rows == (
        {"Name": "Adam Khan", "Date of birth": "03/04/2015", "School": "Meanwood CE Primary"},
        {"Name": "Zara Khan", "Date of birth": "11/09/2018", "School": "Meanwood CE Primary"},
    )
    assert table.span.text_of(MP_LETTER).startswith("Name\tDate of birth")


def test_the_familys_details_in_the_subject_are_not_the_recipients():
    assert kind_of(MP_LETTER, "LS6 2AB") == "subject"
    assert kind_of(MP_LETTER, "EX1 2CD") == "recipient"
    assert kind_of(MP_LETTER, "LS2 7DJ") == "letterhead"  # the MP's constituency office


CONSTITUENT_LETTER = """\
                                                    Sarah Khan
                                                    27 Brookfield Road
                                                    Leeds
                                                    LS6 2AB
                                                    07700 900123

SEND Team
Leeds City Council
Merrion House
Leeds LS2 8BB

12 March 2026

Dear Sir or Madam,

My son Adam (date of birth 3 April 2015) has been out of school since January.

Yours faithfully,

Sarah Khan
"""


def test_a_parents_own_address_at_the_top_is_the_sender_not_the_recipient():
    parts = split_letter(CONSTITUENT_LETTER)
    assert_well_formed(CONSTITUENT_LETTER, parts)
    assert kind_of(CONSTITUENT_LETTER, "27 Brookfield Road", parts) == "sender"
    assert kind_of(CONSTITUENT_LETTER, "07700 900123", parts) == "sender"
    assert kind_of(CONSTITUENT_LETTER, "Merrion House", parts) == "recipient"
    assert kind_of(CONSTITUENT_LETTER, "12 March 2026", parts) == "date"
    assert kind_of(CONSTITUENT_LETTER, "My son Adam", parts) == "body"


def test_two_unmarked_address_blocks_after_the_letterhead_are_left_as_body():
    # Either could be the inside address; guessing wrong would hide the family's postcode.
    text = ("PRIYA SHAH MP\nHouse of Commons\nLondon SW1A 0AA\n\n"
            "Mrs Sarah Khan\n27 Brookfield Road\nLeeds LS6 2AB\n\n"
            "Ms J Smith\n3 Quay Street\nExampletown EX1 2CD\n\n"
            "14 October 2026\n\nDear Ms Smith,\n\nI write about Adam.\n")
    parts = split_letter(text)
    assert kind_of(text, "LS6 2AB", parts) == "body"
    assert kind_of(text, "EX1 2CD", parts) == "body"
    assert kind_of(text, "London SW1A 0AA", parts) == "letterhead"


def test_the_one_address_block_between_letterhead_and_date_is_the_recipient():
    text = ("PRIYA SHAH MP\nHouse of Commons\nLondon SW1A 0AA\n\n"
            "Ms J Smith\n3 Quay Street\nExampletown EX1 2CD\n\n"
            "14 October 2026\n\nDear Ms Smith,\n\nI write about Adam.\n")
    assert kind_of(text, "3 Quay Street") == "recipient"


def test_without_blank_lines_an_address_block_ends_at_its_postcode():
    # Word and PDF letters often have no blank lines: one line a paragraph.
    text = ("Priya Shah MP\nHouse of Commons\nLondon SW1A 0AA\nMs J Smith\n"
            "Head of SEND\nExample Council\nCivic Centre\nExampletown EX1 2CD\n"
            "14 October 2026\nDear Ms Smith,\nRe: Adam Khan, DOB 03/04/2015\n"
            "I am writing on behalf of my constituent Mrs Sarah Khan of 27 Brookfield Road, "
            "Leeds LS6 2AB, about her son.\nYours sincerely,\nPriya Shah MP\n")
    parts = split_letter(text)
    assert [part.kind for part in parts] == [
        "letterhead", "recipient", "date", "salutation", "subject", "body", "closing",
        "signature"]
    assert kind_of(text, "Ms J Smith", parts) == "recipient"
    assert kind_of(text, "LS6 2AB", parts) == "body"


def test_a_re_block_before_the_salutation_is_the_subject_not_the_recipient():
    text = ("Priya Shah MP\nHouse of Commons\nLondon SW1A 0AA\n\n"
            "Head of SEND\nExample Council\nExampletown EX1 2CD\n\n"
            "Re: my constituent Mrs Sarah Khan\n27 Brookfield Road\nLeeds LS6 2AB\n\n"
            "Dear Sir or Madam,\n\nI write about her son Adam.\n")
    assert kind_of(text, "LS6 2AB") == "subject"
    assert kind_of(text, "EX1 2CD") == "recipient"


def test_prose_before_a_quoted_letters_salutation_is_body_not_letterhead():
    text = ("Please see the letter below from Priya Shah MP about her constituent Mrs Sarah "
            "Khan of 27 Brookfield Road, Leeds LS6 2AB, who has given consent.\n\n"
            "Dear Ms Shah,\n\nMy son Adam has no school place.\n\nYours sincerely,\nSarah Khan\n")
    assert kind_of(text, "LS6 2AB") == "body"


def test_a_family_address_in_a_named_building_is_the_sender():
    text = ("Sarah Khan\nFlat 2, Trust House\n4 Mill Lane\nLeeds LS6 2AB\n\n"
            "SEND Team\nLeeds City Council\nLeeds LS2 8BB\n\n3 March 2026\n\nDear Sir,\n\n"
            "I write about my son Adam.\n")
    assert kind_of(text, "Trust House") == "sender"


def test_an_mps_heading_read_after_the_inside_address_is_still_the_letterhead():
    # Two-column PDFs can give the right-hand column (the MP's address) second.
    text = ("Ms J Smith\nHead of SEND\nExample Council\nExampletown EX1 2CD\n\n"
            "Priya Shah MP\nHouse of Commons\nLondon SW1A 0AA\n\n14 October 2026\n\n"
            "Dear Ms Smith,\n\nI write about Adam.\n")
    parts = split_letter(text)
    assert kind_of(text, "Head of SEND", parts) == "recipient"
    assert kind_of(text, "House of Commons", parts) == "letterhead"


def test_an_office_of_the_director_is_a_recipient():
    text = ("Priya Shah MP\nHouse of Commons\nLondon SW1A 0AA\n\n"
            "Office of the Director of Children's Services\nExample Council\n"
            "Exampletown EX1 2CD\n\nDear Director,\n\nI write about Adam.\n")
    assert kind_of(text, "Office of the Director") == "recipient"


@pytest.mark.parametrize("street", [
    "Flat 3, Centre Point", "4 Borough High Street", "12 College Green", "7 Team Valley View",
    "2 Academy Fields", "Council Cottages, Moor Lane"])
def test_organisation_words_in_a_familys_street_do_not_make_it_the_recipient(street):
    text = (f"Sarah Khan\n{street}\nExampletown EX6 2AB\n\n3 March 2026\n\nDear Sir,\n\n"
            "I write about my son Adam.\n")
    assert kind_of(text, "EX6 2AB") == "sender"


def test_a_handling_mark_above_the_letterhead_does_not_end_it():
    text = ("PRIVATE AND CONFIDENTIAL\n\nPRIYA SHAH MP\nHouse of Commons\nLondon SW1A 0AA\n\n"
            "Head of SEND\nExample Council\nExampletown EX1 2CD\n\nDear Sir,\n\nI write.\n")
    parts = split_letter(text)
    assert kind_of(text, "PRIVATE", parts) == "body"
    assert kind_of(text, "House of Commons", parts) == "letterhead"
    assert kind_of(text, "Head of SEND", parts) == "recipient"


@pytest.mark.parametrize("line, kind", [
    ("2 November 2026", "date"),
    ("Monday, 2nd November 2026", "date"),
    ("Date: 13/11/2026", "date"),
    ("November 2, 2026", "date"),
    ("Received 2 November 2026 by hand", "body"),
    ("Our ref: AB12345", "references"),
    ("Your Ref: KCC/MPE/118204", "references"),
    ("Our ref: HG/2026/0412   Your ref: SEN 4471", "references"),
    ("Case no.: RB-CW-55120", "references"),
    ("Please quote reference HB/SW/0092 in any reply.", "references"),
    ("Ref: Adam Khan (DOB 03/04/2015)", "subject"),  # a subject, though labelled "Ref"
    ("Subject: Adam Khan - transport", "subject"),
])
def test_heading_lines(line, kind):
    text = f"Priya Shah MP\nHouse of Commons\nLondon SW1A 0AA\n\n{line}\n\nDear Sir,\n\nI write.\n"
    assert kind_of(text, line) == kind


COUNCILLOR_MEMO = """\
From: Cllr Jo Pearce
Moortown Ward
Example Council, Town Hall, Exampletown EX1 1AA

To: Head of SEND, Children's Services

Date: 9th November 2026

Subject: Lily Evans - transport to Oakfield School

Dear colleague,

One of my residents, Mrs Amy Evans of 4 Elm Close, Exampletown EX4 6TT, has asked me
to help with her daughter Lily's transport.

Kind regards,

Jo Pearce
Councillor for Moortown
"""


def test_a_councillors_memo_style_heading():
    parts = split_letter(COUNCILLOR_MEMO)
    assert_well_formed(COUNCILLOR_MEMO, parts)
    assert kind_of(COUNCILLOR_MEMO, "Town Hall", parts) == "letterhead"
    assert kind_of(COUNCILLOR_MEMO, "To: Head of SEND", parts) == "recipient"
    assert kind_of(COUNCILLOR_MEMO, "Date: 9th", parts) == "date"
    assert kind_of(COUNCILLOR_MEMO, "Subject: Lily", parts) == "subject"
    assert kind_of(COUNCILLOR_MEMO, "EX4 6TT", parts) == "body"
    assert kind_of(COUNCILLOR_MEMO, "Councillor for Moortown", parts) == "signature"


ADVOCATE_LETTER = """\
Exampletown Family Advocacy Service
Unit 4, Mill Yard
Exampletown EX2 3FG
Registered charity no. 1234567

Our ref: EFAS/2026/212

SEN Assessment Team
Example Council
PO Box 1720
Exampletown EX1 9ZZ

cc: Priya Shah MP

16 November 2026

Dear SEN Assessment Team,

Ayesha Hussain, date of birth 20.10.2016 - Oak Primary School

I act for Mrs Sumera Hussain, of 8 Mill Street, Exampletown EX3 4DP.

Yours faithfully,

Rachel Haigh
SEND Advocate
"""


def test_an_advocates_letter():
    parts = split_letter(ADVOCATE_LETTER)
    assert_well_formed(ADVOCATE_LETTER, parts)
    assert kind_of(ADVOCATE_LETTER, "Unit 4, Mill Yard", parts) == "letterhead"
    assert kind_of(ADVOCATE_LETTER, "PO Box 1720", parts) == "recipient"
    assert kind_of(ADVOCATE_LETTER, "cc: Priya Shah MP", parts) == "enclosures"
    assert kind_of(ADVOCATE_LETTER, "Ayesha Hussain", parts) == "subject"
    assert kind_of(ADVOCATE_LETTER, "EX3 4DP", parts) == "body"


PASTED_EMAIL = """\
From: Casework (Priya Shah MP)
Sent: 18 November 2026 15:02
To: SEND Exampletown
Subject: Chasing - Harrison Cole 04-09-2019 - our ref PS2611/0207

Hi, I wrote to you on 3 June about Harrison, whose mum Mrs Cole is a constituent of Priya Shah MP, and have not had a reply.

Could you let me know when the draft will be issued?

Thanks,
Jordan Achebe
Constituency Caseworker
Office of Priya Shah MP

This email and any attachments are confidential and intended solely for the addressee.
If you have received this email in error please notify the sender.

-----Original Message-----
From: Gemma Cole <gemma.cole@example.com>
Sent: 01 June 2026 21:10
To: SHAH, Priya <priya.shah.mp@parliament.uk>
Subject: Harrison

Dear Ms Shah,

Harrison (4) still has no plan. We live at 9 Ash Grove, Exampletown EX5 1QQ.

Thank you,
Gemma Cole
"""  # noqa: E501 (a pasted email keeps each paragraph on one line)


def test_a_pasted_email_and_the_message_it_quotes():
    parts = split_letter(PASTED_EMAIL)
    assert_well_formed(PASTED_EMAIL, parts)
    assert kind_of(PASTED_EMAIL, "From: Casework", parts) == "email_header"
    assert kind_of(PASTED_EMAIL, "Sent: 18 November", parts) == "date"
    assert kind_of(PASTED_EMAIL, "Subject: Chasing", parts) == "subject"
    assert kind_of(PASTED_EMAIL, "Hi,", parts) == "salutation"
    assert kind_of(PASTED_EMAIL, "I wrote to you", parts) == "body"
    assert kind_of(PASTED_EMAIL, "Constituency Caseworker", parts) == "signature"
    assert kind_of(PASTED_EMAIL, "notify the sender", parts) == "disclaimer"
    quoted = [part for part in parts if part.depth == 1]
    assert quoted and quoted[0].span.text_of(PASTED_EMAIL) .startswith("-----Original")
    assert all(part.depth == 0 for part in parts if part.span.end <= quoted[0].span.start)
    assert kind_of(PASTED_EMAIL, "EX5 1QQ", parts) == "body"
    assert kind_of(PASTED_EMAIL, "Subject: Harrison", parts) == "subject"
    assert kind_of(PASTED_EMAIL, "Gemma Cole", parts, last=True) == "signature"


def test_a_wrapped_on_wrote_line_starts_the_quoted_message():
    text = ("Hi both,\n\nPlease see below from our constituent.\n\nEllie Marsh\n"
            "Caseworker to Priya Shah MP\n\nOn Thu, 12 Nov 2026 at 22:48, Lukasz Kowalczyk <\n"
            "lukasz.k@example.com> wrote:\n> Dear Ms Shah,\n>\n> My daughter Zuzanna is 12.\n"
            "> We live at 12 Elm Road, Exampletown EX8 6LN\n")
    parts = split_letter(text)
    assert_well_formed(text, parts)
    assert kind_of(text, "On Thu", parts) == "email_header"
    assert kind_of(text, "lukasz.k@", parts) == "email_header"
    assert kind_of(text, "Caseworker to", parts) == "signature"
    assert kind_of(text, "> Dear Ms Shah", parts) == "salutation"
    quoted = [part for part in parts if part.depth == 1]
    assert quoted[0].span.text_of(text).startswith("On Thu")
    assert kind_of(text, "EX8 6LN", parts) == "body"


ENQUIRY_FORM = """\
OFFICE OF PRIYA SHAH MP - CASEWORK REFERRAL
Member of Parliament for Exampletown North

To:            SEND Team, Example Council
From:          Jade Whitaker, Caseworker
Date:          19/11/2026
Our case no.:  PS-CW-55120

CONSTITUENT
Name:          Ms Kayleigh Wilson
Address:       14 Oak Grove, Exampletown
Postcode:      ex8 2pa

CHILD
Name:          Reggie Wilson
DOB:           9/12/2018

Jade Whitaker
Caseworker to Priya Shah MP
"""


def test_an_enquiry_form_keeps_its_labelled_fields_in_the_body():
    parts = split_letter(ENQUIRY_FORM)
    assert_well_formed(ENQUIRY_FORM, parts)
    assert kind_of(ENQUIRY_FORM, "OFFICE OF PRIYA", parts) == "letterhead"
    assert kind_of(ENQUIRY_FORM, "To:", parts) == "recipient"
    assert kind_of(ENQUIRY_FORM, "Date:", parts) == "date"
    assert kind_of(ENQUIRY_FORM, "Our case no.", parts) == "references"
    for field in ("Ms Kayleigh Wilson", "ex8 2pa", "Reggie Wilson", "9/12/2018"):
        assert kind_of(ENQUIRY_FORM, field, parts) == "body"
    assert kind_of(ENQUIRY_FORM, "Caseworker to Priya", parts) == "signature"


def test_a_form_laid_out_as_a_table_is_one_record():
    text = ("Dear SEND Team,\n\nPlease see the details below.\n\n"
            "Child's name\tAdam Khan\nDate of birth\t03/04/2015\nSchool\tMeanwood Primary\n\n"
            "Kind regards,\nTom Reid\n")
    table = next(part for part in split_letter(text) if part.kind == "table")
    assert table.rows == ({"Child's name": "Adam Khan", "Date of birth": "03/04/2015",
                           "School": "Meanwood Primary"},)


def test_tab_aligned_lines_without_a_header_row_are_not_a_table():
    text = "Dear Sir,\n\nOur ref:\tAB/123\nYour ref:\tCD/456\n\nI write about these children.\n" \
           "\nAdam Khan\t03/04/2015\nZara Khan\t11/09/2018\n\nYours faithfully,\nTom Reid\n"
    parts = split_letter(text)
    assert "table" not in [part.kind for part in parts]
    assert kind_of(text, "Our ref", parts) == "references"
    assert kind_of(text, "Zara Khan", parts) == "body"


def test_short_table_rows_are_padded():
    text = ("Dear Sir,\n\nName\tDate of birth\tSchool\nAdam Khan\t03/04/2015\n"
            "Zara Khan\t11/09/2018\tOak Primary\n\nYours faithfully,\nTom\n")
    table = next(part for part in split_letter(text) if part.kind == "table")
    assert table.rows == (
        {"Name": "Adam Khan", "Date of birth": "03/04/2015", "School": ""},
        {"Name": "Zara Khan", "Date of birth": "11/09/2018", "School": "Oak Primary"})


def test_a_subject_is_only_a_short_block_that_ends_no_sentence():
    text = "Dear Ms Smith,\n\nThank you for your letter.\n\nYours sincerely,\nPriya Shah MP\n"
    assert kind_of(text, "Thank you") == "body"
    wrapped = ("Dear Ms Smith,\nI am writing on behalf of my constituent Mrs Sarah Khan, who has\n"
               "asked me to take up the council's decision.\nYours sincerely,\nPriya Shah MP\n")
    assert kind_of(wrapped, "I am writing") == "body"


def test_a_letter_with_no_closing_line_still_ends_in_a_signature():
    text = ("Dear colleagues,\n\nPlease see the attached letter from Priya Shah MP about a "
            "constituent's son, who has been out of school for a term.\n\n"
            "Office of Priya Shah MP\nMember of Parliament for Exampletown North\n")
    assert kind_of(text, "Office of Priya") == "signature"


def test_a_body_sentence_with_notice_words_stays_in_the_body():
    text = ("Dear Sir,\n\nMrs Khan has asked me to say that her son's diagnosis is confidential "
            "and that this is an urgent matter for the family at 27 Brookfield Road, Leeds "
            "LS6 2AB.\n\nYours faithfully,\nPriya Shah MP\n")
    assert kind_of(text, "LS6 2AB") == "body"


def test_a_postscript_after_the_signature_is_body():
    text = ("Dear Sir,\n\nI write about Adam.\n\nYours faithfully,\n\nPriya Shah MP\n\n"
            "PS Adam's new address is 3 Ash Road, Leeds LS6 4AA.\n")
    assert kind_of(text, "LS6 4AA") == "body"


def test_an_address_after_the_enclosures_is_a_footer_only_when_it_names_the_office():
    text = ("Dear Sir,\n\nI write about Adam.\n\nYours faithfully,\n\nPriya Shah MP\n\n"
            "cc: Mrs Sarah Khan\n\n27 Brookfield Road, Leeds LS6 2AB\n\n"
            "Constituency office: 14 Kirkgate, Leeds LS2 7DJ\n")
    parts = split_letter(text)
    assert kind_of(text, "LS6 2AB", parts) == "body"
    assert kind_of(text, "LS2 7DJ", parts) == "footer"


def test_page_numbers_are_footers_wherever_they_are():
    text = "Dear Sir,\n\nI write about Adam.\n\nPage 1 of 2\n\nHe is 9.\n\nYours faithfully,\nTom\n"
    assert kind_of(text, "Page 1 of 2") == "footer"
    assert kind_of(text, "He is 9.") == "body"


# Layout hints from a reader -----------------------------------------------------------

def regions_for(text: str, *pieces: tuple[str, str]) -> tuple[Region, ...]:
    regions = []
    for kind, piece in pieces:
        start = text.index(piece)
        regions.append(Region(kind, Span(start, start + len(piece))))
    return tuple(regions)


def test_a_page_footer_region_is_footer_even_without_notice_words():
    text = ("Dear Sir,\n\nI write about Adam.\n\nYours faithfully,\nPriya Shah MP\n\n"
            "Constituency office: 14 Kirkgate, Leeds LS2 7DJ")
    assert kind_of(text, "Kirkgate") == "signature"  # from the text alone: the sign-off
    regions = regions_for(text, ("footer", "Constituency office: 14 Kirkgate, Leeds LS2 7DJ"))
    assert kind_of(text, "Kirkgate", split_letter(text, regions=regions)) == "footer"


def test_a_page_header_region_is_the_letterhead():
    text = "Working hard for Exampletown North\n\nDear Sir,\n\nI write about Adam.\n"
    assert kind_of(text, "Working hard") == "body"
    regions = regions_for(text, ("header", "Working hard for Exampletown North"))
    assert kind_of(text, "Working hard", split_letter(text, regions=regions)) == "letterhead"


def test_a_page_header_region_is_never_the_recipient():
    # A parent's letter with their address in the page header.
    text = ("Sarah Khan\n27 Brookfield Road\nLeeds LS6 2AB\n\nHead of SEND\nLeeds City Council\n"
            "Leeds LS2 8BB\n\nDear Sir,\n\nI write about Adam.\n")
    regions = regions_for(text, ("header", "Sarah Khan\n27 Brookfield Road\nLeeds LS6 2AB"))
    parts = split_letter(text, regions=regions)
    assert kind_of(text, "LS6 2AB", parts) == "sender"
    assert kind_of(text, "LS2 8BB", parts) == "recipient"


def test_a_layout_table_region_is_read_cell_by_cell():
    # A Word letterhead laid out as a table: name on the left, address on the right; and
    # the inside address beside the references.
    text = ("Priya Shah MP\tHouse of Commons, London SW1A 0AA\n"
            "Ms J Smith Head of SEND Example Council Civic Centre Exampletown EX1 2CD\t"
            "Our ref: PS/0412\n14 October 2026\nDear Ms Smith,\nI write about Adam.\n")
    rows = "\n".join(text.split("\n")[:2])
    parts = split_letter(text, regions=regions_for(text, ("table", rows)))
    assert_well_formed(text, parts)
    assert "table" not in [part.kind for part in parts]
    assert kind_of(text, "Priya Shah MP", parts) == "letterhead"
    assert kind_of(text, "Ms J Smith", parts) == "recipient"
    assert kind_of(text, "Our ref", parts) == "references"


def test_a_table_region_with_a_header_row_is_a_table():
    text = ("Dear Sir,\nThe children are:\nName\tSchool\nAdam Khan\tOak Primary\n"
            "Yours faithfully,\nTom\n")
    table_text = "Name\tSchool\nAdam Khan\tOak Primary"
    parts = split_letter(text, regions=regions_for(text, ("table", table_text)))
    table = next(part for part in parts if part.kind == "table")
    assert table.span.text_of(text) == table_text
    assert table.rows == ({"Name": "Adam Khan", "School": "Oak Primary"},)


# Invariants and speed -----------------------------------------------------------------

def _texts() -> list[str]:
    texts = [MP_LETTER, CONSTITUENT_LETTER, COUNCILLOR_MEMO, ADVOCATE_LETTER, PASTED_EMAIL,
             ENQUIRY_FORM]
    texts += [path.read_text(encoding="utf-8") for path in sorted(DEVSET.glob("*.txt"))]
    return texts


def test_any_arrangement_of_lines_gives_well_formed_parts():
    generator = random.Random(20261201)
    lines = [line for text in _texts() for line in text.split("\n")]
    for _ in range(300):
        text = "\n".join(generator.choice(lines) for _ in range(generator.randint(0, 60)))
        assert_well_formed(text, split_letter(text))
    for text in ("", "\n\n", "   ", ">", "> \n>\n", "\t\t\n\t", "Dear", "Yours sincerely"):
        assert_well_formed(text, split_letter(text))


# The development set ------------------------------------------------------------------

def _devset_letters() -> list[tuple[str, str, dict]]:
    """(name, text, gold) for each piece of the development set, attachments included."""
    letters = []
    for path in sorted(DEVSET.glob("*.gold.json")):
        source = next(p for p in DEVSET.glob(path.name.replace(".gold.json", ".*"))
                      if p.suffix in (".txt", ".eml"))
        gold = json.loads(path.read_text(encoding="utf-8"))
        if source.suffix == ".txt":
            letters.append((source.name, source.read_text(encoding="utf-8"), gold))
            continue
        document = read_document(source.read_bytes(), source.name)
        letters.append((source.name, document.text, gold))
        for attachment in document.attachments:
            if attachment.document is not None:
                letters.append((f"{source.name}/{attachment.name}", attachment.document.text,
                                gold))
    return letters


_HIDING = {"recipient", "letterhead", "footer", "disclaimer"}
_POSTCODE = re.compile(r"\b[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2}\b")


def test_devset_the_familys_postcode_is_never_hidden():
    """Wherever the family's postcode appears, it is not in a part the extractor skips
    for the family's address."""
    checked = 0
    for name, text, gold in _devset_letters():
        postcode = gold["constituent"]["postcode"]
        if not postcode:
            continue
        parts = split_letter(text)
        assert_well_formed(text, parts)
        for found in _POSTCODE.finditer(text):
            if found.group(0).replace(" ", "").upper() == postcode.replace(" ", ""):
                checked += 1
                kind = next(p.kind for p in parts if found.start() in p.span)
                assert kind not in _HIDING, f"{name}: the family's postcode is in the {kind}"
    assert checked >= 40


def test_devset_letters_have_a_sane_shape():
    for name, text, _gold in _devset_letters():
        parts = split_letter(text)
        kinds = [part.kind for part in parts if part.depth == 0]
        assert "body" in kinds, name
        assert kinds.count("salutation") <= 1, name
        assert kinds.count("recipient") <= 1, name
        assert kinds.count("closing") <= 1, name
        if "salutation" in kinds:
            before = kinds[:kinds.index("salutation")]
            assert "body" not in before or "BY EMAIL" in text, name
        if "closing" in kinds:
            assert kinds[kinds.index("closing") + 1:kinds.index("closing") + 2] in (
                ["signature"], []), name
        for part in parts:
            if part.kind == "recipient":
                assert not _POSTCODE.search(part.span.text_of(text)) or \
                    "SW1A" not in part.span.text_of(text), name


def test_devset_reference_lines_hold_the_correspondents_reference():
    """A reference on a line of its own ("Our ref: AB/123") is in a references part."""
    seen = 0
    for name, text, gold in _devset_letters():
        reference = gold["correspondent"]["reference"]
        if not reference:
            continue
        parts = split_letter(text)
        for line in re.finditer(rf"^[^\n]*{re.escape(reference)}[^\n]*$", text, re.MULTILINE):
            kind = next(p.kind for p in parts if line.start() + 1 in p.span)
            if re.match(r"(?i)(our|my|case|ref|please)", line.group(0)):
                assert kind == "references", f"{name}: {line.group(0)!r} is in the {kind}"
                seen += 1
    assert seen >= 20


def test_devset_date_lines_are_dates_alone():
    from correspond.domain.dates import find_dates

    dated = 0
    for name, text, _gold in _devset_letters():
        for part in split_letter(text):
            if part.kind == "date" and part.depth == 0:
                assert find_dates(part.span.text_of(text)), name
                dated += 1
    assert dated >= 30


# Real files ---------------------------------------------------------------------------

def test_sample_files_are_split_sensibly():
    for name in ("khan_letter.docx", "khan_letter.pdf"):
        document = read_document((SAMPLES / name).read_bytes(), name)
        parts = split_letter(document.text)
        assert_well_formed(document.text, parts)
        assert kind_of(document.text, "LS6 2AB", parts) == "subject"
        assert kind_of(document.text, "Civic Centre", parts) == "recipient"
        assert kind_of(document.text, "14 October 2026", parts) == "date"
        assert kind_of(document.text, "HG/2026/0412", parts) == "references"


def _corpus_documents(corpus_dir: Path, kind: str):
    for path in sorted((corpus_dir / kind).glob("*")):
        try:
            yield path, read_document(path.read_bytes(), path.name)
        except UnreadableFile:
            continue


def test_a_word_letter_read_with_its_regions():
    from correspond.ingest.docx_regions import docx_regions

    data = (SAMPLES / "baptiste_table_letter.docx").read_bytes()
    text = read_document(data, "letter.docx").text
    regions = docx_regions(data, text)
    assert [region.kind for region in regions] == ["header", "table", "footer"]
    assert regions[0].span.text_of(text).startswith("PRIYA SHAH MP")
    assert regions[2].span.text_of(text).startswith("This letter is confidential")
    parts = split_letter(text, regions=regions)
    assert_well_formed(text, parts)
    assert [part.kind for part in parts] == [
        "letterhead", "references", "recipient", "date", "salutation", "subject", "body",
        "table", "body", "closing", "signature", "disclaimer"]
    table = next(part for part in parts if part.kind == "table")
    assert [row["Name"] for row in table.rows] == ["Kyle Baptiste", "Maya Baptiste",
                                                   "Theo Baptiste"]
    assert table.rows[1] == {"Name": "Maya Baptiste", "Date of birth": "30/06/2016",
                             "School": "Larch Walk Primary School"}


def test_a_word_letters_references_laid_out_in_a_table_are_references():
    from correspond.ingest.docx_regions import docx_regions

    data = (SAMPLES / "khan_letter.docx").read_bytes()
    text = read_document(data, "letter.docx").text
    regions = docx_regions(data, text)
    assert [region.kind for region in regions] == ["header", "table", "footer"]
    parts = split_letter(text, regions=regions)
    assert kind_of(text, "HG/2026/0412", parts) == "references"
    assert kind_of(text, "Your ref", parts) == "references"
    assert kind_of(text, "Printed on recycled paper", parts) == "footer"


def test_a_pdf_letter_with_no_blank_lines_keeps_its_sign_off_apart_from_its_notice():
    text = read_document((SAMPLES / "baptiste_table_letter.pdf").read_bytes(), "l.pdf").text
    assert "\n\n" not in text
    parts = split_letter(text)
    assert [part.kind for part in parts] == [
        "letterhead", "references", "recipient", "date", "salutation", "subject", "body",
        "closing", "signature", "disclaimer"]


def test_a_pdf_letters_layout_blocks_and_footer():
    from correspond.ingest.pdf_regions import pdf_regions

    data = (SAMPLES / "baptiste_table_letter.pdf").read_bytes()
    text = read_document(data, "letter.pdf").text
    regions = pdf_regions(data, text)
    assert regions[-1].kind == "footer"
    assert regions[-1].span.text_of(text).startswith("This letter is confidential")
    blocks = [region.span.text_of(text) for region in regions if region.kind == "textbox"]
    assert "Ms J Smith\nHead of SEND\nExample Council\nCivic Centre\nExampletown EX1 2CD" in blocks
    parts = split_letter(text, regions=regions)
    assert_well_formed(text, parts)
    assert kind_of(text, "Head of SEND", parts) == "recipient"
    assert kind_of(text, "EX6 3RT", parts) == "subject"
    assert kind_of(text, "Theo Baptiste", parts) == "body"  # a PDF's table is not rebuilt
    assert kind_of(text, "This letter is confidential", parts) == "disclaimer"


def test_pdf_regions_of_an_unreadable_layout_are_none():
    from correspond.ingest.pdf_regions import pdf_regions

    assert pdf_regions(b"%PDF-1.4 not really", "some text") == ()


@pytest.mark.corpus
def test_corpus_word_files_split_with_their_regions(corpus_dir):
    from correspond.ingest.docx_regions import docx_regions

    read = 0
    for path, document in _corpus_documents(corpus_dir, "docx"):
        regions = docx_regions(path.read_bytes(), document.text)
        for region in regions:
            assert 0 <= region.span.start < region.span.end <= len(document.text), path.name
        parts = split_letter(document.text, regions=regions)
        assert_well_formed(document.text, parts)
        for part in parts:
            if part.kind == "table":  # records, never the header row read as one
                assert part.rows, path.name
                assert all(list(row.values()) != list(row) for row in part.rows), path.name
        read += 1
    assert read >= 25


@pytest.mark.corpus
def test_corpus_pdf_files_split_with_their_regions(corpus_dir):
    from correspond.ingest.pdf_regions import pdf_regions

    read = 0
    for path, document in _corpus_documents(corpus_dir, "pdf"):
        assert_well_formed(document.text, split_letter(document.text))
        regions = pdf_regions(path.read_bytes(), document.text)
        for region in regions:
            assert 0 <= region.span.start < region.span.end <= len(document.text), path.name
        assert_well_formed(document.text, split_letter(document.text, regions=regions))
        read += 1
    assert read >= 5
