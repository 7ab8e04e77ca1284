"""Every real-world file in the shared corpus is either read or refused with one plain
sentence; and the known edge cases come out right."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from correspond.errors import UnreadableFile
from correspond.ingest import OcrBudget, OcrLimits, choose_letter, read_document
from correspond.records import Document

from support import assert_plain_sentence

pytestmark = pytest.mark.corpus

_CORPUS = Path(os.environ.get("CORRESPOND_CORPUS")
               or Path(__file__).resolve().parents[2] / "shared" / "corpus")
_KINDS = ("msg", "eml", "docx", "pdf")
_FILES = sorted(f"{kind}/{path.name}" for kind in _KINDS
                for path in (_CORPUS / kind).glob("*") if path.is_file()) \
    if _CORPUS.is_dir() else ["missing/corpus"]
def _read(corpus_dir: Path, relative: str) -> Document:
    path = corpus_dir / relative
    return read_document(path.read_bytes(), path.name)


def _refusal(corpus_dir: Path, relative: str) -> str:
    with pytest.raises(UnreadableFile) as caught:
        _read(corpus_dir, relative)
    return caught.value.reason


@pytest.mark.parametrize("relative", _FILES)
def test_every_file_is_read_or_refused_in_one_sentence(corpus_dir, relative):
    started = time.monotonic()
    try:
        document = _read(corpus_dir, relative)
    except UnreadableFile as err:
        assert_plain_sentence(err.reason)
    else:
        assert isinstance(document, Document)
        assert "\r" not in document.text and "\x00" not in document.text
        for attachment in document.attachments:
            assert isinstance(attachment.data, bytes)
            if attachment.problem:
                assert_plain_sentence(attachment.problem)
        letter = choose_letter(document)
        assert letter.source == "body" or letter.source.startswith("attachment:")
    if time.monotonic() - started >= 10:
        # Scans read by OCR take seconds a page, bounded by their own limit (test_ocr.py);
        # everything else about the file must still be quick.
        started = time.monotonic()
        without_ocr = OcrBudget(OcrLimits(), defer=True)
        try:
            read_document((corpus_dir / relative).read_bytes(), relative, ocr=without_ocr)
        except UnreadableFile:
            pass
        assert without_ocr.deferred
        assert time.monotonic() - started < 10, "one file must not take this long"


# Outlook code pages and charsets


def test_html_body_declared_utf8_but_cp1251_reads_as_cyrillic(corpus_dir):
    document = _read(corpus_dir, "msg/poi_HTMLBodyBinary_CP1251.msg")
    assert "автоматически" in document.text


def test_ansi_store_without_code_page_uses_the_locale(corpus_dir):
    document = _read(corpus_dir, "msg/poi_ASCII_CP1251_LCID1049.msg")
    assert "автоматически" in (document.subject or "")
    assert "автоматически" in document.text


def test_japanese_cp932_store_is_not_mojibake(corpus_dir):
    document = _read(corpus_dir, "msg/hht_nonUnicodeCP932.msg")
    assert "日本語" in (document.subject or "")
    assert "本文" in document.text


def test_big5_traditional_chinese(corpus_dir):
    document = _read(corpus_dir, "msg/poi_chinese-traditional.msg")
    assert "格式測試" in (document.subject or "")


def test_html_only_in_compressed_rtf(corpus_dir):
    document = _read(corpus_dir, "msg/msgreader_HtmlSampleEmail.msg")
    assert "Genoa and Lucca" in document.text


def test_embedded_messages_are_read_to_depth(corpus_dir):
    document = _read(corpus_dir, "msg/hht_msgInMsgInMsg.msg")
    inner = next(a.document for a in document.attachments if a.document)
    assert inner.format == "msg"
    assert any(a.document is not None and a.document.format == "msg"
               for a in inner.attachments)


def test_pdf_attachment_beside_embedded_message(corpus_dir):
    document = _read(corpus_dir, "msg/poi_attachment_msg_pdf.msg")
    formats = {a.document.format for a in document.attachments if a.document}
    assert formats == {"msg", "pdf"}


def test_legacy_doc_attachment_gets_a_reason(corpus_dir):
    document = _read(corpus_dir, "msg/poi_attachment_test_msg.msg")
    doc = next(a for a in document.attachments if a.name.endswith(".doc"))
    assert doc.document is None and ".doc" in (doc.problem or "")
    assert document.subject == "test pièce jointe 1"


@pytest.mark.parametrize("relative, words", [
    ("msg/marirs_bad_outlook.msg", "not contain"),
    ("msg/omp_SMIME_encrypted.msg", "encrypted"),
    ("eml/sjm_SMIME_encrypted.eml", "encrypted"),
    ("msg/mapi_Swetlana.msg", "contact"),
    ("eml/paperless_broken.eml", "not contain"),
    ("docx/poi_password-is-pass.docx", "password"),
    ("pdf/paperless_password-is-test.pdf", "password"),
    ("pdf/pdfminer_aes-256.pdf", "password"),
    ("pdf/pypdf_imagemagick-CCITTFaxDecode.pdf", "scan"),  # a page 4 points square
    ("pdf/paperless_tagged-but-no-text.pdf", "enter it by hand"),  # nothing on its page
    ("docx/poi_truncated62886.docx", "damaged"),
])
def test_refused_with_a_reason_naming_the_problem(corpus_dir, relative, words):
    reason = _refusal(corpus_dir, relative)
    assert words in reason.lower()
    assert_plain_sentence(reason)


def test_malformed_msg_fuzz_cases_do_not_crash(corpus_dir):
    for name in ("poi_clusterfuzz-4735011465854976.msg", "poi_clusterfuzz-5336473854148608.msg"):
        try:
            _read(corpus_dir, f"msg/{name}")
        except UnreadableFile as err:
            assert_plain_sentence(err.reason)


# Email


def test_winmail_dat_body_is_read(corpus_dir):
    document = _read(corpus_dir, "eml/mimekit_tnef_rich-text.eml")
    assert "Christmas" in document.text
    assert not any(a.name.lower() == "winmail.dat" for a in document.attachments)


def test_forwarded_rfc822_message_is_a_nested_document(corpus_dir):
    document = _read(corpus_dir, "eml/mikel_attachment_message_rfc822.eml")
    nested = [a.document for a in document.attachments if a.document]
    assert nested and nested[0].format == "eml"
    assert nested[0].attachments, "the forwarded email's own PDF is kept"


def test_eml_that_is_really_an_outlook_msg_is_read_by_content(corpus_dir):
    document = _read(corpus_dir, "eml/spamscope_mail_outlook_1__is_an_OLE_msg.eml")
    assert document.format == "msg"
    assert "Newsletter" in (document.subject or "")


@pytest.mark.parametrize("relative, expected", [
    ("eml/mikel_japanese_iso_2022.eml", "すみません"),
    ("eml/mikel_raw_email_euc-kr.eml", "한국말"),
    ("eml/spamscope_mail_test_12_gb2312.eml", "增值税"),
    ("eml/paperless_eml_with_umlaut.eml", "üöä"),
    ("eml/mimekit_tnef_ukr.eml", "шостий"),
])
def test_charsets_decode(corpus_dir, relative, expected):
    document = _read(corpus_dir, relative)
    assert expected in document.text + (document.subject or "")


def test_boundary_missing_from_body_still_reads(corpus_dir):
    document = _read(corpus_dir, "eml/mikel_raw_email_with_illegal_boundary.eml")
    assert "outlook test" in document.text


def test_html_only_eml_becomes_clean_text(corpus_dir):
    document = _read(corpus_dir, "eml/govcert_github_issue_48.eml")
    assert "<" not in document.text[:200] and document.text


# Word


def test_text_boxes_are_included(corpus_dir):
    assert "Datum plane" in _read(corpus_dir, "docx/mammoth_text-box.docx").text


def test_text_box_is_not_read_twice(corpus_dir):
    # The same text box is stored twice (modern and fallback forms).
    assert _read(corpus_dir, "docx/mammoth_text-box.docx").text.count("Datum plane") == 1


def test_headers_and_footers_are_included(corpus_dir):
    text = _read(corpus_dir, "docx/pydocx_hdr-header-footer.docx").text
    assert "Header for section-1" in text and "Footer for section 1" in text
    assert text.index("Header") < text.index("section with header") < text.index("Footer")


def test_tables_in_document_order(corpus_dir):
    text = _read(corpus_dir, "docx/mammoth_tables.docx").text
    assert text.index("Above") < text.index("Top left") < text.index("Below")


def test_soft_line_breaks_become_new_lines(corpus_dir):
    assert "Line1\nLine2" in _read(corpus_dir, "docx/d2p_soft_line_breaks.docx").text


def test_deleted_text_is_left_out(corpus_dir):
    text = _read(corpus_dir, "docx/poi_delins.docx").text
    assert "Tika can be" in text


def test_strict_format_docx(corpus_dir):
    assert "Test" in _read(corpus_dir, "docx/mammoth_strict-format.docx").text


def test_external_entity_is_not_resolved(corpus_dir):
    text = _read(corpus_dir, "docx/poi_ExternalEntityInText.docx").text
    assert "Here should not be the POI web site" in text
    assert "Apache" not in text and "<html" not in text.lower()


def test_docx_fuzz_case_is_refused_cleanly(corpus_dir):
    try:
        _read(corpus_dir, "docx/poi_clusterfuzz-6442791109263360.docx")
    except UnreadableFile as err:
        assert_plain_sentence(err.reason)


# PDF


def test_simple_pdf(corpus_dir):
    assert "This is a test document." in _read(corpus_dir, "pdf/paperless_simple-digital.pdf").text


def test_empty_user_password_pdf_is_decrypted(corpus_dir):
    assert "Faktura" in _read(corpus_dir, "pdf/pdfminer_identity-cmap_invoice.pdf").text


def test_mixed_pdf_reads_its_scanned_pages_by_ocr(corpus_dir, tesseract):
    document = _read(corpus_dir, "pdf/paperless_multi-page-mixed.pdf")
    for number in range(1, 7):
        assert f"This is a multi page document. Page {number}." in document.text
    assert [page.ocr for page in document.pages] == [True] * 3 + [False] * 3
    assert document.notes == ()


@pytest.mark.parametrize("relative, words", [
    ("pdf/paperless_multi-page-images.pdf", "This is a multi page document. Page 3."),
    ("pdf/paperless_rotated.pdf", "This is the text that appears on the first page."),
    ("pdf/paperless_barcode-fax-image.pdf", "Document one with some text"),
])
def test_real_scans_are_read_by_ocr(corpus_dir, tesseract, relative, words):
    document = _read(corpus_dir, relative)
    assert words in document.text
    assert all(page.ocr for page in document.pages)


def test_pdf_without_xref_is_recovered(corpus_dir):
    assert "Hello" in _read(corpus_dir, "pdf/pdfminer_simple1.pdf").text


def test_corrupted_pdf_text_is_recovered(corpus_dir):
    text = _read(corpus_dir, "pdf/pdfminer_zen_of_python_corrupted.pdf").text
    assert "Beautiful is better than ugly" in text


def test_evil_xobjects_pdf_does_not_hang(corpus_dir):
    started = time.monotonic()
    try:
        _read(corpus_dir, "pdf/pdfminer_evil-xobjects.pdf")
    except UnreadableFile as err:
        assert_plain_sentence(err.reason)
    assert time.monotonic() - started < 10


# Choosing the letter


def test_covering_email_with_pdf_letter(corpus_dir):
    document = _read(corpus_dir, "msg/msgreader_TxtSampleEmailWithAttachment.msg")
    letter = choose_letter(document)
    assert letter.source == "attachment:SampleAttachment.pdf"
    assert letter.covering_text and "sample plain text email" in letter.covering_text
    assert letter.subject == document.subject and letter.sender_email == document.sender_email


def test_letter_style_email_body_is_the_letter(corpus_dir):
    letter = choose_letter(_read(corpus_dir, "msg/poi_53784_succeeds.msg"))
    assert letter.source == "body" and "Aftergood" in letter.text
