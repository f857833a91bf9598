"""The result of one person's answers as HTML: summary, chart, table and advice.

Everything that comes from a definition or from answers is escaped, so the page can insert
this HTML as it is.
"""

from __future__ import annotations

from html import escape

from .chart import Bar, band_rank, bar_chart, grid_chart
from .definition import Advice, Rule, Scale
from .pages import page_url
from .plan import Action
from .scoring import DimensionResult, Result
from .team import StatementSpread, TeamResult, divergence_rule


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


def _rule_html(rule: Rule, css: str, lead: str, base: str) -> str:
    return (
        f'<div class="{css}"><p class="result-rule-label">{lead}<strong>{escape(rule.label)}</strong></p>'
        f"{advice_html(Advice(text=rule.text, links=rule.links), base)}</div>"
    )


def verdict_html(result: Result, base: str) -> str:
    """The recommendation and any warning flags of a decision aid."""
    assessment = result.assessment
    html = []
    if assessment.verdicts:
        if result.choices_left:
            left = result.choices_left
            html.append(
                f'<p class="result-verdict-pending">Answer the {left} remaining question{"s" if left != 1 else ""} '
                "above to see a recommendation.</p>"
            )
        elif result.verdict is not None:
            html.append(_rule_html(result.verdict, "result-verdict", "Recommendation: ", base))
    html.extend(_rule_html(flag, "result-flag", "Watch out: ", base) for flag in result.flags)
    return "".join(html)


def tables_html(result: Result) -> str:
    """Each rows question as a table of what was entered, and the grid if there is one."""
    assessment = result.assessment
    html = []
    grid = assessment.grid
    for question in assessment.questions:
        if question.kind != "rows":
            continue
        rows = result.tables.get(question.id, ())
        columns = question.columns
        if grid is not None and grid.rows == question.id:
            by_id = {c.id: c for c in columns}
            x_options = [o.value for o in by_id[grid.x].options]
            y_options = [o.value for o in by_id[grid.y].options]
            points = [
                (row[grid.label], x_options.index(row[grid.x]), y_options.index(row[grid.y]))
                for row in rows
                if grid.label in row and grid.x in row and grid.y in row
            ]
            chart = grid_chart(
                points,
                [o.label for o in by_id[grid.x].options],
                [o.label for o in by_id[grid.y].options],
                chart_id=f"grid-{assessment.id}",
                title=question.text,
                x_title=by_id[grid.x].label,
                y_title=by_id[grid.y].label,
            )
            html.append(
                f'<figure class="result-figure">{chart}<figcaption>{escape(by_id[grid.label].label)} placed by '
                f"{escape(by_id[grid.x].label.lower())} and {escape(by_id[grid.y].label.lower())}. Entries without "
                "both are in the table only.</figcaption></figure>"
            )
        labels = {c.id: {o.value: o.label for o in c.options} for c in columns}
        head = "".join(f'<th scope="col">{escape(c.label)}</th>' for c in columns)
        body = "".join(
            "<tr>"
            + "".join(f"<td>{escape(labels[c.id].get(row.get(c.id, ''), row.get(c.id, '')))}</td>" for c in columns)
            + "</tr>"
            for row in rows
        )
        html.append(
            f'<div class="plan-scroll"><table class="rows-table"><caption>{escape(question.text)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
            if rows
            else f"<p>Nothing entered yet for “{escape(question.text)}”.</p>"
        )
    return "".join(html)


