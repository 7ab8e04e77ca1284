"""Checking the letter templates before they are used: `correspond templates check`.

Each template is read for the variables it uses; any the program does not supply is a
problem (it would stop every draft of that letter), and so is a template that does not
render against a full sample context. The paragraph library (paragraphs.docx) is checked
as wording: each heading must name a concern category or situation, and each entry's
wording must use only known variables and render.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from correspond.draft.context import CONTEXT_VARIABLES, sample_context
from correspond.draft.pack import PACK_TEMPLATE, PACK_VARIABLES, sample_pack_context
from correspond.draft.paragraphs import LIBRARY_FILE, read_library
from correspond.draft.render import render_docx, render_text, template_variables, text_variables
from correspond.errors import TemplateProblem


@dataclass(frozen=True)
class TemplateReport:
    path: Path
    variables: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def check_templates(templates_dir: Path) -> list[TemplateReport]:
    """A report for each *.docx in `templates_dir`, in name order."""
    templates_dir = Path(templates_dir)
    if not templates_dir.is_dir():
        return []
    return [check_template(path) for path in sorted(templates_dir.glob("*.docx"))
            # Word leaves "~$name.docx" lock files beside a document that is open.
            if not path.name.startswith("~$")]


def check_template(path: Path) -> TemplateReport:
    if path.name == LIBRARY_FILE:
        return check_library(path)
    try:
        variables = sorted(template_variables(path))
    except TemplateProblem as err:
        return TemplateReport(path, problems=(err.reason,))
    # The MP meeting pack is filled with the liaison figures, not a letter's fields.
    is_pack = path.name == PACK_TEMPLATE
    known = PACK_VARIABLES if is_pack else CONTEXT_VARIABLES
    unknown = [name for name in variables if name not in known]
    problems = [f"'{name}' is not a variable the program supplies." for name in unknown]
    if not unknown:
        # Only worth rendering when every name is known; otherwise it fails on the name.
        with tempfile.TemporaryDirectory() as folder:
            try:
                render_docx(path, sample_pack_context() if is_pack else sample_context(),
                            Path(folder) / path.name)
            except TemplateProblem as err:
                problems.append(err.reason)
    return TemplateReport(path, tuple(variables), tuple(unknown), tuple(problems))


def check_library(path: Path) -> TemplateReport:
    """The paragraph library: its headings, and the variables its wording uses."""
    try:
        library = read_library(path)
    except TemplateProblem as err:
        return TemplateReport(path, problems=(err.reason,))
    problems = list(library.problems)
    variables: set[str] = set()
    unknown: set[str] = set()
    context = sample_context()
    for entry in library.entries:
        where = f"The approved paragraph '{entry.heading}'"
        for text in entry.texts:
            try:
                used = text_variables(text, where)
            except TemplateProblem as err:
                problems.append(err.reason)
                continue
            variables |= used
            missing = sorted(used - CONTEXT_VARIABLES)
            unknown.update(missing)
            problems.extend(f"'{entry.heading}' uses '{name}', which is not a variable the "
                            "program supplies." for name in missing)
            if not missing:
                try:
                    render_text(text, context, where)
                except TemplateProblem as err:
                    problems.append(err.reason)
    return TemplateReport(path, tuple(sorted(variables)), tuple(sorted(unknown)),
                          tuple(problems))


def format_report(reports: list[TemplateReport]) -> str:
    if not reports:
        return "No .docx templates found."
    lines: list[str] = []
    for report in reports:
        verdict = "ok" if report.ok else "PROBLEMS"
        lines.append(f"{report.path.name}: {verdict}")
        lines.append("  variables: " + (", ".join(report.variables) or "(none)"))
        for problem in report.problems:
            lines.append(f"  problem: {problem}")
    lines.append("")
    lines.append("Variables the program supplies: " + ", ".join(sorted(CONTEXT_VARIABLES)))
    lines.append(f"In {PACK_TEMPLATE} (the MP meeting pack): "
                 + ", ".join(sorted(PACK_VARIABLES)))
    return "\n".join(lines)


__all__ = ["TemplateReport", "check_library", "check_template", "check_templates",
           "format_report"]
