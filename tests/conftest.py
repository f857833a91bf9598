"""Shared fixtures: a strictly built site, a local web server for it, and headless Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from scripts.localsite import ROOT, build_site, free_port, launch_chromium, serve

__all__ = ["ROOT", "Server", "build_copy", "build_site", "copy_project"]

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


def copy_project(into: Path, *writable: str) -> Path:
    """A project a test may break: ``writable`` parts copied, the others linked to the real ones."""
    for name in PROJECT_PARTS:
        if name in writable:
            shutil.copytree(ROOT / name, into / name)
        else:
            (into / name).symlink_to(ROOT / name)
    shutil.copy(ROOT / "mkdocs.yml", into / "mkdocs.yml")
    return into


def build_copy(project: Path) -> tuple[int, str]:
    """Build a copied project strictly; its exit code and everything it printed."""
    done = build_site(project / "out", "http://127.0.0.1:1/", config=project / "mkdocs.yml")
    return done.returncode, done.stdout + done.stderr


@dataclass
class Server:
    root: Path
    url: str
    """With a trailing slash."""

    def page(self, path: str) -> str:
        return self.url + path.lstrip("/")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The handbook, built with --strict and served over HTTP on 127.0.0.1."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    out = tmp_path_factory.mktemp("site")
    done = build_site(out, url)
    assert done.returncode == 0, f"strict build failed:\n{done.stdout}\n{done.stderr}"
    httpd = serve(out, port)
    yield Server(out, url)
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    """A fresh browser profile for one test: empty storage and cache.

    Service workers are blocked: a worker's own requests would pass by ``context.route``, which
    tests use to refuse other origins or missing files. tests/test_offline.py allows them.
    """
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page


@pytest.fixture(scope="session")
def health_check_data() -> dict:
    return yaml.safe_load((ROOT / "assessments" / "health-check.yml").read_text())


def docs_titles() -> dict[str, str]:
    from macros.pages import read_pages

    return {path: info.title for path, info in read_pages(str(ROOT / "docs")).items()}