def result_html(result: Result, *, base: str = "/") -> str:
    assessment = result.assessment
    chart_id = f"chart-{assessment.id}"
    bars = [Bar(label=d.dimension.title, score=d.score, band=d.band) for d in result.dimensions]
    html = ['<h2 class="result-heading">Your result</h2>']
    html.append(verdict_html(result, base))
    html.append(tables_html(result))
    if not assessment.rated:
        return "".join(html)
    if result.answered == 0:
        html.append(
            "<p>Rate some statements and your scores will appear here. "
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
    if not result.assessment.rated:
        if result.verdict is not None:
            return f"Result updated. Recommendation: {result.verdict.label}."
        if result.assessment.verdicts:
            return f"Result updated. {result.choices_left} questions left before a recommendation."
        flags = len(result.flags)
        return (
            f"Result updated. {flags} thing{'s' if flags != 1 else ''} to watch out for."
            if flags
            else "Result updated."
        )
    if result.answered == 0:
        return "No answers yet."
    if result.score is None or result.band is None:
        return f"Result updated. {counts_text(result)} Rate more statements to get an overall score."
    return f"Result updated. Overall {_score_text(result.score)}: {result.band.label}."


# -- action plans ----------------------------------------------------------------------------


def plan_html(actions: list[Action], *, source: str, prefix: str, base: str) -> str:
    """The plan as a table the team completes: owner and date inputs keyed by action."""
    if not actions:
        return (
            f'<section class="action-plan" data-plan-source="{source}"><h3>Action plan</h3>'
            "<p>Every area is in the top band: no actions are suggested. Keep checking as things change.</p></section>"
        )
    rows = []
    for number, action in enumerate(actions, start=1):
        links = "".join(
            f'<li><a href="{escape(page_url(link.page, base))}">{escape(link.title or link.page)}</a></li>'
            for link in action.links
        )
        rows.append(
            f'<tr data-plan-key="{escape(action.key)}"><td>{number}</td><td>{escape(action.area)}</td>'
            f'<td><p>{escape(action.action)}</p><p class="plan-why">{escape(action.why)}</p>'
            f"{f'<ul class=plan-links>{links}</ul>' if links else ''}</td>"
            f'<td><input type="text" class="plan-input" data-plan-field="owner" maxlength="200" '
            f'aria-label="Owner of action {number}" id="{prefix}-{source}-owner-{number}"></td>'
            f'<td><input type="date" class="plan-input" data-plan-field="due" '
            f'aria-label="Due date of action {number}" id="{prefix}-{source}-due-{number}"></td></tr>'
        )
    return (
        f'<section class="action-plan" data-plan-source="{source}"><h3>Action plan</h3>'
        "<p>Agree an owner and a date for each action. They are saved in this browser with your answers. "
        "Then download the plan for a spreadsheet, copy it into a document, or print it.</p>"
        '<div class="plan-scroll"><table class="plan-table"><caption>Actions, most urgent first</caption>'
        '<thead><tr><th scope="col">#</th><th scope="col">Area</th><th scope="col">Action</th>'
        '<th scope="col">Owner</th><th scope="col">Due</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        '<div class="plan-controls">'
        '<button type="button" class="md-button" data-action="plan-csv">Download as CSV</button>'
        '<button type="button" class="md-button" data-action="plan-markdown">Copy as Markdown</button>'
        '<button type="button" class="md-button" data-action="plan-print">Print the plan</button></div>'
        '<p class="plan-status" role="status"></p></section>'
    )


# -- team view ------------------------------------------------------------------------------


def _distribution(spread: StatementSpread, scale: Scale) -> str:
    parts = [f"{escape(point.label)}: {spread.counts[point.value]}" for point in scale.points]
    if scale.dont_know:
        parts.append(f"{escape(scale.dont_know)}: {spread.dont_know}")
    if spread.unanswered:
        parts.append(f"not answered: {spread.unanswered}")
    return " · ".join(parts)


def team_html(team: TeamResult, *, base: str = "/") -> str:
    assessment = team.assessment
    html = ['<h2 class="result-heading">Your team\u2019s view</h2>']
    if team.refused:
        items = "".join(
            f"<li><strong>{escape(r.source)}</strong>: not added, because {escape(r.reason)}.</li>"
            for r in team.refused
        )
        html.append(f'<div class="team-refused"><p>Some files were not added:</p><ul>{items}</ul></div>')
    if not team.members:
        html.append("<p>No answers to combine yet. Add the files your team members downloaded.</p>")
        return "".join(html)
    names = ", ".join(escape(member.label) for member in team.members)
    count = len(team.members)
    html.append(f'<p class="team-members">{count} member{"s" if count != 1 else ""} combined: {names}.</p>')
    if count < 2:
        html.append("<p>Add at least one more member\u2019s file to see where your views differ.</p>")
    if team.score is not None and team.band is not None:
        rank = band_rank(team.band, assessment.bands)
        html.append(
            f'<p class="result-overall">Team average: <strong>{_score_text(team.score)}</strong> '
            f'<span class="result-band band-rank-{rank}">{escape(team.band.label)}</span></p>'
        )
    bars = [Bar(label=d.dimension.title, score=d.score, band=d.band, low=d.low, high=d.high) for d in team.dimensions]
    chart = bar_chart(bars, assessment.bands, chart_id=f"team-{assessment.id}", title="Team scores by area")
    html.append(
        f'<figure class="result-figure">{chart}<figcaption>Team average by area, out of 100. The line across '
        "each bar runs from the lowest to the highest member\u2019s score.</figcaption></figure>"
    )
    rows = "".join(
        f'<tr><th scope="row">{escape(d.dimension.title)}</th><td>{"—" if d.score is None else f"{d.score:g}"}</td>'
        f"<td>{'—' if d.low is None else f'{d.low:g}'}</td><td>{'—' if d.high is None else f'{d.high:g}'}</td>"
        f"<td>{escape(d.band.label) if d.band else 'Not enough answers'}</td></tr>"
        for d in team.dimensions
    )
    html.append(
        '<details class="result-table"><summary>Show the team scores as a table</summary>'
        "<table><caption>Team scores by area, out of 100</caption><thead><tr>"
        '<th scope="col">Area</th><th scope="col">Average</th><th scope="col">Lowest</th>'
        f'<th scope="col">Highest</th><th scope="col">Band</th></tr></thead><tbody>{rows}</tbody></table></details>'
    )
    html.append('<h3 class="result-subheading">Discuss these first</h3>')
    divergent = team.divergent
    if divergent:
        html.append(
            f"<p>Members\u2019 answers to these statements are split. {escape(divergence_rule(assessment))} "
            'Where you differ is often the most useful place to start.</p><ol class="team-divergent">'
        )
        for spread in divergent:
            scale = assessment.scales[spread.question.scale]
            html.append(
                f'<li><p class="team-statement">{escape(spread.question.text)}</p>'
                f'<p class="team-distribution">{_distribution(spread, scale)}</p></li>'
            )
        html.append("</ol>")
    elif count >= 2:
        html.append(f"<p>No statement is split: your team broadly agrees. {escape(divergence_rule(assessment))}</p>")
    statement_rows = "".join(
        f"<tr{' class=team-split' if s.divergent else ''}><td>{escape(s.question.text)}</td>"
        f"<td>{_distribution(s, assessment.scales[s.question.scale])}</td>"
        f"<td>{'—' if s.span is None else s.span}</td><td>{'Split' if s.divergent else ''}</td></tr>"
        for s in team.statements
    )
    html.append(
        '<details class="result-table"><summary>Show every statement</summary>'
        "<table><caption>Answers to every statement</caption><thead><tr>"
        '<th scope="col">Statement</th><th scope="col">Answers</th><th scope="col">Spread</th>'
        f'<th scope="col">Split?</th></tr></thead><tbody>{statement_rows}</tbody></table></details>'
    )
    return "".join(html)
