"""Approved letters as PDF (real LibreOffice, where installed) and drafts as safe HTML."""

from __future__ import annotations

import io
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx
import mammoth
import psutil
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from pypdf import PdfReader

from correspond.draft.context import sample_context
from correspond.draft.pdf import NOT_INSTALLED, convert_to_pdf, libreoffice_available
from correspond.draft.preview import PreviewProblem, _clean, docx_to_html
from correspond.draft.render import render_docx

from hostile_word import GREETING, counting_server, image_bomb, letter_with_linked_pictures, png

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
REFERENCE = "MP-2026-0001"  # the council reference in sample_context()
PHRASE = "Dear Sample Member"

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed, so no real PDF can be made here")
# LibreOffice's first start on a machine can take 10-20 s; real conversions get this long.
REAL_TIMEOUT = 120


@pytest.fixture(scope="module")
def letter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real drafted acknowledgement, rendered from the shipped template."""
    path = tmp_path_factory.mktemp("drafts") / f"{REFERENCE}-acknowledgement.docx"
    render_docx(TEMPLATES / "acknowledgement.docx", sample_context(), path)
    return path


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system temp folder, redirected so a test can see what is left behind."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def fake_program(folder: Path, body: str) -> Path:
    """A real executable shell script standing in for soffice."""
    script = folder / "fake-soffice"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(0o755)
    return script


# --- PDF --------------------------------------------------------------------------


@pytest.mark.slow
@needs_libreoffice
def test_a_drafted_letter_becomes_a_real_pdf_at_the_destination(
        letter, tmp_path, scratch, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    outbox = tmp_path / "outbox"
    destination = outbox / f"{REFERENCE}-acknowledgement.pdf"

    result = convert_to_pdf(letter, destination, timeout_seconds=REAL_TIMEOUT)

    assert result.problem is None
    assert result.path == destination
    assert destination.read_bytes().startswith(b"%PDF")
    text = pdf_text(destination)
    assert REFERENCE in text and PHRASE in text
    assert [path.name for path in outbox.iterdir()] == [destination.name]  # no temp files
    assert list(scratch.iterdir()) == []  # profile and work folder removed
    assert not (home / ".config" / "libreoffice").exists()  # the user's profile untouched


@pytest.mark.slow
@needs_libreoffice
def test_a_new_pdf_replaces_an_old_one(letter, tmp_path):
    destination = tmp_path / "letter.pdf"
    destination.write_bytes(b"an old PDF")

    result = convert_to_pdf(letter, destination, timeout_seconds=REAL_TIMEOUT)

    assert result.problem is None
    assert REFERENCE in pdf_text(destination)


@pytest.mark.slow
@needs_libreoffice
def test_two_conversions_at_the_same_time_both_succeed(letter, tmp_path, scratch):
    destinations = [tmp_path / "first.pdf", tmp_path / "second.pdf"]

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(
            lambda destination: convert_to_pdf(letter, destination,
                                               timeout_seconds=REAL_TIMEOUT),
            destinations))

    assert [result.problem for result in results] == [None, None]
    for destination in destinations:
        assert REFERENCE in pdf_text(destination)
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("program", ["correspond-no-such-soffice", "/nonexistent/soffice"])
def test_a_program_that_is_not_installed_gives_a_plain_problem_and_no_file(
        letter, tmp_path, program):
    destination = tmp_path / "letter.pdf"

    result = convert_to_pdf(letter, destination, program=program)

    assert result.path is None
    assert result.problem == NOT_INSTALLED
    assert "not installed" in result.problem and "Word document" in result.problem
    assert not destination.exists()
    assert not libreoffice_available(program)


def test_libreoffice_available_finds_an_executable_by_path(tmp_path):
    assert libreoffice_available(str(fake_program(tmp_path, "exit 0")))


@pytest.mark.slow
def test_a_conversion_that_hangs_is_stopped_with_its_children(letter, tmp_path, scratch):
    # Like soffice, the script starts a child process and then works (sleeps) itself.
    pids = tmp_path / "pids"
    program = fake_program(tmp_path, f'sleep 30 &\necho "$$ $!" > "{pids}"\nsleep 30')
    destination = tmp_path / "letter.pdf"

    started = time.monotonic()
    result = convert_to_pdf(letter, destination, program=str(program), timeout_seconds=1)
    elapsed = time.monotonic() - started

    started_pids = [int(pid) for pid in pids.read_text().split()]
    try:
        assert elapsed < 5
        assert result.path is None
        assert result.problem is not None and "longer than 1 seconds" in result.problem
        assert not destination.exists()
        assert list(scratch.iterdir()) == []
        for pid in started_pids:
            assert _gone(pid), f"process {pid} was left running"
    finally:
        for pid in started_pids:  # never leave the test's own sleepers behind
            _kill_if_ours(pid)


def _gone(pid: int, wait_seconds: float = 3) -> bool:
    # A killed orphan is reaped by init; in a container that may take a moment, or
    # leave a zombie, which is not running either.
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


def _kill_if_ours(pid: int) -> None:
    try:
        process = psutil.Process(pid)
        if "fake-soffice" in " ".join(process.cmdline()) or process.name() == "sleep":
            process.kill()
    except psutil.Error:
        pass


@pytest.mark.parametrize("body, expected", [
    ("exit 3", "exit code 3"),
    ("exit 0", "did not make a PDF"),  # LibreOffice exits 0 when it cannot load a file
])
def test_a_failed_conversion_gives_a_plain_problem_and_no_file(
        letter, tmp_path, scratch, body, expected):
    destination = tmp_path / "letter.pdf"

    result = convert_to_pdf(letter, destination, program=str(fake_program(tmp_path, body)))

    assert result.path is None
    assert result.problem is not None and expected in result.problem
    assert not destination.exists()
    assert list(scratch.iterdir()) == []


@pytest.mark.slow
@needs_libreoffice
@pytest.mark.parametrize("damage", ["random bytes", "cut short"])
def test_a_damaged_docx_gives_a_problem_not_a_pdf(letter, tmp_path, damage):
    # Real LibreOffice reads random bytes as plain text and would make a PDF of them.
    damaged = tmp_path / "damaged.docx"
    if damage == "random bytes":
        damaged.write_bytes(random.Random(7).randbytes(20_000))
    else:
        data = letter.read_bytes()
        damaged.write_bytes(data[: len(data) // 2])
    destination = tmp_path / "damaged.pdf"

    result = convert_to_pdf(damaged, destination, timeout_seconds=REAL_TIMEOUT)

    assert result.path is None
    assert result.problem is not None and "Word document" in result.problem
    assert not destination.exists()


# --- Preview ----------------------------------------------------------------------


def word_document(path: Path, *paragraphs: str) -> docx.Document:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return document


def test_the_preview_shows_the_drafted_letter(letter):
    html = docx_to_html(letter)

    assert REFERENCE in html
    assert f"<p>{PHRASE}</p>" in html
    assert "<strong>Sam Sample</strong>" in html  # bold comes through


def test_headings_in_a_letter_become_headings(tmp_path):
    document = docx.Document()
    document.add_heading("Your child's assessment", level=1)
    document.add_paragraph("Body text.")
    document.save(str(tmp_path / "headed.docx"))

    html = docx_to_html(tmp_path / "headed.docx")

    assert html == "<h1>Your child's assessment</h1><p>Body text.</p>"


def test_html_written_in_a_letter_is_shown_as_text(tmp_path):
    path = tmp_path / "hostile.docx"
    word_document(path, "Before <script>alert(1)</script> after", '<img src=x onerror="x()">')

    html = docx_to_html(path)

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x" in html
    assert "<script" not in html and "<img" not in html


def test_a_style_map_embedded_in_the_document_is_ignored(tmp_path):
    path = tmp_path / "styled.docx"
    word_document(path, "alert(1)")
    with path.open("r+b") as stream:
        mammoth.embed_style_map(stream, "p => script:fresh")
    with path.open("rb") as stream:  # the hostile file works on mammoth's defaults
        assert "<script>" in mammoth.convert_to_html(stream).value

    html = docx_to_html(path)

    assert html == "<p>alert(1)</p>"


def test_only_web_and_mail_links_are_kept(tmp_path):
    path = tmp_path / "links.docx"
    document = docx.Document()
    for url, text in (("javascript:alert(1)", "Click me"),
                      ("https://example.org/help", "Help page")):
        _add_hyperlink(document.add_paragraph(), url, text)
    document.save(str(path))

    html = docx_to_html(path)

    assert "javascript" not in html
    assert '<a rel="noopener noreferrer">Click me</a>' in html  # the text stays
    assert '<a href="https://example.org/help" rel="noopener noreferrer">Help page</a>' in html


def _add_hyperlink(paragraph, url: str, text: str) -> None:
    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    run = OxmlElement("w:r")
    run_text = OxmlElement("w:t")
    run_text.text = text
    run.append(run_text)
    link.append(run)
    paragraph._p.append(link)


def test_png_images_are_embedded_and_other_images_dropped(tmp_path):
    path = tmp_path / "pictures.docx"
    document = docx.Document()
    document.add_picture(io.BytesIO(_tiny_png()))
    document.add_picture(io.BytesIO(_tiny_bmp()))
    document.save(str(path))

    html = docx_to_html(path)

    assert html.count("src=") == 1  # the other image is left with no picture to show
    assert 'src="data:image/png;base64,' in html
    assert "image/bmp" not in html


def _tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit grey
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def _tiny_bmp() -> bytes:
    pixels = b"\x00\x00\xff\x00"  # one red pixel, row padded to four bytes
    header = struct.pack("<2sIHHI", b"BM", 54 + len(pixels), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, 1, 1, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    return header + info + pixels


def test_the_cleaner_keeps_only_allowed_tags_and_attributes():
    # A second line of defence, should mammoth (or a style map) ever emit such HTML.
    hostile = ('<p onclick="x()">a</p><img src="x" onerror="alert(1)" />'
               '<a href=" JaVaScript:alert(1)">b</a><iframe src="//evil"></iframe>'
               '<svg><script>alert(2)</script></svg><td colspan="2 onmouseover=x">c</td>'
               '<img src="data:image/svg+xml;base64,PHN2Zz4=" />')

    cleaned = _clean(hostile)
    for dangerous in ("onclick", "onerror", "javascript", "JaVaScript", "iframe", "svg",
                      "script", "alert", "onmouseover", 'src="x"', "evil"):
        assert dangerous not in cleaned
    assert cleaned.startswith("<p>a</p>") and "b</a>" in cleaned and "c" in cleaned


@pytest.mark.parametrize("content", [b"Just some text, not a Word document.", None])
def test_a_file_that_is_not_a_docx_raises_a_clear_problem(tmp_path, content):
    path = tmp_path / "letter.docx"
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(PreviewProblem, match="not a readable Word document") as caught:
        docx_to_html(path)
    assert caught.value.reason.startswith("letter.docx cannot be shown")


# --- Hostile letters: links outside the letter, zip bombs ----------------------------


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Half a megabyte of .docx whose picture expands to 512 MB (as in the hardening issue)."""
    return image_bomb(tmp_path_factory.mktemp("bomb") / "bomb.docx")


