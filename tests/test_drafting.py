"""Drafting letters from the real shipped .docx templates, read back with python-docx."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from correspond.cli import cli
from correspond.config import load_settings
from correspond.draft import Drafter
from correspond.draft.check import check_templates, format_report
from correspond.draft.context import CONTEXT_VARIABLES, letter_context
from correspond.draft.pack import PACK_VARIABLES
from correspond.draft.render import render_docx
from correspond.errors import TemplateProblem
from correspond.records import Child, Concern, Constituent, Correspondent, Extraction, School

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "templates"
SHIPPED_FILES = {"acknowledgement.docx", "holding.docx", "response.docx", "paragraphs.docx",
                 "redirect.docx", "mp-pack.docx"}

EXTRACTION = Extraction(
    is_send=True,
    correspondent=Correspondent(
        type="mp", name="Hannah Greaves", constituency="Leeds Central and Headingley",
        reference="HG/2026/0412"),
    constituent=Constituent(name="Mrs Sarah Khan", address="14 Example Road\nLeeds",
                            postcode="LS6 9ZZ"),
    children=(Child(first_name="Adam", last_name="Khan",
                    school=School("Meanwood Church of England Primary School")),),
    concerns=(Concern("assessment"), Concern("transport")),
    letter_date=date(2026, 12, 21),
)
DATES = dict(received=date(2026, 12, 24), acknowledgement_due=date(2026, 12, 30),
             reply_due=date(2027, 1, 11))


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for section in document.sections for p in section.header.paragraphs]
    parts += [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def make_template(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph().add_run(text)  # one run, so each tag stays whole
    document.save(str(path))
    return path


@pytest.fixture
def settings(tmp_path):
    return load_settings(home=tmp_path, council_name="Leeds Example Council",
                         signatory="Jo Bloggs, SEND Casework Manager", templates_dir=SHIPPED)


def test_acknowledgement_names_the_references_people_and_reply_date(settings):
    path = Drafter(settings).draft("acknowledgement", extraction=EXTRACTION,
                                   council_reference="MP-2026-0001", **DATES)

    assert path == settings.drafts / "MP-2026-0001" / "acknowledgement.docx"
    text = docx_text(path)
    for expected in ("Your ref: HG/2026/0412", "Our ref: MP-2026-0001",
                     "Dear Hannah Greaves\n", "Leeds Central and Headingley",
                     "Mrs Sarah Khan", "Adam Khan", "Meanwood Church of England Primary School",
                     "letter of 21 December 2026", "full reply by 11 January 2027",
                     "Leeds Example Council", "Jo Bloggs, SEND Casework Manager",
                     "including the request for an education, health and care (EHC) needs "
                     "assessment and home to school transport."):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text
    # No temporary files are left beside the draft.
    assert [p.name for p in path.parent.iterdir()] == ["acknowledgement.docx"]


def test_optional_lines_are_left_out_when_unknown(settings):
    sparse = Extraction(is_send=True, correspondent=Correspondent(type="mp", name="Hannah Greaves"),
                        constituent=Constituent())
    path = Drafter(settings).draft("acknowledgement", extraction=sparse,
                                   council_reference="MP-2026-0002", **DATES)
    text = docx_text(path)
    assert "Your ref" not in text
    assert "attends" not in text
    assert "Member of Parliament for" not in text
    assert "Thank you for your letter on behalf of your constituent about their child." in text


def test_holding_reply_renders(settings):
    path = Drafter(settings).draft("holding", extraction=replace(EXTRACTION, urgent=True),
                                   council_reference="MP-2026-0003", **DATES)
    text = docx_text(path)
    assert "full reply by 11 January 2027" in text
    assert "urgent" in text
    assert "HG/2026/0412" in text


def test_values_are_inserted_literally_never_evaluated(settings):
    hostile = replace(
        EXTRACTION,
        constituent=Constituent(name="Smith & Jones <Ltd>"),
        children=(Child(first_name="{{ 7*7 }}", last_name="{% if true %}x{% endif %}"),),
        correspondent=replace(EXTRACTION.correspondent, reference="A\"B'C\x07D\x0cE"),
    )
    path = Drafter(settings).draft("acknowledgement", extraction=hostile,
                                   council_reference="MP-2026-0004", **DATES)
    text = docx_text(path)
    assert "Smith & Jones <Ltd>" in text
    assert "{{ 7*7 }} {% if true %}x{% endif %}" in text
    assert "49" not in text
    assert "Your ref: A\"B'CDE" in text  # control characters dropped, quotes kept


def test_shipped_templates_pass_the_check():
    reports = check_templates(SHIPPED)
    assert {report.path.name for report in reports} == SHIPPED_FILES
    for report in reports:
        assert report.ok, report.problems
        if report.path.name == "mp-pack.docx":  # the liaison team's meeting pack
            assert set(report.variables) <= PACK_VARIABLES
            continue
        assert set(report.variables) <= CONTEXT_VARIABLES
        if report.path.name != "paragraphs.docx":
            assert "council_reference" in report.variables


def test_shipped_templates_pass_the_cli_check(tmp_path):
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "templates", "check"])
    assert result.exit_code == 0, result.output
    assert "acknowledgement.docx: ok" in result.output


def test_an_unknown_variable_is_reported_and_fails_the_cli(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    make_template(templates / "good.docx", "Dear {{ mp_salutation }}")
    make_template(templates / "bad.docx", "Dear {{ mp_salutaton }}", "{{ reply_due }}")

    reports = {report.path.name: report for report in check_templates(templates)}
    assert reports["good.docx"].ok
    assert reports["bad.docx"].unknown == ("mp_salutaton",)
    assert "mp_salutaton" in format_report(list(reports.values()))

    env = {**os.environ, "CORRESPOND_TEMPLATES_DIR": str(templates),
           "PYTHONPATH": str(REPO)}
    finished = subprocess.run(
        [sys.executable, "-m", "correspond", "--home", str(tmp_path), "templates", "check"],
        env=env, capture_output=True, text=True, timeout=60)
    assert finished.returncode != 0
    assert "mp_salutaton" in finished.stdout


def test_rendering_an_unknown_variable_names_template_and_variable(tmp_path):
    template = make_template(tmp_path / "typo.docx", "{{ reply_by }}")
    with pytest.raises(TemplateProblem) as caught:
        render_docx(template, _context(), tmp_path / "out" / "typo.docx")
    assert "typo.docx" in caught.value.reason and "reply_by" in caught.value.reason
    assert not (tmp_path / "out" / "typo.docx").exists()


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__ }}",
    "{{ council_name.__class__.__mro__[1].__subclasses__() }}",
    "{{ children.__class__ }}",
])
def test_the_sandbox_refuses_unsafe_attributes(tmp_path, attack):
    template = make_template(tmp_path / "attack.docx", attack)
    with pytest.raises(TemplateProblem) as caught:
        render_docx(template, _context(), tmp_path / "attack-out.docx")
    assert "attack.docx" in caught.value.reason
    assert not (tmp_path / "attack-out.docx").exists()


def test_broken_tags_and_missing_templates_are_template_problems(tmp_path, settings):
    broken = make_template(tmp_path / "broken.docx", "{% if urgent %}no end")
    with pytest.raises(TemplateProblem, match="broken.docx"):
        render_docx(broken, _context(), tmp_path / "broken-out.docx")
    [report] = check_templates(tmp_path)
    assert not report.ok
    with pytest.raises(TemplateProblem, match="does not exist"):
        Drafter(settings).draft("nonexistent", extraction=EXTRACTION,
                                council_reference="MP-2026-0005", **DATES)


def test_kinds_and_references_cannot_leave_the_drafts_folder(settings):
    with pytest.raises(TemplateProblem):
        Drafter(settings).draft("../acknowledgement", extraction=EXTRACTION,
                                council_reference="MP-2026-0006", **DATES)
    with pytest.raises(TemplateProblem):
        Drafter(settings).draft("acknowledgement", extraction=EXTRACTION,
                                council_reference="../escape", **DATES)


def test_context_supplies_exactly_the_declared_variables(settings):
    context = _context(settings)
    assert set(context) == CONTEXT_VARIABLES
    assert context["reply_due"] == "11 January 2027"
    assert context["received_date"] == "24 December 2026"
    assert context["mp_salutation"] == "Hannah Greaves"
    assert context["child_first_name"] == "Adam"
    assert context["concerns"] == ["EHC needs assessment", "Home to school transport"]
    assert all(isinstance(value, (str, bool, list)) for value in context.values())


def test_salutations_for_other_correspondents(settings):
    def salutation(correspondent: Correspondent) -> str:
        extraction = replace(EXTRACTION, correspondent=correspondent)
        return str(_context(settings, extraction)["mp_salutation"])

    assert salutation(Correspondent(type="mp_office", name="Hannah Greaves")) == \
        "Hannah Greaves"
    assert salutation(Correspondent(type="councillor", name="Ann Lee")) == "Councillor Lee"
    assert salutation(Correspondent(type="other", name="Ann Lee")) == "Ann Lee"
    assert salutation(Correspondent(type="mp")) == "Sir or Madam"


def test_several_children_at_different_schools_name_no_school(settings):
    extraction = replace(EXTRACTION, children=(
        Child(first_name="Adam", last_name="Khan", school=School("Meanwood Primary")),
        Child(first_name="Zara", last_name="Khan", school=School("Allerton High")),
        Child(first_name="Omar", last_name="Khan"),
    ))
    context = _context(settings, extraction)
    assert context["child_name"] == "Adam Khan, Zara Khan and Omar Khan"
    assert context["child_school"] == ""
    assert len(context["children"]) == 3


def _context(settings=None, extraction: Extraction = EXTRACTION) -> dict[str, object]:
    settings = settings or load_settings(home=Path("/nonexistent-home"))
    return letter_context(extraction=extraction, council_reference="MP-2026-0001",
                          settings=settings, **DATES)


def test_concerns_text_reads_mid_sentence_and_drops_other(settings):
    extraction = replace(EXTRACTION, concerns=(
        Concern("plan_issue"), Concern("other"), Concern("exclusion"), Concern("exclusion")))
    context = _context(settings, extraction)
    assert context["concerns"] == ["EHC plan timeliness", "Other", "Exclusion"]
    assert context["concerns_text"] == ("the time being taken to issue the EHC plan and "
                                        "exclusion from school")


def test_drafting_again_replaces_the_earlier_draft(settings):
    drafter = Drafter(settings)
    first = drafter.draft("acknowledgement", extraction=EXTRACTION,
                          council_reference="MP-2026-0007", **DATES)
    later = replace(EXTRACTION, constituent=Constituent(name="Mr Daniel Okafor"))
    second = drafter.draft("acknowledgement", extraction=later,
                           council_reference="MP-2026-0007", **DATES)
    assert first == second
    assert "Mr Daniel Okafor" in docx_text(second)
    assert [p.name for p in second.parent.iterdir()] == ["acknowledgement.docx"]


def test_shipped_templates_carry_only_the_styles_they_use() -> None:
    # Word's full style catalogue (python-docx's starting point) made each draft twice
    # as slow and each preview in the desk far slower; build_templates.py prunes it.
    import zipfile

    from conftest import REPO

    for template in sorted(SHIPPED_FILES):
        with zipfile.ZipFile(REPO / "templates" / template) as docx:
            names = docx.namelist()
            assert "word/stylesWithEffects.xml" not in names
            assert docx.getinfo("word/styles.xml").file_size < 20_000


# The home folder's templates, which staff edit ---------------------------------------

def shipped_version(folder: Path, *, changed: bool) -> Path:
    """A copy of the shipped templates, as a release would ship them; with `changed`,
    the next release's acknowledgement has another line."""
    import shutil

    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("*.py"))
    if changed:
        document = docx.Document(str(folder / "acknowledgement.docx"))
        document.add_paragraph("A line added in the next release.")
        document.save(str(folder / "acknowledgement.docx"))
    return folder


