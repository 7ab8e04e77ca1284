"""Building a letter's text piece by piece while recording where each labelled span is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SLOT = re.compile(r"\{(\w+)\}")


@dataclass
class Labelled:
    """A value to put in the text and the entity label it carries (None for plain text)."""

    text: str
    label: str | None = None


@dataclass
class AnnotatedText:
    parts: list[str] = field(default_factory=list)
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    length: int = 0

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def entity(self, text: str, label: str) -> None:
        start = self.length
        self.add(text)
        self.spans.append((start, self.length, label))

    def fill(self, template: str, values: dict[str, Labelled | str]) -> None:
        """Add `template` with each {slot} replaced by its value, labelled where it has one."""
        position = 0
        for slot in _SLOT.finditer(template):
            self.add(template[position:slot.start()])
            value = values[slot.group(1)]
            if isinstance(value, Labelled) and value.label:
                self.entity(value.text, value.label)
            else:
                self.add(value.text if isinstance(value, Labelled) else value)
            position = slot.end()
        self.add(template[position:])

    def line(self, template: str = "", values: dict[str, Labelled | str] | None = None) -> None:
        self.fill(template, values or {})
        self.add("\n")

    @property
    def text(self) -> str:
        return "".join(self.parts)
