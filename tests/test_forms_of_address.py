"""Forms of address: the addressee line and the greeting a council writes, from the name,
titles and honours a letter gives."""

from __future__ import annotations

import pytest

from correspond.domain.names import form_of_address, parse_styled_name, styled_name_in


@pytest.mark.parametrize(("written", "role", "addressee", "formal", "first_name"), [
    ("The Rt Hon Dame Jane Doe DBE MP", "mp", "The Rt Hon Dame Jane Doe DBE MP",
     "Dame Jane", "Jane"),
    ("Sir John Roe MP", "mp", "Sir John Roe MP", "Sir John", "John"),
    ("Rt. Hon. Sir Geoffrey Cox KC MP", "mp", "The Rt Hon Sir Geoffrey Cox KC MP",
     "Sir Geoffrey", "Geoffrey"),
    ("Dr Lauren Sullivan MP", "mp", "Dr Lauren Sullivan MP", "Dr Sullivan", "Lauren"),
    ("Dr. Lauren Sullivan, MP", "mp", "Dr Lauren Sullivan MP", "Dr Sullivan", "Lauren"),
    ("The Rt Hon Hilary Benn MP", "mp", "The Rt Hon Hilary Benn MP", "Hilary Benn", "Hilary"),
    ("Hannah Greaves", "mp", "Hannah Greaves MP", "Hannah Greaves", "Hannah"),
    ("Ms Emma Keane", "mp", "Ms Emma Keane MP", "Ms Keane", "Emma"),
    ("Dame Angela Eagle DBE MP", "mp", "Dame Angela Eagle DBE MP", "Dame Angela", "Angela"),
    ("Lord Smith of Finsbury", "other", "Lord Smith of Finsbury", "Lord Smith",
     "Lord Smith"),
    ("Baroness Jones of Moulsecoomb", "other", "Baroness Jones of Moulsecoomb",
     "Baroness Jones", "Baroness Jones"),
    ("The Rt Hon the Lord Blunkett", "other", "The Rt Hon Lord Blunkett", "Lord Blunkett",
     "Lord Blunkett"),
    ("Margaret Ashworth", "councillor", "Councillor Margaret Ashworth",
     "Councillor Ashworth", "Margaret"),
    ("Cllr Margaret Ashworth", "councillor", "Councillor Margaret Ashworth",
     "Councillor Ashworth", "Margaret"),
    ("Mr Okafor", "other", "Mr Okafor", "Mr Okafor", "Mr Okafor"),
    ("Professor Ann Lee OBE", "other", "Professor Ann Lee OBE", "Professor Lee", "Ann"),
])
def test_addressee_and_greeting(written, role, addressee, formal, first_name):
    form = form_of_address(written, role)
    assert form is not None
    assert form.addressee == addressee
    assert form.salutation == formal
    assert form_of_address(written, role, "first_name").salutation == first_name


def test_a_greeting_never_ends_in_mp_and_degrees_stay_off_the_address():
    form = form_of_address("Jane Doe MBA PhD MP", "mp")
    assert form is not None
    assert form.addressee == "Jane Doe MP"
    assert not form.salutation.endswith("MP")


def test_no_name_no_form_of_address():
    assert form_of_address("", "mp") is None
    assert form_of_address("Sir", "mp") is None


def test_the_fullest_form_in_the_letter_is_found_for_a_bare_name():
    letter = ("THE RT HON DAME JANE DOE DBE MP\nMember of Parliament for Upton\n\n"
              "Dear Sir or Madam\n...\nYours sincerely\n\nJane Doe MP\n")
    found = styled_name_in(letter, "Jane Doe")
    assert found is not None
    assert form_of_address(found, "mp").addressee == "The Rt Hon Dame Jane Doe DBE MP"
    assert styled_name_in("Office of the Rt Hon Helen Grant MP", "Helen Grant") == \
        "the Rt Hon Helen Grant MP"
    assert styled_name_in("A letter that never names her.", "Helen Grant") is None


def test_pronouns_come_only_from_titles():
    assert parse_styled_name("Miss Amy Clarke").pronoun == "her"
    assert parse_styled_name("Mr Daniel Okafor").pronoun == "his"
    assert parse_styled_name("Sam Taylor").pronoun == "their"
    assert parse_styled_name("Dr Sam Taylor").pronoun == "their"
