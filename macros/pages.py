"""What the build knows about handbook pages: their paths, titles, front matter and URLs."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from widgets.pages import page_url

from .yaml_text import SafeLoader


@dataclass(frozen=True, slots=True)
class PageInfo:
    path: str
    """Under docs/, with forward slashes: ``how/money.md``."""
    title: str
    meta: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return page_url(self.path)


def front_matter(text: str) -> dict:
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end < 0:
        return {}
    data = yaml.load(text[3:end], Loader=SafeLoader)
    return data if isinstance(data, dict) else {}


def _title(text: str, meta: dict, path: str) -> str:
    if isinstance(meta.get("title"), str):
        return meta["title"]
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path


def read_pages(docs_dir: str) -> dict[str, PageInfo]:
    """Every Markdown page under ``docs_dir``, keyed by its path.

    Not cached: the macros read it once per build, so ``mkdocs serve`` sees edited pages.
    """
    pages = {}
    root = Path(docs_dir)
    for file in sorted(root.rglob("*.md")):
        path = file.relative_to(root).as_posix()
        text = file.read_text(encoding="utf-8")
        meta = front_matter(text)
        pages[path] = PageInfo(path=path, title=_title(text, meta, path), meta=meta)
    return pages


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` (both site-relative directory URLs)."""
    target, hash_mark, anchor = to_url.partition("#")
    start = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
    link = posixpath.relpath(target or ".", start or ".")
    if target.endswith("/") or not target:
        link = link.rstrip("/") + "/"
    if link == "./":
        link = "./"
    return link + hash_mark + anchor
