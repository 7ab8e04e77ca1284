"""`pip install .` ships the model and the templates: the commands work from any folder,
and an installed copy declares what it imports and never writes into itself."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from support import REPO, SAMPLES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder),
         str(REPO)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = folder.glob("correspond-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory) -> Path:
    """The wheel unpacked as pip would install it, with nothing else of the checkout."""
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def installed_environment(installed: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("CORRESPOND_")}
    environment["PYTHONPATH"] = str(installed)
    return environment


def test_the_wheel_carries_the_model_and_templates_and_works_from_elsewhere(
        wheel, installed, tmp_path):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "correspond/_shipped/models/pipeline/meta.json" in names
    assert "correspond/_shipped/models/sentences/pipeline/meta.json" in names
    assert "correspond/_shipped/models/sentences/training.json" in names
    assert "correspond/_shipped/templates/acknowledgement.docx" in names
    assert "correspond/_shipped/templates/mp-pack.docx" in names
    # The House of Commons list letters are checked against, with its licence.
    assert {"correspond/imports/data/current-MPs.csv",
            "correspond/imports/data/current-MPs.LICENCE.md"} <= set(names)

    # Run from an empty folder, with only the unpacked wheel on the path (no checkout).
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environment = installed_environment(installed)
    result = subprocess.run(
        [sys.executable, "-m", "correspond", "extract", str(SAMPLES / "khan_letter.txt"),
         "--json"], capture_output=True, text=True, cwd=elsewhere, env=environment,
        timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    referral = json.loads(result.stdout)
    assert referral["children"][0]["first_name"] == "Adam"
    settings = subprocess.run(
        [sys.executable, "-c", "from correspond.config import load_settings; "
         "s = load_settings(None); print(s.model_dir); print(s.templates_dir)"],
        capture_output=True, text=True, cwd=elsewhere, env=environment, timeout=120)
    model_dir, templates_dir = settings.stdout.split()
    assert Path(model_dir).is_relative_to(installed)
    # Staff edit the home folder's copies, never the ones inside the installed package.
    assert Path(templates_dir) == elsewhere.resolve() / "templates"


def test_the_wheel_declares_what_the_code_imports_and_the_spacy_the_model_needs(wheel):
    with zipfile.ZipFile(wheel) as archive:
        [metadata_name] = [name for name in archive.namelist()
                           if name.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(metadata_name).decode("utf-8"))
    required = [Requirement(line) for line in metadata.get_all("Requires-Dist")]
    declared = {canonicalize_name(requirement.name): requirement for requirement in required
                if requirement.marker is None}  # not the test or benchmark extras

    for pipeline in ("pipeline", "sentences/pipeline"):
        model = json.loads((REPO / "models" / pipeline / "meta.json").read_text("utf-8"))
        assert declared["spacy"].specifier == SpecifierSet(model["spacy_version"])

    distributions = importlib.metadata.packages_distributions()
    undeclared = {}
    for path in (REPO / "correspond").rglob("*.py"):
        for module in _imported_modules(path):
            if module in sys.stdlib_module_names or module == "correspond":
                continue
            names = {canonicalize_name(name) for name in distributions.get(module, [module])}
            if not names & set(declared):
                undeclared.setdefault(module, path.relative_to(REPO).as_posix())
    assert undeclared == {}


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def test_the_wheel_carries_the_product_and_none_of_the_tools(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert any(name.startswith("correspond/extract/") for name in names)
    assert not [name for name in names if name.startswith("tools/")
                or "/train/" in name or "synthetic" in name or "build_templates" in name]
