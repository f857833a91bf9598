"""What the browser tests share: the tool page and its selectors, answering a tool and reading
what it shows and keeps, a local server for a copy of a site, a wait for what only a script
can read (Cache Storage), axe-core, and the one walk over every page that the hosting and
accessibility tests both read."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, docs_titles
from playwright.sync_api import Error as PlaywrightError

from scripts.localsite import free_port, serve
from widgets import parse_definition, score_answers

HEALTH_CHECK = "toolkit/health-check/"
NO_SCRIPTS = "sitemap.xml"
"""A file of the site's own origin that runs no script: a page there shares the tools' storage,
and opening it starts neither Material (nor its search index) nor Python."""
RESULT = ".assessment-result:not([hidden])"
READY = ".assessment[data-engine=ready]"
SETTLED = ".assessment[data-engine=ready], .assessment[data-engine=failed]"
"""The engine has started, or has given up."""
STATUS = ".assessment-status[role=status]"
TEAM_RESULT = ".assessment-team-result:not([hidden])"
# The print dialog cannot be driven: print() only counts that it was asked for.
PRINT_COUNTED = "window.print = () => { window.__printed = (window.__printed || 0) + 1; };"
CSP_VIOLATION = "content security policy"  # Chromium spells it "Policy" and "policy"


def sample_answers(data: dict) -> dict[str, str]:
    """A spread of ratings and some "don't know" answers, the same every run."""
    return {q["id"]: ("dk" if i % 7 == 3 else str(1 + (i * 3) % 5)) for i, q in enumerate(data["questions"])}


def member_answers(ids: list[str], seed: int) -> dict[str, str]:
    """One team member's ratings of the statements ``ids``: members of other seeds disagree somewhere."""
    return {qid: str(1 + (i * (seed + 1) + seed * 2) % 5) for i, qid in enumerate(ids)}


def expected_overall(data: dict, answers: dict) -> str:
    """The overall line the page must show, as the Python package works it out under CPython."""
    result = score_answers(parse_definition(data, pages=docs_titles()), answers)
    assert result.score is not None and result.band is not None
    return f"Overall: {result.score:g} out of 100 {result.band.label}"


def answer(page, answers: dict[str, str]) -> None:
    """Tick each statement's choice, as a reader clicks it."""
    for qid, value in answers.items():
        page.locator(f'input[name="{qid}"][value="{value}"]').check()


def answer_the_health_check(page, data: dict) -> dict[str, str]:
    """Give ``sample_answers``, wait for Python's result to count them all, and check that its
    overall line is the one CPython gives; the answers."""
    answers = sample_answers(data)
    answer(page, answers)
    page.wait_for_selector(RESULT, timeout=60_000)
    wait_for_counts(page, answers)
    assert overall_text(page) == expected_overall(data, answers)
    return answers


def checked(page) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.assessment-form input:checked')]
                   .map((input) => [input.name, input.value]))"""
    )


def overall_text(page) -> str:
    return " ".join(page.locator(".result-overall").inner_text().split())


def wait_for_overall(page, text: str, timeout: float = 30_000) -> None:
    """Wait until the result's overall line reads ``text`` (white space folded)."""
    page.wait_for_function(
        "text => document.querySelector('.assessment-result .result-overall')"
        "?.textContent.replace(/\\s+/g, ' ').trim() === text",
        arg=text,
        timeout=timeout,
    )


def wait_for_counts(page, answers: dict[str, str], statements: int = 33, timeout: float = 30_000) -> None:
    """Wait until the result counts ``answers``: Python has scored these, not an earlier set."""
    rated = sum(value != "dk" for value in answers.values())
    page.wait_for_function(
        "n => document.querySelector('.assessment-result .result-counts')?.textContent.includes(n)",
        arg=f"You have rated {rated} of {statements}",
        timeout=timeout,
    )


def stored(page, prefix: str = "") -> dict[str, str]:
    """What local storage holds under keys that start with ``prefix``."""
    return page.evaluate(
        """(prefix) => Object.fromEntries(Object.keys(localStorage).filter((k) => k.startsWith(prefix))
                   .map((k) => [k, localStorage.getItem(k)]))""",
        prefix,
    )


def with_errors(page):
    """``page``, with the page errors it reports collected in ``page.js_errors``."""
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return page


