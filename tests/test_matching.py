"""The matcher on a real SQLite database loaded from a real CSV file: blocking, name
frequencies, caseworkers' decisions reused, and chasers linked by council reference."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
import sqlalchemy as sa

from correspond.domain.clock import utc_now
from correspond.errors import MatchConfirmationError
from correspond.imports.cases import ParsedRow, read_case_rows
from correspond.match import CaseMatcher
from correspond.match.confirm import confirm_by_reference, confirm_match
from correspond.records import Child, Constituent, Correspondent, Extraction, Letter, School
from correspond.store import referrals
from correspond.store.cases import save_cases
from correspond.store.database import Database

HEADER = ("case_id,child_first_name,child_last_name,date_of_birth,known_as,school,"
          "parent_names,address,postcode\n")
CASES = HEADER + """C-1,Adam,Khan,03/04/2015,,Meanwood CE Primary School,Sarah Khan,"27 Brookfield Road, Leeds",LS6 2AB
C-2,Zara,Khan,03/04/2015,,Meanwood CE Primary School,Sarah Khan,"27 Brookfield Road, Leeds",LS6 2AB
C-3,Mohammed,Hussain,2013-06-21,,Allerton High School,Ayesha Hussain,"4 Oak Lane, Leeds",LS17 6AA
C-4,Alfred,Smith,2014-11-30,Alfie,Briarwood School,Daniel Smith,"9 Hill Road, Bristol",BS5 7QT
C-5,Grace,Nakashima,2012-11-21,,Briarwood School,Daniel Nakashima,"2 Vale Street, Bristol",BS5 9AA
"""  # noqa: E501 (one case record a line, as the export has them)
SMITHS = "".join(f"S-{n},Child{n},Smith,2010-01-{n % 28 + 1:02d},,,,,\n" for n in range(40))
MRS_KHAN = Constituent(name="Mrs Sarah Khan", postcode="LS6 2AB",
                       address="27 Brookfield Road, Leeds LS6 2AB")


@pytest.fixture
def db(database_url):
    database = Database(database_url)
    rows = read_case_rows(io.StringIO(CASES + SMITHS))
    save_cases(database, [row.record for row in rows if isinstance(row, ParsedRow)])
    yield database
    database.close()


def letter(*children: Child, constituent: Constituent = MRS_KHAN,
           council_reference: str | None = None) -> Extraction:
    return Extraction(is_send=True, correspondent=Correspondent("mp", "Hannah Greaves"),
                      constituent=constituent, children=children,
                      letter_date=date(2026, 11, 2), council_reference=council_reference,
                      is_chaser=council_reference is not None)


def record(db: Database, extraction: Extraction, decisions) -> tuple[int, str]:
    """Record a referral as ingest does: its file, number, children and their matches."""
    with db.writing() as connection:
        reference = referrals.next_reference(db, connection, "MP", 2026)
        sha = hashlib.sha256(reference.encode()).hexdigest()
        referrals.record_file(db, connection, sha, 1, "x")
        referral_id = referrals.insert_referral(db, connection, referrals.NewReferral(
            reference=reference, sha256=sha, format="txt", received_at=utc_now(),
            received_date=date(2026, 11, 2), acknowledgement_due=date(2026, 11, 4),
            reply_due=date(2026, 11, 16), status="awaiting_approval",
            letter=Letter(text="...", source="body"), extraction=extraction,
            matches=decisions,
            referral_json={"constituent": {"name": extraction.constituent.name,
                                           "postcode": extraction.constituent.postcode}},
        ))
    return referral_id, reference


def test_each_twin_in_one_letter_is_matched_on_their_own(db):
    decisions = CaseMatcher(db).match(letter(Child("Adam", "Khan", date(2015, 4, 3)),
                                             Child("Zara", "Khan", date(2015, 4, 3))))
    assert [(d.status, d.case_id) for d in decisions] == [("matched", "C-1"),
                                                          ("matched", "C-2")]


def test_a_twin_not_named_clearly_goes_to_review(db):
    [decision] = CaseMatcher(db).match(letter(Child(None, "Khan", date(2015, 4, 3))))
    assert (decision.status, decision.case_id) == ("review", None)
    assert {c.case_id for c in decision.candidates} == {"C-1", "C-2"}


def test_known_as_and_spelling_variants_link(db):
    [alfie] = CaseMatcher(db).match(letter(
        Child("Alfie", "Smith", date(2014, 11, 30), school=School("Briarwood School")),
        constituent=Constituent(name="Mr Daniel Smith", postcode="BS5 7QT")))
    assert (alfie.status, alfie.case_id) == ("matched", "C-4")
    [mo] = CaseMatcher(db).match(letter(
        Child("Muhammad", "Hussain", date(2013, 6, 21)),
        constituent=Constituent(name="Mrs Ayesha Hussain", postcode="LS17 6AA")))
    assert (mo.status, mo.case_id) == ("matched", "C-3")


def test_a_rare_surname_weighs_more_than_a_common_one_from_the_records(db):
    matcher = CaseMatcher(db)
    [rare] = matcher.match(letter(Child("Grace", "Nakashima"), constituent=Constituent()))
    [common] = matcher.match(letter(Child("Alfred", "Smith"), constituent=Constituent()))
    rare_bits = rare.candidates[0].reasons["last_name"]["weight"]
    common_bits = next(c for c in common.candidates if c.case_id == "C-4") \
        .reasons["last_name"]["weight"]
    assert rare_bits > common_bits + 4


def test_candidates_come_from_indexes_never_a_scan_of_every_record(db):
    cases = db.table("cases")
    query = sa.select(cases).where(sa.or_(
        cases.c.date_of_birth.in_([date(2015, 4, 3)]),
        sa.and_(cases.c.last_name_key.in_(["khan"]), cases.c.first_name_key.in_(["adam"])),
        sa.and_(cases.c.known_as_key.in_(["adam"]), cases.c.last_name_key.in_(["khan"])),
        cases.c.postcode == "LS6 2AB"))
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "postgresql":
            # A few rows are cheaper to scan: with scans priced out, only a query no index
            # serves still scans.
            connection.exec_driver_sql("SET enable_seqscan = off")
            plan = [row[0] for row in connection.exec_driver_sql(f"EXPLAIN {compiled}")]
            assert not any("Seq Scan on cases" in step for step in plan), plan
            return
        plan = [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")]
    assert not any(step.startswith("SCAN cases") and "INDEX" not in step for step in plan)


def test_a_confirmed_decision_is_used_when_the_family_writes_again(db):
    # "Mo" is not in the records as a known-as name for this Adam: a person decides.
    child = Child("Mo", "Khan", date(2015, 4, 3))
    first = CaseMatcher(db).match(letter(child))
    assert first[0].status == "review"
    referral_id, reference = record(db, letter(child), first)

    confirm_match(db, referral_id, 0, "C-1", "Jo Bell")

    [again] = CaseMatcher(db).match(letter(child))
    assert (again.status, again.case_id) == ("matched", "C-1")
    assert again.candidates[0].reasons["confirmed"]["by"] == "Jo Bell"
    assert "Jo Bell" in again.reason
    with db.reading() as connection:
        row = connection.execute(sa.text(
            "SELECT match_status, case_id FROM referral_children WHERE referral_id = :id"),
            {"id": referral_id}).one()
    assert tuple(row) == ("matched", "C-1")
    # Another family's letter about a child written the same way is not affected.
    [other] = CaseMatcher(db).match(letter(child, constituent=Constituent(postcode="M1 1AA")))
    assert other.status != "matched"


def test_a_confirmation_names_a_real_referral_child_and_case(db):
    extraction = letter(Child("Adam", "Khan"))
    referral_id, reference = record(db, extraction, CaseMatcher(db).match(extraction))
    with pytest.raises(MatchConfirmationError, match="no case record C-404"):
        confirm_by_reference(db, reference, 0, "C-404", "Jo Bell")
    with pytest.raises(MatchConfirmationError, match="no child number 3"):
        confirm_match(db, referral_id, 2, "C-1", "Jo Bell")
    with pytest.raises(MatchConfirmationError, match="no referral MP-2026-9999"):
        confirm_by_reference(db, "MP-2026-9999", 0, "C-1", "Jo Bell")


def test_a_chaser_quoting_the_council_reference_links_to_that_referrals_case(db):
    adam = Child("Adam", "Khan", date(2015, 4, 3))
    first = CaseMatcher(db).match(letter(adam))
    _, reference = record(db, letter(adam), first)
    # The MP's office chases: the child's first name only, no family details.
    chaser = letter(Child("Adam"), constituent=Constituent(), council_reference=reference)
    [decision] = CaseMatcher(db).match(chaser)
    assert (decision.status, decision.case_id) == ("matched", "C-1")
    assert decision.candidates[0].reasons["council_reference"]["quoted"] == reference
    # A chaser about a child the earlier letter was not about is matched afresh.
    [other] = CaseMatcher(db).match(letter(Child("Zara"), constituent=Constituent(),
                                           council_reference=reference))
    assert other.case_id != "C-1"
