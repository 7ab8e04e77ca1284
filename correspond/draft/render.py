"""Rendering a .docx template (the only module that touches docxtpl), and the pieces of
approved wording placed in one.

Templates are edited by council staff in Word, so they are treated as untrusted: Jinja
runs sandboxed (no `''.__class__` tricks), every value is XML-escaped (a name such as
"Smith & Jones <Ltd>" cannot break the document) and values are inserted, never
evaluated (a constituent called "{{ 7*7 }}" stays exactly that). An unknown variable is
an error rather than a silent blank, so a typo in a template is caught.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError, UndefinedError, meta
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from correspond.errors import TemplateProblem
from correspond.store.atomic import write_atomically

# Characters XML 1.0 forbids, plus \a and \f which docxtpl turns into new paragraphs and
# page breaks. \t and \n are kept: docxtpl writes them as a tab and a line break.
_UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def make_environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


def render_docx(template: Path, context: Mapping[str, Any], destination: Path) -> None:
    """Render `template` with `context` into `destination`, all or nothing.

    Raises TemplateProblem naming the template and what is wrong with it.
    """
    from docxtpl import DocxTemplate  # docxtpl (and lxml) load only when a letter is drafted

    template = Path(template)
    destination = Path(destination)
    if not template.is_file():
        raise TemplateProblem(f"The letter template {template} does not exist.")
    try:
        document = DocxTemplate(template)
        document.render(_clean(dict(context)), make_environment(), autoescape=True)
    except SecurityError as err:
        raise TemplateProblem(
            f"The letter template {template.name} tries something templates may not do "
            f"({err}); use only the listed variables.") from err
    except UndefinedError as err:
        raise TemplateProblem(
            f"The letter template {template.name} uses a variable the program does not "
            f"supply ({err}); run 'correspond templates check' for the list.") from err
    except TemplateError as err:
        lineno = getattr(err, "lineno", None)  # only a TemplateSyntaxError has one
        line = f" near line {lineno}" if lineno else ""
        raise TemplateProblem(
            f"The letter template {template.name} has a mistake in its {{{{ }}}} or "
            f"{{% %}} tags{line}: {err}.") from err
    except Exception as err:  # a damaged or non-Word file: docx/zip/XML errors vary
        raise TemplateProblem(
            f"The letter template {template.name} could not be read as a Word document "
            f"({type(err).__name__}: {err}).") from err
    write_atomically(destination, document.save)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _UNWANTED.sub("", value)
    if isinstance(value, Mapping):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(item) for item in value]
    return value


def template_variables(template: Path) -> set[str]:
    """The variable names `template` uses but does not itself define (e.g. loop names)."""
    from docxtpl import DocxTemplate

    try:
        return set(DocxTemplate(template).get_undeclared_template_variables(make_environment()))
    except TemplateError as err:
        raise TemplateProblem(
            f"The letter template {Path(template).name} has a mistake in its tags: {err}."
        ) from err
    except Exception as err:
        raise TemplateProblem(
            f"The letter template {Path(template).name} could not be read as a Word document "
            f"({type(err).__name__}: {err}).") from err


def render_text(text: str, context: Mapping[str, Any], where: str) -> str:
    """A piece of approved wording with its {{ variables }} filled, in the same sandbox;
    plain text out (the letter's own escaping applies when it is placed in a letter).
    `where` names the wording in a TemplateProblem."""
    environment = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined)
    try:
        return environment.from_string(text).render(_clean(dict(context)))
    except SecurityError as err:
        raise TemplateProblem(f"{where} tries something templates may not do ({err}); use "
                              "only the listed variables.") from err
    except UndefinedError as err:
        raise TemplateProblem(f"{where} uses a variable the program does not supply ({err}); "
                              "run 'correspond templates check' for the list.") from err
    except TemplateError as err:
        raise TemplateProblem(f"{where} has a mistake in its {{{{ }}}} or {{% %}} tags: "
                              f"{err}.") from err


def text_variables(text: str, where: str) -> set[str]:
    """The variable names a piece of wording uses."""
    environment = make_environment()
    try:
        return set(meta.find_undeclared_variables(environment.parse(text)))
    except TemplateError as err:
        raise TemplateProblem(f"{where} has a mistake in its {{{{ }}}} or {{% %}} tags: "
                              f"{err}.") from err


__all__ = ["make_environment", "render_docx", "render_text", "template_variables",
           "text_variables"]