def refuse_other_origins(context, origin: str) -> list[str]:
    """Refuse every request of ``context`` (pages and their workers) to anything but ``origin``;
    the list the refused addresses are added to.

    The pattern leaves the site's own requests alone: only the others reach the handler, so a
    page's files do not each wait for a round trip to this process.
    """
    mine = urlsplit(origin)
    own = re.escape(f"{mine.scheme}://{mine.netloc}/")
    refused: list[str] = []

    def refuse(route) -> None:
        refused.append(route.request.url)
        route.abort()

    context.route(re.compile(f"^(?!{own}|data:|blob:)"), refuse)
    return refused


def without_search_index(context):
    """``context``, given a search index with no documents: for a test that never searches.

    Material's search worker fetches search/search_index.json (750 KB) and builds a lunr index of
    it on every full page load, searched or not: about 0.4 CPU-s a page, beside Python's start on
    a two-core machine. The route keeps the index's config and drops its documents, so the
    search box starts as it does for a reader and finds nothing. Search with the real index is
    tested by the tests marked ``search`` (tests/test_handbook.py, tests/test_sources.py), by
    tests/test_hosting.py and tests/test_offline.py, and the walk of every page loads it on each page.
    """

    def empty(route) -> None:
        try:
            index = route.fetch().json()
            route.fulfill(json={**index, "docs": []})
        except PlaywrightError:  # the test closed its pages while the index was on its way
            pass

    context.route("**/search/search_index.json", empty)
    return context


def built_pages(site: Path) -> list[str]:
    """Every page of a built site as a URL path: ``""`` for the home page, ``"how/money/"``, ``"404.html"``."""
    paths = []
    for file in sorted(site.rglob("*.html")):
        path = file.relative_to(site).as_posix()
        if not path.startswith("assets/"):
            paths.append(path.removesuffix("index.html"))
    return paths


def runtime_info(site: Path) -> dict:
    """The runtime.json of a built site: where its standard library zip is, its hash, Pyodide's version."""
    return json.loads((site / "assets" / "widgets" / "runtime.json").read_text())


@contextmanager
def served(directory: Path, port: int | None = None, requested: list[str] | None = None) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 while in the block; its URL, with a trailing slash.
    ``requested``, if given, gets the path of every request answered, in order."""
    port = port or free_port()
    httpd = serve(directory, port, requested)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def wait_until(page, script: str, arg=None, timeout: float = 60) -> None:
    """Poll an async ``script`` until it is true (page.wait_for_function takes a promise for true).

    For what no event announces, such as what Cache Storage holds.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        if time.monotonic() > deadline:
            pytest.fail(f"still false after {timeout} s: {script}")
        page.wait_for_timeout(100)


SNAPSHOT_KEYS = """async (root) => {
    const name = `handbook:${root}:snapshot`;
    if (!(await caches.has(name))) return [];
    return (await (await caches.open(name)).keys()).map((request) => request.url);
}"""
"""What the engine's snapshot cache holds for the site at ``root`` (worker.mjs keeps it apart from the build's)."""


def wait_for_snapshot(page, root: str, timeout: float = 60) -> list[str]:
    """Wait until the engine has kept a snapshot of Python for the site at ``root``; the cache's keys."""
    wait_until(page, f"async (root) => ({SNAPSHOT_KEYS})(root).then((keys) => keys.length > 0)", root, timeout)
    return page.evaluate(SNAPSHOT_KEYS, root)


# -- axe-core, and one walk over every page -----------------------------------------------------

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
"""Injected by the tests (npm devDependency): the site neither ships nor loads it."""
WCAG_RULES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],  # passes and incomplete are not reported: a third of the time
}
COLOUR_RULES = {
    "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
    "resultTypes": ["violations"],
}
"""The rules that read colours: all that can change when Material's palette does."""
# axe's reply cut down in the page to what a failure message needs.
RUN_AXE = """async (options) => {
  const results = await axe.run(document, options);
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((node) => ({ target: node.target.join(" "), summary: node.failureSummary || "" })),
  }));
}"""
SCHEMES = {"light": "default", "dark": "slate"}
"""The Material scheme each palette toggle gives (mkdocs.yml: the light palette first)."""
# The reader's own switch: the header's palette toggle. The page's colour transitions are let
# finish, so that axe reads the colours the reader sees rather than ones half way there.
TOGGLE_SCHEME = """async (index) => {
  document.querySelector(`label[for=__palette_${index}]`).click();
  const moving = document.getAnimations().filter((animation) => animation instanceof CSSTransition);
  await Promise.all(moving.map((animation) => animation.finished.catch(() => null)));
  return document.body.dataset.mdColorScheme;
}"""


