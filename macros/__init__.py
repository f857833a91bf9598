"""mkdocs-macros module: the macros that handbook pages call.

- ``assessment("health-check")`` renders a self-assessment form from assessments/*.yml
- ``theme_map("necessary")`` draws a theme's clickable map
- ``home_map()`` draws the handbook at a glance
"""

from __future__ import annotations

from pathlib import Path

from widgets.timing import time_text

from . import maps
from .assessments import AssessmentLibrary, render_form
from .maps import Theme
from .pages import read_pages, relative_url

ASSESSMENTS_DIR = "assessments"


def define_env(env) -> None:
    docs_dir = env.conf["docs_dir"]
    project_dir = Path(env.project_dir)
    themes = [Theme(**spec) for spec in env.conf["extra"]["themes"]]

    def pages():
        return read_pages(docs_dir)

    library = AssessmentLibrary(project_dir / ASSESSMENTS_DIR, {path: info.title for path, info in pages().items()})
    # Check every definition once per build, even one that no page uses yet.
    library.check_all()

    def link(path: str) -> str:
        return relative_url(env.page.url, pages()[path].url)

    @env.macro
    def assessment(name: str) -> str:
        """The form of one self-assessment, with its definition embedded for the browser."""
        return render_form(library.get(name), hosting_url=link("about/hosting.md"))

    @env.macro
    def tool_time(name: str) -> str:
        """How long a tool takes, as the tool itself says it: "About 15 minutes (33 statements)"."""
        return time_text(library.get(name))

    @env.macro
    def theme_map(folder: str) -> str:
        theme = next((t for t in themes if t.folder == folder), None)
        if theme is None:
            raise ValueError(f"theme_map: unknown theme '{folder}' (see extra.themes in mkdocs.yml)")
        all_pages = pages()
        topics = [p for path, p in all_pages.items() if path.startswith(f"{folder}/") and not path.endswith("index.md")]
        related_folders = []
        for topic in topics:
            for other in topic.meta.get("related", []) or []:
                other_folder = other.split("/", 1)[0]
                if other_folder != folder and other_folder not in related_folders:
                    related_folders.append(other_folder)
        others = [(t, all_pages[f"{t.folder}/index.md"]) for t in themes if t.folder in related_folders]
        return maps.theme_map(theme, _in_nav_order(topics, env.conf), others, link)

    @env.macro
    def home_map() -> str:
        extras = [
            ("Managing change", "how/managing-change.md", "Runs through every theme."),
            ("Toolkit: self-assessments", "toolkit/index.md", "Check where your partnership stands."),
        ]
        return maps.home_map(themes, link, extras)


def _in_nav_order(topics, config):
    order = [file for file in _nav_files(config.get("nav") or [])]
    rank = {path: index for index, path in enumerate(order)}
    return sorted(topics, key=lambda page: rank.get(page.path, len(rank)))


def _nav_files(nav):
    for item in nav:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for value in item.values():
                if isinstance(value, str):
                    yield value
                else:
                    yield from _nav_files(value)
