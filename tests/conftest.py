"""Shared fixtures: a strictly built site, a local web server for it, the same site behind nginx,
and headless Chromium. Helpers for browser tests are in tests/browsing.py.

Each engine builds the site at most once per run (``Builds``): ``site``, ``hosted`` and
``every_page`` are MkDocs' unless a test asks for both engines with ``ON_BOTH_ENGINES`` (the
strict build, every page under nginx, a tool answered, offline), as in::

    @ON_BOTH_ENGINES["site"]
    def test_...(site): ...
"""

from __future__ import annotations

import http.client
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from definitions import PAGES, small

from scripts.localsite import (
    ENGINES,
    FOR_TESTS,
    ROOT,
    ApacheError,
    NginxError,
    build_site,
    free_port,
    launch_chromium,
    start_apache,
    start_nginx,
    stop,
)
from widgets import parse_definition

__all__ = ["ENGINES", "ON_BOTH_ENGINES", "ROOT", "Hosted", "Server", "build_copy", "build_site", "copy_project"]

ZENSICAL_COPIED = ("docs", "includes", "overrides")
"""What Zensical needs inside a copied project, not linked: it resolves links and refuses sources
outside the project (its docs_dir, pymdownx.snippets' base path)."""


class _OnBothEngines:
    """``ON_BOTH_ENGINES["site"]``: run a test on each engine's build (ids ``[mkdocs]``, ``[zensical]``);
    several fixtures at once with ``ON_BOTH_ENGINES["hosted", "every_page"]``."""

    def __getitem__(self, names: str | tuple[str, ...]):
        names = (names,) if isinstance(names, str) else names
        values = [engine if len(names) == 1 else (engine,) * len(names) for engine in ENGINES]
        return pytest.mark.parametrize(",".join(names), values, indirect=True, ids=list(ENGINES))


ON_BOTH_ENGINES = _OnBothEngines()


def _engine(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", ENGINES[0])


# Everything a build reads. A test that breaks one of them copies it; the rest are linked.
PROJECT_PARTS = (
    "assessments",
    "docs",
    "hosting",
    "includes",
    "macros",
    "node_modules",
    "overrides",
    "pyproject.toml",
    "scripts",
    "sources",
    "widgets",
)


def copy_project(into: Path, *writable: str, engine: str = "mkdocs") -> Path:
    """A project a test may break: ``writable`` parts copied, the others linked to the real ones."""
    copied = {*writable, *(ZENSICAL_COPIED if engine == "zensical" else ())}
    for name in PROJECT_PARTS:
        if name in copied:
            shutil.copytree(ROOT / name, into / name)
        else:
            (into / name).symlink_to(ROOT / name)
    shutil.copy(ROOT / "mkdocs.yml", into / "mkdocs.yml")
    return into


def build_copy(project: Path, engine: str = "mkdocs") -> tuple[int, str]:
    """Build a copied project strictly; its exit code and everything it printed."""
    done = build_site(project / "out", "http://127.0.0.1:1/", config=project / "mkdocs.yml", engine=engine)
    return done.returncode, done.stdout + done.stderr


@dataclass
class Server:
    root: Path
    url: str
    """With a trailing slash."""

    def page(self, path: str) -> str:
        return self.url + path.lstrip("/")


@dataclass
class Hosted:
    site: Path
    """The built site, served by nginx under HOSTED_PATH."""
    port: int
    server: str = "nginx"
    """Which web server serves it: "nginx" or "apache"."""

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return self.origin + HOSTED_PATH

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", HOSTED_PATH + path.lstrip("/"), headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()


HOSTED_PATH = "/handbook/"


class Builds:
    """Each engine's builds for this run, made when first asked for and kept to its end."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory, stack: ExitStack) -> None:
        self.tmp = tmp_path_factory
        self.stack = stack
        self.sites: dict[str, Server] = {}
        self.hosted_sites: dict[str, Hosted] = {}
        self.walks: dict[str, object] = {}

    def site(self, engine: str) -> Server:
        """The handbook, built with --strict by ``engine`` and served over HTTP on 127.0.0.1."""
        from browsing import served  # here, not at the top: browsing imports this module

        if engine not in self.sites:
            port = free_port()
            out = self.tmp.mktemp(f"site-{engine}")
            done = build_site(out, f"http://127.0.0.1:{port}/", engine=engine)
            assert done.returncode == 0, f"strict {engine} build failed:\n{done.stdout}\n{done.stderr}"
            self.sites[engine] = Server(out, self.stack.enter_context(served(out, port)))
        return self.sites[engine]

    def hosted(self, engine: str) -> Hosted:
        """The handbook built by ``engine`` for http://127.0.0.1:PORT/handbook/ and served there by
        Debian's nginx with hosting/nginx.conf itself, only its placeholders filled in."""
        if engine not in self.hosted_sites:
            port = free_port()
            work = self.tmp.mktemp(f"nginx-{engine}")
            site = work / "site"
            done = build_site(site, f"http://127.0.0.1:{port}{HOSTED_PATH}", engine=engine)
            assert done.returncode == 0, f"strict {engine} build failed:\n{done.stdout}\n{done.stderr}"
            try:
                process, _ = start_nginx(site, port, work, HOSTED_PATH)
            except NginxError as error:
                pytest.fail(str(error))
            self.stack.callback(stop, process)
            self.hosted_sites[engine] = Hosted(site, port)
        return self.hosted_sites[engine]


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Builds]:
    with ExitStack() as stack:
        yield Builds(tmp_path_factory, stack)


