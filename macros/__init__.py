"""mkdocs-macros module: the macros that handbook pages call.

- ``assessment("health-check")`` renders a self-assessment form from assessments/*.yml
- ``theme_map("necessary")`` draws a theme's clickable map
- ``home_map()`` draws the handbook at a glance
- ``fact("icb-mergers-2026")`` states a dated fact with its "as at" date (sources/facts/)
- ``cite("glasby-dickinson-2014")`` cites a work in running text (sources/references.json)
- ``further_reading()`` lists a page's works in Harvard style
- ``current_position()`` and ``references_list()`` draw the two pages that list them all
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from widgets.timing import time_text

from . import maps
from .assessments import AssessmentLibrary, form_templates, render_form
from .config import read_config
from .pages import front_matter, read_pages, relative_url
from .sources import Sources, SourcesError

ASSESSMENTS_DIR = "assessments"


def define_env(env) -> None:
    docs_dir = env.conf["docs_dir"]
    project_dir = Path(env.project_dir)
    page_index = read_pages(docs_dir)  # once per build: `mkdocs serve` rebuilds see edits

    def pages():
        return page_index

    settings = read_config(env.conf["extra"], set(pages()))
    themes = settings.themes

    library = AssessmentLibrary(project_dir / ASSESSMENTS_DIR, {path: info.title for path, info in pages().items()})
    # Check every definition once per build, even one that no page uses yet.
    library.check_all()
    forms = form_templates(env.conf["theme"].custom_dir)  # overrides/assessment.html, if a site has one

    try:
        sources = Sources(project_dir, _page_sources(Path(docs_dir)), {p: i.title for p, i in pages().items()})
    except SourcesError as error:
        raise PluginError(f"Facts or references need fixing:\n{error}") from None

    def this_page() -> str:
        return env.page.file.src_uri

    @env.macro
    def fact(key: str) -> str:
        """A dated fact, stated with its "as at" date and a link to the Current position page."""
        return sources.fact(key, this_page())

    @env.macro
    def cite(key: str) -> str:
        return sources.cite(key)

    @env.macro
    def further_reading() -> str:
        return sources.further_reading(this_page())

    @env.macro
    def current_position() -> str:
        return sources.current_position(this_page())

    @env.macro
    def references_list() -> str:
        return sources.references_list(this_page())

    def link(path: str) -> str:
        return relative_url(env.page.url, pages()[path].url)

    @env.macro
    def assessment(name: str) -> str:
        """The form of one self-assessment, with its definition embedded for the browser."""
        return render_form(library.get(name), hosting_url=link("about/hosting.md"), templates=forms)

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
        extras = [(item.label, item.page, item.note) for item in settings.home_extras]
        return maps.home_map(themes, link, extras)


def _page_sources(docs: Path) -> dict[str, tuple[str, dict]]:
    """Every page's Markdown and front matter, read afresh for each build."""
    found = {}
    for file in sorted(docs.rglob("*.md")):
        if "assets" in file.relative_to(docs).parts:
            continue
        text = file.read_text(encoding="utf-8")
        found[file.relative_to(docs).as_posix()] = (text, front_matter(text))
    return found


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


def on_post_build(env) -> None:
    """Publish the bibliography beside the References page, for reference managers to import."""
    import shutil

    target = Path(env.conf["site_dir"]) / "references" / "references.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(env.project_dir) / "sources" / "references.json", target)
