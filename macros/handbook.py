"""Everything the macros know about one build: pages, settings, assessments, facts and references.

Read once per build and kept while its sources are unchanged: Zensical calls ``define_env``
for every page it renders (MkDocs once per build), and reading and checking every definition,
fact and reference takes about a second. A change to any page, assessment, source, template
or setting makes a new one, so a rebuild under ``serve`` sees edits.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from . import maps
from .assessments import AssessmentLibrary, form_templates
from .config import HandbookConfig, read_config
from .engine import BuildConfig
from .errors import BuildError
from .pages import PageInfo, front_matter, read_pages
from .sources import Sources, SourcesError

ASSESSMENTS_DIR = "assessments"
WATCHED = (ASSESSMENTS_DIR, "sources")
"""Folders of the project, besides docs/, whose files the macros read."""


@dataclass(frozen=True, slots=True)
class Handbook:
    pages: dict[str, PageInfo]
    settings: HandbookConfig
    library: AssessmentLibrary
    forms: Environment
    sources: Sources
    nav: tuple[str, ...]

    @classmethod
    def read(cls, config: BuildConfig) -> Handbook:
        """Read and check it all; BuildError names every problem found."""
        pages = read_pages(str(config.docs_dir))
        settings = read_config(config.extra, set(pages))
        titles = {path: info.title for path, info in pages.items()}
        library = AssessmentLibrary(config.project_dir / ASSESSMENTS_DIR, titles)
        library.check_all()  # every definition, once per build, even one that no page uses yet
        forms = form_templates(config.custom_dir)  # overrides/assessment.html, if a site has one
        try:
            sources = Sources(config.project_dir, page_sources(config.docs_dir), titles)
        except SourcesError as error:
            raise BuildError(f"Facts or references need fixing:\n{error}") from None
        return cls(pages, settings, library, forms, sources, config.nav)

    def topics_in_nav_order(self, folder: str) -> list[PageInfo]:
        pages = self.pages.items()
        topics = [p for path, p in pages if path.startswith(f"{folder}/") and not path.endswith("index.md")]
        rank = {path: index for index, path in enumerate(self.nav)}
        return sorted(topics, key=lambda page: rank.get(page.path, len(rank)))

    def related_themes(self, folder: str) -> list[tuple[maps.Theme, PageInfo]]:
        related_folders: list[str] = []
        for topic in self.topics_in_nav_order(folder):
            for other in topic.meta.get("related", []) or []:
                other_folder = other.split("/", 1)[0]
                if other_folder != folder and other_folder not in related_folders:
                    related_folders.append(other_folder)
        themes = self.settings.themes
        return [(t, self.pages[f"{t.folder}/index.md"]) for t in themes if t.folder in related_folders]


def page_sources(docs: Path) -> dict[str, tuple[str, dict]]:
    """Every page's Markdown and front matter, read afresh for each build."""
    found = {}
    for file in sorted(docs.rglob("*.md")):
        if "assets" in file.relative_to(docs).parts:
            continue
        text = file.read_text(encoding="utf-8")
        found[file.relative_to(docs).as_posix()] = (text, front_matter(text))
    return found


def fingerprint(config: BuildConfig) -> tuple:
    """What a Handbook is read from: the settings, and every file's name, size and time."""
    folders = [config.docs_dir, *(config.project_dir / name for name in WATCHED)]
    if config.custom_dir:
        folders.append(config.custom_dir)
    files = []
    for folder in folders:
        for file in sorted(folder.rglob("*")) if folder.is_dir() else []:
            stat = file.stat()
            files.append((str(file), stat.st_size, stat.st_mtime_ns))
    return (repr(config), tuple(files))


_lock = threading.Lock()
_last: tuple[tuple, Handbook] | None = None


def handbook_for(config: BuildConfig) -> Handbook:
    """The Handbook for these sources: the one read last if nothing has changed since."""
    global _last
    key = fingerprint(config)
    with _lock:
        if _last is None or _last[0] != key:
            _last = (key, Handbook.read(config))
        return _last[1]
