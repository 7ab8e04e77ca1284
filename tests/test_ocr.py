"""Scans and photos read by OCR: real Tesseract on the scanned samples (built from the
sample letters by tests/samples/make_scans.py) and on pages made here with Pillow."""

from __future__ import annotations

import io
import re
from email.message import EmailMessage
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from correspond.errors import UnreadableFile
from correspond.ingest import OcrLimits, choose_letter, read_document

from support import assert_plain_sentence

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("tesseract")]  # each runs Tesseract
SCANS = Path(__file__).parent / "samples" / "scans"


def _read(name: str, **limits: object):
    return read_document((SCANS / name).read_bytes(), name,
                         ocr=OcrLimits(**limits) if limits else None)


def _fax_page() -> Image.Image:
    import pypdfium2

    document = pypdfium2.PdfDocument((SCANS / "khan_fax.pdf").read_bytes())
    return document[0].render(scale=200 / 72, grayscale=True).to_pil().convert("L")


def _pdf_of(images: list[Image.Image], dpi: int = 200) -> bytes:
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def test_a_faxed_letter_with_no_text_layer_is_read_by_ocr():
    document = _read("khan_fax.pdf")
    assert document.format == "pdf"
    assert "Adam Khan" in document.text and "03/04/2015" in document.text
    assert "LS6 2AB" in document.text
    [page] = document.pages
    assert page.ocr and page.confidence is not None and page.confidence > 0.85
    assert document.notes == ()


def test_a_wrapped_paragraph_is_read_as_one_line_and_an_address_as_lines():
    text = _read("khan_fax.pdf").text
    assert "about her son, Adam Khan (date of birth 03/04/2015), who is in Year 6" in text
    assert "Example Council\nCivic Centre" in text.replace("\n\n", "\n")


def test_a_case_forms_columns_stay_apart_as_typed():
    """An MP's case form (To:, From:, Date: with their values in a column) is not an
    email's header: the parts stage tells them apart by the gap, as in the typed form."""
    import random

    from tools.scans.make import grey_scan, image_pdf, rasterise, typeset

    form = ("OFFICE OF RICHARD BURGON MP - CASEWORK REFERRAL\n"
            "To:            SENSAP, Leeds City Council\n"
            "From:          Jade Whitaker, Caseworker\n"
            "Date:          19/11/2026\n\n"
            "Please could you look into this family's request for an assessment.\n")
    [page] = rasterise(typeset(form), 300)
    scan = image_pdf([grey_scan(page, random.Random(3))], 300)
    text = read_document(scan, "form.pdf").text
    assert re.search(r"From: {4,}Jade Whitaker", text)
    assert "Jade Whitaker, Caseworker" in text  # words of a value keep one space


@pytest.mark.parametrize("scanned", [False, True], ids=["printed to PDF", "printed and scanned"])
def test_a_printed_email_says_who_sent_it_when_and_about_what(scanned):
    """As the same email saved from Outlook does: the child named in its subject line, its
    Sent time as the letter's date."""
    import random
    from datetime import datetime

    from tools.scans.make import grey_scan, image_pdf, rasterise, typeset

    printed = ("From: Casework (Satvir Kaur MP)\n"
               "Sent: 18 November 2026 15:02\n"
               "To: SEND Southampton\n"
               "Subject: Chasing - Harrison Cole 04-09-2019 - your ref SCC/SEND/MP/0552\n\n"
               "Hi,\n\nI wrote to you on 3 June about Harrison and have not had a reply.\n\n"
               "Thanks,\nPriyanka Sahota\n")
    data = typeset(printed)
    if scanned:
        [page] = rasterise(data, 300)
        data = image_pdf([grey_scan(page, random.Random(5))], 300)
    document = read_document(data, "printed.pdf")
    assert [page.ocr for page in document.pages] == [scanned]
    assert document.subject == "Chasing - Harrison Cole 04-09-2019 - your ref SCC/SEND/MP/0552"
    assert document.sent is not None
    assert document.sent.replace(tzinfo=None) == datetime(2026, 11, 18, 15, 2)
    assert document.text.startswith("From: Casework")  # the page's text is kept whole


def test_a_speck_read_above_a_printed_emails_header_is_passed_over():
    from correspond.ingest.printed_email import with_printed_header
    from correspond.records import Document

    text = ("-\n\nFrom: Cllr Ayesha Rahim\nSent: 12 November 2026 20:14\nTo: SENAR\n"
            "Subject: Jaylen Brown - draft EHCP errors\n\nHi,\n\nI am writing about Jaylen.")
    document = with_printed_header(Document(format="image", text=text))
    assert document.subject == "Jaylen Brown - draft EHCP errors"
    assert document.text == text


def test_a_letter_with_a_to_line_is_not_taken_for_a_printed_email():
    from tools.scans.make import typeset

    letter = ("To: the SEND team\nDate: 3 May 2026\n\nDear Sir or Madam,\n\n"
              "I am writing about Adam Khan.\n\nYours faithfully\nSarah Khan\n")
    document = read_document(typeset(letter), "letter.pdf")
    assert document.subject is None and document.sent is None


def test_a_phone_photo_stored_sideways_is_read_upright():
    document = _read("khan_photo.jpg")
    assert document.format == "image"
    assert "Adam Khan" in document.text and "Meanwood" in document.text
    assert document.pages[0].ocr


