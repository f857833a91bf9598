"""mkdocs-macros module: the macros that handbook pages call, under MkDocs or Zensical.

- ``assessment("health-check")`` renders a self-assessment form from assessments/*.yml
- ``theme_map("necessary")`` draws a theme's clickable map
- ``home_map()`` draws the handbook at a glance
- ``fact("icb-mergers-2026")`` states a dated fact with its "as at" date (sources/facts/)
- ``cite("glasby-dickinson-2014")`` cites a work in running text (sources/references.json)
- ``further_reading()`` lists a page's works in Harvard style
- ``current_position()`` and ``references_list()`` draw the two pages that list them all
- ``site_file("references/references.json")`` links, from raw HTML, to a file the build publishes

Nothing here imports MkDocs: macros/engine.py reads either engine's ``env``, and the bibliography
that used to be copied by an ``on_post_build`` here is published by scripts/finish.py.
"""

from __future__ import annotations

from widgets.timing import time_text

from . import maps
from .assessments import render_form
from .engine import build_config, html_link_base, page_path, reported
from .errors import BuildError
from .handbook import handbook_for
from .pages import relative_url


def define_env(env) -> None:
    with reported(env):
        handbook = handbook_for(build_config(env))
    sources = handbook.sources
    settings = handbook.settings

    def this_page() -> str:
        return page_path(env)

    def link(path: str) -> str:
        """A link in the page's raw HTML (forms, maps) to the docs page ``path``."""
        return relative_url(html_link_base(env), handbook.pages[path].url)

    @env.macro
    def site_file(path: str) -> str:
        """A link in the page's raw HTML to a file the build publishes: ``site_file("references/references.json")``."""
        return relative_url(html_link_base(env), path)

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

    @env.macro
    def assessment(name: str) -> str:
        """The form of one self-assessment, with its definition embedded for the browser."""
        return render_form(handbook.library.get(name), hosting_url=link("about/hosting.md"), templates=handbook.forms)

    @env.macro
    def tool_time(name: str) -> str:
        """How long a tool takes, as the tool itself says it: "About 15 minutes (33 statements)"."""
        return time_text(handbook.library.get(name))

    @env.macro
    def theme_map(folder: str) -> str:
        theme = next((t for t in settings.themes if t.folder == folder), None)
        if theme is None:
            raise BuildError(f"theme_map: unknown theme '{folder}' (see extra.themes in mkdocs.yml)")
        return maps.theme_map(theme, handbook.topics_in_nav_order(folder), handbook.related_themes(folder), link)

    @env.macro
    def home_map() -> str:
        extras = [(item.label, item.page, item.note) for item in settings.home_extras]
        return maps.home_map(settings.themes, link, extras)