def axe(page, options: dict = WCAG_RULES) -> list[dict]:
    """axe's violations on ``page``, whose context was given AXE as an init script."""
    return page.evaluate(RUN_AXE, options)


def switch_scheme(page, mode: str) -> str:
    """Switch the page to ``mode`` with the palette toggle, as a reader does; the scheme it shows."""
    return page.evaluate(TOGGLE_SCHEME, list(SCHEMES).index(mode))


class Watch:
    """Everything a browser context says that the tests care about: console (pages and
    workers), uncaught errors, and any request to another origin (refused)."""

    def __init__(self, context, origin: str) -> None:
        self.console: list[str] = []
        self.errors: list[str] = []
        context.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        self.foreign = refuse_other_origins(context, origin)

    def page(self, context):
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        return page

    @property
    def violations(self) -> list[str]:
        return [line for line in self.console if CSP_VIOLATION in line.lower()]


@dataclass
class Visit:
    path: str
    status: int
    contents: int
    """How many `.md-content` the page shows: one, on every page."""
    schemes: tuple[str, str, str]
    """The scheme on load, after the toggle to dark and after the toggle back."""
    light: list[dict]
    """axe's violations, every WCAG 2.1 A and AA rule, in light."""
    dark: list[dict]
    """In dark: every rule on the home page, the colour rules on the others."""


@dataclass
class Walk:
    visits: list[Visit]
    missing: Visit
    """An address with no page: nginx's answer is the handbook's 404 page."""
    watch: Watch


def walk_every_page(
    browser,
    site: Path,
    url: str,
    origin: str,
    *,
    with_axe: bool = True,
    toggle: bool = True,
    pages: list[str] | None = None,
) -> Walk:
    """Every page of ``site`` as served at ``url``, each loaded once, in light.

    A page is the same document in dark: Material's palette changes only colours (CSS custom
    properties under data-md-color-scheme="slate") and which of the header's two toggle labels
    shows. So each page is checked with every rule in light, switched to dark with the toggle
    and checked with the colour rules (every rule on the home page, for the other label), and
    switched back. Service workers are blocked, so that context.route sees every request.
    ``with_axe=False`` (Zensical's build) loads and toggles each page the same way, without axe.
    ``toggle=False`` as well only loads each page (another server, whose pages are the same
    files): no axe, no toggle, and a search index with no documents. ``pages``: only these.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    if with_axe:
        context.add_init_script(path=str(AXE))  # one copy for all pages, not sent again into each
    if not toggle:
        without_search_index(context)
    watch = Watch(context, origin)
    page = watch.page(context)

    def visit(path: str) -> Visit:
        response = page.goto(url + path, wait_until="load")
        shown = page.evaluate("document.body.dataset.mdColorScheme")
        contents = page.locator(".md-content").count()
        if not toggle:
            return Visit(path, response.status, contents, (shown, shown, shown), [], [])
        light = page.evaluate(RUN_AXE, WCAG_RULES) if with_axe else []
        dark_scheme = switch_scheme(page, "dark")
        dark = page.evaluate(RUN_AXE, COLOUR_RULES if path else WCAG_RULES) if with_axe else []  # "": home
        back = switch_scheme(page, "light")
        return Visit(path, response.status, contents, (shown, dark_scheme, back), light, dark)

    try:
        visits = [visit(path) for path in (built_pages(site) if pages is None else pages)]
        return Walk(visits, visit("no-such-page/"), watch)
    finally:
        context.close()


def one_page_per_folder(site: Path) -> list[str]:
    """The home page, the first page of each top-level folder, and the 404 page: every kind of
    page and every depth, for a second server that serves the same files."""
    pages, folders = [], set()
    for path in built_pages(site):
        folder = path.split("/", 1)[0] if "/" in path else path
        if folder not in folders:
            folders.add(folder)
            pages.append(path)
    return pages
