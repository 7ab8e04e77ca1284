"""Build the shipped templates: the letters (acknowledgement.docx, holding.docx,
response.docx and redirect.docx), the council's paragraph library (paragraphs.docx) and
the MP meeting pack (mp-pack.docx).

Run with the project's Python from anywhere:

    python tools/build_templates.py

The .docx files are the real templates; this script only gives them a clean starting
point and can be re-run to reset them (it overwrites all five). Staff may then edit the
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

# Each paragraph is (text, looks): "bold", "tight" (no space after: the lines of an
# address or a signature), "keep" (kept with the next: a heading), a mix of these, or
# the name of a Word style ("Heading 2").

# The part every letter shares, down to the greeting.
HEADING = [
    ("{%p if mp_addressee %}", None),
    ("{{ mp_addressee }}", "tight"),
    ("{%p endif %}", None),
    ("{%p if mp_role %}", None),
    ("{{ mp_role }}", "tight"),
    ("{%p endif %}", None),
    ("{%p if mp_address %}", None),
    ("{{ mp_address }}", "tight"),
    ("{%p endif %}", None),
    ("", None),
    ("{%p if mp_caseworker %}", None),
    ("For the attention of {{ mp_caseworker }}", None),
    ("{%p endif %}", None),
    ("{%p if mp_reference %}", None),
    ("Your ref: {{ mp_reference }}", "tight"),
    ("{%p endif %}", None),
    ("Our ref: {{ council_reference }}", "tight"),
    ("Date: {{ today }}", None),
    ("", None),
    ("Dear {{ mp_salutation }}", None),
    ("{%p if children %}", None),
    ("{{ child_name }}", "bold"),
    ("{%p endif %}", None),
]

THANKS = ("Thank you for your letter{% if letter_date %} of {{ letter_date }}{% endif %} "
          "{{ about_text }}.")

# The signature: a named officer where one is known, the team, and how to reach them.
CLOSING = [
    ("When you contact us about this, please quote our reference {{ council_reference }} "
     "so that it reaches the right caseworker quickly.", None),
    ("{{ closing }}", None),
    ("", None),
    ("", None),
    ("{%p if officer_name %}", None),
    ("{{ officer_name }}", "bold tight"),
    ("{%p endif %}", None),
    ("{{ signatory }}", "tight"),
    ("{{ service_name }}", "tight"),
    ("{{ council_name }}", "tight"),
    ("{{ council_address }}", "tight"),
    ("Telephone: {{ council_phone }}", "tight"),
    ("Email: {{ contact_email }}", None),
]

ACKNOWLEDGEMENT = HEADING + [
    ("{%p if is_chaser %}", None),
    ("I am sorry that you have needed to write to us again about this.", None),
    ("{%p endif %}", None),
    (THANKS + " I am writing to let you know that we have received it and passed it to a "
     "caseworker in our {{ service_name }}.", None),
    ("{%p if concerns_text %}", None),
    ("The caseworker will look into everything you raise, including "
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
    (THANKS, None),
    ("I am sorry that we are not yet able to send you the full reply we said we would "
     "send by {{ reply_due }}. {% if holding_reason %}{{ holding_reason }}{% else %}To "
     "answer the points you raise properly we need to gather more information"
     "{% if child_school %}, including from {{ child_school }}{% endif %}, and this is "
     "taking longer than we would like.{% endif %}", None),
    ("{%p if urgent %}", None),
    ("We understand that this is urgent for the family. The caseworker is treating it as "
     "a priority and will not wait for the full reply before acting on anything that "
     "needs to happen sooner.", None),
    ("{%p endif %}", None),
    ("We will send you a full reply by {{ new_reply_due }}. Please accept my apologies for "
     "the delay, and thank you for your patience.", None),
] + CLOSING

# A letter not about SEND: passed to the council service it is for (chosen on the desk).
REDIRECT = HEADING + [
    ("{%p if is_chaser %}", None),
    ("I am sorry that you have needed to write to us again about this.", None),
    ("{%p endif %}", None),
    ("Thank you for your letter{% if letter_date %} of {{ letter_date }}{% endif %} on "
     "behalf of {{ constituent_name }}.", None),
    ("The matters you raise are not for our {{ service_name }}, so we have passed your "
     "letter to {{ redirect_service }}, who will reply to you directly."
     "{% if redirect_contact %} You can contact them at {{ redirect_contact }}.{% endif %}",
     None),
    ("If you contact us about this letter, please quote our reference "
     "{{ council_reference }}.", None),
] + CLOSING


def _section(heading: str, items: str, condition: str | None = None) -> list[
        tuple[str, str | None]]:
    """A headed section of the response listing `items`, left out when it is empty."""
    return [
        (f"{{%p if {condition or items} %}}", None),
        (heading, "bold keep"),
        (f"{{%p for text in {items} %}}", None),
        ("{{ text }}", None),
        ("{%p endfor %}", None),
        ("{%p endif %}", None),
    ]


RESPONSE = HEADING + [
    (THANKS + " {% if concerns_text %}I have now looked into the points you raise about "
     "{{ concerns_text }}{% else %}I have now looked into the points you raise{% endif %}, "
     "and I am writing to give you a full reply.", None),
    ("{%p if is_chaser %}", None),
    ("I am sorry that you needed to write to us again before receiving it.", None),
    ("{%p endif %}", None),
] + _section("Where things stand", "case_facts") + [
    ("{%p if clocks %}", None),
    ("The timescales the law sets", "bold keep"),
    ("{%p for text in clocks %}", None),
    ("{{ text }}", None),
    ("{%p endfor %}", None),
    ("{%p if clocks_late %}", None),
    ("I am sorry that we did not meet every one of these timescales.", None),
    ("{%p endif %}", None),
    ("{%p endif %}", None),
] + _section("What we have found", "what_found") + [
    ("{%p for text in paragraphs %}", None),
    ("{{ text }}", None),
    ("{%p endfor %}", None),
] + _section("What happens next", "what_next") + [
    ("I hope this reply is helpful. If you or {{ constituent_name }} have any questions, "
     "please contact {% if officer_name %}me{% else %}us{% endif %} using the details "
     "below.", None),
] + CLOSING

# The council's approved wording (see correspond/draft/paragraphs.py): each "Heading 2"
# is "topic: situation", and the paragraphs under it are what a response says.
LIBRARY_INTRO = [
    ("Approved paragraphs for full responses", "Title"),
    ("Each heading below (in the style Heading 2) starts one paragraph of approved "
     "wording: it names a concern category or a situation, a colon, and the situation it "
     "is for. The paragraphs under it, up to the next heading, are what a full response "
     "says when a caseworker ticks it. You may use the letters' variables, such as "
     "{{ child_first_names }}. Add, change or remove entries here; `correspond templates "
     "check` checks every heading.", None),
]
LIBRARY: list[tuple[str, list[str]]] = [
    ("General: meeting offered", [
        "I would be glad to meet {{ constituent_name }} to talk this through. They can "
        "contact {% if officer_name %}me{% else %}the team{% endif %} on "
        "{{ council_phone }} or at {{ contact_email }} to arrange a time."]),
    ("Late: apology for the delay", [
        "I am sorry that we did not meet the timescales the law sets for "
        "{{ child_first_names }}'s case. We have looked at why this happened, and a "
        "manager will review the case each week until it is back on time."]),
    ("Chaser: apology for no earlier reply", [
        "I am sorry that you did not receive a reply to your earlier letter, and that you "
        "needed to write to us again."]),
    ("Urgent: contact within two working days", [
        "Because of the urgency of the situation, the caseworker will contact the family "
        "within two working days."]),
    ("Young person: decisions made by the young person", [
        "As a young person over compulsory school age, {{ child_first_names }} has the "
        "right to make decisions about their own EHC plan, and we will write to them "
        "directly as well as to you."]),
    ("EHC needs assessment: decision due", [
        "We are gathering what we need to decide whether to carry out an EHC needs "
        "assessment for {{ child_first_names }}, including the views of the family and "
        "the school. We will write to the family with our decision within six weeks of "
        "the request."]),
    ("EHC needs assessment: refusal and right of appeal", [
        "We have decided not to carry out an EHC needs assessment at this time, and we "
        "have written to the family with our reasons and with the support the school can "
        "put in place.",
        "If the family disagree, they can ask to meet us to talk about the decision, and "
        "they have the right to appeal to the First-tier Tribunal (Special Educational "
        "Needs and Disability) within two months of our decision letter, or within one "
        "month of a mediation certificate if that is later. Before appealing they must "
        "contact a mediation adviser, whose details are in our decision letter."]),
    ("EHC plan timeliness: final plan delayed", [
        "I am sorry that {{ child_first_names }}'s final EHC plan is taking longer than it "
        "should. We are waiting for the last of the advice we need, and we will issue the "
        "plan as soon as it arrives."]),
    ("EHC plan content: changes being considered", [
        "We have noted the family's concerns about how the EHC plan describes "
        "{{ child_first_names }}'s needs and the support to meet them. The caseworker "
        "will consider the changes they have asked for and explain our decision in "
        "writing; if they disagree with it, they can ask for mediation or appeal to the "
        "SEND Tribunal."]),
    ("Annual review: review being arranged", [
        "We are arranging {{ child_first_names }}'s annual review with the school. Within "
        "four weeks of the meeting we will tell the family whether we intend to keep, "
        "amend or end the plan."]),
    ("School placement: consultation under way", [
        "We have consulted the school the family asked for about a place, as the law "
        "requires. Schools have 15 days to reply to a consultation, and we will tell the "
        "family our decision as soon as we have heard."]),
    ("Out of education: return to full-time education", [
        "The council has a duty to arrange suitable full-time education for a child of "
        "compulsory school age who cannot attend school. We are working with the school "
        "and our alternative provision team on a plan for {{ child_first_names }} to "
        "return to full-time education, and the caseworker will share it with the "
        "family."]),
    ("Provision not delivered: support being put back in place", [
        "The council is responsible for making sure that the provision in an EHC plan is "
        "delivered. We have asked the school and the service concerned to confirm when "
        "the missing support will be back in place, and the caseworker will tell the "
        "family the dates once they are agreed."]),
    ("Home to school transport: eligibility review under way", [
        "We are reviewing {{ child_first_names }}'s eligibility for travel assistance in "
        "the light of what the family have told us. We will write to the family with our "
        "decision, and with how to ask for it to be reviewed if they disagree."]),
    ("Home to school transport: assistance being arranged", [
        "{{ child_first_names }} is eligible for travel assistance, and our travel "
        "assistance team are arranging it. They will contact the family directly with the "
        "start date and the details."]),
    ("Tribunal and mediation: order being carried out", [
        "The Tribunal's order is binding on the council, and we are carrying it out within "
        "the time the regulations allow. The caseworker will keep the family informed of "
        "each step."]),
    ("Communication: named contact", [
        "I am sorry that the family have found it hard to get answers from us. "
        "{% if officer_name %}I will be their contact from now on, and they can reach me "
        "on {{ council_phone }} or at {{ contact_email }}.{% else %}They can reach the "
        "team on {{ council_phone }} or at {{ contact_email }}, and we will reply within "
        "five working days.{% endif %}"]),
    ("Exclusion: working with the school", [
        "We are working with the school to understand the reasons for the exclusion and "
        "to make sure that the support in {{ child_first_names }}'s EHC plan is in place. "
        "Where a child with an EHC plan is permanently excluded, the family can ask for an "
        "independent review of the decision, with a SEN expert on the panel if they ask "
        "for one."]),
    ("Formal complaint: complaint being investigated", [
        "The family's complaint is being considered under the council's complaints "
        "procedure, and they will receive a full response from the complaints team. If "
        "they are still unhappy once our procedure is finished, they can ask the Local "
        "Government and Social Care Ombudsman to look at it."]),
    ("Wellbeing or safeguarding risk: support arranged", [
        "I am very sorry to hear how difficult things are for the family. The caseworker "
        "has shared their concerns with the right colleagues so that support can be "
        "offered. If anyone is in immediate danger, the family should call 999."]),
]


def build(path: Path, title: str, paragraphs: list[tuple[str, str | None]], *,
          letterhead: bool = True) -> None:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)

    if letterhead:
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
        looks = set((style or "").split())
        if style and not looks <= {"bold", "tight", "keep"}:
            paragraph.style = document.styles[style]
        if "tight" in looks:  # the lines of an address or a signature block
            paragraph.paragraph_format.space_after = Pt(0)
        if "keep" in looks:  # a heading stays on the page of what it heads
            paragraph.paragraph_format.keep_with_next = True
        # One run per paragraph: a tag split across runs would not be recognised.
        run = paragraph.add_run(text)
        run.bold = "bold" in looks

    properties = document.core_properties
    properties.title = title
    properties.author = "correspond"
    properties.last_modified_by = "correspond"
    properties.comments = ("Letter template; see correspond templates check for variables."
                           if letterhead else
                           "The council's approved paragraphs; see correspond templates "
                           "check.")
    properties.created = properties.modified = datetime(2026, 1, 1)
    properties.revision = 1
    _keep_only_used_styles(document)
    document.save(str(path))


def library_paragraphs() -> list[tuple[str, str | None]]:
    paragraphs = list(LIBRARY_INTRO)
    for heading, texts in LIBRARY:
        paragraphs.append((heading, "Heading 2"))
        paragraphs.extend((text, None) for text in texts)
    return paragraphs


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
    build(HERE / "response.docx", "Full response to an MP", RESPONSE)
    build(HERE / "redirect.docx", "Letter passing correspondence to another service",
          REDIRECT)
    build(HERE / "paragraphs.docx", "Approved paragraphs for full responses",
          library_paragraphs(), letterhead=False)
    build_pack(HERE / "mp-pack.docx")
    print(f"Wrote acknowledgement.docx, holding.docx, response.docx, redirect.docx, "
          f"paragraphs.docx and mp-pack.docx in {HERE}")


if __name__ == "__main__":
    main()
