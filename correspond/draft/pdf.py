"""Turning an approved letter (.docx) into PDF with LibreOffice, where it is installed.

    convert_to_pdf(docx, destination) -> PdfResult(path, problem)

The Word document is the letter; the PDF is a convenience. So expected failures (no
LibreOffice, a damaged file, a conversion that hangs) come back as a plain-English
`problem` for the caseworker instead of an exception. Nothing from inside the letter
is logged or put in a problem: only file names (council references) and exit codes.

A letter may be a file a person uploaded, so LibreOffice is never let near anything but
the letter: what it converts is the checked package (within the zip limits) with every
link outside it taken out but hyperlinks (a linked picture is left out, a template
elsewhere forgotten); its throwaway profile refuses linked content and macros; and where
the machine allows, it runs in a network namespace of its own, with no network at all.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from correspond.draft.word import open_word_document
from correspond.files.word_package import PackageProblem, PackageTooLarge, without_external_links
from correspond.store.atomic import write_atomically

log = logging.getLogger(__name__)

_STILL_IN_OUTBOX = "the approved letter is in the outbox as a Word document."
NOT_INSTALLED = ("LibreOffice is not installed on this server, so no PDF was made; "
                 + _STILL_IN_OUTBOX)
NOT_A_WORD_DOCUMENT = ("The letter could not be read as a Word document, so no PDF was made; "
                       + _STILL_IN_OUTBOX)

# The name the letter is given inside the work folder; LibreOffice names the PDF after it.
_SOURCE_NAME = "letter.docx"

# LibreOffice's own settings for the throwaway profile (keys from its officecfg schema:
# Common.xcs, Writer.xcs, Calc.xcs). BlockUntrustedRefererLinks stops linked pictures
# and other linked content being fetched or read for a document outside trusted
# locations (none are set); links are never updated (Writer's NEVER is 0, Calc's
# LM_NEVER is 1); macros never run. DisableActiveContent (newer LibreOffice) also turns
# off OLE and DDE; older versions ignore a key they do not know.
_LOCKED_DOWN_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="DisableActiveContent" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update">\
<prop oor:name="Link" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update">\
<prop oor:name="Link" oor:op="fuse"><value>1</value></prop></item>
</oor:items>
"""


@dataclass(frozen=True)
class PdfResult:
    path: Path | None
    problem: str | None


class _NoPdf(Exception):
    """A conversion failed; the message is the caseworker's `problem`."""


def libreoffice_available(program: str = "soffice") -> bool:
    """Whether `program` (a name on PATH or a path) can be run."""
    return shutil.which(program) is not None


def convert_to_pdf(docx: Path, destination: Path, *, program: str = "soffice",
                   timeout_seconds: float = 60) -> PdfResult:
    """Make `destination` (a PDF) from `docx`; never half-written, never a stale temp file.

    Returns PdfResult(destination, None), or PdfResult(None, problem) when no PDF was made.
    """
    docx, destination = Path(docx), Path(destination)
    executable = shutil.which(program)
    if executable is None:
        return _failed(docx, NOT_INSTALLED)
    started = time.monotonic()
    try:
        letter = _letter_to_convert(docx)
        # Profile, output and LibreOffice's own temp files all live here and go together.
        with tempfile.TemporaryDirectory(prefix="correspond-pdf-",
                                         ignore_cleanup_errors=True) as work:
            pdf = _convert(executable, letter, Path(work), timeout_seconds)
            _move_into_place(pdf, destination)
    except _NoPdf as failure:
        return _failed(docx, str(failure))
    except OSError as err:  # the temporary folder could not be made (disk full, say)
        return _failed(docx, f"No PDF was made: the server's temporary folder could not be "
                             f"used ({err.strerror}); {_STILL_IN_OUTBOX}")
    log.info("%s: PDF made in %.1f s", docx.name, time.monotonic() - started)
    return PdfResult(destination, None)


def write_locked_down_profile(profile: Path) -> None:
    """Make `profile` a LibreOffice user profile that fetches nothing and runs no macros."""
    settings = profile / "user" / "registrymodifications.xcu"
    settings.parent.mkdir(parents=True)
    settings.write_text(_LOCKED_DOWN_SETTINGS, encoding="utf-8")


def _letter_to_convert(docx: Path) -> bytes:
    # LibreOffice "converts" any bytes at all (as plain text), so a damaged letter would
    # otherwise become a PDF of gibberish; and it unpacks whatever a zip holds.
    try:
        with open_word_document(docx) as package:
            letter = without_external_links(package)
    except PackageTooLarge as problem:
        raise _NoPdf(f"The letter is too large to make into a PDF ({problem.reason}); "
                     + _STILL_IN_OUTBOX) from problem
    except PackageProblem as problem:
        raise _NoPdf(NOT_A_WORD_DOCUMENT) from problem
    return letter


