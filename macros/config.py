"""The handbook's own settings in mkdocs.yml (under ``extra``), read once and checked.

    extra:
      themes:        # the agenda: drawn by home_map() and each theme_map(...)
        - {folder: necessary, number: "1", short: "...", line: "..."}
      home_extras:   # the row of links under the home map
        - {label: "Managing change", page: how/managing-change.md, note: "..."}
      offline: true  # a service worker keeps the site and its tools for offline use (optional)

A mistake stops the build with one line per problem naming the setting, for example
``mkdocs.yml: extra.themes[2].short: missing``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from .errors import BuildError
from .maps import Theme


@dataclass(frozen=True, slots=True)
class HomeExtra:
    label: str
    page: str
    """A docs path, such as ``how/managing-change.md``."""
    note: str


@dataclass(frozen=True, slots=True)
class HandbookConfig:
    themes: tuple[Theme, ...]
    home_extras: tuple[HomeExtra, ...]
    offline: bool = True
    """Whether a service worker keeps visited pages and the runtime for offline use."""


def _read_list(extra: dict, name: str, kind: type, problems: list[str]) -> tuple:
    items = extra.get(name)
    where = f"mkdocs.yml: extra.{name}"
    if not isinstance(items, list) or not items:
        problems.append(f"{where}: expected a list")
        return ()
    names = [f.name for f in fields(kind)]
    read = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            problems.append(f"{where}[{index}]: expected a mapping with {', '.join(names)}")
            continue
        found = True
        for key in names:
            if not isinstance(item.get(key), str) or not item[key].strip():
                problems.append(f"{where}[{index}].{key}: missing, or not text")
                found = False
        for key in sorted(set(item) - set(names)):
            problems.append(f"{where}[{index}].{key}: unknown setting (known: {', '.join(names)})")
            found = False
        if found:
            read.append(kind(**{key: item[key] for key in names}))
    return tuple(read)


def read_offline(extra: Any, problems: list[str]) -> bool:
    """``extra.offline``: true (the default) or false; anything else is a problem."""
    value = extra.get("offline", True) if isinstance(extra, Mapping) else True
    if not isinstance(value, bool):
        problems.append(f"mkdocs.yml: extra.offline: expected true or false, not {value!r}")
        return True
    return value


def read_config(extra: Any, pages: set[str]) -> HandbookConfig:
    """The handbook's settings from ``extra``, or BuildError listing every problem."""
    problems: list[str] = []
    extra = dict(extra) if isinstance(extra, Mapping) else {}
    themes = _read_list(extra, "themes", Theme, problems)
    home_extras = _read_list(extra, "home_extras", HomeExtra, problems)
    offline = read_offline(extra, problems)
    for theme in themes:
        if f"{theme.folder}/index.md" not in pages:
            problems.append(f"mkdocs.yml: extra.themes: no page docs/{theme.folder}/index.md for '{theme.folder}'")
    for item in home_extras:
        if item.page not in pages:
            problems.append(f"mkdocs.yml: extra.home_extras: no page docs/{item.page} for '{item.label}'")
    if problems:
        raise BuildError("The handbook's settings in mkdocs.yml need fixing:\n" + "\n".join(problems))
    return HandbookConfig(themes, home_extras, offline)