@pytest.fixture(scope="session")
def site(builds: Builds, request: pytest.FixtureRequest) -> Server:
    """The handbook, built with --strict and served over HTTP on 127.0.0.1 (MkDocs' build, unless
    the test is ``ON_BOTH_ENGINES["site"]``)."""
    return builds.site(_engine(request))


@pytest.fixture(scope="session")
def hosted(builds: Builds, request: pytest.FixtureRequest) -> Hosted:
    """The handbook built for http://127.0.0.1:PORT/handbook/ and served there by Debian's nginx
    with hosting/nginx.conf itself, only its placeholders filled in (tests/test_hosting.py)."""
    return builds.hosted(_engine(request))


@pytest.fixture(scope="session")
def apache_hosted() -> Iterator[Hosted]:
    """The same, served by Debian's Apache with hosting/apache.conf itself, only the site's folder
    filled in. Apache started as root serves as www-data, which cannot enter pytest's private
    temporary folder: the build goes to a folder of its own, readable by others, removed after."""
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="handbook-apache-"))
    work.chmod(0o755)
    try:
        site = work / "site"
        done = build_site(site, f"http://127.0.0.1:{port}{HOSTED_PATH}")
        assert done.returncode == 0, f"strict build failed:\n{done.stdout}\n{done.stderr}"
        try:
            process, _ = start_apache(site, port, work, HOSTED_PATH)
        except ApacheError as error:
            pytest.fail(str(error))
        try:
            yield Hosted(site, port, "apache")
        finally:
            stop(process)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, FOR_TESTS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def every_page(browser, builds: Builds, request: pytest.FixtureRequest):
    """Every page of the site under nginx, its sub-path and its strict policy, loaded once and
    checked with axe in light and dark (tests/browsing.py): tests/test_hosting.py reads what was
    loaded and refused, tests/test_accessibility.py what axe found. Zensical's walk skips axe:
    only the hosting test reads it."""
    from browsing import walk_every_page  # here, not at the top: browsing imports this module

    engine = _engine(request)
    if engine not in builds.walks:
        hosted = builds.hosted(engine)
        builds.walks[engine] = walk_every_page(
            browser, hosted.site, hosted.url, hosted.origin, with_axe=engine == ENGINES[0]
        )
    return builds.walks[engine]


@pytest.fixture
def context(browser, request):
    """A fresh browser profile for one test: empty storage and cache.

    Service workers are blocked: a worker's own requests would pass by ``context.route``, which
    tests use to refuse other origins or missing files. tests/test_offline.py allows them. The
    search index has no documents unless the test is marked ``search`` (tests/browsing.py:
    ``without_search_index``).
    """
    from browsing import without_search_index  # here, not at the top: browsing imports this module

    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    if not request.node.get_closest_marker("search"):
        without_search_index(ctx)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    from browsing import with_errors  # here, not at the top: browsing imports this module

    return with_errors(context.new_page())


@pytest.fixture
def assessment():
    """The small definition of tests/definitions.py, parsed, its advice links checked against its pages."""
    return parse_definition(small(), pages=PAGES)


@pytest.fixture(scope="session")
def health_check_data() -> dict:
    return yaml.safe_load((ROOT / "assessments" / "health-check.yml").read_text())


def docs_titles() -> dict[str, str]:
    from macros.pages import read_pages

    return {path: info.title for path, info in read_pages(str(ROOT / "docs")).items()}
