"""The README keeps up with the program: every command and every setting is in it, and
so is every category a letter can be read as."""

from __future__ import annotations

import json

import click

from correspond.cli import cli
from correspond.config import Settings
from correspond.domain.concerns import CONCERN_LABELS, categories

from support import REPO

README = (REPO / "README.md").read_text("utf-8")


def _commands(group: click.Group, prefix: str = "correspond") -> list[str]:
    found = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            found.extend(_commands(command, path))
        else:
            found.append(path)
    return found


def test_every_command_is_in_the_readme():
    missing = [command for command in _commands(cli) if f"`{command}" not in README]
    assert missing == []


def test_every_setting_is_in_the_readme():
    missing = [name for name in Settings.model_fields if f"`{name}`" not in README]
    assert missing == []


def test_the_shipped_categories_are_the_specs_and_each_has_a_label(spec_dir):
    spec = json.loads((spec_dir / "concerns.json").read_text("utf-8"))
    assert [item["id"] for item in spec["categories"]] == list(categories())
    assert set(CONCERN_LABELS) == set(categories())
    assert all(label.strip() for label in CONCERN_LABELS.values())
