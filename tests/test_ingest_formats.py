"""Synthetic files built here with real libraries; every name and address is fictional."""

from __future__ import annotations

import io
from email.message import EmailMessage

import docx
import pytest

from correspond.errors import UnreadableFile
from correspond.ingest import choose_letter, read_document

LETTER = (
    "Dear Director of Children's Services,\n\n"
    "I am writing on behalf of my constituent, Mrs Ada Quill, about her son Tobias Quill "
    "(date of birth 3 March 2015), who attends Hollowmere Primary School. His EHCP annual "
    "review is overdue and the family has had no reply to their emails since January. "
    "I would be grateful for an update on the review and on the speech and language "
    "therapy named in section F.\n\nYours sincerely,\n\nHarriet Vellacott MP"
)


def build_docx(body: str = LETTER) -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "House of Commons, London SW1A 0AA"
    section.footer.paragraphs[0].text = "Ref: HV/2024/0173"
    for paragraph in body.split("\n\n"):
        document.add_paragraph(paragraph)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Child"
    table.cell(0, 1).text = "Tobias Quill"
    table.cell(1, 0).text = "School"
    table.cell(1, 1).text = "Hollowmere Primary"
    run = document.add_paragraph().add_run("12 Larch Row")
    run.add_break()
    run.add_text("Eastbury")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def covering_email(attachment: bytes, name: str = "letter.docx") -> bytes:
    message = EmailMessage()
    message["From"] = "Office of Harriet Vellacott MP <harriet.vellacott.mp@example.org>"
    message["To"] = "send@council.example.gov.uk"
    message["Subject"] = "Constituent enquiry: Tobias Quill"
    message["Date"] = "Tue, 14 May 2024 10:15:00 +0100"
    message.set_content("Please see the attached letter from Harriet.\n\nKind regards,\nCaseworker")
    message.add_attachment(attachment, maintype="application",
                           subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                           filename=name)
    return message.as_bytes()


def test_docx_has_header_body_table_footer_and_soft_breaks():
    text = read_document(build_docx(), "letter.docx").text
    assert text.startswith("House of Commons")
    assert "Yours sincerely" in text
    assert "Child\tTobias Quill" in text
    assert "12 Larch Row\nEastbury" in text
    assert text.rstrip().endswith("Ref: HV/2024/0173")
    assert text.index("Dear") < text.index("Child\t") < text.index("Ref:")


def test_docx_with_wrong_extension_is_read_by_content():
    assert read_document(build_docx(), "letter.pdf").format == "docx"


def test_email_with_attached_letter_chooses_the_attachment():
    document = read_document(covering_email(build_docx()), "enquiry.eml")
    assert document.format == "eml"
    assert document.subject == "Constituent enquiry: Tobias Quill"
    assert document.sender_name == "Office of Harriet Vellacott MP"
    assert document.sender_email == "harriet.vellacott.mp@example.org"
    assert document.sent is not None and document.sent.year == 2024
    [attachment] = document.attachments
    assert attachment.document is not None and attachment.document.format == "docx"
    assert attachment.data.startswith(b"PK")

    letter = choose_letter(document)
    assert letter.source == "attachment:letter.docx"
    assert "Tobias Quill" in letter.text
    assert letter.covering_text and "attached letter" in letter.covering_text
    assert letter.subject == document.subject
    assert letter.sender_email == "harriet.vellacott.mp@example.org"


def test_letter_in_the_body_is_the_letter():
    message = EmailMessage()
    message["From"] = "Harriet Vellacott <harriet.vellacott.mp@example.org>"
    message["Subject"] = "Tobias Quill"
    message.set_content(LETTER)
    letter = choose_letter(read_document(message.as_bytes(), "body.eml"))
    assert letter.source == "body" and letter.covering_text is None
    assert "Hollowmere" in letter.text


def test_forwarded_email_inside_email_is_searched_for_the_letter():
    inner = covering_email(build_docx(), "vellacott-letter.docx")
    outer = EmailMessage()
    outer["From"] = "Front Desk <front.desk@council.example.gov.uk>"
    outer["Subject"] = "Fwd: Constituent enquiry"
    outer.set_content("Forwarding for SEND team.")
    outer.add_attachment(inner, maintype="message", subtype="rfc822")
    document = read_document(outer.as_bytes(), "fwd.eml")
    letter = choose_letter(document)
    assert letter.source == "attachment:vellacott-letter.docx"
    assert letter.covering_text == "Forwarding for SEND team."