def edit_in_word(path: Path, line: str) -> None:
    document = docx.Document(str(path))
    document.add_paragraph(line)
    document.save(str(path))


def test_the_shipped_templates_are_copied_into_the_home_folder_once(tmp_path):
    from correspond.draft.install import install_templates

    home_templates = tmp_path / "home" / "templates"
    install_templates(home_templates, SHIPPED)

    for name in SHIPPED_FILES:
        assert (home_templates / name).read_bytes() == (SHIPPED / name).read_bytes()
    again = install_templates(home_templates, SHIPPED)
    assert again == []
    assert {report.path.name for report in check_templates(home_templates)} == SHIPPED_FILES


def test_an_upgrade_updates_an_unchanged_template_silently(tmp_path):
    from correspond.draft.install import install_templates

    home_templates = tmp_path / "templates"
    install_templates(home_templates, shipped_version(tmp_path / "0.1", changed=False))
    upgrade = shipped_version(tmp_path / "0.2", changed=True)

    notices = install_templates(home_templates, upgrade)

    assert (home_templates / "acknowledgement.docx").read_bytes() == \
        (upgrade / "acknowledgement.docx").read_bytes()
    assert not any("edited" in notice for notice in notices)


def test_an_upgrade_never_overwrites_an_edited_template(tmp_path):
    from correspond.draft.install import install_templates

    home_templates = tmp_path / "templates"
    install_templates(home_templates, shipped_version(tmp_path / "0.1", changed=False))
    ours = home_templates / "acknowledgement.docx"
    edit_in_word(ours, "Our service's own closing line.")
    assert install_templates(home_templates, SHIPPED) == []  # edited, nothing new shipped
    edited = ours.read_bytes()
    upgrade = shipped_version(tmp_path / "0.2", changed=True)

    notices = install_templates(home_templates, upgrade)

    assert ours.read_bytes() == edited
    beside = home_templates / "shipped" / "acknowledgement.docx"
    assert beside.read_bytes() == (upgrade / "acknowledgement.docx").read_bytes()
    [notice] = notices
    assert "acknowledgement.docx" in notice and str(beside) in notice
    assert install_templates(home_templates, upgrade) == []  # said once
    # The folder of shipped copies is not a template the desk or the check would use.
    assert {report.path.name for report in check_templates(home_templates)} == SHIPPED_FILES


