"""Build the shipped templates: the letters acknowledgement.docx and holding.docx, and the
MP meeting pack mp-pack.docx.

Run with the project's Python from anywhere:

    python tools/build_templates.py

The .docx files are the real templates; this script only gives them a clean starting
point and can be re-run to reset them (it overwrites them). Staff may then edit the
files in Word. Keep each {{ tag }} and {% tag %} typed in one go: Word splits text into
"runs" as you edit, and a tag split across runs no longer works. `correspond templates
check` finds such problems.

Paragraph tags ({%p if ... %} alone in a paragraph) remove that whole paragraph, so an
optional line leaves no blank line behind.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import cast

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = Path(__file__).resolve().parents[1] / "templates"

# The part both letters share, down to the greeting.
HEADING = [
    ("{%p if mp_addressee %}", None),
    ("{{ mp_addressee }}", None),
    ("{%p endif %}", None),
    ("{%p if mp_constituency %}", None),
    ("Member of Parliament for {{ mp_constituency }}", None),
    ("{%p endif %}", None),
    ("{%p if mp_address %}", None),
    ("{{ mp_address }}", None),
    ("{%p endif %}", None),
    ("", None),
    ("{%p if mp_caseworker %}", None),
    ("For the attention of {{ mp_caseworker }}", None),
    ("{%p endif %}", None),
    ("{%p if mp_reference %}", None),
    ("Your ref: {{ mp_reference }}", None),
    ("{%p endif %}", None),
    ("Our ref: {{ council_reference }}", None),
    ("Date: {{ today }}", None),
    ("", None),
    ("Dear {{ mp_salutation }}", None),
    ("{%p if children %}", None),
    ("{{ child_name }}", "bold"),
    ("{%p endif %}", None),
]

CLOSING = [
    ("When you contact us about this, please quote our reference {{ council_reference }} "
     "so that it reaches the right caseworker quickly.", None),
    ("Yours sincerely", None),
    ("", None),
    ("", None),
    ("{{ signatory }}", None),
    ("{{ service_name }}", None),
    ("{{ council_name }}", None),
]

ACKNOWLEDGEMENT = HEADING + [
    ("{%p if is_chaser %}", None),
    ("I am sorry that you have needed to write to us again about this.", None),
    ("{%p endif %}", None),
    ("Thank you for your letter{% if letter_date %} of {{ letter_date }}{% endif %} on "
     "behalf of {{ constituent_name }} about {{ child_name }}"
     "{% if child_school %}, who attends {{ child_school }}{% endif %}. I am writing to "
     "let you know that we have received it and passed it to a caseworker in our "
     "{{ service_name }}.", None),
    ("{%p if concerns %}", None),
    ("The caseworker will look into the matters you raise, including "
     "{{ concerns_text }}.", None),
    ("{%p endif %}", None),
    ("{%p if urgent %}", None),
    ("We understand that this is urgent for the family, and we are treating it as a "
     "priority.", None),
    ("{%p endif %}", None),
    ("We will send you a full reply by {{ reply_due }}. If we need more time, for example "
     "to gather information from the school or from health colleagues, we will write to "
     "you before then to explain why and to tell you when you can expect a full answer.",
     None),
] + CLOSING

HOLDING = HEADING + [
    ("Thank you for your letter{% if letter_date %} of {{ letter_date }}{% endif %} on "
     "behalf of {{ constituent_name }} about {{ child_name }}.", None),
    ("I am sorry that we are not yet able to send you a full reply. To answer the points "
     "you raise properly we need to gather more information"
     "{% if child_school %}, including from {{ child_school }}{% endif %}, and this is "
     "taking longer than we would like.", None),
    ("{%p if urgent %}", None),
    ("We understand that this is urgent for the family. The caseworker is treating it as "
     "a priority and will not wait for the full reply before acting on anything that "
     "needs to happen sooner.", None),
    ("{%p endif %}", None),
    ("We will send you a full reply by {{ reply_due }}. Please accept my apologies for "
     "the delay, and thank you for your patience.", None),
] + CLOSING


def build(path: Path, title: str, paragraphs: list[tuple[str, str | None]]) -> None:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)

    # The letterhead sits in the page header so it repeats on every page.
    header = document.sections[0].header
    name = header.paragraphs[0]
    name.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = name.add_run("{{ council_name }}")
    run.bold = True
    run.font.size = Pt(14)
    service = header.add_paragraph()
    service.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    service.add_run("{{ service_name }}")

    for text, style in paragraphs:
        paragraph = document.add_paragraph()
        # One run per paragraph: a tag split across runs would not be recognised.
        run = paragraph.add_run(text)
        run.bold = style == "bold"

    properties = document.core_properties
    properties.title = title
    properties.author = "correspond"
    properties.last_modified_by = "correspond"
    properties.comments = "Letter template; see correspond templates check for variables."
    properties.created = properties.modified = datetime(2026, 1, 1)
    properties.revision = 1
    _keep_only_used_styles(document)
    document.save(str(path))


def _keep_only_used_styles(document: WordDocument) -> None:
    """Drop the styles the letter does not use.

    python-docx's starting file carries every built-in Word style, about 800 KB of XML
    with its stylesWithEffects twin; a letter uses a handful. Parsing the rest made each
    draft twice as slow and each preview in the desk twenty-five times as slow. Word
    adds a built-in style back whenever someone picks it.
    """
    styles = document.styles.element
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    by_id = {style.get(qn("w:styleId")): style for style in styles.findall(qn("w:style"))}
    wanted = {style_id for style_id, style in by_id.items() if style.get(qn("w:default"))}
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is None or element is styles:
            continue
        for reference in element.iter(qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle"),
                                      qn("w:numStyle")):
            wanted.add(reference.get(qn("w:val")))
    # A kept style keeps the styles it is based on or linked to.
    pending = list(wanted)
    while pending:
        style = by_id.get(pending.pop())
        if style is None:
            continue
        for link in (qn("w:basedOn"), qn("w:link"), qn("w:next")):
            found = style.find(link)
            if found is not None and found.get(qn("w:val")) not in wanted:
                wanted.add(found.get(qn("w:val")))
                pending.append(found.get(qn("w:val")))
    for style_id, style in by_id.items():
        if style_id not in wanted:
            styles.remove(style)
    for relationship_id, relationship in list(document.part.rels.items()):
        if relationship.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(relationship_id)


# The MP meeting pack: headings, sentences and tables. A table is (its columns' headings,
# the list it repeats a row for, and each column's value in that row); docxtpl repeats
# the row between {%tr for %} and {%tr endfor %}.
PACK: list[tuple[str, object]] = [
    ("title", "Meeting with {{ member_title }}"),
    ("text", "{{ council_name }}, {{ service_name }}. Referrals received "
             "{{ period_label }}; prepared on {{ today }}."),
    ("text", "The protocol: {{ protocol_text }}."),
    ("heading", "How many"),
    ("text", "{{ total }} referral{% if total != 1 %}s{% endif %} from {{ member_name }} in "
             "the period ({{ change_text }})."),
    ("table", (("Month", "Referrals", "A year earlier"), "months",
               ("{{ row.label }}", "{{ row.count }}", "{{ row.year_earlier }}"))),
    ("heading", "On time, against the protocol"),
    ("text", "Acknowledgements: {{ acknowledgements.within }} of {{ acknowledgements.sent }} "
             "sent within target ({{ acknowledgements.percent }}); "
             "{{ acknowledgements.overdue }} overdue. Full replies: {{ replies.within }} of "
             "{{ replies.sent }} within target ({{ replies.percent }}); {{ replies.overdue }} "
             "overdue. Median time to acknowledge: {{ median_days_to_acknowledge }} "
             "working days."),
    ("table", (("Letter", "For", "Target", "Within target", "Late", "Overdue",
                "Not yet due"), "targets",
               ("{{ row.letter }}", "{{ row.group }}", "{{ row.days }}", "{{ row.within }}",
                "{{ row.late }}", "{{ row.overdue }}", "{{ row.pending }}"))),
    ("heading", "What happened in the end"),
    ("table", (("Outcome", "Referrals"), "outcomes", ("{{ row.label }}", "{{ row.count }}"))),
    ("table", (("What changed for the family", "Referrals"), "changes",
               ("{{ row.label }}", "{{ row.count }}"))),
    ("heading", "What the letters were about"),
    ("table", (("Concern", "Referrals"), "themes", ("{{ row.label }}", "{{ row.count }}"))),
    ("heading", "Open referrals"),
    ("text", "{{ open_count }} referral{% if open_count != 1 %}s{% endif %} from "
             "{{ member_name }} still open on {{ today }}, whenever received."),
    ("table", (("Our reference", "Your reference", "Child", "Received", "Status", "Next",
                "Due by"), "open_referrals",
               ("{{ row.reference }} {{ row.urgent }}", "{{ row.your_reference }}",
                "{{ row.child }}", "{{ row.received }}", "{{ row.status }}",
                "{{ row.next_step }}", "{{ row.next_date }}"))),
    ("text", "{% if not children_named %}Children are shown by their initials; our reference "
             "finds the case.{% endif %}"),
]


def build_pack(path: Path) -> None:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    for kind, content in PACK:
        if kind == "title":
            document.add_heading(str(content), level=1)
        elif kind == "heading":
            document.add_heading(str(content), level=2)
        elif kind == "text":
            document.add_paragraph().add_run(str(content))
        else:
            table = cast(tuple[tuple[str, ...], str, tuple[str, ...]], content)
            _loop_table(document, *table)
    properties = document.core_properties
    properties.title = "MP meeting pack"
    properties.author = properties.last_modified_by = "correspond"
    properties.comments = "MP meeting pack; see correspond templates check for variables."
    properties.created = properties.modified = datetime(2026, 1, 1)
    properties.revision = 1
    _keep_only_used_styles(document)
    document.save(str(path))


def _loop_table(document: WordDocument, headings: tuple[str, ...], rows: str,
                cells: tuple[str, ...]) -> None:
    table = document.add_table(rows=4, cols=len(headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, headings):
        cell.paragraphs[0].add_run(heading).bold = True
    # One run per cell: a tag split across runs would not be recognised.
    table.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for row in {rows} %}}")
    for cell, value in zip(table.rows[2].cells, cells):
        cell.paragraphs[0].add_run(value)
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    document.add_paragraph()


def main() -> None:
    build(HERE / "acknowledgement.docx", "Acknowledgement to an MP", ACKNOWLEDGEMENT)
    build(HERE / "holding.docx", "Holding reply to an MP", HOLDING)
    build_pack(HERE / "mp-pack.docx")
    print(f"Wrote {HERE / 'acknowledgement.docx'}, {HERE / 'holding.docx'} and "
          f"{HERE / 'mp-pack.docx'}")


if __name__ == "__main__":
    main()
