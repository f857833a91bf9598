"""The one place that knows which engine renders the macros: MkDocs (through mkdocs-macros) or Zensical.

Both call ``define_env(env)``, with different objects behind the same names:

- ``env.conf``: MkDocs' config object (theme, paths resolved), or the plain dict Zensical read
  from mkdocs.yml (``docs_dir`` and ``theme.custom_dir`` as written, relative to the project);
- ``env.page``: an MkDocs ``Page`` (``page.file.src_uri``, ``page.url``), or Zensical's small
  ``Page`` (``page.path``, ``page.url``);
- when: MkDocs calls it once per build, Zensical once for every page it renders.

This module reads both into a ``BuildConfig`` and a page's path and URL; nothing else in
macros/ imports MkDocs or looks at the engine's objects.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BuildError


@dataclass(frozen=True, slots=True)
class BuildConfig:
    """What the macros read from mkdocs.yml, the same under both engines."""

    project_dir: Path
    docs_dir: Path
    custom_dir: Path | None
    """``theme.custom_dir`` (overrides/), where a site may put its own form template."""
    extra: Mapping[str, Any]
    nav: tuple[str, ...]
    """The pages in ``nav``, in its order: ``("index.md", "start-from-a-problem.md", ...)``."""


def _under(project: Path, value: Any) -> Path | None:
    if not value:
        return None
    path = Path(str(value))
    return path if path.is_absolute() else project / path


def build_config(env: Any) -> BuildConfig:
    """The build's settings, from either engine's ``env``."""
    conf = env.conf
    project = Path(env.project_dir).resolve()
    theme = conf["theme"]
    # MkDocs' Theme keeps custom_dir as an attribute; Zensical's theme is a dict.
    custom = theme.custom_dir if hasattr(theme, "custom_dir") else theme.get("custom_dir")
    docs = _under(project, conf.get("docs_dir") or "docs")
    assert docs is not None
    extra = conf.get("extra") or {}
    nav = tuple(nav_files(conf.get("nav") or []))
    return BuildConfig(project, docs, _under(project, custom), extra, nav)


def nav_files(nav: Any) -> Iterator[str]:
    """The pages of a ``nav``, in order: as mkdocs.yml writes it (MkDocs: titles mapped to a path
    or a list), or as Zensical hands it (nodes with ``url`` and ``children``)."""
    for item in nav:
        if isinstance(item, str):
            yield item
        elif isinstance(item, Mapping) and "children" in item and "title" in item:
            if isinstance(item.get("url"), str):
                yield item["url"]
            yield from nav_files(item.get("children") or [])
        elif isinstance(item, Mapping):
            for value in item.values():
                if isinstance(value, str):
                    yield value
                elif isinstance(value, list):
                    yield from nav_files(value)


def page_path(env: Any) -> str:
    """The page being rendered, under docs/: ``toolkit/health-check.md``."""
    page = env.page
    file = getattr(page, "file", None)
    return file.src_uri if file is not None else str(page.path).replace("\\", "/")


def page_url(env: Any) -> str:
    """The page's site-relative directory URL: ``toolkit/health-check/`` (``""`` for the home page)."""
    url = str(env.page.url or "")
    return url.lstrip("/")


def html_link_base(env: Any) -> str:
    """Where a relative link in a page's raw HTML starts from, as the engine reads it.

    MkDocs leaves raw HTML alone, so such a link starts from the page's URL (``toolkit/where/``).
    Zensical rewrites every relative link as if it were written in the Markdown source, so it
    starts from the source's folder (``toolkit/``) and Zensical adds the ``../`` the page's URL needs.
    """
    if is_mkdocs(env):
        return page_url(env)
    folder = page_path(env).rpartition("/")[0]
    return f"{folder}/" if folder else ""


def is_mkdocs(env: Any) -> bool:
    return type(env.conf).__module__.startswith("mkdocs.")


@contextmanager
def reported(env: Any) -> Iterator[None]:
    """Raise a BuildError as the engine reports an author's mistake: as a ``PluginError`` under
    MkDocs (a message, no traceback); as it is under Zensical."""
    try:
        yield
    except BuildError as error:
        if not is_mkdocs(env):
            raise
        from mkdocs.exceptions import PluginError  # only ever imported under MkDocs

        raise PluginError(str(error)) from None
