"""The site asks nothing of any other origin: in its files, and with Python running (every page: test_hosting)."""

from __future__ import annotations

import re

import pytest
from browsing import HEALTH_CHECK, RESULT, refuse_other_origins
from conftest import ON_BOTH_ENGINES

pytestmark = pytest.mark.browser

LOADS = re.compile(
    r"""(?:src|srcset|data|poster)\s*=\s*["']\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//|import\s*\(?\s*["'](?:https?:)?//""",
    re.I,
)


@ON_BOTH_ENGINES["site"]
def test_no_built_file_loads_from_another_origin(site):
    offenders = []
    for file in site.root.rglob("*"):
        if file.suffix in {".html", ".css", ".js", ".mjs"} and file.is_file():
            text = file.read_text(errors="replace")
            offenders += [f"{file.relative_to(site.root)}: {m.group(0)}" for m in LOADS.finditer(text)]
    assert offenders == []


def test_a_tool_with_python_running_makes_requests_only_to_its_own_origin(site, context):
    # Every built page is walked once, under nginx and the strict policy, by
    # test_hosting.py::test_every_page_loads_under_the_sub_path_with_no_violation_and_nothing_from_elsewhere.
    foreign = refuse_other_origins(context, site.url)
    page = context.new_page()
    # With Python running: the worker, Pyodide and its zip come from the site too.
    page.goto(site.page(HEALTH_CHECK))
    page.locator(".assessment-form input").first.check()
    page.wait_for_selector(RESULT, timeout=60_000)
    assert foreign == []
