"""Clickable maps drawn as inline SVG at build time: the home page agenda and each theme.

No script and no outside file: every node is an SVG link that works with the keyboard,
and the same links appear as text on the page, so the map is a shortcut, never the only way.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from widgets.chart import wrap_words

from .pages import PageInfo

NODE_WIDTH = 176
NODE_HEIGHT = 54
LINE_CHARS = 22


@dataclass(frozen=True, slots=True)
class Theme:
    folder: str
    number: str
    short: str
    line: str


def wrap(text: str, width: int = LINE_CHARS, max_lines: int = 3) -> list[str]:
    lines = wrap_words(text, width)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
        if len(lines[-1]) > width:
            lines[-1] = lines[-1][: width - 1] + "…"
    return lines


def _node(
    x: float,
    y: float,
    label: str,
    href: str,
    kind: str,
    *,
    width: int = NODE_WIDTH,
    height: int = NODE_HEIGHT,
    note: str = "",
) -> str:
    lines = wrap(label, max(10, int(width / 8)))
    first = y - (len(lines) - 1) * 8 + 5
    text = "".join(
        f'<tspan x="{x:.0f}" y="{first + 16 * i:.0f}">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    title = f"{label}. {note}" if note else label
    return (
        f'<a class="map-node map-node--{kind}" xlink:href="{escape(href)}"><title>{escape(title)}</title>'
        f'<rect x="{x - width / 2:.0f}" y="{y - height / 2:.0f}" width="{width}" height="{height}" rx="8"/>'
        f'<text text-anchor="middle">{text}</text></a>'
    )


def _link_list(items: Sequence[tuple[str, str, str]], label: str, nested: Sequence[tuple[str, str, str]] = ()) -> str:
    """The map's links as a list, shown instead of the drawing on a narrow screen.

    ``items`` are (label, href, note); with ``nested``, the first item is the centre and the
    nested items are listed under it.
    """

    def item(text: str, href: str, note: str) -> str:
        note_html = f'<span class="map-list-note">{escape(note)}</span>' if note else ""
        return f'<a href="{escape(href)}">{escape(text)}{note_html}</a>'

    lines = []
    for index, (text, href, note) in enumerate(items):
        inner = ""
        if index == 0 and nested:
            inner = "<ul>" + "".join(f"<li>{item(*entry)}</li>" for entry in nested) + "</ul>"
        css = ' class="map-list-centre"' if index == 0 and nested else ""
        lines.append(f"<li{css}>{item(text, href, note)}{inner}</li>")
    return f'<nav class="handbook-map-list" aria-label="{escape(label)}"><ul>{"".join(lines)}</ul></nav>'


def _edge(x1: float, y1: float, x2: float, y2: float, kind: str) -> str:
    return f'<line class="map-edge map-edge--{kind}" x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}"/>'


def theme_map(
    theme: Theme,
    topics: Sequence[PageInfo],
    others: Sequence[tuple[Theme, PageInfo]],
    link: Callable[[str], str],
) -> str:
    """The theme in the middle, its topics around it, related themes along the bottom.

    Lines join the theme to each topic, and topics that list each other under ``related``.
    """
    width, cx, cy = 820, 410, 190
    rx, ry = 300, 135
    positions: dict[str, tuple[float, float]] = {}
    count = max(len(topics), 1)
    for index, topic in enumerate(topics):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        positions[topic.path] = (cx + rx * math.cos(angle), cy + ry * math.sin(angle))
    bottom = cy + ry + 70
    height = bottom + (NODE_HEIGHT + 20 if others else 0)
    parts = [
        f'<svg class="handbook-map" viewBox="0 0 {width} {height}" role="group" '
        f'aria-label="Map of the topics in {escape(theme.short)}" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    ]
    drawn: set[frozenset[str]] = set()
    for topic in topics:
        x, y = positions[topic.path]
        parts.append(_edge(cx, cy, x, y, "spoke"))
        for other in topic.meta.get("related", []) or []:
            pair = frozenset((topic.path, other))
            if other in positions and pair not in drawn:
                drawn.add(pair)
                ox, oy = positions[other]
                parts.append(_edge(x, y, ox, oy, "related"))
    if others:
        step = width / (len(others) + 1)
        for index in range(len(others)):
            x = step * (index + 1)
            parts.append(_edge(cx, cy + NODE_HEIGHT / 2, x, bottom + 10, "theme"))
    parts.append(_node(cx, cy, theme.short, link(f"{theme.folder}/index.md"), "centre", width=200, height=62))
    for topic in topics:
        x, y = positions[topic.path]
        parts.append(_node(x, y, topic.title, link(topic.path), "topic", note=topic.meta.get("description", "")))
    if others:
        step = width / (len(others) + 1)
        for index, (other_theme, page) in enumerate(others):
            label = f"{other_theme.number}. {other_theme.short}" if other_theme.number.isdigit() else other_theme.short
            y = bottom + NODE_HEIGHT / 2
            box = min(NODE_WIDTH, int(step) - 12)
            parts.append(_node(step * (index + 1), y, label, link(page.path), "theme", width=box, height=44))
    parts.append("</svg>")
    centre = [(theme.short, link(f"{theme.folder}/index.md"), theme.line)]
    related = [
        (f"{t.number}. {t.short}" if t.number.isdigit() else t.short, link(page.path), t.line) for t, page in others
    ]
    nested = [(topic.title, link(topic.path), topic.meta.get("description", "")) for topic in topics]
    listing = _link_list(centre + related, f"Topics in {theme.short}", nested)
    return '<figure class="handbook-map-figure">' + "".join(parts) + listing + "</figure>"


def home_map(themes: Sequence[Theme], link: Callable[[str], str], extras: Sequence[tuple[str, str, str]]) -> str:
    """The agenda at a glance: the numbered themes in order, then what runs through them all.

    ``extras`` are (label, page, note) for the nodes under the row of themes.
    """
    main = [t for t in themes if t.number.isdigit()]
    under = [(t.short, f"{t.folder}/index.md", t.line) for t in themes if not t.number.isdigit()]
    under = [*extras, *under]
    width, gap = 940, 14
    box = (width - gap * (len(main) + 1)) / len(main)
    y, height = 50, 262
    parts = [
        f'<svg class="handbook-map handbook-map--home" viewBox="0 0 {width} {height}" role="group" '
        'aria-label="The handbook at a glance: five questions, managing change, and what makes or breaks '
        'a partnership" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">',
        '<defs><marker id="map-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path class="map-arrow" d="M0 0L10 5L0 10z"/></marker></defs>',
    ]
    for index, theme in enumerate(main):
        x = gap + index * (box + gap) + box / 2
        if index:
            parts.append(
                f'<line class="map-edge map-edge--flow" x1="{x - box - gap + box / 2:.0f}" y1="{y}" '
                f'x2="{x - box / 2 - 2:.0f}" y2="{y}" marker-end="url(#map-arrow)"/>'
            )
        label = f"{theme.number}. {theme.short}"
        href = link(f"{theme.folder}/index.md")
        parts.append(_node(x, y, label, href, "theme", width=int(box), height=80, note=theme.line))
        lines = wrap(theme.line, int(box / 7.2), 4)
        spans = "".join(
            f'<tspan x="{x:.0f}" y="{y + 62 + 16 * i}">{escape(line)}</tspan>' for i, line in enumerate(lines)
        )
        parts.append(f'<text class="map-caption" text-anchor="middle">{spans}</text>')
    parts.append(
        f'<line class="map-edge map-edge--theme" x1="{gap}" y1="{y + 140}" x2="{width - gap}" y2="{y + 140}"/>'
    )
    step = width / len(under)
    for index, (label, page, note) in enumerate(under):
        x = step * index + step / 2
        parts.append(_node(x, y + 180, label, link(page), "centre", width=int(step) - 40, height=54, note=note))
    parts.append("</svg>")
    items = [(f"{t.number}. {t.short}", link(f"{t.folder}/index.md"), t.line) for t in main]
    items += [(label, link(page), note) for label, page, note in under]
    listing = _link_list(items, "The handbook at a glance")
    return '<figure class="handbook-map-figure">' + "".join(parts) + listing + "</figure>"
