"""Draw dimension scores as an SVG bar chart, with band thresholds marked.

The SVG is self-contained (no fonts, no scripts, no outside references) and carries a title
and description for screen readers; a table with the same figures is always offered too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .definition import SCORE_MAX, Band
from .html import Content, Markup, tag

# Drawn narrow, labels above their bars, so that text stays at least 12 px when the chart is
# squeezed into a phone's width (about 320 px): 15 units at 360 wide is 13.3 px there.
WIDTH = 360
BAR_LEFT = 4
BAR_WIDTH = WIDTH - BAR_LEFT - 52
ROW_HEIGHT = 52
LABEL_DROP = 16
BAR_TOP = 22
BAR_HEIGHT = 18
TOP = 4
AXIS_HEIGHT = 28
LABEL_CHARS = 44
GRID_NAME_CHARS = 17


@dataclass(frozen=True, kw_only=True, slots=True)
class Bar:
    label: str
    score: float | None
    band: Band | None
    low: float | None = None
    """Lowest of a range drawn around the score (team results), if any."""
    high: float | None = None


def band_rank(band: Band, bands: Sequence[Band]) -> int:
    """0 for the best band, counting down the list (bands are highest first)."""
    return [b.id for b in bands].index(band.id)


def _x(score: float) -> float:
    return BAR_LEFT + BAR_WIDTH * score / SCORE_MAX


def _short(label: str, chars: int = LABEL_CHARS) -> str:
    return label if len(label) <= chars else label[: chars - 1].rstrip() + "…"


def _label(x: float, y: float, text: str, css: str, chars: int, anchor: str = "start") -> Markup:
    """A text label; one that had to be shortened carries the full text as its title."""
    short = _short(text, chars)
    title = tag("title", text) if short != text else None
    return tag("text", title, short, class_=css, x=f"{x:.1f}", y=f"{y:.1f}", text_anchor=anchor)


def _svg(*content: Content, css: str, height: str, labelled_by: str) -> Markup:
    return tag(
        "svg",
        content,
        class_=css,
        viewBox=f"0 0 {WIDTH} {height}",
        role="img",
        aria_labelledby=labelled_by,
        xmlns="http://www.w3.org/2000/svg",
    )


def bar_chart(bars: Sequence[Bar], bands: Sequence[Band], *, chart_id: str, title: str) -> Markup:
    height = TOP + ROW_HEIGHT * len(bars) + AXIS_HEIGHT
    described = "; ".join(
        f"{bar.label}: {bar.score:g} ({bar.band.label})"
        if bar.score is not None and bar.band
        else f"{bar.label}: not enough answers"
        for bar in bars
    )
    parts = [
        tag("title", title, id=f"{chart_id}-title"),
        tag("desc", f"Scores out of 100. {described}", id=f"{chart_id}-desc"),
    ]
    bottom = TOP + ROW_HEIGHT * len(bars)
    for band in bands:
        if band.from_score > 0:
            x = f"{_x(band.from_score):.1f}"
            parts.append(tag("line", class_="chart-threshold", x1=x, y1=TOP, x2=x, y2=bottom))
    for row, bar in enumerate(bars):
        y = TOP + row * ROW_HEIGHT
        parts.append(_label(BAR_LEFT, y + LABEL_DROP, bar.label, "chart-label", LABEL_CHARS))
        top = y + BAR_TOP
        mid = f"{top + BAR_HEIGHT / 2 + 5:.1f}"
        parts.append(tag("rect", class_="chart-track", x=BAR_LEFT, y=top, width=BAR_WIDTH, height=BAR_HEIGHT))
        if bar.score is None or bar.band is None:
            parts.append(tag("text", "not enough answers", class_="chart-missing", x=BAR_LEFT + 8, y=mid))
            continue
        rank = band_rank(bar.band, bands)
        width = BAR_WIDTH * bar.score / SCORE_MAX
        parts.append(
            tag(
                "rect",
                class_=f"chart-bar band-rank-{rank}",
                x=BAR_LEFT,
                y=top,
                width=f"{width:.1f}",
                height=BAR_HEIGHT,
            )
        )
        if bar.low is not None and bar.high is not None:
            x1, x2 = _x(bar.low), _x(bar.high)
            cy = top + BAR_HEIGHT / 2
            path = f"M{x1:.1f} {cy - 6:.1f}v12M{x1:.1f} {cy:.1f}H{x2:.1f}M{x2:.1f} {cy - 6:.1f}v12"
            parts.append(tag("path", class_="chart-range", d=path))
        value_x = _x(max(bar.score, bar.high or 0)) + 6  # clear of the range line, if any
        parts.append(tag("text", f"{bar.score:g}", class_="chart-value", x=f"{value_x:.1f}", y=mid))
    for tick in range(0, int(SCORE_MAX) + 1, 25):
        x = f"{_x(tick):.1f}"
        parts.append(tag("line", class_="chart-tick", x1=x, y1=bottom, x2=x, y2=bottom + 5))
        anchor = "start" if tick == 0 else "middle"
        parts.append(tag("text", tick, class_="chart-axis", x=x, y=bottom + 20, text_anchor=anchor))
    return _svg(parts, css="result-chart", height=str(height), labelled_by=f"{chart_id}-title {chart_id}-desc")


def grid_chart(
    points: Sequence[tuple[str, int, int]],
    x_labels: Sequence[str],
    y_labels: Sequence[str],
    *,
    chart_id: str,
    title: str,
    x_title: str,
    y_title: str,
    cell_labels: Mapping[tuple[int, int], str] | None = None,
) -> Markup:
    """Labelled points in a grid of cells: ``points`` are (label, x index, y index), low to high.

    Each cell is headed by its name from ``cell_labels`` (keyed by x and y index), if any, and
    lists the points in it one under another. A name too long for its cell is shortened and
    carries the full name as its title.
    """
    cell_labels = cell_labels or {}
    left, top, right, line = 58, 4, 4, 20
    cell_w = (WIDTH - left - right) / len(x_labels)
    chars = max(6, int(GRID_NAME_CHARS * cell_w / 149))
    by_cell: dict[tuple[int, int], list[str]] = {}
    for label, xi, yi in points:
        by_cell.setdefault((xi, yi), []).append(label)
    heads = {key: wrap_words(text, chars + 2) for key, text in cell_labels.items()}
    row_heights = []
    for yi in range(len(y_labels)):
        lines = max(len(heads.get((xi, yi), ())) + len(by_cell.get((xi, yi), ())) for xi in range(len(x_labels)))
        row_heights.append(max(80, 16 + lines * line))
    grid_h = sum(row_heights)
    height = top + grid_h + 52
    described = "; ".join(
        f"{label}: {x_labels[x]} {x_title.lower()}, {y_labels[y]} {y_title.lower()}" for label, x, y in points
    )
    parts = [
        tag("title", title, id=f"{chart_id}-title"),
        tag("desc", described or "No entries yet.", id=f"{chart_id}-desc"),
    ]
    y = top
    for yi in reversed(range(len(y_labels))):  # the highest row at the top
        h = row_heights[yi]
        parts.append(
            tag("text", y_labels[yi], class_="chart-axis", x=left - 6, y=f"{y + h / 2 + 5:.1f}", text_anchor="end")
        )
        for xi in range(len(x_labels)):
            x = left + xi * cell_w
            parts.append(
                tag("rect", class_="chart-cell", x=f"{x:.1f}", y=f"{y:.1f}", width=f"{cell_w:.1f}", height=f"{h:.1f}")
            )
            ty = y + 18
            for text in heads.get((xi, yi), ()):
                parts.append(tag("text", text, class_="chart-cell-label", x=f"{x + 8:.1f}", y=f"{ty:.1f}"))
                ty += line
            for name in by_cell.get((xi, yi), ()):
                parts.append(tag("circle", class_="chart-point", cx=f"{x + 12:.1f}", cy=f"{ty - 5:.1f}", r=5))
                parts.append(_label(x + 22, ty, name, "chart-point-label", chars))
                ty += line
        y += h
    for xi, label in enumerate(x_labels):
        x = f"{left + (xi + 0.5) * cell_w:.1f}"
        parts.append(tag("text", label, class_="chart-axis", x=x, y=top + grid_h + 20, text_anchor="middle"))
    parts.append(
        tag(
            "text",
            x_title,
            class_="chart-label",
            x=f"{left + (WIDTH - left) / 2:.1f}",
            y=top + grid_h + 44,
            text_anchor="middle",
        )
    )
    parts.append(
        tag(
            "text",
            y_title,
            class_="chart-label",
            transform=f"translate(16 {top + grid_h / 2:.1f}) rotate(-90)",
            text_anchor="middle",
        )
    )
    return _svg(
        parts, css="result-chart result-grid", height=f"{height:.0f}", labelled_by=f"{chart_id}-title {chart_id}-desc"
    )


def wrap_words(text: str, width: int) -> list[str]:
    """Words in lines of at most ``width`` characters (a longer word stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
