"""The council's approved wording: a library of headed paragraphs the council keeps in
Word (templates/paragraphs.docx), from which a full response takes the paragraphs the
caseworker ticks.

Each entry is a heading in Word's "Heading 2" style, written "TOPIC: situation" (for
example "Transport: eligibility review under way"), and the ordinary paragraphs below it,
up to the next heading, are its wording. TOPIC is a concern category (its id or its
label: "transport" or "Home to school transport") or one of the situations below; a
"Heading 1" is a title for the council's own use, and text before the first entry is
left out (instructions for whoever edits it). Wording may use the letters' {{ variables
}}, such as {{ child_first_names }}.

A response offers the entries for its letter's concerns and for the situations that
apply; nothing is put in a letter until a caseworker ticks it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from correspond.domain.concerns import CONCERN_LABELS
from correspond.errors import TemplateProblem

LIBRARY_FILE = "paragraphs.docx"

# Situations an entry can be for besides a concern category, and when one applies.
SITUATIONS: dict[str, str] = {
    "general": "any full response",
    "chaser": "the letter chases an earlier one",
    "urgent": "the letter is urgent",
    "late": "a statutory timescale was missed",
    "young person": "a young person wrote about themselves",
}
_ENTRY_LEVEL = 2  # "Heading 2" starts an entry; "Heading 1" is a title
_HEADING_STYLE = re.compile(r"^Heading (\d)$")


@dataclass(frozen=True)
class Entry:
    heading: str  # as written: "Transport: eligibility review under way"
    topic: str  # a category id ("transport") or a situation ("late"); "" if unknown
    texts: tuple[str, ...]  # its paragraphs, which may use {{ variables }}

    @property
    def situation(self) -> str:
        return self.heading.partition(":")[2].strip()


@dataclass(frozen=True)
class Library:
    entries: tuple[Entry, ...] = ()
    problems: tuple[str, ...] = ()

    def chosen(self, headings: Iterable[str]) -> list[Entry]:
        """The entries with these headings, in the library's order."""
        wanted = {_key(heading) for heading in headings}
        return [entry for entry in self.entries if _key(entry.heading) in wanted]

    def offered(self, categories: Iterable[str], situations: Iterable[str]) -> list[Entry]:
        """The entries for these concern categories and situations, in library order."""
        topics = set(categories) | set(situations) | {"general"}
        return [entry for entry in self.entries if entry.topic in topics]


def topic_of(written: str) -> str:
    """'Home to school transport' or 'transport' -> 'transport'; 'Late' -> 'late'; ''
    when it names no category or situation."""
    key = _key(written)
    for category, label in CONCERN_LABELS.items():
        if key in (_key(category), _key(category.replace("_", " ")), _key(label)):
            return category
    return key if key in SITUATIONS else ""


def read_library(path: Path) -> Library:
    """The entries of the library at `path`, with the problems found in it (a heading
    naming no known topic, an entry with no wording, a heading used twice)."""
    try:
        stat = Path(path).stat()
    except OSError as err:
        raise TemplateProblem(f"The paragraph library {Path(path).name} could not be read "
                              f"({err.strerror}).") from err
    # Read again only when the file changes: the referral page offers it on every view.
    return _read_library(Path(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _read_library(path: Path, _mtime_ns: int, _size: int) -> Library:
    from docx import Document  # python-docx loads only when a library is read

    from correspond.draft.word import open_word_document
    from correspond.files.word_package import PackageProblem

    try:
        with open_word_document(path):
            pass  # within the limits on unpacking, before python-docx opens it
        document = Document(str(path))
    except (PackageProblem, OSError) as err:
        raise TemplateProblem(f"The paragraph library {path.name} could not be read as a "
                              f"Word document ({err}).") from err
    except Exception as err:  # damaged XML or parts: python-docx's errors vary
        raise TemplateProblem(f"The paragraph library {path.name} could not be read as a "
                              f"Word document ({type(err).__name__}: {err}).") from err
    entries: list[tuple[str, list[str]]] = []
    for paragraph in document.paragraphs:
        level = _heading_level(paragraph)
        text = paragraph.text.strip()
        if level is not None and level >= _ENTRY_LEVEL and text:
            entries.append((text, []))
        elif level is not None:
            continue  # a title: the council's own grouping
        elif entries and text:
            entries[-1][1].append(text)
    return _library(entries)


def _library(entries: list[tuple[str, list[str]]]) -> Library:
    problems: list[str] = []
    seen: set[str] = set()
    found: list[Entry] = []
    for heading, texts in entries:
        topic_written, colon, situation = heading.partition(":")
        topic = topic_of(topic_written) if colon else topic_of(heading)
        if not topic:
            problems.append(
                f"'{heading}' does not start with a concern category or situation: write "
                f"it as 'transport: eligibility review under way' (topics: "
                f"{', '.join([*CONCERN_LABELS, *SITUATIONS])}).")
        if not texts:
            problems.append(f"'{heading}' has no wording under it.")
        if _key(heading) in seen:
            problems.append(f"'{heading}' is used twice; give each entry its own heading.")
        seen.add(_key(heading))
        found.append(Entry(heading, topic, tuple(texts)))
    return Library(tuple(found), tuple(problems))


def _heading_level(paragraph: object) -> int | None:
    style = getattr(paragraph, "style", None)
    name = getattr(style, "name", None) or ""
    found = _HEADING_STYLE.match(name)
    if found:
        return int(found.group(1))
    return 1 if name == "Title" else None


def _key(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


__all__ = ["LIBRARY_FILE", "SITUATIONS", "Entry", "Library", "read_library", "topic_of"]
