"""Every letter, as the MP's office would read it: the acknowledgement, the holding reply
and the full response, rendered from the shipped templates for each kind of writer and
family, turned into PDF by LibreOffice and read back with pdftotext.

Set CORRESPOND_LETTER_IMAGES=docs/letters to refresh the README's pictures of three.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pytest

from correspond.config import load_settings
from correspond.draft import Drafter
from correspond.records import (
    CaseRecord,
    Casework,
    Child,
    Concern,
    Constituent,
    Correspondent,
    Extraction,
    ReplyInputs,
    School,
)

from support import REPO

pytestmark = pytest.mark.slow

RECEIVED, TODAY = date(2026, 11, 16), date(2026, 11, 20)
ACKNOWLEDGE_BY, REPLY_BY, NEW_REPLY_BY = date(2026, 11, 18), date(2026, 11, 30), \
    date(2026, 12, 14)
KINDS = ("acknowledgement", "holding", "response")
# The three pictures in the README: (scenario, letter).
PICTURES = (("sir", "response"), ("twins", "holding"), ("dame", "acknowledgement"))


def mp_letter(heading: str, signature: str) -> str:
    """The text of an MP's letter: what the letterhead and sign-off say is all a draft
    reads from it (the rest was extracted already)."""
    return (f"{heading}\n\nSEND Service\nNorthshire County Council\nCounty Hall\n"
            f"Northtown NT1 1AA\n\nDear Sir or Madam\n\nI write on behalf of my "
            f"constituent.\n\nYours sincerely\n\n{signature}\n")


@dataclass(frozen=True)
class Scenario:
    extraction: Extraction
    letter_text: str
    addressee: str
    greeting: str
    about: str
    cases: tuple[CaseRecord, ...] = ()
    present: tuple[str, ...] = ()  # also in every letter
    absent: tuple[str, ...] = ()  # in no letter
    response: tuple[str, ...] = ()  # in the full response
    paragraphs: tuple[str, ...] = ()
    confirmed: tuple[str, ...] = field(default=())


def mp(name: str, **values: str) -> Correspondent:
    return Correspondent(**{"type": "mp", "name": name, "constituency": "Northtown West",
                            "reference": "NW/2026/118", **values})


PATEL = Constituent(name="Mrs Fatima Patel", address="22 Deepdale Road\nNorthtown",
                    postcode="NT4 6PR")
YUSUF = Child(first_name="Yusuf", last_name="Patel", school=School("St Stephen's CofE School"))
KHANS = (Child(first_name="Adam", last_name="Khan", school=School("Meanwood Primary School")),
         Child(first_name="Zara", last_name="Khan", school=School("Meanwood Primary School")))
YUSUF_CASE = CaseRecord(
    "C-2001", "Yusuf", "Patel", date(2017, 12, 19), school="St Stephen's CofE School",
    caseworker="Priya Shah", caseworker_email="priya.shah@northshire.example",
    ehcp_status="final", ehcp_issued=date(2023, 5, 2), next_review_due=date(2027, 5, 1),
    last_review_held=date(2026, 5, 1), review_decision=date(2026, 6, 10),
    draft_plan_issued=date(2026, 6, 10))
ADAM_CASE = CaseRecord(
    "C-2002", "Adam", "Khan", date(2015, 4, 3), school="Meanwood Primary School",
    caseworker="Tom Reid", ehcp_status="requested", assessment_requested=date(2026, 9, 1),
    assessment_decision=date(2026, 10, 20), assessment_decision_outcome="agreed")

SCENARIOS: dict[str, Scenario] = {
    "sir": Scenario(
        Extraction(is_send=True, correspondent=mp("John Roe"), constituent=PATEL,
                   children=(YUSUF,), letter_date=date(2026, 11, 13),
                   concerns=(Concern("out_of_education"), Concern("provision_delivery"))),
        mp_letter("Sir John Roe MP\nMember of Parliament for Northtown West\n\nHouse of "
                  "Commons\nLondon\nSW1A 0AA", "Sir John Roe MP"),
        addressee="Sir John Roe MP", greeting="Dear Sir John",
        about="on behalf of Mrs Fatima Patel about Yusuf Patel, who attends St Stephen's "
              "CofE School",
        cases=(YUSUF_CASE,), present=("Your ref: NW/2026/118", "House of Commons",
                                      "Priya Shah", "priya.shah@northshire.example"),
        response=("Yusuf's annual review meeting was held on 1 May 2026. Our decision after "
                  "the review was due within 4 weeks of the meeting, by 29 May 2026; it was "
                  "sent on 10 June 2026, 1 week and 5 days late.",
                  "Yusuf's amended EHC plan was due within 8 weeks of that decision, by 5 "
                  "August 2026, and has not yet been issued: it is now 15 weeks and 2 days "
                  "late.", "I am Yusuf's caseworker.",
                  "a plan for Yusuf to return to full-time education"),
        paragraphs=("Out of education: return to full-time education",),
        confirmed=("C-2001/review_decision", "C-2001/amended_plan")),
    "twins": Scenario(
        Extraction(is_send=True, correspondent=mp("Emma Keane"),
                   constituent=Constituent(name="Mrs Sarah Khan"), children=KHANS,
                   concerns=(Concern("transport"),), letter_date=date(2026, 11, 10)),
        mp_letter("Ms Emma Keane MP\nMember of Parliament for Northtown West\n14 Mill "
                  "Lane, Northtown NT2 3CD", "Emma Keane MP"),
        addressee="Ms Emma Keane MP", greeting="Dear Ms Keane",
        about="on behalf of Mrs Sarah Khan about Adam Khan and Zara Khan, who both attend "
              "Meanwood Primary School",
        cases=(ADAM_CASE,), present=("14 Mill Lane", "Tom Reid"),
        absent=("House of Commons", "who attends"),
        response=("Adam and Zara's eligibility for travel assistance",
                  "The decision whether to assess was due within 6 weeks, by 13 October "
                  "2026; it was made on 20 October 2026, 1 week late."),
        paragraphs=("Home to school transport: eligibility review under way",),
        confirmed=("C-2002/assessment_decision",)),
    "siblings": Scenario(
        Extraction(is_send=True, correspondent=mp("Hannah Greaves"),
                   constituent=Constituent(name="Mr Imran Khan"),
                   children=(KHANS[0], Child(first_name="Omar", last_name="Khan",
                                             school=School("Allerton High School"))),
                   concerns=(Concern("placement"),), letter_date=date(2026, 11, 9)),
        mp_letter("Hannah Greaves MP\nMember of Parliament for Northtown West",
                  "Hannah Greaves MP"),
        addressee="Hannah Greaves MP", greeting="Dear Hannah Greaves",
        about="on behalf of Mr Imran Khan about Adam Khan, who attends Meanwood Primary "
              "School, and Omar Khan, who attends Allerton High School",
        absent=("who both attend",), response=("the choice of school or setting",)),
    "young person": Scenario(
        Extraction(is_send=True, correspondent=mp("Tom Reyes"),
                   constituent=Constituent(name="Miss Amy Clarke"),
                   children=(Child(first_name="Amy", last_name="Clarke",
                                   school=School("Northtown Sixth Form College")),),
                   concerns=(Concern("plan_content"),), letter_date=date(2026, 11, 12)),
        mp_letter("Tom Reyes MP\nMember of Parliament for Northtown West", "Tom Reyes MP"),
        addressee="Tom Reyes MP", greeting="Dear Tom Reyes",
        about="on behalf of Miss Amy Clarke about her own education at Northtown Sixth "
              "Form College",
        absent=("their child", "about Amy Clarke"),
        response=("Amy has the right to make decisions about their own EHC plan",),
        paragraphs=("Young person: decisions made by the young person",)),
    "councillor": Scenario(
        Extraction(is_send=True,
                   correspondent=Correspondent(type="councillor", name="Margaret Ashworth",
                                               constituency="Horwich North"),
                   constituent=Constituent(name="Ms Kerry Hargreaves"),
                   children=(Child(first_name="Olivia", last_name="Hargreaves",
                                   school=School("Lord Street Primary School")),),
                   concerns=(Concern("provision_delivery"),), letter_date=date(2026, 11, 9)),
        "From: Cllr Margaret Ashworth\nHorwich North Ward\nBolton Council, Town Hall, "
        "Victoria Square, Bolton BL1 1RU\n\nDear colleague,\n\nI write about a resident."
        "\n\nKind regards,\n\nMargaret Ashworth\nCouncillor for Horwich North\n",
        addressee="Councillor Margaret Ashworth", greeting="Dear Councillor Ashworth",
        about="on behalf of Ms Kerry Hargreaves about Olivia Hargreaves, who attends Lord "
              "Street Primary School",
        present=("Councillor for Horwich North", "Town Hall", "BL1 1RU"),
        absent=("Member of Parliament", "House of Commons", "Your ref")),
    "chaser": Scenario(
        Extraction(is_send=True, correspondent=mp("Jane Smith", type="mp_office",
                                                  caseworker="Rebecca Hollis",
                                                  reference="JS-26-5517"),
                   constituent=Constituent(name="Ms Danielle Turner"),
                   children=(Child(first_name="Lily-Mae", last_name="Turner",
                                   school=School("West Borough Primary School")),),
                   concerns=(Concern("annual_review"), Concern("complaint")),
                   is_chaser=True, letter_date=date(2026, 11, 11)),
        "Dear SEN Team,\n\nI am writing again on behalf of Jane Smith MP.\n\nKind regards"
        "\n\nRebecca Hollis\nParliamentary Caseworker\nOffice of Jane Smith MP\n",
        addressee="Jane Smith MP", greeting="Dear Jane Smith",
        about="on behalf of Ms Danielle Turner about Lily-Mae Turner, who attends West "
              "Borough Primary School",
        present=("For the attention of Rebecca Hollis", "Your ref: JS-26-5517"),
        response=("I am sorry that you needed to write to us again before receiving it.",
                  "you did not receive a reply to your earlier letter"),
        paragraphs=("Chaser: apology for no earlier reply",)),
    "dame": Scenario(
        Extraction(is_send=True, correspondent=mp("Jane Doe", constituency="Upton"),
                   constituent=PATEL, children=(YUSUF,), concerns=(Concern("assessment"),),
                   letter_date=date(2026, 11, 12)),
        mp_letter("THE RT HON DAME JANE DOE DBE MP\nMember of Parliament for Upton\n"
                  "Constituency Office, 4 Mill Lane\nUpton\nUP1 2AB", "Jane Doe MP"),
        addressee="The Rt Hon Dame Jane Doe DBE MP", greeting="Dear Dame Jane",
        about="on behalf of Mrs Fatima Patel about Yusuf Patel, who attends St Stephen's "
              "CofE School",
        present=("Constituency Office", "4 Mill Lane", "UP1 2AB"),
        absent=("House of Commons", "For the attention of")),
    "dr": Scenario(
        Extraction(is_send=True, correspondent=mp("Lauren Sullivan"), constituent=PATEL,
                   children=(YUSUF,), concerns=(Concern("tribunal"),),
                   letter_date=date(2026, 11, 12)),
        mp_letter("Dr Lauren Sullivan MP\nMember of Parliament for Northtown West\n\n"
                  "House of Commons, London SW1A 0AA", "Dr Lauren Sullivan MP"),
        addressee="Dr Lauren Sullivan MP", greeting="Dear Dr Sullivan",
        about="on behalf of Mrs Fatima Patel about Yusuf Patel, who attends St Stephen's "
              "CofE School"),
    "rt hon": Scenario(
        Extraction(is_send=True, correspondent=mp("Peter Lowe"), constituent=PATEL,
                   children=(YUSUF,), concerns=(Concern("exclusion"),),
                   letter_date=date(2026, 11, 12)),
        mp_letter("The Rt Hon Peter Lowe MP\nMember of Parliament for Northtown West",
                  "Peter Lowe MP"),
        addressee="The Rt Hon Peter Lowe MP", greeting="Dear Peter Lowe",
        about="on behalf of Mrs Fatima Patel about Yusuf Patel, who attends St Stephen's "
              "CofE School"),
    "no reference": Scenario(
        Extraction(is_send=True, correspondent=mp("Hannah Greaves", reference=None),
                   constituent=Constituent(), children=(YUSUF,),
                   concerns=(Concern("communication"),)),
        mp_letter("Hannah Greaves MP", "Hannah Greaves MP"),
        addressee="Hannah Greaves MP", greeting="Dear Hannah Greaves",
        about="on behalf of your constituent about Yusuf Patel, who attends St Stephen's "
              "CofE School",
        absent=("Your ref", "letter of")),
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[tuple[str, str], str]:
    """Every scenario's letters, drafted and turned into PDF; their text by (scenario,
    kind), and the PDFs beside them."""
    soffice = shutil.which("soffice")
    if soffice is None or shutil.which("pdftotext") is None:
        message = "LibreOffice (soffice) and pdftotext (poppler-utils) are needed"
        if os.environ.get("CI"):
            pytest.fail(message + "; .ci/run installs them")
        pytest.skip(message)
    home = tmp_path_factory.mktemp("letters")
    settings = load_settings(
        home=home, templates_dir=REPO / "templates", council_name="Northshire County Council",
        council_address="County Hall\nNorthtown\nNT1 1AA", council_phone="01632 960123",
        council_email="send.casework@northshire.example")
    drafter = Drafter(settings)
    drafted = []
    for key, scenario in SCENARIOS.items():
        casework = Casework(cases=scenario.cases, inputs=ReplyInputs(
            what_found="We have spoken to the school and to the family.",
            what_next="The caseworker will write to the family by 4 December 2026.",
            paragraphs=scenario.paragraphs, confirmed_clocks=scenario.confirmed,
            holding_reply_due=NEW_REPLY_BY,
            holding_reason="we are waiting for advice from health colleagues"))
        for kind in KINDS:
            # As the desk drafts them: an acknowledgement is dated the day the letter
            # came; a holding reply and the response the day they are drafted.
            dated = replace(casework, today=None if kind == "acknowledgement" else TODAY)
            path = drafter.draft(kind, extraction=scenario.extraction,
                                 council_reference=f"MP-2026-{len(drafted):04d}",
                                 received=RECEIVED, acknowledgement_due=ACKNOWLEDGE_BY,
                                 reply_due=REPLY_BY, letter_text=scenario.letter_text,
                                 casework=dated)
            named = home / "pdf" / f"{kind}-{key.replace(' ', '-')}.docx"
            named.parent.mkdir(exist_ok=True)
            shutil.copyfile(path, named)
            drafted.append(named)
    out = home / "pdf"
    subprocess.run([soffice, f"-env:UserInstallation=file://{home / 'profile'}",
                    "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(out),
                    *map(str, drafted)], check=True, capture_output=True, timeout=600)
    texts = {}
    for key in SCENARIOS:
        for kind in KINDS:
            pdf = out / f"{kind}-{key.replace(' ', '-')}.pdf"
            texts[(key, kind)] = subprocess.run(
                ["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                text=True).stdout
    texts[("", "folder")] = str(out)
    return texts


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("key", list(SCENARIOS))
def test_each_letter_reads_as_a_council_officer_would_write_it(pdfs, key: str,
                                                               kind: str) -> None:
    scenario = SCENARIOS[key]
    text = pdfs[(key, kind)]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    prose = flat(text)
    assert "{{" not in text and "}}" not in text and "{%" not in text
    # The address and the greeting.
    assert scenario.addressee in lines
    greeting = next(line for line in lines if line.startswith("Dear "))
    assert greeting == scenario.greeting
    assert not greeting.endswith(" MP")
    assert ("Date: 16 November 2026" if kind == "acknowledgement"
            else "Date: 20 November 2026") in lines
    # Whom it is about, in a sentence that reads.
    assert scenario.about + "." in prose or scenario.about + ". " in prose
    assert " ." not in prose and ",," not in prose and "  " not in prose
    for phrase in scenario.present:
        assert phrase in prose, phrase
    for phrase in scenario.absent:
        assert phrase not in prose, phrase
    if not scenario.extraction.correspondent.caseworker:
        assert "For the attention of" not in prose
    # Dates: the reply date the acknowledgement promises, the holding reply's new one.
    if kind == "acknowledgement":
        assert "We will send you a full reply by 30 November 2026." in prose
    if kind == "holding":
        assert "the full reply we said we would send by 30 November 2026." in prose
        assert "We are waiting for advice from health colleagues." in prose
        assert "We will send you a full reply by 14 December 2026." in prose
    if kind == "response":
        assert "What we have found We have spoken to the school and to the family." in prose
        assert "What happens next The caseworker will write to the family by 4 December" \
            in prose
        for phrase in scenario.response:
            assert phrase in prose, phrase
        if not scenario.cases:  # no linked case: nothing is said about one
            assert "Where things stand" not in prose
            assert "The timescales the law sets" not in prose
    # Signed by a named officer where the case names one, with the council's details.
    assert "Northshire County Council" in prose and "Telephone: 01632 960123" in prose
    if scenario.cases:
        assert scenario.cases[0].caseworker in lines
    else:
        assert "Email: send.casework@northshire.example" in prose


def test_pictures_of_three_letters(pdfs, tmp_path: Path) -> None:
    folder = Path(os.environ.get("CORRESPOND_LETTER_IMAGES") or tmp_path)
    if not folder.is_absolute():
        folder = REPO / folder
    folder.mkdir(parents=True, exist_ok=True)
    source = Path(pdfs[("", "folder")])
    for key, kind in PICTURES:
        stem = f"{kind}-{key.replace(' ', '-')}"
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
                        str(source / f"{stem}.pdf"), str(folder / stem)], check=True,
                       timeout=60)
        assert (folder / f"{stem}.png").read_bytes().startswith(b"\x89PNG")
