"""Progress of a long command, shown on standard error when that is a terminal. Piped or
logged, a command stays as quiet as it was, so its output can be read by a program."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TypeVar

import click

Item = TypeVar("Item")


def on_terminal() -> bool:
    return sys.stderr.isatty()


def progress(items: Iterable[Item], *, length: int,
             label: str) -> AbstractContextManager[Iterable[Item]]:
    """`items`, counted on a progress bar when a person is watching."""
    if not on_terminal():
        return nullcontext(items)
    return click.progressbar(items, length=max(length, 1), label=label, file=sys.stderr,
                             show_pos=True, update_min_steps=max(1, length // 200))


@contextmanager
def counter(*, length: int, label: str) -> Iterator[Callable[[int], object]]:
    """A function to call with each step done, counted on a bar when a person is watching."""
    if not on_terminal():
        yield lambda steps: None
        return
    with click.progressbar(length=max(length, 1), label=label, file=sys.stderr,
                           show_pos=True, update_min_steps=max(1, length // 200)) as bar:
        yield bar.update
