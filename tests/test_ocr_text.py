"""OCR's usual slips in the things the extractor reads, mended in the reading stage."""

from __future__ import annotations

import pytest

from correspond.ingest.ocr_text import clean_ocr_text


@pytest.mark.parametrize("read, meant", [
    ("Leeds LS6 IHR", "Leeds LS6 1HR"),
    ("Leeds LS6 lHR", "Leeds LS6 1HR"),
    ("Leeds LSB 1HR", "Leeds LS8 1HR"),
    ("Sheffield $17 3DT", "Sheffield S17 3DT"),
    ("Camborne, TRi4 7QH", "Camborne, TR14 7QH"),
    ("Postcode: Is8 2pa", "Postcode: ls8 2pa"),
    ("Church Road, London nw10 Qpd.", "Church Road, London nw10 9pd."),
    ("Woodley RG5S 3EX", "Woodley RG5 3EX"),  # only central London districts end in a letter
    ("London W1T 4JE and EC1A 1BB", "London W1T 4JE and EC1A 1BB"),
    ("Leeds LS6 IHR, 0113 222 4444", "Leeds LS6 1HR, 0113 222 4444"),
    ("Liverpool L8 2TO", "Liverpool L8 2TO"),  # a letter O where a letter goes stays
    ("London SW1A OAA", "London SW1A 0AA"),
    ("Bristol BS1 5TR", "Bristol BS1 5TR"),
    ("Leeds LS2 8B8", "Leeds LS2 8BB"),
    # The House of Commons, in a letterhead the reply is addressed from: both its digits
    # read as letters, or its 0 read twice.
    ("LONDON SWIA OAA", "LONDON SW1A 0AA"),
    ("House of Commons, London SW1A O0AA", "House of Commons, London SW1A 0AA"),
    ("London SW1A 0OAA", "London SW1A 0AA"),
])
def test_postcodes_read_with_letters_for_digits_are_mended(read, meant):
    assert clean_ocr_text(read) == meant


@pytest.mark.parametrize("read, meant", [
    ("born 14/O2/2O17", "born 14/02/2017"),
    ("born l4th February 2O17", "born 14th February 2017"),
    ("Sth November 2026", "5th November 2026"),
    ("d.o.b. 7.1l.10", "d.o.b. 7.11.10"),
    ("(d.00.b. 2.2.17)", "(d.o.b. 2.2.17)"),
    ("Our ref: AS/2O26/1l87", "Our ref: AS/2026/1187"),
    ("Your ref: MP-2026-OOO1", "Your ref: MP-2026-0001"),
    ("on O77OO 9OO412", "on 07700 900412"),
])
def test_dates_references_and_numbers_read_with_letters_are_mended(read, meant):
    assert clean_ocr_text(read) == meant


@pytest.mark.parametrize("text", [
    "I am writing to you. I hope so.",  # the pronoun is not a one
    "Mrs Olivia O'Neill of Oldham",  # names with O stay as written
    "He is in Year 10 at Ilkley Grammar.",
    "Please call SOLO on 0113 222 4444.",
    "So May I ask", "Sth Yorkshire",
    "The SW1A 0AA office",
    "SEND SOS AID BOX", "MISS OBO", "LOOK BOX",  # capitals with no digit are words
])
def test_ordinary_words_are_left_alone(text):
    assert clean_ocr_text(text) == text


def test_a_councillors_title_read_with_li_for_ll_is_mended():
    assert clean_ocr_text("Clir Ayesha Rahim\nClirical") == "Cllr Ayesha Rahim\nClirical"


def test_a_bar_read_for_the_pronoun_i_is_mended():
    assert clean_ocr_text("since. | have not had a reply\n| am sorry") == (
        "since. I have not had a reply\nI am sorry")
    assert clean_ocr_text("a | b table | cell") == "a | b table | cell"


def test_a_word_broken_at_a_line_end_is_joined_on_the_first_line():
    read = "an Education, Health and Care needs assess-\nment for her son.\nNext line"
    assert clean_ocr_text(read) == (
        "an Education, Health and Care needs assessment\nfor her son.\nNext line")


def test_a_double_barrelled_name_broken_at_a_line_end_keeps_its_hyphen():
    assert clean_ocr_text("my constituent Mrs Smith-\nJones wrote") == (
        "my constituent Mrs Smith-Jones\nwrote")


def test_a_hyphen_at_the_end_of_a_paragraph_is_kept():
    assert clean_ocr_text("the assess-\n\nNew paragraph") == "the assess-\n\nNew paragraph"


def test_a_name_read_with_different_accents_is_written_one_way():
    read = "Zoë is 9. Zoe's school says Zoé cannot stay; Zoé needs help. Chloé, Chloé."
    assert clean_ocr_text(read) == (
        "Zoé is 9. Zoé's school says Zoé cannot stay; Zoé needs help. Chloé, Chloé.")
    assert clean_ocr_text("Re: Ionut Popescu\nJonut Popescu, born 2014; Ionut") == (
        "Re: Ionut Popescu\nIonut Popescu, born 2014; Ionut")
    assert clean_ocr_text("Zo@ D'Souza - DOB 2013. Zoé is 12; Zoé's school") == (
        "Zoé D'Souza - DOB 2013. Zoé is 12; Zoé's school")
    assert clean_ocr_text("write to Casework@parliament.uk") == (
        "write to Casework@parliament.uk")


def test_i_am_read_as_one_word_is_two():
    assert clean_ocr_text("Iam chasing again my email of 22 September.") == \
        "I am chasing again my email of 22 September."
    assert clean_ocr_text("Mr Iamson wrote") == "Mr Iamson wrote"
