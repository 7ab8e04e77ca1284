"""Build the synthetic sample files in tests/samples/files/ from the letter texts.

Every name, address and reference is fictional. Run after changing a letter text:

    pip install ".[samples]" && python tests/samples/make_samples.py

The output is committed, so the tests need none of the tools used here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from html import escape
from io import BytesIO
from pathlib import Path

import docx
import msgforge
from docx.shared import Pt
from fpdf import FPDF

HERE = Path(__file__).parent
LETTERS = HERE / "letters"
FILES = HERE / "files"
SENT = datetime(2026, 11, 19, 9, 12, tzinfo=UTC)


def letter_text(name: str) -> str:
    return (LETTERS / f"{name}.txt").read_text("utf-8")


def as_docx(text: str) -> bytes:
    """A Word letter: the Commons address in the page header, the references in a table,
    the rest as paragraphs, as MPs' offices lay them out."""
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(11)
    lines = text.split("\n")
    header = document.sections[0].header.paragraphs[0]
    header.text = "\n".join(lines[:2])  # HOUSE OF COMMONS / LONDON SW1A 0AA
    rest = "\n".join(lines[2:]).strip("\n")
    paragraphs = rest.split("\n\n")
    references = [line for line in paragraphs[0].split("\n") if ":" in line]
    if references:
        table = document.add_table(rows=len(references), cols=2)
        for row, line in zip(table.rows, references):
            label, value = line.split(":", 1)
            row.cells[0].text = f"{label}:"
            row.cells[1].text = value.strip()
        paragraphs = paragraphs[1:]
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.sections[0].footer.paragraphs[0].text = "Printed on recycled paper"
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def as_pdf(text: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    latin = text.replace("’", "'").replace("–", "-")
    pdf.multi_cell(0, 5, latin)
    return bytes(pdf.output())


def _letter_sections(text: str) -> tuple[list[str], list[str], str]:
    """A letter's letterhead lines, its paragraphs, and its last line (a printed notice)."""
    heading, rest = text.strip("\n").split("\n\n", 1)
    paragraphs = rest.split("\n\n")
    return heading.split("\n"), paragraphs[:-1], paragraphs[-1]


def table_letter_docx(text: str) -> bytes:
    """A letter laid out as Word lays it out: the letterhead in the page header, the
    children in a real table, the confidentiality notice in the page footer."""
    letterhead, paragraphs, notice = _letter_sections(text)
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "\n".join(letterhead)
    for paragraph in paragraphs:
        rows = [line.split("\t") for line in paragraph.split("\n")]
        if len(rows[0]) > 1:
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for row, cells in zip(table.rows, rows):
                for cell, value in zip(row.cells, cells):
                    cell.text = value
        else:
            document.add_paragraph(paragraph)
    document.sections[0].footer.paragraphs[0].text = notice
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def table_letter_pdf(text: str) -> bytes:
    """The same letter as a PDF with no blank lines between its blocks (as many PDFs
    read), and its notice printed in the bottom margin."""
    letterhead, paragraphs, notice = _letter_sections(text)

    class Letter(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=7)
            self.cell(0, 4, notice)

    pdf = Letter(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 5, "\n".join(letterhead))
    for paragraph in paragraphs:
        pdf.ln(3)
        pdf.multi_cell(0, 5, paragraph.replace("\t", "    "))
    return bytes(pdf.output())


def scan_without_text() -> bytes:
    """A page with only drawn shapes, as a scanner's image-only PDF has no text layer."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    for row in range(40):
        pdf.rect(20, 20 + row * 6, 120 + (row * 7) % 50, 3, style="F")
    return bytes(pdf.output())


def covering_eml(attachment_name: str, attachment: bytes, subtype: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Hannah Greaves MP <hannah.greaves.mp@parliament.uk>"
    message["To"] = "SEND Casework <send.casework@example.gov.uk>"
    message["Subject"] = "Letter from Hannah Greaves MP - our ref HG/2026/0412"
    message["Date"] = format_datetime(SENT)
    message.set_content(
        "Dear colleagues,\n\nPlease find attached a letter from Hannah Greaves MP on behalf "
        "of a constituent.\n\nKind regards,\n\nOffice of Hannah Greaves MP\n")
    maintype, _, sub = subtype.partition("/")
    message.add_attachment(attachment, maintype=maintype, subtype=sub,
                           filename=attachment_name)
    return bytes(message)


def html_only_eml(text: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Hannah Greaves MP <hannah.greaves.mp@parliament.uk>"
    message["To"] = "send.casework@example.gov.uk"
    message["Subject"] = "Mrs Sarah Khan - EHC needs assessment"
    message["Date"] = format_datetime(SENT)
    paragraphs = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>"
                         for p in text.split("\n\n"))
    message.set_content(f"<html><head><style>p {{margin:0}}</style></head><body>{paragraphs}"
                        "</body></html>", subtype="html")
    return bytes(message)


def cp1252_eml(text: str) -> bytes:
    """A plain-text email in Windows-1252, as older mail systems still send."""
    headers = (
        "From: Casework Office of Dr Jane Whitfield MP <tom.reyes@parliament.uk>\r\n"
        "To: send.team@example.gov.uk\r\n"
        "Subject: Constituent: Mr Daniel Okafor - school transport - OUR REF JW12345\r\n"
        f"Date: {format_datetime(SENT)}\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=windows-1252\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    body = text.split("\n\n", 1)[1].replace("Mr Okafor's", "Mr Okafor’s")
    return headers.encode("ascii") + body.replace("\n", "\r\n").encode("cp1252")


def msg_with_attachment(attachment_name: str, attachment: bytes) -> bytes:
    message = msgforge.Message(
        subject="Letter from Hannah Greaves MP - our ref HG/2026/0412",
        html_body=("<p>Dear colleagues,</p><p>Please find attached a letter from Hannah "
                   "Greaves MP about a constituent&#8217;s son.</p><p>Kind regards,<br>"
                   "Office of Hannah Greaves MP</p>"),
        to=[("send.casework@example.gov.uk", "SEND Casework")],
        sender=("hannah.greaves.mp@parliament.uk", "Hannah Greaves MP"),
        sent=SENT,
    )
    message.attach_bytes(attachment_name, attachment)
    return message.as_bytes()


def msg_with_body(text: str) -> bytes:
    body = text.split("\n\n", 1)[1]
    message = msgforge.Message(
        subject="Constituent: Mr Daniel Okafor - school transport - OUR REF JW12345",
        text_body=body,
        html_body="".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>"
                          for p in body.split("\n\n")),
        to=[("send.team@example.gov.uk", "SEND Team")],
        sender=("tom.reyes@parliament.uk", "Tom Reyes"),
        sent=SENT,
    )
    return message.as_bytes()


def main() -> None:
    FILES.mkdir(exist_ok=True)
    khan, okafor, housing, baptiste = (
        letter_text(name) for name in
        ("khan_assessment", "okafor_transport_urgent", "housing_misrouted", "baptiste_table"))
    khan_docx, khan_pdf = as_docx(khan), as_pdf(khan)
    outputs = {
        "khan_letter.txt": khan.encode("utf-8"),
        "khan_letter.docx": khan_docx,
        "khan_letter.pdf": khan_pdf,
        "khan_covering_note.eml": covering_eml("Letter to Example Council.docx", khan_docx,
                                               "application/vnd.openxmlformats-officedocument"
                                               ".wordprocessingml.document"),
        "khan_covering_note.msg": msg_with_attachment("Letter to Example Council.pdf", khan_pdf),
        "khan_html_only.eml": html_only_eml(khan),
        "okafor_email.msg": msg_with_body(okafor),
        "okafor_email_cp1252.eml": cp1252_eml(okafor),
        "housing_letter.pdf": as_pdf(housing),
        "scan_no_text.pdf": scan_without_text(),
        "baptiste_table_letter.docx": table_letter_docx(baptiste),
        "baptiste_table_letter.pdf": table_letter_pdf(baptiste),
    }
    for name, data in outputs.items():
        (FILES / name).write_bytes(data)
        print(f"wrote {name} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