def secret_picture(folder: Path) -> Path:
    """A picture only the server holds: an 8x8 PNG that would show up in a PDF."""
    secret = folder / "secret.png"
    secret.write_bytes(png(grey=200))
    return secret


@pytest.mark.slow
@needs_libreoffice
@pytest.mark.parametrize("disguised", [False, True],
                         ids=["linked pictures", "picture links labelled hyperlinks"])
def test_linked_pictures_and_templates_are_neither_fetched_nor_read_into_the_pdf(
        tmp_path, disguised):
    secret = secret_picture(tmp_path)
    with counting_server() as server:
        letter = letter_with_linked_pictures(
            tmp_path / "linked.docx", f"{server.url}/pixel.png", secret.as_uri(),
            template=f"{server.url}/template.dotm", embedded_picture=True,
            disguised=disguised)
        destination = tmp_path / "linked.pdf"

        result = convert_to_pdf(letter, destination, timeout_seconds=REAL_TIMEOUT)
        time.sleep(0.5)  # a request still on its way would arrive by now

        assert server.requests == []
    assert result.problem is None
    assert GREETING in pdf_text(destination)
    pages = PdfReader(destination).pages
    # Only the letter's own picture: the linked ones (the secret among them) are left out.
    assert sum(len(page.images) for page in pages) == 1


