"""Where the shipped templates and model are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_path(name: str) -> Path:
    """The shipped folder `name` ("templates" or "models").

    An installed wheel carries them inside the package (see pyproject.toml); a checkout
    or an editable install has them at the top of the repository.
    """
    installed = _PACKAGE / "_shipped" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def inside_package(path: Path) -> bool:
    """Whether `path` is inside the installed program (site-packages, say), which pip
    owns and an upgrade replaces: nothing is ever written there."""
    return path.resolve().is_relative_to(_PACKAGE)