def _convert(executable: str, letter: bytes, work: Path, timeout_seconds: float) -> Path:
    # Written under a fixed name: the PDF's name is known, and LibreOffice leaves no lock
    # file beside the letter in the outbox.
    source = work / _SOURCE_NAME
    try:
        source.write_bytes(letter)
    except OSError as err:
        raise _NoPdf(f"No PDF was made: the server's temporary folder could not be used "
                     f"({err.strerror}); {_STILL_IN_OUTBOX}") from err
    output = work / "out"
    # A fresh profile per conversion: a user's open LibreOffice, or another conversion
    # running now, would otherwise take over the job (or lock the profile) and we would
    # get no PDF.
    profile = work / "profile"
    write_locked_down_profile(profile)
    command = [*_without_network(), executable,
               f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "pdf", "--outdir", str(output), str(source)]
    exit_code = _run(command, work, timeout_seconds)
    if exit_code != 0:
        raise _NoPdf(f"LibreOffice could not make a PDF of the letter (it stopped with exit "
                     f"code {exit_code}); {_STILL_IN_OUTBOX}")
    pdf = output / f"{source.stem}.pdf"
    if not _looks_like_pdf(pdf):
        raise _NoPdf(f"LibreOffice did not make a PDF of the letter; {_STILL_IN_OUTBOX}")
    return pdf


def _run(command: list[str], work: Path, timeout_seconds: float) -> int:
    scratch = work / "tmp"
    scratch.mkdir()
    environment = {**os.environ, "TMPDIR": str(scratch), "TMP": str(scratch),
                   "TEMP": str(scratch)}
    try:
        # Its own session, so a timeout kills soffice.bin (started by the soffice
        # launcher) too. Output is discarded: it may quote the document.
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, env=environment, start_new_session=True)
    except OSError as err:
        raise _NoPdf(f"LibreOffice could not be started ({err.strerror}), so no PDF was "
                     f"made; {_STILL_IN_OUTBOX}") from err
    try:
        return process.wait(timeout=timeout_seconds)
    except subprocess.TimeoutExpired:
        raise _NoPdf(f"Making the PDF took longer than {timeout_seconds:g} seconds, so it "
                     f"was stopped; {_STILL_IN_OUTBOX}") from None
    finally:
        if process.returncode is None:  # timed out, or interrupted
            _kill_process_group(process)
            process.wait()


@functools.cache
def _without_network() -> tuple[str, ...]:
    """The words that run a program in a network namespace of its own (no network at all,
    not even this machine's), or none where the machine does not allow one."""
    unshare = shutil.which("unshare") if os.name == "posix" else None
    if unshare is not None:
        # As root a namespace needs nothing more; as anyone else, a user namespace too.
        for prefix in ((unshare, "--net"), (unshare, "--user", "--map-root-user", "--net")):
            try:
                tried = subprocess.run([*prefix, "true"], stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       timeout=10, check=False)
            except (OSError, subprocess.SubprocessError):
                continue
            if tried.returncode == 0:
                return prefix
    log.warning("LibreOffice runs with network access: this machine does not allow it a "
                "network namespace of its own (its settings still refuse linked content)")
    return ()


def _kill_process_group(process: subprocess.Popen[bytes]) -> None:
    if os.name == "posix":
        try:
            # Safe from pid reuse: the leader is not yet reaped, so its id is still taken.
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    else:
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        process.kill()


def _looks_like_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return stream.read(5) == b"%PDF-"
    except OSError:
        return False


def _move_into_place(pdf: Path, destination: Path) -> None:
    # Copied beside the destination and renamed over it, so the outbox never holds half
    # a PDF; the work folder may be on another file system, where a rename alone fails.
    try:
        with pdf.open("rb") as source:
            write_atomically(destination, lambda stream: shutil.copyfileobj(source, stream))
    except OSError as err:
        raise _NoPdf(_not_saved(err)) from err


def _not_saved(err: OSError) -> str:
    return (f"The PDF was made but could not be saved in the outbox ({err.strerror}); "
            + _STILL_IN_OUTBOX)


def _failed(docx: Path, problem: str) -> PdfResult:
    log.warning("%s: no PDF: %s", docx.name, problem)
    return PdfResult(None, problem)


__all__ = ["NOT_INSTALLED", "PdfResult", "convert_to_pdf", "libreoffice_available",
           "write_locked_down_profile"]