@pytest.mark.slow
@needs_libreoffice
def test_the_libreoffice_profile_itself_refuses_linked_pictures(tmp_path):
    # The second line of defence, checked on its own: LibreOffice run with the profile
    # the conversion writes, on a letter whose links were NOT taken out first.
    from correspond.draft.pdf import write_locked_down_profile

    secret = secret_picture(tmp_path)
    profile = tmp_path / "profile"
    write_locked_down_profile(profile)
    with counting_server() as server:
        letter = letter_with_linked_pictures(tmp_path / "linked.docx",
                                             f"{server.url}/pixel.png", secret.as_uri())
        subprocess.run(
            [shutil.which("soffice"), f"-env:UserInstallation={profile.as_uri()}",
             "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path),
             str(letter)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            timeout=REAL_TIMEOUT, check=True)
        time.sleep(0.5)

        assert server.requests == []
    pdf = tmp_path / "linked.pdf"
    assert GREETING in pdf_text(pdf)
    assert sum(len(page.images) for page in PdfReader(pdf).pages) == 0


def _private_network_possible() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    for flags in (["--net"], ["--user", "--map-root-user", "--net"]):
        if subprocess.run([unshare, *flags, "true"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, check=False).returncode == 0:
            return True
    return False


@pytest.mark.skipif(not _private_network_possible(),
                    reason="this machine does not allow a private network namespace")
def test_the_conversion_program_runs_without_a_network(letter, tmp_path):
    # A stand-in for soffice that tries to reach a server on this machine.
    with counting_server() as server:
        program = fake_program(tmp_path, (
            f'"{sys.executable}" -c "import urllib.request; '
            f"urllib.request.urlopen('{server.url}/from-libreoffice', timeout=5)\"\n"
            "exit 3"))

        result = convert_to_pdf(letter, tmp_path / "letter.pdf", program=str(program))

        assert server.requests == []
    assert result.problem is not None and "exit code 3" in result.problem


def test_a_zip_bomb_letter_gets_a_plain_problem_and_no_conversion(bomb, tmp_path):
    started_marker = tmp_path / "started"
    program = fake_program(tmp_path, f'touch "{started_marker}"\nexit 0')
    destination = tmp_path / "bomb.pdf"

    result = convert_to_pdf(bomb, destination, program=str(program))
    assert result.path is None and not destination.exists()
    assert result.problem is not None and "too large" in result.problem
    assert "Word document" in result.problem  # the letter itself is still in the outbox
    assert not started_marker.exists()


def test_a_picture_too_large_for_the_preview_is_shown_as_a_placeholder(tmp_path):
    path = tmp_path / "pictures.docx"
    document = docx.Document()
    document.add_picture(io.BytesIO(png(grey=1)))
    document.add_picture(io.BytesIO(png(grey=2, padding=5 * 1024 * 1024)))
    document.save(str(path))

    html = docx_to_html(path)

    assert html.count('src="data:image/png;base64,') == 1  # the small one is still shown
    assert '<img alt="[picture not shown: too large]">' in html
    assert len(html) < 10_000


def test_a_zip_bomb_letter_is_not_previewed_and_answers_at_once(bomb):
    started = time.monotonic()
    with pytest.raises(PreviewProblem, match="too large") as caught:
        docx_to_html(bomb)
    elapsed = time.monotonic() - started

    assert elapsed < 1, f"took {elapsed:.2f} s"
    assert caught.value.reason.startswith("bomb.docx cannot be shown")


def test_a_linked_picture_is_not_fetched_for_the_preview(tmp_path):
    secret = secret_picture(tmp_path)
    with counting_server() as server:
        letter = letter_with_linked_pictures(tmp_path / "linked.docx",
                                             f"{server.url}/pixel.png", secret.as_uri())

        html = docx_to_html(letter)

        assert server.requests == []
    assert GREETING in html and "base64" not in html
