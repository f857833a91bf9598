"""The result of one person's answers as HTML: summary, chart, table and advice.

Everything that comes from a definition or from answers is escaped, so the page can insert
this HTML as it is.
"""

from __future__ import annotations

from html import escape

from .chart import Bar, band_rank, bar_chart
from .definition import Advice
from .pages import page_url
from .scoring import DimensionResult, Result


def _score_text(score: float | None) -> str:
    return "not scored" if score is None else f"{score:g} out of 100"


def advice_html(advice: Advice, base: str) -> str:
    html = [f"<p>{escape(advice.text)}</p>"]
    if advice.links:
        items = "".join(
            f'<li><a href="{escape(page_url(link.page, base))}">{escape(link.title or link.page)}</a></li>'
            for link in advice.links
        )
        html.append(f'<p class="result-links-intro">Read next:</p><ul class="result-links">{items}</ul>')
    return "".join(html)


def counts_text(result: Result) -> str:
    parts = [f"You have rated {result.rated} of {result.total} statements"]
    if result.dont_know:
        parts.append(f"answered \u201cdon\u2019t know\u201d to {result.dont_know}")
    left = result.total - result.answered
    if left:
        parts.append(f"left {left} unanswered")
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text + "."


def _table(result: Result) -> str:
    rows = "".join(
        "<tr>"
        f'<th scope="row">{escape(d.dimension.title)}</th>'
        f"<td>{'—' if d.score is None else f'{d.score:g}'}</td>"
        f"<td>{escape(d.band.label) if d.band else 'Not enough answers'}</td>"
        f"<td>{d.rated}</td><td>{d.dont_know}</td><td>{d.unanswered}</td>"
        "</tr>"
        for d in result.dimensions
    )
    return (
        "<table><caption>Scores by area, out of 100</caption><thead><tr>"
        '<th scope="col">Area</th><th scope="col">Score</th><th scope="col">Band</th>'
        '<th scope="col">Rated</th><th scope="col">Don\u2019t know</th><th scope="col">Unanswered</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _priority(d: DimensionResult) -> tuple[int, float]:
    """Weakest scored areas first; unscored areas last."""
    return (1, 0.0) if d.score is None else (0, d.score)


def result_html(result: Result, *, base: str = "/") -> str:
    assessment = result.assessment
    chart_id = f"chart-{assessment.id}"
    bars = [Bar(label=d.dimension.title, score=d.score, band=d.band) for d in result.dimensions]
    html = ['<h2 class="result-heading">Your result</h2>']
    if result.answered == 0:
        html.append(
            "<p>Answer some statements and your result will appear here. "
            "Each area needs at least half of its statements rated to get a score.</p>"
        )
        return "".join(html)
    if result.score is not None and result.band is not None:
        rank = band_rank(result.band, assessment.bands)
        html.append(
            f'<p class="result-overall">Overall: <strong>{_score_text(result.score)}</strong> '
            f'<span class="result-band band-rank-{rank}">{escape(result.band.label)}</span></p>'
        )
    else:
        html.append('<p class="result-overall">Overall: not scored yet. Rate more statements in each area.</p>')
    html.append(f'<p class="result-counts">{counts_text(result)}</p>')
    if result.ignored:
        names = ", ".join(escape(qid) for qid in result.ignored)
        html.append(
            '<p class="result-notice">Some saved answers no longer match this version of the '
            f"assessment and were left out: {names}.</p>"
        )
    html.append(
        f'<figure class="result-figure">{bar_chart(bars, assessment.bands, chart_id=chart_id, title="Scores by area")}'
        "<figcaption>Scores by area, out of 100. Dashed lines mark where each band starts.</figcaption></figure>"
    )
    html.append(
        f'<details class="result-table"><summary>Show the scores as a table</summary>{_table(result)}</details>'
    )
    html.append('<h3 class="result-subheading">What to work on first</h3><ol class="result-advice">')
    for d in sorted(result.dimensions, key=_priority):
        if d.advice is None or d.band is None:
            html.append(
                f"<li><h4>{escape(d.dimension.title)}: not enough answers</h4>"
                "<p>Rate at least half of the statements in this area to see advice.</p></li>"
            )
            continue
        html.append(
            f"<li><h4>{escape(d.dimension.title)}: {escape(d.band.label)} ({d.score:g})</h4>"
            f"{advice_html(d.advice, base)}</li>"
        )
    html.append("</ol>")
    return "".join(html)


def announcement(result: Result) -> str:
    """One sentence for the status line, read out by screen readers when the result changes."""
    if result.answered == 0:
        return "No answers yet."
    if result.score is None or result.band is None:
        return f"Result updated. {counts_text(result)} Rate more statements to get an overall score."
    return f"Result updated. Overall {_score_text(result.score)}: {result.band.label}."
