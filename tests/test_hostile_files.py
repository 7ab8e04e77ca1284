"""One hostile or huge file cannot stall the queue, exhaust the machine or leak a file.

Each is dropped into a real inbox watched by the real service with its real limits; each
must be set aside with a plain reason while the letter dropped after it is still drafted.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from correspond.errors import UnreadableFile
from correspond.ingest import read_document

from hostile_word import image_bomb, lying_bomb
from support import SAMPLES, recorded_referrals, settings_for, status_counts

pytestmark = pytest.mark.slow

DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>')
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def word_file(path: Path, document_xml: bytes) -> Path:
    """A minimal .docx package around the given word/document.xml."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        package.writestr("_rels/.rels", DOCX_RELS)
        package.writestr("word/document.xml", document_xml)
    return path


def paragraph_xml(body: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:body><w:p><w:r><w:t>{body}</w:t></w:r></w:p></w:body></w:document>').encode()


def set_aside_reason(service, name: str) -> str:
    reason_file = service.settings.failed_dir / f"{name}.reason.txt"
    assert reason_file.is_file(), f"{name} was not set aside"
    assert os.path.lexists(service.settings.failed_dir / name)
    return reason_file.read_text("utf-8").strip()


def assert_next_letter_still_drafted(service) -> None:
    service.drop(SAMPLES / "khan_letter.txt")
    service.wait_until_idle(timeout=60)
    drafted = [r for r in recorded_referrals(service) if r.referral_json["drafts"]]
    assert len(drafted) == 1
    assert [p.name for p in service.settings.inbox.iterdir() if p.is_file()] == []


def test_a_200_mb_pdf_is_set_aside_unread(service, tmp_path):
    huge = tmp_path / "scanned bundle.pdf"
    with huge.open("wb") as out:
        out.write(b"%PDF-1.7\n")
        out.truncate(200 * 1024 * 1024)  # sparse: quick to make, 200 MB to the service
    os.rename(huge, service.settings.inbox / huge.name)
    service.wait_until_idle(timeout=60)

    reason = set_aside_reason(service, "scanned bundle.pdf")
    assert "200 MB" in reason and "50 MB" in reason
    assert status_counts(service)["failed"] == 1
    assert_next_letter_still_drafted(service)


def test_a_zip_bomb_word_file_is_refused(service, tmp_path):
    # 300 MB of text squeezed into well under a megabyte.
    bomb = word_file(tmp_path / "letter.docx", paragraph_xml("a" * (300 * 1024 * 1024)))
    assert bomb.stat().st_size < 1024 * 1024
    service.drop(bomb)
    service.wait_until_idle(timeout=90)

    reason = set_aside_reason(service, "letter.docx")
    assert "Traceback" not in reason and reason.endswith(".")
    assert_next_letter_still_drafted(service)


def test_an_xxe_probe_does_not_read_files_from_the_server(service, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("CANARY-7f3a91 root:x:0:0")
    prolog = f'<!DOCTYPE w:document [<!ENTITY leak SYSTEM "file://{secret}">]>'
    probe = word_file(tmp_path / "probe.docx",
                      paragraph_xml("Dear Director, &leak; Yours sincerely", prolog))
    service.drop(probe)
    service.wait_until_idle(timeout=60)

    stored = [r.referral_json for r in recorded_referrals(service)]
    everything = repr(stored) + "".join(
        path.read_text("utf-8", errors="replace")
        for path in service.settings.failed_dir.glob("*.reason.txt"))
    assert "CANARY-7f3a91" not in everything
    assert status_counts(service)["processed"] + status_counts(service)["failed"] == 1


def test_a_pdf_whose_page_tree_contains_itself_is_refused(service, tmp_path):
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",  # the tree holds itself
        b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Parent 2 0 R /Count 1 >>",
    ]
    pdf = io.BytesIO()
    pdf.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(pdf.tell())
        pdf.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = pdf.tell()
    pdf.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        pdf.write(b"%010d 00000 n \n" % offset)
    pdf.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    bomb = tmp_path / "loop.pdf"
    bomb.write_bytes(pdf.getvalue())
    service.drop(bomb)
    service.wait_until_idle(timeout=90)

    reason = set_aside_reason(service, "loop.pdf")
    assert "Traceback" not in reason and reason.endswith(".")
    assert_next_letter_still_drafted(service)


def test_a_file_that_takes_too_long_is_stopped_and_the_queue_moves_on(service_factory,
                                                                       tmp_path):
    service = service_factory(read_timeout_seconds=2)
    letter = (SAMPLES / "khan_letter.txt").read_text("utf-8")
    endless = tmp_path / "endless.txt"
    endless.write_text(letter * 2000, encoding="utf-8")  # minutes of reading, not seconds
    service.drop(endless)
    service.wait_until_idle(timeout=60)

    reason = set_aside_reason(service, "endless.txt")
    assert "longer than 2 seconds" in reason
    assert_next_letter_still_drafted(service)


SHORTCUT_REASON = ("This is a shortcut to another file, not a file; copy the file itself "
                   "into the inbox.")
SECRET = b"CANARY-51d0 root:x:0:0:root:/root:/bin/bash\n"


def shortcut_targets(tmp_path: Path) -> dict[str, Path]:
    """What a shortcut dropped in the inbox might point to, all outside the inbox."""
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "passwd").write_bytes(SECRET)
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "khan_letter.txt").write_bytes(
        (SAMPLES / "khan_letter.txt").read_bytes())
    return {"x.txt": tmp_path / "etc" / "passwd",
            "letter.txt": tmp_path / "letters" / "khan_letter.txt",
            "folder.docx": tmp_path / "letters",
            "broken.pdf": tmp_path / "letters" / "gone.pdf"}


