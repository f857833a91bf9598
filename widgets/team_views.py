"""The parts of a team view beyond the spread of answers: groups side by side, and rounds.

Both are HTML built from figures that widgets.groups and widgets.rounds compute; every text
that comes from a file is escaped. Neither ever shows a name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from .groups import GroupView
from .rounds import Round, compare, in_order, trend_chart, trend_table


def _figure(value: float | None) -> str:
    return "\u2014" if value is None else f"{value:g}"


def groups_html(view: GroupView, titles: Sequence[str]) -> str:
    """Each group's area scores side by side, the largest gaps, and the rule that hides small groups."""
    html = ['<section class="team-groups"><h3 class="result-subheading">By stakeholder group</h3>']
    if not view.groups:
        html.append(f"<p>{escape(view.note)}</p></section>")
        return "".join(html)
    head = "".join(f'<th scope="col">{escape(g.label)} ({g.members})</th>' for g in view.groups)
    rows = "".join(
        f'<tr><th scope="row">{escape(title)}</th>'
        + "".join(f'<td data-label="{escape(g.label)}">{_figure(g.scores[i])}</td>' for g in view.groups)
        + "</tr>"
        for i, title in enumerate(titles)
    )
    html.append(
        '<table class="team-groups-table hb-stack">'
        "<caption>Area scores out of 100, by group (members in brackets)</caption>"
        f'<thead><tr><th scope="col">Area</th>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )
    if view.gaps:
        items = "".join(f"<li>{escape(gap.sentence)}</li>" for gap in view.gaps)
        html.append(f'<p>The largest gaps between groups:</p><ul class="team-gaps">{items}</ul>')
    else:
        html.append("<p>No two groups are 10 or more points apart in any area.</p>")
    html.append(f'<p class="team-groups-note">{escape(view.note)}</p></section>')
    return "".join(html)


def rounds_html(assessment, current: Round, earlier: Sequence[Round], *, chart_id: str) -> str:
    """The change since the latest earlier round, who took part each time, and the trend from three rounds."""
    if not earlier:
        return ""
    rounds = in_order([*earlier, current])
    before = [r for r in rounds if r is not current][-1]
    areas, statements = compare(assessment, before, current)
    html = [
        '<section class="team-rounds"><h3 class="result-subheading">Since the last round</h3>',
        f"<p>Compared with \u201c{escape(before.label)}\u201d ({before.date.day} {before.date:%B %Y}, "
        f"{before.members} member{'s' if before.members != 1 else ''}).</p>",
    ]
    rows = "".join(
        f'<tr><th scope="row">{escape(c.label)}</th><td data-label="Then">{_figure(c.before)}</td>'
        f'<td data-label="Now">{_figure(c.after)}</td>'
        f'<td data-label="Change" class="change-{c.direction.replace(" ", "-")}">{escape(c.words)}</td></tr>'
        for c in areas
    )
    html.append(
        '<table class="team-rounds-table hb-stack"><caption>Area scores out of 100</caption><thead><tr>'
        '<th scope="col">Area</th><th scope="col">Then</th><th scope="col">Now</th><th scope="col">Change</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )
    moved = sorted((c for c in statements if c.direction in ("up", "down")), key=lambda c: -abs(c.points or 0))
    if moved:
        items = "".join(
            f"<li>{escape(c.label)} <strong>{escape(c.words)}</strong> (average rating {_figure(c.before)} "
            f"then, {_figure(c.after)} now)</li>"
            for c in moved[:10]
        )
        html.append(f'<p>Statements that moved most:</p><ul class="team-moved">{items}</ul>')
    else:
        html.append("<p>No statement's average rating has moved.</p>")
    if len(rounds) >= 3:
        html.append('<h3 class="result-subheading">Over time</h3>')
        html.append(trend_chart(assessment, rounds, chart_id=chart_id))
        keys = "".join(
            f'<li><span class="trend-key trend-key-{number % 6}" aria-hidden="true"></span>{escape(d.title)}</li>'
            for number, d in enumerate(assessment.dimensions)
        )
        html.append(f'<ul class="trend-legend" aria-label="Key to the lines">{keys}</ul>')
        table = trend_table(assessment, rounds)
        html.append(f'<details class="result-table" open><summary>The figures</summary>{table}</details>')
    else:
        html.append(
            '<details class="result-table"><summary>Who took part each time</summary>'
            f"{trend_table(assessment, rounds)}</details>"
        )
    html.append("</section>")
    return "".join(html)


def today_or(value: object) -> dt.date:
    """The reader's date as sent by the page (``YYYY-MM-DD``), or today's if it is missing or odd."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    return dt.date.today()
