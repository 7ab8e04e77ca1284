"""`pip install .` ships the model and the templates: the commands work from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, SAMPLES

pytestmark = pytest.mark.slow


def test_the_wheel_carries_the_model_and_templates_and_works_from_elsewhere(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "wheel"),
         str(REPO)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = (tmp_path / "wheel").glob("correspond-*.whl")
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(installed)
    assert "correspond/_shipped/models/pipeline/meta.json" in names
    assert "correspond/_shipped/templates/acknowledgement.docx" in names

    # Run from an empty folder, with only the unpacked wheel on the path (no checkout).
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("CORRESPOND_")}
    environment["PYTHONPATH"] = str(installed)
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
    assert Path(templates_dir).is_relative_to(installed)