def assert_set_aside_unread(service, names) -> None:
    failed = service.settings.failed_dir
    for name in names:
        assert set_aside_reason(service, name) == SHORTCUT_REASON, name
        assert (failed / name).is_symlink(), f"{name} is no longer the shortcut itself"
    assert recorded_referrals(service) == []
    assert status_counts(service)["failed"] == len(names)
    assert list((service.settings.inbox / ".processing").iterdir()) == []
    # Nothing a shortcut points to was copied into the archive.
    secret_digest = hashlib.sha256(SECRET).hexdigest()
    letter_digest = hashlib.sha256((SAMPLES / "khan_letter.txt").read_bytes()).hexdigest()
    archived = {path.name for path in service.settings.archive_dir.rglob("*")}
    assert secret_digest not in archived and letter_digest not in archived


def test_a_shortcut_dropped_in_the_inbox_is_set_aside_never_followed(service, tmp_path):
    targets = shortcut_targets(tmp_path)
    for name, target in targets.items():
        os.symlink(target, service.settings.inbox / name)
    service.wait_until_idle(timeout=60)

    assert_set_aside_unread(service, targets)
    assert_next_letter_still_drafted(service)


def test_a_shortcut_waiting_at_start_up_is_set_aside_never_followed(service_factory, home,
                                                                    tmp_path):
    targets = shortcut_targets(tmp_path)
    inbox = settings_for(home).inbox
    for name, target in targets.items():
        os.symlink(target, inbox / name)
    service = service_factory()
    service.wait_until_idle(timeout=60)

    assert_set_aside_unread(service, targets)


def test_a_pipe_or_shortcut_named_on_the_command_line_is_refused_at_once(home, tmp_path):
    settings_for(home)
    pipe = tmp_path / "pipe.docx"
    os.mkfifo(pipe)
    link = tmp_path / "link.txt"
    os.symlink(shortcut_targets(tmp_path)["x.txt"], link)
    result = subprocess.run(
        [sys.executable, "-m", "correspond", "--home", str(home), "ingest", str(pipe),
         str(link)], capture_output=True, text=True, timeout=120)

    assert result.returncode == 1
    assert "pipe.docx: This is a special file" in result.stderr
    assert f"link.txt: {SHORTCUT_REASON}" in result.stderr
    assert "CANARY" not in result.stdout + result.stderr


@pytest.mark.parametrize("build", [image_bomb, lying_bomb],
                         ids=["picture expanding to 512 MB", "zip that lies about its sizes"])
def test_the_reader_refuses_a_zip_bomb_word_file(tmp_path, build):
    bomb = build(tmp_path / "letter.docx").read_bytes()
    assert len(bomb) < 2 * 1024 * 1024

    with pytest.raises(UnreadableFile) as refused:
        read_document(bomb, "letter.docx")
    assert "Word document" in refused.value.reason and refused.value.reason.endswith(".")


def test_an_emailed_zip_bomb_word_file_is_noted_and_the_email_still_read(tmp_path):
    message = EmailMessage()
    message["From"] = "office@example.org"
    message["Subject"] = "Letter attached"
    message.set_content("Please see the attached letter about my constituent's son.")
    message.add_attachment(image_bomb(tmp_path / "letter.docx").read_bytes(),
                           maintype="application", subtype="octet-stream",
                           filename="letter.docx")

    document = read_document(message.as_bytes(), "letter.eml")

    [attachment] = document.attachments
    assert attachment.document is None
    assert attachment.problem is not None and "too large" in attachment.problem


def test_a_picture_bomb_word_file_dropped_in_the_inbox_is_set_aside(service, tmp_path):
    service.drop(image_bomb(tmp_path / "letter.docx"))
    service.wait_until_idle(timeout=90)

    reason = set_aside_reason(service, "letter.docx")
    assert "too large" in reason and reason.endswith(".")
    assert_next_letter_still_drafted(service)
