"""The parts of a team view beyond the spread of answers: groups side by side, and rounds.

Both are HTML built from figures that widgets.groups and widgets.rounds compute; every text
that comes from a file is escaped (by widgets.html). Neither ever shows a name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .groups import GroupView
from .html import NOTHING, Markup, bullets, cell, concat, disclosure, figure_text, row_header, table, tag
from .rounds import Round, compare, in_order, trend_chart, trend_table


def groups_html(view: GroupView, titles: Sequence[str]) -> Markup:
    """Each group's area scores side by side, the largest gaps, and the rule that hides small groups."""
    heading = tag("h3", "By stakeholder group", class_="result-subheading")
    if not view.groups:
        return tag("section", heading, tag("p", view.note), class_="team-groups")
    scores = table(
        ["Area", *(f"{g.label} ({g.members})" for g in view.groups)],
        (
            [row_header(title), *(cell(figure_text(g.scores[i]), g.label) for g in view.groups)]
            for i, title in enumerate(titles)
        ),
        caption="Area scores out of 100, by group (members in brackets)",
        class_="team-groups-table hb-stack",
    )
    gaps = (
        (tag("p", "The largest gaps between groups:"), bullets((gap.sentence for gap in view.gaps), class_="team-gaps"))
        if view.gaps
        else tag("p", "No two groups are 10 or more points apart in any area.")
    )
    return tag("section", heading, scores, gaps, tag("p", view.note, class_="team-groups-note"), class_="team-groups")


def rounds_html(assessment, current: Round, earlier: Sequence[Round], *, chart_id: str) -> Markup:
    """The change since the latest earlier round, who took part each time, and the trend from three rounds."""
    if not earlier:
        return NOTHING
    rounds = in_order([*earlier, current])
    before = [r for r in rounds if r is not current][-1]
    areas, statements = compare(assessment, before, current)
    html = [
        tag("h3", "Since the last round", class_="result-subheading"),
        tag(
            "p",
            f"Compared with \u201c{before.label}\u201d ({before.date.day} {before.date:%B %Y}, "
            f"{before.members} member{'s' if before.members != 1 else ''}).",
        ),
        table(
            ["Area", "Then", "Now", "Change"],
            (
                [
                    row_header(c.label),
                    cell(figure_text(c.before), "Then"),
                    cell(figure_text(c.after), "Now"),
                    cell(c.words, "Change", class_=f"change-{c.direction.replace(' ', '-')}"),
                ]
                for c in areas
            ),
            caption="Area scores out of 100",
            class_="team-rounds-table hb-stack",
        ),
    ]
    moved = sorted((c for c in statements if c.direction in ("up", "down")), key=lambda c: -abs(c.points or 0))
    if moved:
        items = (
            concat(
                c.label,
                " ",
                tag("strong", c.words),
                f" (average rating {figure_text(c.before)} then, {figure_text(c.after)} now)",
            )
            for c in moved[:10]
        )
        html += [tag("p", "Statements that moved most:"), bullets(items, class_="team-moved")]
    else:
        html.append(tag("p", "No statement's average rating has moved."))
    if len(rounds) >= 3:
        keys = (
            concat(tag("span", class_=f"trend-key trend-key-{number % 6}", aria_hidden="true"), d.title)
            for number, d in enumerate(assessment.dimensions)
        )
        html += [
            tag("h3", "Over time", class_="result-subheading"),
            trend_chart(assessment, rounds, chart_id=chart_id),
            bullets(keys, class_="trend-legend", aria_label="Key to the lines"),
            disclosure("The figures", trend_table(assessment, rounds), open=True),
        ]
    else:
        html.append(disclosure("Who took part each time", trend_table(assessment, rounds)))
    return tag("section", html, class_="team-rounds")


def today_or(value: object) -> dt.date:
    """The reader's date as sent by the page (``YYYY-MM-DD``), or today's if it is missing or odd."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    return dt.date.today()
