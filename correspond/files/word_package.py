"""Limits on a Word (.docx) package, and what it links to outside itself.

A .docx is a zip, and a zip can claim anything: half a megabyte may expand to gigabytes
(a "zip bomb"), and the sizes its directory lists may lie. Every reader of a .docx that
came from outside (the inbox reader, the desk's upload check, the preview, the PDF
conversion) goes through here before any library unpacks it:

    check_package(archive)                 raises PackageTooLarge or PackageDamaged
    read_member(archive, info)             the member's bytes, never more than the limits
    external_links(archive)                what the document would fetch from outside
    without_external_links(archive)        the same package with those links taken out

The listed sizes are checked first, which is instant and refuses an honest bomb; then
every member is read in small pieces and counted, so a zip that lies is stopped within the
limits (and by its checksum) instead of being trusted. Python's zipfile otherwise inflates
a whole member in one call, whatever its directory says.

Plain hyperlinks (a relationship of the hyperlink type, used only by hyperlinks) are the
one kind of outside link a letter keeps: nothing fetches them while reading or
converting it.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from lxml import etree

from correspond.errors import CorrespondError

# A letter's package is a few hundred kilobytes to a few megabytes unpacked (the largest
# .docx in the test corpus, a long report, unpacks to under 3 MB); photographs stay
# about their packed size, and an upload is at most 10 MB packed.
MAX_MEMBER_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 2_000
# Word's XML compresses 5 to 40 times; far more than this is padding made to expand.
# Small members may compress further without harm, so the ratio counts above the grace.
MAX_COMPRESSION_RATIO = 100
RATIO_GRACE_BYTES = 1024 * 1024

_CHUNK_BYTES = 64 * 1024
_MB = 1024 * 1024

# Relationship types (Transitional and Strict spellings) that are plain hyperlinks.
_HYPERLINK_TYPES = frozenset({
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/hyperlink",
})
# A target with a scheme (http:, file:, C:) points outside the package, whatever its mode.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# What each kind of outside link is, in words (one, many).
_LINK_WORDS = {
    "image": ("linked picture", "linked pictures"),
    "attachedTemplate": ("template stored elsewhere", "templates stored elsewhere"),
    "oleObject": ("linked object", "linked objects"),
    "package": ("linked object", "linked objects"),
    "frame": ("frame showing another page", "frames showing other pages"),
    "subDocument": ("linked sub-document", "linked sub-documents"),
    "audio": ("linked sound or video", "linked sounds or videos"),
    "video": ("linked sound or video", "linked sounds or videos"),
    "media": ("linked sound or video", "linked sounds or videos"),
}
_OTHER_LINK = ("link to another file", "links to other files")
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                               load_dtd=False)


class PackageProblem(CorrespondError):
    """A .docx that is not opened. `reason` is a clause ("it expands to more than 32 MB
    when unpacked, ...") for the caller to put in its own sentence, which also says what
    the person can do about it."""


class PackageTooLarge(PackageProblem):
    """The package would expand beyond the limits (a zip bomb, or far more than a letter)."""


class PackageDamaged(PackageProblem):
    """Not a zip, or a zip whose contents do not match its directory."""


@dataclass(frozen=True)
class ExternalLink:
    part: str  # the .rels member the link is in, e.g. word/_rels/document.xml.rels
    kind: str  # the relationship type's last word: image, attachedTemplate, oleObject...


def open_package(source: bytes | str | os.PathLike[str] | BinaryIO) -> zipfile.ZipFile:
    """The zip (bytes, a path or a binary file), with its directory read; raises
    PackageDamaged if it is not one, or cannot be read."""
    try:
        return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError,
            RuntimeError, ValueError) as err:
        raise PackageDamaged("it is not a zip, as a Word document is") from err


def check_package(archive: zipfile.ZipFile, *, read_everything: bool = True) -> None:
    """Refuse a package over the limits, or damaged, before anything unpacks it.

    The listed sizes alone are checked when `read_everything` is false (instant, enough
    before a reader that goes through read_member); otherwise every member is also read
    and counted, so nothing that unpacks the package afterwards meets a surprise.
    """
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise PackageTooLarge(f"it holds {len(members)} parts, far more than a letter")
    if len({info.filename for info in members}) < len(members):
        raise PackageDamaged("it lists the same part twice")  # readers would disagree
    declared = 0
    for info in members:
        _check_declared(info)
        declared += info.file_size
        if declared > MAX_TOTAL_BYTES:
            raise _too_large(MAX_TOTAL_BYTES)
    if read_everything:
        total = 0
        for info in members:
            for piece in _pieces(archive, info):
                total += len(piece)
                if total > MAX_TOTAL_BYTES:
                    raise _too_large(MAX_TOTAL_BYTES)


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo | str) -> bytes:
    """One member's bytes, read in pieces and never beyond MAX_MEMBER_BYTES."""
    if isinstance(info, str):
        try:
            info = archive.getinfo(info)
        except KeyError as err:
            raise PackageDamaged(f"it has no {info} part") from err
    _check_declared(info)
    return b"".join(_pieces(archive, info))


def external_links(archive: zipfile.ZipFile) -> list[ExternalLink]:
    """Every relationship that points outside the package, other than plain hyperlinks."""
    return [ExternalLink(part, _kind(relationship))
            for part, _, relationship in _outside_relationships(archive)]


def describe_links(links: list[ExternalLink]) -> str:
    """What the links are, in words for the person who can remove them:
    "2 linked pictures and a template stored elsewhere"."""
    counts: dict[tuple[str, str], int] = {}
    for link in links:
        words = _LINK_WORDS.get(link.kind, _OTHER_LINK)
        counts[words] = counts.get(words, 0) + 1
    phrases = [f"a {one}" if count == 1 else f"{count} {many}"
               for (one, many), count in counts.items()]
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]


