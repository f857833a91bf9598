"""HTML and SVG built from parts and escaped by type: the one place where markup is written.

A ``str`` is text. It is escaped wherever it goes, whether as content or as an attribute
value, so a label such as ``"><script>`` from a definition or a file can only ever show as
text. A ``Markup`` is HTML that is already safe, made by ``tag`` or the helpers below, and
passes through as it is.

    tag("td", "Don't know", data_label="Band")   # <td data-label="Band">Don&#x27;t know</td>
    tag("details", summary, open=True)           # <details open>...</details>

Keyword arguments are attributes, in the order given. ``class_`` and ``for_`` stand for
``class`` and ``for``, and every other ``_`` becomes ``-`` (``aria_label`` is
``aria-label``). Each value is quoted. ``None`` and ``False`` leave the attribute out, and
``True`` writes it bare. An attribute value is always escaped, even if it is a ``Markup``,
because an attribute holds text and never markup.

Content may be a ``str``, a ``Markup``, an ``int``, ``None`` (nothing) or any iterable of
these, which is flattened. A ``float`` is refused: format it (``f"{score:g}"``) so that its
digits are chosen on purpose.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TypeAlias

VOID = frozenset({"br", "hr", "img", "input", "meta", "wbr"})
"""HTML elements with no end tag, written ``<br>``."""
SVG_EMPTY = frozenset({"circle", "line", "path", "polyline", "rect"})
"""SVG shapes, written ``<rect .../>`` when they have no content."""


class Markup(str):
    """A string of HTML that is safe to insert as it is.

    Make one only from parts that were already escaped (the helpers here do that) or from a
    literal written in this package. Joining Markup with ``+`` or ``str.join`` gives a plain
    ``str`` again, and a plain ``str`` is escaped wherever it goes, so such a mistake shows
    up as visible tags and never as live markup. Use ``concat`` to join parts.
    """

    __slots__ = ()


Content: TypeAlias = "str | int | Iterable[Content] | None"


def _content(value: Content) -> str:
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, bool):
        raise TypeError(f"{value!r} is not content (a condition left in by mistake?)")
    if isinstance(value, int):
        return str(value)
    if value is None:
        return ""
    if isinstance(value, float):
        raise TypeError(f"format the number {value!r} before writing it, for example f'{{value:g}}'")
    if isinstance(value, Iterable):
        return "".join(_content(part) for part in value)
    raise TypeError(f"cannot write {type(value).__name__} as HTML")


def _attribute(key: str, value: object) -> str:
    name = key.removesuffix("_").replace("_", "-")
    if value is None or value is False:
        return ""
    if value is True:
        return f" {name}"
    if isinstance(value, float):
        raise TypeError(f"format the number {value!r} for the attribute {name!r}, for example f'{{value:.1f}}'")
    if not isinstance(value, str | int):
        raise TypeError(f"cannot write {type(value).__name__} as the attribute {name!r}")
    return f' {name}="{escape(str(value))}"'


def tag(name: str, *content: Content, **attributes: object) -> Markup:
    """The element ``name`` with its attributes and content, everything escaped by type."""
    start = "<" + name + "".join(_attribute(key, value) for key, value in attributes.items())
    if name in VOID:
        if content:
            raise ValueError(f"<{name}> takes no content")
        return Markup(start + ">")
    body = _content(content)
    if not body and name in SVG_EMPTY:
        return Markup(start + "/>")
    return Markup(f"{start}>{body}</{name}>")


def concat(*content: Content) -> Markup:
    """Parts joined into one piece of HTML, text escaped as ``tag`` escapes it."""
    return Markup(_content(content))


NOTHING = Markup()


# -- the markup the handbook repeats ------------------------------------------------------


def figure_text(value: float | None) -> str:
    """A figure for a table cell: ``12.5``, or an em dash when there is none."""
    return "\u2014" if value is None else f"{value:g}"


def cell(content: Content, label: str | None = None, **attributes: object) -> Markup:
    """A table cell; ``label`` (its column's name) is what a narrow screen shows beside it."""
    return tag("td", content, data_label=label, **attributes)


def row_header(content: Content) -> Markup:
    return tag("th", content, scope="row")


def table(
    head: Iterable[Content],
    rows: Iterable[Iterable[Content] | Markup],
    *,
    caption: Content = None,
    class_: str | None = None,
) -> Markup:
    """A table with a caption, one header row and a body.

    ``head`` holds the column headings. Each row is either its cells (made with ``cell`` and
    ``row_header``), which are wrapped in ``<tr>``, or a finished ``tag("tr", ...)`` for a
    row with attributes of its own.
    """
    heading = tag("tr", (tag("th", text, scope="col") for text in head))
    body = (row if isinstance(row, Markup) else tag("tr", row) for row in rows)
    return tag(
        "table",
        tag("caption", caption) if caption is not None else None,
        tag("thead", heading),
        tag("tbody", body),
        class_=class_,
    )


def bullets(items: Iterable[Content], *, ordered: bool = False, **attributes: object) -> Markup:
    """A list, ``<ul>`` or ``<ol>``, with one ``<li>`` for each item."""
    return tag("ol" if ordered else "ul", (tag("li", item) for item in items), **attributes)


def link_list(links: Iterable[tuple[str, Content]], **attributes: object) -> Markup:
    """A list of ``(href, text)`` links; nothing at all if there are none."""
    items = [tag("a", text, href=href) for href, text in links]
    return bullets(items, **attributes) if items else NOTHING


def labelled(lead: Content, value: Content, *rest: Content, **attributes: object) -> Markup:
    """A paragraph that states one thing: ``<p>Overall: <strong>72 out of 100</strong> ...</p>``."""
    return tag("p", lead, tag("strong", value), rest, **attributes)


def disclosure(summary: Content, *content: Content, open: bool = False) -> Markup:
    """A closed (or ``open``) ``details`` block of the result, such as a chart's figures as a table."""
    return tag("details", tag("summary", summary), content, class_="result-table", open=open)


def figure(*content: Content, caption: Content = None, class_: str = "result-figure") -> Markup:
    return tag("figure", content, tag("figcaption", caption) if caption is not None else None, class_=class_)