def test_the_check_and_the_drafts_use_the_home_folders_templates(tmp_path):
    from correspond.app import build_app

    from conftest import settings_for

    home = tmp_path / "home"
    app = build_app(settings_for(home))
    app.close()
    assert app.settings.templates_dir == home.resolve() / "templates"
    edit_in_word(home / "templates" / "acknowledgement.docx", "{{ reply_by }}")

    env = {key: value for key, value in os.environ.items()
           if not key.startswith("CORRESPOND_")}
    finished = subprocess.run(
        [sys.executable, "-m", "correspond", "--home", str(home), "templates", "check"],
        env=env, capture_output=True, text=True, timeout=60, cwd=REPO)
    assert finished.returncode == 1
    assert "'reply_by' is not a variable the program supplies" in finished.stdout


# The council's paragraph library -------------------------------------------------------

def make_library(path: Path, entries: list[tuple[str, list[str]]]) -> Path:
    document = docx.Document()
    document.add_paragraph("Instructions for whoever edits this.")
    document.add_paragraph("Our approved wording", style="Heading 1")
    for heading, texts in entries:
        document.add_paragraph(heading, style="Heading 2")
        for text in texts:
            document.add_paragraph(text)
    document.save(str(path))
    return path


def test_the_paragraph_library_is_checked_heading_by_heading(tmp_path):
    from correspond.draft.check import check_library

    library = make_library(tmp_path / "paragraphs.docx", [
        ("Home to school transport: eligibility review under way",
         ["We are reviewing {{ child_first_names }}'s eligibility."]),
        ("transport: assistance being arranged", ["Arranged."]),
        ("Late: apology", ["Sorry."]),
        ("Potholes: road repairs", ["Not ours."]),
        ("No colon here", ["Text."]),
        ("General: empty", []),
        ("late: apology", ["Twice."]),
        ("Urgent: typo", ["Dear {{ mp_nam }}"]),
    ])
    report = check_library(library)
    assert not report.ok
    problems = "\n".join(report.problems)
    assert "'Potholes: road repairs' does not start with a concern category or situation" \
        in problems
    assert "'No colon here' does not start with" in problems
    assert "'General: empty' has no wording under it." in problems
    assert "'late: apology' is used twice" in problems
    assert "'Urgent: typo' uses 'mp_nam', which is not a variable the program supplies." \
        in problems
    assert "Home to school transport" not in problems and "assistance being" not in problems
    assert report.unknown == ("mp_nam",)
    assert "child_first_names" in report.variables


def test_ticked_paragraphs_are_drafted_with_their_variables_filled(tmp_path, settings):
    from shutil import copyfile

    from correspond.records import Casework, ReplyInputs

    templates = tmp_path / "templates"
    templates.mkdir()
    copyfile(SHIPPED / "response.docx", templates / "response.docx")
    make_library(templates / "paragraphs.docx", [
        ("Transport: review", ["We are reviewing {{ child_first_names }}'s transport."]),
        ("Transport: arranged", ["Transport is arranged."]),
    ])
    drafter = Drafter(load_settings(home=tmp_path, templates_dir=templates))
    hostile = replace(EXTRACTION, children=(Child(first_name="{{ 7*7 }}", last_name="Khan"),))
    casework = Casework(inputs=ReplyInputs(paragraphs=("transport: review",)))
    path = drafter.draft("response", extraction=hostile, council_reference="MP-2026-0009",
                         casework=casework, **DATES)
    text = docx_text(path)
    assert "We are reviewing {{ 7*7 }}'s transport." in text
    assert "Transport is arranged." not in text
    assert "49" not in text
