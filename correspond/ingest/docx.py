"""Word .docx: headers, body (paragraphs, tables, text boxes) in document order, footers.

Elements are matched by local name so "Strict" Open XML documents, which use another
namespace, read the same way. python-docx's XML parser does not resolve entities, so an
external-entity probe stays unresolved text. The package is checked within the zip
limits (correspond.files.word_package) before python-docx unpacks any of it, so a zip bomb is
refused at once.
"""

from __future__ import annotations

import io

import docx
from lxml import etree

from correspond.errors import UnreadableFile
from correspond.files.word_package import (
    PackageProblem,
    PackageTooLarge,
    check_package,
    open_package,
    read_member,
)
from correspond.ingest.text import normalise
from correspond.records import Document

_DAMAGED = "This Word document is damaged and cannot be opened; ask the sender for a fresh copy."
# Parts of a document that are not its current text: deleted text, field instructions,
# the pre-2010 copy of a text box (the same text twice), comment anchors.
_SKIP = {"delText", "instrText", "Fallback", "delInstrText", "commentReference"}
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def read_docx(data: bytes) -> Document:
    _check_sizes(data)
    try:
        document = docx.Document(io.BytesIO(data))
        parts = _header_footer_roots(document, "header") + [document.element.body] \
            + _header_footer_roots(document, "footer")
    except Exception:
        # Strict-format or oddly packaged files python-docx will not open.
        parts = _main_part_by_hand(data)
    blocks: list[str] = []
    seen: set[str] = set()
    for root in parts:
        text = "\n".join(_blocks(root))
        if text.strip() and text not in seen:  # linked headers repeat per section
            seen.add(text)
            blocks.append(text)
    text = normalise("\n\n".join(blocks))
    if not text:
        raise UnreadableFile("This Word document has no text in it; if it is a scanned "
                             "picture it needs to be read by a person.")
    return Document(format="docx", text=text)


def _check_sizes(data: bytes) -> None:
    try:
        with open_package(data) as archive:
            check_package(archive)
    except PackageTooLarge as problem:
        raise UnreadableFile(f"This Word document is too large to open ({problem.reason}); "
                             f"ask the sender for a fresh copy.") from problem
    except PackageProblem as problem:
        raise UnreadableFile(_DAMAGED) from problem


def _header_footer_roots(document, kind: str) -> list:
    roots = []
    for section in document.sections:
        for attr in (f"first_page_{kind}", kind, f"even_page_{kind}"):
            try:
                part = getattr(section, attr)
                if not part.is_linked_to_previous:
                    roots.append(part._element)
            except Exception:  # a broken header should not lose the letter
                continue
    return roots


def _main_part_by_hand(data: bytes) -> list:
    """Find the main document part through the package relationships, parse it safely."""
    try:
        with open_package(data) as archive:
            rels = etree.fromstring(read_member(archive, "_rels/.rels"), _SAFE_PARSER)
            target = None
            for rel in rels:
                if str(rel.get("Type", "")).endswith("/officeDocument"):
                    target = str(rel.get("Target", "")).lstrip("/")
            target = target or "word/document.xml"
            root = etree.fromstring(read_member(archive, target), _SAFE_PARSER)
    except Exception as err:
        raise UnreadableFile(_DAMAGED) from err
    return [root]


def _local(element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    return tag.rsplit("}", 1)[-1]


def _blocks(element) -> list[str]:
    """Paragraph-level lines of text under `element`, in document order."""
    lines: list[str] = []
    for child in element:
        name = _local(child)
        if name in _SKIP or not name:
            continue
        if name == "p":
            extras: list[str] = []
            lines.append("".join(_runs(child, extras)))
            lines.extend(extras)
        elif name == "tbl":
            lines.extend(_table(child))
        else:  # sdt, customXml, ins, body, txbxContent and other containers
            lines.extend(_blocks(child))
    return lines


def _runs(element, extras: list[str]) -> list[str]:
    pieces: list[str] = []
    for child in element:
        name = _local(child)
        if name in _SKIP or not name:
            continue
        if name == "t":
            pieces.append(child.text or "")
        elif name == "tab":
            pieces.append("\t")
        elif name in ("br", "cr"):
            pieces.append("\n")  # soft line break: the address lines of a letter
        elif name == "noBreakHyphen":
            pieces.append("-")
        elif name == "txbxContent":
            extras.extend(_blocks(child))
        elif name in ("tbl", "p"):
            extras.extend(_blocks([child]))  # a block nested where runs belong
        else:
            pieces.extend(_runs(child, extras))
    return pieces


def _table(table) -> list[str]:
    rows: list[str] = []
    for row in table.iter():
        if _local(row) != "tr" or _nearest_table(row) is not table:
            continue
        cells = []
        for cell in row:
            if _local(cell) == "tc":
                cells.append(" ".join(line for line in _blocks(cell) if line.strip()))
            elif _local(cell) == "sdt":
                cells.extend(" ".join(_blocks(cell)).split("\n"))
        rows.append("\t".join(cells).rstrip())
    return rows


def _nearest_table(element):
    parent = element.getparent()
    while parent is not None and _local(parent) != "tbl":
        parent = parent.getparent()
    return parent