def test_a_typed_first_page_keeps_its_text_and_the_scanned_second_page_is_read():
    document = _read("khan_typed_then_scanned.pdf")
    first, second = document.pages
    assert not first.ocr and first.confidence is None
    assert second.ocr and second.confidence is not None
    assert "Sarah" in first.span.text_of(document.text)
    assert "Hannah Greaves MP" in second.span.text_of(document.text)


def test_an_upside_down_scan_is_turned_and_read():
    document = read_document(_pdf_of([_fax_page().rotate(180)]), "upside down.pdf")
    assert "Adam Khan" in document.text


def test_a_text_layer_of_garbage_is_read_again_by_ocr():
    # A page image with an invisible text layer from a broken font encoding.
    page = _fax_page()
    picture = io.BytesIO()
    page.save(picture, "PNG")
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(picture, x=0, y=0, w=210, h=297)
    pdf.set_font("Helvetica", size=10)
    pdf.text_mode = "INVISIBLE"
    pdf.text(20, 20, "".join(chr(code) for code in range(1, 30)) * 10)
    document = read_document(bytes(pdf.output()), "broken fonts.pdf")
    assert "Adam Khan" in document.text
    assert document.pages[0].ocr


def test_handwriting_is_set_aside_with_a_reason_that_says_what_to_do():
    with pytest.raises(UnreadableFile) as refused:
        _read("handwritten_note.pdf")
    assert "by hand" in refused.value.reason
    assert_plain_sentence(refused.value.reason)


def test_a_blank_scanned_page_is_set_aside():
    blank = Image.new("L", (1654, 2339), 235)
    with pytest.raises(UnreadableFile) as refused:
        read_document(_pdf_of([blank]), "blank.pdf")
    assert_plain_sentence(refused.value.reason)


def test_a_blank_page_after_a_scanned_letter_is_noted():
    document = read_document(_pdf_of([_fax_page(), Image.new("L", (1654, 2339), 255)]),
                             "letter and blank.pdf")
    assert "Adam Khan" in document.text
    first, blank = document.pages
    assert first.ocr and first.span.text_of(document.text) == document.text
    assert blank.number == 2 and blank.span.text_of(document.text) == ""  # kept, to be shown
    assert "Page 2" in document.notes[0]


def test_more_scanned_pages_than_the_limit_are_refused_saying_which_setting():
    with pytest.raises(UnreadableFile) as refused:
        read_document(_pdf_of([_fax_page()] * 3), "long scan.pdf",
                      ocr=OcrLimits(max_pages=2))
    assert "3 scanned pages, more than the 2" in refused.value.reason
    assert "ocr_max_pages" in refused.value.reason
    assert_plain_sentence(refused.value.reason)


def test_a_scan_that_takes_longer_than_the_limit_is_stopped_saying_which_setting():
    with pytest.raises(UnreadableFile) as refused:
        _read("khan_fax.pdf", timeout_seconds=0.05)
    assert "ocr_timeout_seconds" in refused.value.reason
    assert_plain_sentence(refused.value.reason)


def test_a_multi_page_fax_tiff_is_read_page_by_page():
    page = _fax_page().convert("1")
    out = io.BytesIO()
    page.save(out, "TIFF", compression="group4", save_all=True, append_images=[page],
              dpi=(200, 200))
    document = read_document(out.getvalue(), "fax.tif")
    assert [item.number for item in document.pages] == [1, 2]
    assert document.text.count("Adam Khan") >= 2


def _covering_email(picture: bytes, name: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Office of Hannah Greaves MP <hannah.greaves.mp@parliament.uk>"
    message["To"] = "send@example.gov.uk"
    message["Subject"] = "Letter from a constituent"
    message.set_content("Please find attached a photo of the letter.\n\nKind regards")
    message.add_attachment(picture, maintype="image", subtype="jpeg", filename=name)
    return bytes(message)


def test_an_email_whose_attachment_is_a_photo_of_the_letter_reads_the_photo():
    email = _covering_email((SCANS / "khan_photo.jpg").read_bytes(), "IMG_2041.jpg")
    document = read_document(email, "covering note.eml")
    letter = choose_letter(document)
    assert letter.source == "attachment:IMG_2041.jpg"
    assert "Adam Khan" in letter.text
    assert letter.covering_text and "photo of the letter" in letter.covering_text
    assert letter.pages and letter.pages[0].ocr


def test_a_small_picture_in_an_email_is_not_taken_for_a_letter():
    logo = io.BytesIO()
    Image.new("RGB", (200, 80), "navy").save(logo, "JPEG")
    document = read_document(_covering_email(logo.getvalue(), "logo.jpg"), "note.eml")
    [attachment] = document.attachments
    assert attachment.document is None and attachment.problem is None
    assert choose_letter(document).source == "body"


def test_a_picture_far_larger_than_a_photo_is_refused_before_it_is_decoded():
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 0, 0, 0, 0)  # 3.6 gigapixels, grey
    bomb = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))
    with pytest.raises(UnreadableFile) as refused:
        read_document(bomb, "photo.png")
    assert "far larger than a photo" in refused.value.reason
    assert_plain_sentence(refused.value.reason)
