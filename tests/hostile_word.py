"""Hostile Word files for tests, built here from real parts: pictures linked to a web
address or a file on the server, a template fetched from elsewhere, and zip bombs (a small
.docx whose picture expands to hundreds of megabytes, and one whose zip lies about it).

Also a real HTTP server that counts the requests made to it.
"""

from __future__ import annotations

import http.server
import io
import random
import shutil
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn

GREETING = "Dear Sample Member MP"
ATTACHED_TEMPLATE = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                     "attachedTemplate")


def png(width: int = 8, height: int = 8, grey: int = 0, padding: int = 0) -> bytes:
    """A real greyscale PNG; `padding` bytes of a private chunk make it as large as wanted
    (random bytes, so it stays large in a zip, as a photograph does)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + bytes([grey]) * width for _ in range(height))
    extra = chunk(b"prVt", random.Random(padding).randbytes(padding)) if padding else b""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def letter_with_linked_pictures(path: Path, *targets: str, template: str | None = None,
                                hyperlink: str | None = None,
                                embedded_picture: bool = False,
                                disguised: bool = False) -> Path:
    """A letter whose pictures are links to `targets` (as Word's "Link to File" makes),
    optionally attached to a template at `template`, holding a plain hyperlink, and with
    a picture of its own inserted after them. A `disguised` picture link is labelled a
    hyperlink, which LibreOffice follows all the same."""
    document = docx.Document()
    document.add_paragraph(GREETING)
    for target in targets:
        document.add_picture(io.BytesIO(png()))
        blip = document.element.body.findall(f".//{qn('a:blip')}")[-1]
        embedded = blip.get(qn("r:embed"))
        document.part.drop_rel(embedded)
        blip.attrib.pop(qn("r:embed"))
        kind = RELATIONSHIP_TYPE.HYPERLINK if disguised else RELATIONSHIP_TYPE.IMAGE
        blip.set(qn("r:link"), document.part.relate_to(target, kind, is_external=True))
    if hyperlink:
        paragraph = document.add_paragraph()
        link = paragraph._p.makeelement(qn("w:hyperlink"), {
            qn("r:id"): document.part.relate_to(hyperlink, RELATIONSHIP_TYPE.HYPERLINK,
                                                is_external=True)})
        run = link.makeelement(qn("w:r"), {})
        text = run.makeelement(qn("w:t"), {})
        text.text = "our website"
        run.append(text)
        link.append(run)
        paragraph._p.append(link)
    if template:
        settings = document.part._settings_part
        attached = settings.element.makeelement(qn("w:attachedTemplate"), {
            qn("r:id"): settings.relate_to(template, ATTACHED_TEMPLATE, is_external=True)})
        settings.element.insert(0, attached)
    document.add_paragraph("Yours sincerely")
    document.save(str(path))
    # python-docx keeps the now unused picture part; Word would not.
    _rewrite(path, drop=lambda name: name.startswith("word/media/"))
    if embedded_picture:
        document = docx.Document(str(path))
        document.add_picture(io.BytesIO(png(grey=40)))
        document.save(str(path))
    return path


def image_bomb(path: Path, megabytes: int = 512) -> Path:
    """A letter of about half a megabyte whose one picture expands to `megabytes` MB."""
    document = docx.Document()
    document.add_paragraph(GREETING)
    document.add_picture(io.BytesIO(png()))
    document.save(str(path))
    picture = next(name for name in zipfile.ZipFile(path).namelist()
                   if name.startswith("word/media/"))
    _rewrite(path, replace={picture: megabytes})
    return path


def lying_bomb(path: Path, megabytes: int = 1024) -> Path:
    """A letter whose picture expands to `megabytes` MB while the zip's directory says it
    holds a thousand bytes (the local header keeps the true size, as some tools read it)."""
    image_bomb(path, 1)
    picture = next(name for name in zipfile.ZipFile(path).namelist()
                   if name.startswith("word/media/"))
    _rewrite(path, replace={picture: megabytes}, declare={picture: 1000})
    return path


def _rewrite(path: Path, *, drop=lambda name: False, replace: dict[str, int] | None = None,
             declare: dict[str, int] | None = None) -> None:
    """Copy the package, leaving out `drop`ped members, filling `replace`d ones with that
    many megabytes of zeros, and writing the `declare`d sizes into the zip's directory."""
    replace, declare = replace or {}, declare or {}
    original = path.with_name(path.name + ".orig")
    shutil.move(path, original)
    with zipfile.ZipFile(original) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if drop(info.filename):
                continue
            if info.filename in replace:
                zeros = bytes(1024 * 1024)
                with target.open(info.filename, "w", force_zip64=True) as member:
                    for _ in range(replace[info.filename]):
                        member.write(zeros)
            else:
                target.writestr(info.filename, source.read(info.filename))
            if info.filename in declare:  # the central directory is written on close
                target.getinfo(info.filename).file_size = declare[info.filename]
    original.unlink()


class CountingServer:
    """A real HTTP server on 127.0.0.1 that records every request made to it."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        recorded = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self) -> None:
                recorded.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                body = png(grey=99)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_HEAD = do_POST = do_OPTIONS = do_PROPFIND = _record

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def counting_server() -> Iterator[CountingServer]:
    with CountingServer() as server:
        yield server
