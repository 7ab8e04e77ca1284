"""The limits every reader puts on a .docx before unpacking it, and the links outside a
letter that are refused or taken out. Real packages, built here or from the corpus."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest

from correspond.files.word_package import (
    MAX_MEMBER_BYTES,
    PackageDamaged,
    PackageTooLarge,
    check_package,
    describe_links,
    external_links,
    open_package,
    read_member,
    without_external_links,
)

from hostile_word import GREETING, image_bomb, letter_with_linked_pictures, lying_bomb

REPO = Path(__file__).resolve().parents[1]


def test_taking_out_links_keeps_the_text_the_pictures_and_the_hyperlinks(tmp_path):
    letter = letter_with_linked_pictures(
        tmp_path / "letter.docx", "http://127.0.0.1:9/pixel.png", "file:///etc/secret.png",
        template="file:///C:/Users/someone/Templates/Letter.dotx",
        hyperlink="https://example.org/help", embedded_picture=True)
    with open_package(letter.read_bytes()) as package:
        assert describe_links(external_links(package)) == (
            "2 linked pictures and a template stored elsewhere")

        cleaned = without_external_links(package)

    with open_package(cleaned) as package:
        assert external_links(package) == []
        relationships = read_member(package, "word/_rels/document.xml.rels").decode()
        pictures = [name for name in package.namelist() if name.startswith("word/media/")]
    assert "https://example.org/help" in relationships
    assert "pixel.png" not in relationships and "secret" not in relationships
    assert len(pictures) == 1
    original = docx.Document(str(letter))
    rebuilt = docx.Document(io.BytesIO(cleaned))
    assert [p.text for p in rebuilt.paragraphs] == [p.text for p in original.paragraphs]
    assert GREETING in rebuilt.paragraphs[0].text


def test_a_picture_link_labelled_a_hyperlink_is_still_outside_the_letter(tmp_path):
    letter = letter_with_linked_pictures(tmp_path / "letter.docx", "file:///etc/secret.png",
                                         hyperlink="https://example.org/help",
                                         disguised=True)
    with open_package(letter.read_bytes()) as package:
        [link] = external_links(package)
        assert describe_links([link]) == "a link to another file"

        cleaned = without_external_links(package)

    with open_package(cleaned) as package:
        relationships = read_member(package, "word/_rels/document.xml.rels").decode()
    assert "https://example.org/help" in relationships and "secret" not in relationships


def test_a_target_with_a_scheme_is_outside_the_letter_whatever_its_mode(tmp_path):
    path = tmp_path / "sneaky.docx"
    docx.Document().save(str(path))
    with zipfile.ZipFile(path, "a") as package:
        package.writestr("word/_rels/footer1.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
            'Target="file:///etc/passwd"/></Relationships>'))

    with open_package(path.read_bytes()) as package:
        [link] = external_links(package)
    assert (link.part, link.kind) == ("word/_rels/footer1.xml.rels", "image")


def test_a_relationships_part_that_is_one_bare_link_is_refused_as_damaged(tmp_path):
    path = tmp_path / "bare.docx"
    docx.Document().save(str(path))
    with zipfile.ZipFile(path, "a") as package:
        package.writestr("word/_rels/footer1.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationship xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships" Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/image" '
            'TargetMode="External" Target="file:///etc/passwd"/>'))

    with open_package(path.read_bytes()) as package, pytest.raises(PackageDamaged) as refused:
        without_external_links(package)
    assert "word/_rels/footer1.xml.rels" in refused.value.reason


def test_an_honest_zip_bomb_is_refused_from_its_listing_at_once(tmp_path):
    bomb = image_bomb(tmp_path / "bomb.docx").read_bytes()

    with pytest.raises(PackageTooLarge, match=f"more than {MAX_MEMBER_BYTES >> 20} MB"), \
            open_package(bomb) as package:
        check_package(package)


def test_a_zip_that_lies_about_its_sizes_is_read_no_further_than_it_says(tmp_path):
    # Its directory says 1000 bytes; the member inflates to a gigabyte. zipfile's own
    # read() would inflate all of it at once before noticing.
    bomb = lying_bomb(tmp_path / "liar.docx").read_bytes()
    with open_package(bomb) as package:
        picture = next(info for info in package.infolist()
                       if info.filename.startswith("word/media/"))
        assert picture.file_size == 1000

        tracemalloc.start()
        try:
            with pytest.raises(PackageDamaged, match="does not match its listing"):
                read_member(package, picture)
            with pytest.raises(PackageDamaged):
                check_package(package)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"{peak >> 20} MB held while reading"


def test_a_zip_with_too_many_parts_is_refused(tmp_path):
    path = tmp_path / "parts.docx"
    with zipfile.ZipFile(path, "w") as package:
        for number in range(2_001):
            package.writestr(f"word/part{number}.xml", b"")
    with pytest.raises(PackageTooLarge, match="2001 parts"), \
            open_package(path.read_bytes()) as package:
        check_package(package)


def _word_documents() -> list[Path]:
    found = sorted((REPO / "templates").glob("*.docx"))
    found += sorted((REPO / "tests" / "samples").rglob("*.docx"))
    corpus = REPO.parent / "shared" / "corpus" / "docx"
    return found + sorted(corpus.glob("*.docx"))


@pytest.mark.parametrize("path", _word_documents(), ids=lambda path: path.name)
def test_real_word_documents_are_within_the_limits(path):
    try:
        package = open_package(path.read_bytes())
    except PackageDamaged:
        pytest.skip("a damaged or encrypted sample, not a zip")
    with package:
        check_package(package)  # PackageTooLarge would fail the test
        without_external_links(package)
