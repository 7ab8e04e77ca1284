"""Build the shipped letter templates: acknowledgement.docx and holding.docx.

Run with the project's Python from anywhere:

    python tools/build_templates.py

The .docx files are the real templates; this script only gives them a clean starting
point and can be re-run to reset them (it overwrites both). Staff may then edit the
files in Word. Keep each {{ tag }} and {% tag %} typed in one go: Word splits text into
"runs" as you edit, and a tag split across runs no longer works. `correspond templates
check` finds such problems.

Paragraph tags ({%p if ... %} alone in a paragraph) remove that whole paragraph, so an
optional line leaves no blank line behind.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

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


def main() -> None:
    build(HERE / "acknowledgement.docx", "Acknowledgement to an MP", ACKNOWLEDGEMENT)
    build(HERE / "holding.docx", "Holding reply to an MP", HOLDING)
    print(f"Wrote {HERE / 'acknowledgement.docx'} and {HERE / 'holding.docx'}")


if __name__ == "__main__":
    main()
