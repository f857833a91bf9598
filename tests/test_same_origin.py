"""The site asks nothing of any other origin: every built page, in Chromium, and in its files."""

from __future__ import annotations

import re

import pytest
from browsing import HEALTH_CHECK, RESULT, built_pages, refuse_other_origins

pytestmark = pytest.mark.browser

LOADS = re.compile(
    r"""(?:src|srcset|data|poster)\s*=\s*["']\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//|import\s*\(?\s*["'](?:https?:)?//""",
    re.I,
)


def test_no_built_file_loads_from_another_origin(site):
    offenders = []
    for file in site.root.rglob("*"):
        if file.suffix in {".html", ".css", ".js", ".mjs"} and file.is_file():
            text = file.read_text(errors="replace")
            offenders += [f"{file.relative_to(site.root)}: {m.group(0)}" for m in LOADS.finditer(text)]
    assert offenders == []


def test_every_page_makes_requests_only_to_its_own_origin(site, context):
    foreign = refuse_other_origins(context, site.url)
    page = context.new_page()
    pages = built_pages(site.root)
    assert len(pages) > 40
    for path in pages:
        page.goto(site.url + path, wait_until="load")
    # And with Python running: the worker, Pyodide and its zip come from the site too.
    page.goto(site.page(HEALTH_CHECK))
    page.locator(".assessment-form input").first.check()
    page.wait_for_selector(RESULT, timeout=60_000)
    assert foreign == []
