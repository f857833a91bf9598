"""The offline copy: writes the service worker, sw.js, at the site root (run by scripts/finish.py).

The worker (widgets/browser/sw.js.template) gets two things filled in at every build:

- BUILD, a hash of every file the site serves (not the .br/.gz copies), so that any rebuild that
  changes a page, the runtime or the standard library zip installs a new worker, which fills a
  new cache and deletes the old one: no stale runtime, no mix of two builds;
- PRECACHE, what it fetches when it installs: runtime.json, the glue and worker scripts, the
  theme's scripts and style sheets, the search index, the sitemap (instant navigation reads it)
  and the 404 page;
- RUNTIME, Pyodide's files and the staged zip under assets/widgets/py/<hash>/: kept only once
  a page with a tool asks for them, so that reading pages never downloads Python;
- PAGES, every page of the handbook: kept as the reader visits them, and all of them fetched
  in the background once a page asks (widgets/browser/offline.js: after the first result on
  a page with a tool, else once the page is idle), after any download of the runtime.

`extra: offline: false` in mkdocs.yml (read by macros.config.read_offline) writes no worker;
the page then tells widgets/browser/offline.js to remove any worker an earlier build left.
Paths are relative to the site root, so the worker works under a sub-path such as /handbook/.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "widgets" / "browser" / "sw.js.template"
WORKER = "sw.js"
SKIPPED_SUFFIXES = {".br", ".gz", ".map"}
# Material's search language packs other than English: never loaded by this handbook.
SKIPPED_FOLDERS = ("assets/javascripts/lunr/",)
EXTRA_FILES = ("search/search_index.json", "search.json", "sitemap.xml", "404.html")  # search.json: Zensical's


def served(site: Path) -> list[str]:
    """Every file the site serves, relative to its root, sorted; not the worker or compressed copies."""
    files = []
    for file in site.rglob("*"):
        if file.is_file() and file.suffix not in SKIPPED_SUFFIXES and file.name != WORKER:
            files.append(file.relative_to(site).as_posix())
    return sorted(files)


RUNTIME_FOLDERS = ("assets/pyodide/", "assets/widgets/py/")
"""Python's runtime: cached only on a page with a tool, never at install."""


def precache_list(site: Path) -> list[str]:
    """What the worker fetches when it installs: everything under assets/ but the runtime."""
    paths = [
        path
        for path in served(site)
        if path.startswith("assets/")
        and not path.startswith(SKIPPED_FOLDERS + RUNTIME_FOLDERS)
        and "/lunr/" not in path
    ]
    return paths + [path for path in EXTRA_FILES if (site / path).is_file()]


def runtime_list(site: Path) -> list[str]:
    return [path for path in served(site) if path.startswith(RUNTIME_FOLDERS)]


def page_list(site: Path) -> list[str]:
    """Every page, as the address a reader opens ("" for the home page, "glossary/"); not 404.html,
    which PRECACHE holds."""
    pages = []
    for path in served(site):
        if path.endswith(".html") and not path.startswith("assets/") and path != "404.html":
            pages.append(path.removesuffix("index.html"))
    return pages


def build_id(site: Path) -> str:
    digest = hashlib.sha256(TEMPLATE.read_bytes())
    for path in served(site):
        digest.update(path.encode() + b"\0")
        digest.update(hashlib.sha256((site / path).read_bytes()).digest())
    return digest.hexdigest()[:16]


def write_worker(site: Path) -> Path:
    text = TEMPLATE.read_text("utf-8")
    text = text.replace("@BUILD@", build_id(site)).replace("@PRECACHE@", json.dumps(precache_list(site), indent=2))
    text = text.replace("@RUNTIME@", json.dumps(runtime_list(site), indent=2))
    text = text.replace("@PAGES@", json.dumps(page_list(site), indent=2))
    target = site / WORKER
    target.write_text(text, "utf-8")
    return target
