"""Where a handbook page ends up on the built site."""

from __future__ import annotations


def page_url(page: str, base: str = "") -> str:
    """The URL of a page given as a path under docs/, with MkDocs' directory URLs.

    ``how/money.md`` becomes ``how/money/``; ``how/index.md`` becomes ``how/``;
    an anchor (``how/money.md#pooled-budgets``) is kept.
    """
    path, hash_mark, anchor = page.partition("#")
    if path.endswith(".md"):
        path = path[: -len(".md")]
    if path == "index" or path.endswith("/index"):
        path = path[: -len("index")]
    elif path:
        path += "/"
    return base + path + hash_mark + anchor
