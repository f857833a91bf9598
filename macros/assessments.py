"""Load assessment definitions from YAML at build time and render their forms as HTML.

A definition that cannot be used stops the build with one line per problem, each naming
the file, the line and the field, for example::

    assessments/health-check.yml, line 40: 'questions[3].scale': unknown scale 'agree'
"""

from __future__ import annotations

from pathlib import Path

import yaml
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from widgets import Assessment, DefinitionError, Problem, definition_to_data, limits, parse_definition
from widgets.groups import group_labels
from widgets.protocol import definition_hash, definition_text
from widgets.timing import time_text

from .errors import BuildError
from .yaml_text import read_yaml

TEMPLATES = Path(__file__).parent / "templates"
FORM_TEMPLATE = "assessment.html"


def form_templates(custom_dir: str | Path | None = None) -> Environment:
    """Where the form's template comes from: the theme's ``custom_dir`` first, then ours.

    So a site replaces the form by putting its own ``assessment.html`` in ``overrides/``
    (the folder mkdocs.yml names as ``theme.custom_dir``), as it would a Material template.
    """
    folders = [custom_dir] if custom_dir else []
    return Environment(
        loader=ChoiceLoader([FileSystemLoader(folder) for folder in [*folders, TEMPLATES]]),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_templates = form_templates()


def load_definition(file: Path, *, pages: dict[str, str], label: str | None = None) -> Assessment:
    """Read, check and return one definition, or raise DefinitionError naming the file."""
    label = label or file.as_posix()
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DefinitionError([Problem("", f"cannot be read: {error}")], label) from None
    try:
        data, lines = read_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        line = mark.line + 1 if mark is not None else None
        raise DefinitionError([Problem("", f"is not valid YAML: {reason}", line)], label) from None
    try:
        assessment = parse_definition(data, pages=pages)
    except DefinitionError as error:
        raise error.located(label, lines) from None
    # The browser reads the definition as it is written into the page: it must read back the same.
    try:
        same = parse_definition(definition_to_data(assessment), pages=pages) == assessment
    except DefinitionError:
        same = False
    if not same:
        problem = Problem("", "does not read back the same once written for the browser (a bug in widgets)")
        raise DefinitionError([problem], label)
    expected = file.stem
    if assessment.id != expected:
        line = lines.get("id")
        problem = Problem("id", f"'{assessment.id}' must match the file name '{expected}'", line)
        raise DefinitionError([problem], label)
    return assessment


def render_form(assessment: Assessment, *, hosting_url: str = "", templates: Environment | None = None) -> str:
    """The form; ``hosting_url`` is the hosting guide's address from the page, named if the engine fails.

    The definition is embedded as the worker reads it, with the hash that names it in requests.
    """
    data = definition_text(definition_to_data(assessment))
    template = (templates or _templates).get_template(FORM_TEMPLATE)
    answerable = [q for q in assessment.questions if q.kind != "rows"]
    return template.render(
        assessment=assessment,
        definition_json=data,
        definition_hash=definition_hash(data),
        hosting_url=hosting_url,
        time_text=time_text(assessment),
        answerable=len(answerable),
        groups=group_labels(assessment.groups),
        limits=limits,
    )


class AssessmentLibrary:
    """The assessments folder, read on demand and cached for one build."""

    def __init__(self, folder: Path, pages: dict[str, str]) -> None:
        self.folder = folder
        self.pages = pages
        self._cache: dict[str, Assessment] = {}

    def names(self) -> list[str]:
        return sorted(file.stem for file in self.folder.glob("*.yml"))

    def get(self, name: str) -> Assessment:
        if name not in self._cache:
            file = self.folder / f"{name}.yml"
            if not file.is_file():
                known = ", ".join(self.names()) or "none"
                raise BuildError(f"assessment '{name}': no file {file.as_posix()} (known: {known})")
            try:
                self._cache[name] = load_definition(file, pages=self.pages, label=_relative(file))
            except DefinitionError as error:
                raise BuildError(f"Broken assessment definition:\n{error.summary()}") from None
        return self._cache[name]

    def check_all(self) -> list[Assessment]:
        return [self.get(name) for name in self.names()]


def _relative(file: Path) -> str:
    try:
        return file.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return file.as_posix()