def test_html_only_body_with_misdeclared_charset():
    html = ("<html><head><style>p {color: red}</style></head><body>"
            "<p>Dear Sir,</p><p>Mrs Zoë Marchbank&rsquo;s daughter needs a place at "
            "Caf\u00e9 Lane Academy \u2013 urgent.</p></body></html>")
    message = EmailMessage()
    message["From"] = "Office <office@example.org>"
    message["Subject"] = "HTML only"
    message.set_content(html.encode("cp1252"), maintype="text", subtype="html",
                        cte="base64")
    message.set_param("charset", "us-ascii")  # the lie: the bytes are Windows-1252
    document = read_document(message.as_bytes(), "html.eml")
    assert "Zoë Marchbank’s daughter" in document.text
    assert "Café Lane Academy – urgent." in document.text
    assert "<p>" not in document.text and "color" not in document.text


def test_unknown_charset_falls_back():
    raw = ("From: a@example.org\r\nSubject: x\r\nContent-Type: text/plain; "
           "charset=x-no-such-charset\r\n\r\nCaf\u00e9 on Rue Vell\u00e9e\r\n").encode("utf-8")
    assert "Café on Rue Vellée" in read_document(raw, "odd.eml").text


def test_txt_with_utf8_bom_and_crlf():
    data = "\ufeffDear Mr Okonjo-Pell,\r\n\r\n\r\n\r\n\r\nThank you.\r\n".encode("utf-8")
    document = read_document(data, "note.txt")
    assert document.format == "txt"
    assert document.text == "Dear Mr Okonjo-Pell,\n\n\nThank you."


def test_txt_in_cp1252():
    data = "Mrs Brontë-Hale \u2013 10 Lime Walk, £20".encode("cp1252")
    assert read_document(data, "note.txt").text == "Mrs Brontë-Hale – 10 Lime Walk, £20"


def test_txt_in_utf16_with_bom():
    data = "Dear Ms Ferrand-Oyelaran".encode("utf-16")
    assert read_document(data, "note.txt").text == "Dear Ms Ferrand-Oyelaran"


@pytest.mark.parametrize("data, name, words", [
    (b"", "empty.txt", "empty"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "photo.png", "picture"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "old.doc", "damaged"),
    (b"{\\rtf1\\ansi Hello}", "letter.rtf", "rich text"),
    (b"%PDF-1.4\n garbage", "broken.pdf", "damaged"),
    (b"PK\x03\x04 not really a zip", "letter.docx", "damaged"),
    (b"\x00\x01\x02\x03" * 50, "blob.bin", "not a kind"),
    (b"Hello World", "bad.msg", "not contain"),
])
def test_unreadable_inputs_give_a_plain_reason(data, name, words):
    with pytest.raises(UnreadableFile) as caught:
        read_document(data, name)
    reason = caught.value.reason
    assert words in reason.lower()
    assert reason.endswith(".") and "\n" not in reason


def test_zip_of_files_is_refused():
    out = io.BytesIO()
    import zipfile
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("letter.txt", "hello")
    with pytest.raises(UnreadableFile, match="zip"):
        read_document(out.getvalue(), "bundle.zip")


def test_nesting_deeper_than_the_limit_is_recorded_not_followed():
    data = build_docx()
    for level in range(6):
        data = covering_email(data, "letter.docx") if level == 0 else _wrap(data, level)
    document = read_document(data, "deep.eml")
    depth, current = 0, document
    while current.attachments and current.attachments[0].document is not None:
        current = current.attachments[0].document
        depth += 1
    assert depth <= 3
    assert current.attachments and current.attachments[0].problem


def _wrap(inner: bytes, level: int) -> bytes:
    message = EmailMessage()
    message["From"] = f"Relay {level} <relay{level}@example.org>"
    message["Subject"] = f"Fwd level {level}"
    message.set_content(f"Forward {level}")
    message.add_attachment(inner, maintype="application", subtype="octet-stream",
                           filename=f"level{level}.eml")
    return message.as_bytes()


@pytest.mark.parametrize("seed", range(30))
def test_random_bytes_never_escape_as_another_exception(seed):
    import random
    rng = random.Random(seed)
    base = [build_docx(), covering_email(b"x" * 300, "a.txt"), b"%PDF-1.4\n1 0 obj\n<<>>\n"]
    data = bytearray(base[seed % 3])
    for _ in range(20):
        data[rng.randrange(len(data))] = rng.randrange(256)
    try:
        read_document(bytes(data), ["a.docx", "a.eml", "a.pdf"][seed % 3])
    except UnreadableFile:
        pass