def without_external_links(archive: zipfile.ZipFile) -> bytes:
    """The package rebuilt from its checked members, with no link outside it but
    hyperlinks. What the links showed (a linked picture) is simply left out."""
    check_package(archive, read_everything=False)
    doomed: list[tuple[etree._Element, etree._Element]] = []  # (parent, relationship)
    trees: dict[str, etree._Element] = {}
    for part, tree, relationship in _outside_relationships(archive):
        parent = relationship.getparent()
        if parent is None:  # the whole part is one <Relationship>, not a list of them
            raise PackageDamaged(f"its part {part} is not a list of relationships")
        trees[part] = tree
        doomed.append((parent, relationship))
    for parent, relationship in doomed:
        parent.remove(relationship)
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        total = 0
        for info in archive.infolist():
            if info.is_dir():
                continue
            if info.filename in trees:
                data = etree.tostring(trees[info.filename], xml_declaration=True,
                                      encoding="UTF-8", standalone=True)
            else:
                data = read_member(archive, info)
            total += len(data)
            if total > MAX_TOTAL_BYTES:
                raise _too_large(MAX_TOTAL_BYTES)
            target.writestr(info.filename, data)
    return rebuilt.getvalue()


def _check_declared(info: zipfile.ZipInfo) -> None:
    if info.file_size > MAX_MEMBER_BYTES:
        raise _too_large(MAX_MEMBER_BYTES)
    if info.file_size > RATIO_GRACE_BYTES and (
            info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)):
        raise PackageTooLarge(
            f"it expands {info.file_size // max(info.compress_size, 1)} times over when "
            f"unpacked, as zip bombs are made to")


def _pieces(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    # Small reads: zipfile inflates no more than it is asked for at a time, and checks the
    # member's checksum at its listed end, so a member longer than listed fails there.
    read = 0
    try:
        with archive.open(info) as member:
            while piece := member.read(_CHUNK_BYTES):
                read += len(piece)
                if read > MAX_MEMBER_BYTES:
                    raise _too_large(MAX_MEMBER_BYTES)
                yield piece
    except PackageProblem:
        raise
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError,
            RuntimeError, ValueError) as err:  # damaged, encrypted or unsupported members
        raise PackageDamaged("it is damaged: a part of it does not match its listing") \
            from err


def _outside_relationships(archive: zipfile.ZipFile
                           ) -> Iterator[tuple[str, etree._Element, etree._Element]]:
    for info in archive.infolist():
        if not info.filename.endswith(".rels"):
            continue
        tree = _parse(archive, info)
        if tree is None:
            raise PackageDamaged(f"its part {info.filename} is not readable")
        misused: set[str] | None = None
        looked = False
        for relationship in list(tree.iter(_RELATIONSHIPS)):
            if not (relationship.get("TargetMode", "").lower() == "external"
                    or _SCHEME.match(relationship.get("Target", "").strip())):
                continue
            if relationship.get("Type", "") in _HYPERLINK_TYPES:
                # A hyperlink is kept only where it is used as one: LibreOffice fetches
                # a picture whose link is labelled a hyperlink all the same.
                if not looked:
                    misused, looked = _not_used_as_hyperlinks(archive, info.filename), True
                if misused is not None and relationship.get("Id") not in misused:
                    continue
            yield info.filename, tree, relationship


_RELATIONSHIP_NAMESPACES = frozenset({
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
})
_HYPERLINK_ELEMENTS = frozenset({"hyperlink", "hlinkClick", "hlinkHover"})


def _not_used_as_hyperlinks(archive: zipfile.ZipFile, rels_name: str) -> set[str] | None:
    """Relationship ids that the part owning `rels_name` uses for anything but a
    hyperlink (a picture's link, say), or None when that part cannot be read (so no
    hyperlink of it is kept)."""
    folder, _, name = rels_name.rpartition("_rels/")
    source = folder + name.removesuffix(".rels")
    if source not in archive.namelist():
        return set()  # the package's own relationships: nothing uses them as content
    tree = _parse(archive, archive.getinfo(source))
    if tree is None:
        return None
    misused = set()
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        for attribute, value in element.attrib.items():
            namespace = attribute[1:].partition("}")[0] if attribute.startswith("{") else ""
            if (namespace in _RELATIONSHIP_NAMESPACES
                    and etree.QName(element).localname not in _HYPERLINK_ELEMENTS):
                misused.add(value)
    return misused


def _parse(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> etree._Element | None:
    try:
        return etree.fromstring(read_member(archive, info), _SAFE_PARSER)
    except etree.XMLSyntaxError:
        return None


def _kind(relationship: etree._Element) -> str:
    if relationship.get("Type", "") in _HYPERLINK_TYPES:
        return "misusedHyperlink"  # what it really links is not known from its type
    return relationship.get("Type", "").rstrip("/").rsplit("/", 1)[-1] or "unknown"


def _too_large(limit: int) -> PackageTooLarge:
    return PackageTooLarge(f"it expands to more than {limit // _MB} MB when unpacked, far "
                           f"more than a letter")


__all__ = [
    "MAX_COMPRESSION_RATIO", "MAX_MEMBERS", "MAX_MEMBER_BYTES", "MAX_TOTAL_BYTES",
    "ExternalLink", "PackageDamaged", "PackageProblem", "PackageTooLarge", "check_package",
    "describe_links", "external_links", "open_package", "read_member", "without_external_links",
]
