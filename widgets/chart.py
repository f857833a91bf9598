"""Draw dimension scores as an SVG bar chart, with band thresholds marked.

The SVG is self-contained (no fonts, no scripts, no outside references) and carries a title
and description for screen readers; a table with the same figures is always offered too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from .definition import SCORE_MAX, Band

WIDTH = 640
LABEL_WIDTH = 210
BAR_LEFT = LABEL_WIDTH + 10
BAR_WIDTH = WIDTH - BAR_LEFT - 50
ROW_HEIGHT = 34
BAR_HEIGHT = 18
TOP = 10
AXIS_HEIGHT = 28
LABEL_CHARS = 30


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


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(bars: Sequence[Bar], bands: Sequence[Band], *, chart_id: str, title: str) -> str:
    height = TOP + ROW_HEIGHT * len(bars) + AXIS_HEIGHT
    described = "; ".join(
        f"{bar.label}: {bar.score:g} ({bar.band.label})"
        if bar.score is not None and bar.band
        else f"{bar.label}: not enough answers"
        for bar in bars
    )
    parts = [
        f'<svg class="result-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">Scores out of 100. {escape(described)}</desc>',
    ]
    bottom = TOP + ROW_HEIGHT * len(bars)
    for band in bands:
        if band.from_score > 0:
            x = _x(band.from_score)
            parts.append(f'<line class="chart-threshold" x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{bottom}"/>')
    for row, bar in enumerate(bars):
        y = TOP + row * ROW_HEIGHT
        mid = y + BAR_HEIGHT / 2 + 5
        parts.append(
            f'<text class="chart-label" x="{LABEL_WIDTH}" y="{mid:.1f}" text-anchor="end">'
            f"{escape(_short(bar.label))}</text>"
        )
        parts.append(f'<rect class="chart-track" x="{BAR_LEFT}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}"/>')
        if bar.score is None or bar.band is None:
            parts.append(f'<text class="chart-missing" x="{BAR_LEFT + 8}" y="{mid:.1f}">not enough answers</text>')
            continue
        rank = band_rank(bar.band, bands)
        width = BAR_WIDTH * bar.score / SCORE_MAX
        parts.append(
            f'<rect class="chart-bar band-rank-{rank}" x="{BAR_LEFT}" y="{y}" '
            f'width="{width:.1f}" height="{BAR_HEIGHT}"/>'
        )
        if bar.low is not None and bar.high is not None:
            x1, x2 = _x(bar.low), _x(bar.high)
            cy = y + BAR_HEIGHT / 2
            parts.append(
                f'<path class="chart-range" d="M{x1:.1f} {cy - 6:.1f}v12M{x1:.1f} {cy:.1f}H{x2:.1f}'
                f'M{x2:.1f} {cy - 6:.1f}v12"/>'
            )
        value_x = _x(max(bar.score, bar.high or 0)) + 6  # clear of the range line, if any
        parts.append(f'<text class="chart-value" x="{value_x:.1f}" y="{mid:.1f}">{bar.score:g}</text>')
    for tick in range(0, int(SCORE_MAX) + 1, 25):
        x = _x(tick)
        parts.append(f'<line class="chart-tick" x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 5}"/>')
        parts.append(f'<text class="chart-axis" x="{x:.1f}" y="{bottom + 19}" text-anchor="middle">{tick}</text>')
    parts.append("</svg>")
    return "".join(parts)


def grid_chart(
    points: Sequence[tuple[str, int, int]],
    x_labels: Sequence[str],
    y_labels: Sequence[str],
    *,
    chart_id: str,
    title: str,
    x_title: str,
    y_title: str,
) -> str:
    """Labelled points in a grid of cells: ``points`` are (label, x index, y index), low to high.

    Points that share a cell are listed one under another inside it.
    """
    left, top, bottom_space, cell_w, cell_h = 120, 12, 56, 500 / len(x_labels), 320 / len(y_labels)
    width, height = left + 500 + 16, top + 320 + bottom_space
    described = "; ".join(
        f"{label}: {x_labels[x]} {x_title.lower()}, {y_labels[y]} {y_title.lower()}" for label, x, y in points
    )
    parts = [
        f'<svg class="result-chart result-grid" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(described or "No entries yet.")}</desc>',
    ]
    for xi, label in enumerate(x_labels):
        for yi in range(len(y_labels)):
            x = left + xi * cell_w
            y = top + (len(y_labels) - 1 - yi) * cell_h
            parts.append(
                f'<rect class="chart-cell" x="{x:.1f}" y="{y:.1f}" width="{cell_w:.1f}" height="{cell_h:.1f}"/>'
            )
        parts.append(
            f'<text class="chart-axis" x="{left + (xi + 0.5) * cell_w:.1f}" y="{top + 320 + 18}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for yi, label in enumerate(y_labels):
        y = top + (len(y_labels) - 1 - yi + 0.5) * cell_h
        parts.append(f'<text class="chart-axis" x="{left - 8}" y="{y:.1f}" text-anchor="end">{escape(label)}</text>')
    parts.append(
        f'<text class="chart-label" x="{left + 250}" y="{top + 320 + 44}" text-anchor="middle">{escape(x_title)}</text>'
    )
    parts.append(
        f'<text class="chart-label" transform="translate(14 {top + 160}) rotate(-90)" text-anchor="middle">'
        f"{escape(y_title)}</text>"
    )
    stacked: dict[tuple[int, int], int] = {}
    for label, xi, yi in points:
        slot = stacked.get((xi, yi), 0)
        stacked[(xi, yi)] = slot + 1
        x = left + xi * cell_w + 14
        y = top + (len(y_labels) - 1 - yi) * cell_h + 22 + slot * 20
        if y > top + (len(y_labels) - yi) * cell_h - 6:
            continue  # the cell is full: the table below lists everyone
        parts.append(f'<circle class="chart-point" cx="{x:.1f}" cy="{y - 4:.1f}" r="5"/>')
        parts.append(f'<text class="chart-point-label" x="{x + 10:.1f}" y="{y:.1f}">{escape(_short(label))}</text>')
    parts.append("</svg>")
    return "".join(parts)
