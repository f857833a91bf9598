"""A toolkit page starts downloading Python's runtime from its <head>; a topic page whose tool is further
down, and a page with none, do not (overrides/main.html, with the list from scripts/stage_runtime.py)."""

from __future__ import annotations

import re

from browsing import built_pages, runtime_info

PRELOAD = re.compile(r'<link rel="preload" href="([^"]+)" as="fetch" crossorigin>')


def test_only_toolkit_pages_preload_the_runtime_and_what_they_name_exists(site):
    stdlib = "assets/widgets/" + runtime_info(site.root)["stdlib"]
    with_tool = without_tool = 0
    for path in built_pages(site.root):
        file = site.root / (path + "index.html" if not path or path.endswith("/") else path)
        html = file.read_text()
        links = PRELOAD.findall(html.split("</head>", 1)[0])
        if "data-assessment=" in html and path.startswith("toolkit/"):
            with_tool += 1
            depth = "../" * path.count("/")
            # A worker never takes a page's preload itself: its own requests find these in the
            # browser's HTTP cache (a 304 under hosting/'s "no-cache"), with no second download.
            assert links == [
                depth + name for name in ("assets/pyodide/pyodide.asm.wasm", stdlib, "assets/pyodide/pyodide.asm.mjs")
            ], path
            assert all((file.parent / link).resolve().is_file() for link in links), path
        else:
            without_tool += 1
            assert links == [], path
    assert with_tool >= 8 and without_tool >= 40
