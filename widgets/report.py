"""The result of one person's answers as HTML: summary, chart, table and advice.

Everything that comes from a definition or from answers is escaped, so the page can insert
this HTML as it is.
"""

from __future__ import annotations

from html import escape

from .chart import Bar, band_rank, bar_chart, grid_chart
from .definition import Advice, Rule, Scale
from .pages import page_url
from .plan import PRIORITY_RULE, Plan, filled_rows, uk_date
from .reasons import because
from .scoring import Result
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
        f'<td data-label="Score">{"—" if d.score is None else f"{d.score:g}"}</td>'
        f'<td data-label="Band">{escape(d.band.label) if d.band else "Not enough answers"}</td>'
        f'<td data-label="Rated">{d.rated}</td><td data-label="Don\u2019t know">{d.dont_know}</td>'
        f'<td data-label="Unanswered">{d.unanswered}</td>'
        "</tr>"
        for d in result.dimensions
    )
    return (
        '<table class="hb-stack"><caption>Scores by area, out of 100</caption><thead><tr>'
        '<th scope="col">Area</th><th scope="col">Score</th><th scope="col">Band</th>'
        '<th scope="col">Rated</th><th scope="col">Don\u2019t know</th><th scope="col">Unanswered</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _rule_html(rule: Rule, css: str, lead: str, base: str, result: Result) -> str:
    reasons = "".join(f"<li>{escape(line)}</li>" for line in because(rule, result))
    return (
        f'<div class="{css}"><p class="result-rule-label">{lead}<strong>{escape(rule.label)}</strong></p>'
        + (f'<p class="result-because-intro">Because:</p><ul class="result-because">{reasons}</ul>' if reasons else "")
        + f"{advice_html(Advice(text=rule.text, links=rule.links), base)}</div>"
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
            html.append(_rule_html(result.verdict, "result-verdict", "Recommendation: ", base, result))
    html.extend(_rule_html(flag, "result-flag", "Watch out: ", base, result) for flag in result.flags)
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
                cell_labels={(x_options.index(x), y_options.index(y)): label for (x, y), label in grid.cells.items()},
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
            + "".join(
                f'<td data-label="{escape(c.label)}">'
                f"{escape(labels[c.id].get(row.get(c.id, ''), row.get(c.id, '')))}</td>"
                for c in columns
            )
            + "</tr>"
            for row in rows
        )
        html.append(
            f'<table class="rows-table hb-stack"><caption>{escape(question.text)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
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
    missing = [d.dimension.title for d in result.dimensions if d.score is None]
    if missing:
        html.append(
            '<p class="result-missing">Not enough answers to score: '
            f"{escape(', '.join(missing))}. Rate at least half of the statements in an area to see its score.</p>"
        )
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


def _links_html(links, base: str) -> str:
    items = "".join(
        f'<li><a href="{escape(page_url(link.page, base))}">{escape(link.title or link.page)}</a></li>'
        for link in links
    )
    return f'<ul class="plan-links">{items}</ul>' if items else ""


def _others_html(plan: Plan) -> str:
    if not plan.others:
        return ""
    names = "; ".join(f"{escape(o.title)} ({o.score:g}, {escape(o.band.label)})" for o in plan.others)
    return f'<p class="plan-others">Also below the top band, for after these: {names}.</p>'


def discuss_html(plan: Plan) -> str:
    """Statements a team is split on: a list to talk through, apart from the actions."""
    if not plan.discuss:
        return ""
    items = "".join(
        f'<li><span class="team-statement">{escape(item.statement)}</span> '
        f'<span class="team-distribution">({escape(item.area)}. {escape(item.why)})</span></li>'
        for item in plan.discuss
    )
    return (
        '<div class="plan-discuss"><h4>To discuss</h4><p>Your team is split on these statements. Talk them '
        "through before you agree actions on them: they have no owner or date.</p>"
        f'<ol class="team-divergent">{items}</ol></div>'
    )


def plan_html(plan: Plan, *, source: str, prefix: str, base: str) -> str:
    """The priorities as a table the team completes: owner, date and agreement inputs keyed by action."""
    intro = f'<p class="plan-rule">{escape(PRIORITY_RULE)}</p>'
    heading = '<h3 class="result-subheading">Your priorities</h3>'
    if not plan.actions:
        return (
            f'<section class="action-plan" data-plan-source="{source}">{heading}{intro}'
            "<p>Every scored area is in the top band: no actions are suggested. Keep checking as things change.</p>"
            f"{discuss_html(plan)}</section>"
        )
    rows = []
    for number, action in enumerate(plan.actions, start=1):
        ids = f"{prefix}-{source}"
        rows.append(
            f'<tr data-plan-key="{escape(action.key)}"><td data-label="Priority">{number}</td>'
            f'<td data-label="Area">{escape(action.area)}</td>'
            f'<td data-label="Action"><p>{escape(action.action)}</p><p class="plan-why">{escape(action.why)}</p>'
            f"{_links_html(action.links, base)}</td>"
            f'<td data-label="Owner"><input type="text" class="plan-input" data-plan-field="owner" maxlength="200" '
            f'aria-label="Owner of priority {number}" id="{ids}-owner-{number}"></td>'
            f'<td data-label="Due date"><input type="text" class="plan-input" data-plan-field="due" maxlength="40" '
            f'placeholder="15 January 2027" aria-label="Due date of priority {number}" id="{ids}-due-{number}"></td>'
            f'<td data-label="What we agreed"><textarea class="plan-input" data-plan-field="agreed" rows="2" '
            f'maxlength="500" aria-label="What we agreed for priority {number}" id="{ids}-agreed-{number}">'
            "</textarea></td></tr>"
        )
    return (
        f'<section class="action-plan" data-plan-source="{source}">{heading}{intro}'
        "<p>Agree an owner, a date and what you will do for each priority. They are saved in this browser with "
        "your answers. Then download the plan for a spreadsheet, copy it into a document, or print it.</p>"
        '<table class="plan-table hb-stack"><caption>Priorities, most urgent first</caption>'
        '<thead><tr><th scope="col">#</th><th scope="col">Area</th><th scope="col">Action</th>'
        '<th scope="col">Owner</th><th scope="col">Due date</th><th scope="col">What we agreed</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{_others_html(plan)}{discuss_html(plan)}"
        '<div class="plan-controls">'
        '<button type="button" class="md-button" data-action="plan-csv">Download as CSV</button>'
        '<button type="button" class="md-button" data-action="plan-markdown">Copy as Markdown</button>'
        '<button type="button" class="md-button" data-action="plan-print">Print the plan</button></div>'
        '<p class="plan-status" role="status"></p></section>'
    )


# -- the printed report -----------------------------------------------------------------------


def _report_head(title: str, name: str, today: str, kind: str) -> str:
    name = " ".join(str(name or "").split())[:120]
    lines = [f'<h1 class="report-title">{escape(title)}</h1>', f'<p class="report-kind">{escape(kind)}</p>']
    if name:
        lines.append(f'<p class="report-name">Partnership: <strong>{escape(name)}</strong></p>')
    lines.append(f'<p class="report-date">Date: {escape(uk_date(today))}</p>')
    return "".join(lines)


def plan_text_html(plan: Plan, filled: object) -> str:
    """The priorities as a table of text, with what the team entered: for print."""
    if not plan.actions:
        body = "<p>Every scored area is in the top band: no actions are suggested.</p>"
    else:
        rows = "".join(
            f'<tr><td data-label="Priority">{row["priority"]}</td><td data-label="Area">{escape(row["area"])}</td>'
            f'<td data-label="Action">{escape(row["action"])}<br>'
            f'<span class="plan-why">{escape(row["why"])}</span></td>'
            f'<td data-label="Owner">{escape(row["owner"])}</td><td data-label="Due date">{escape(row["due"])}</td>'
            f'<td data-label="What we agreed">{escape(row["agreed"])}</td></tr>'
            for row in filled_rows(plan.actions, filled)
        )
        body = (
            '<table class="report-plan hb-stack"><caption>Priorities, most urgent first</caption><thead><tr>'
            '<th scope="col">#</th><th scope="col">Area</th><th scope="col">Action</th><th scope="col">Owner</th>'
            '<th scope="col">Due date</th><th scope="col">What we agreed</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    return (
        f'<h2>Priorities</h2><p class="plan-rule">{escape(PRIORITY_RULE)}</p>{body}'
        f"{_others_html(plan)}{discuss_html(plan)}"
    )


def _scores_text(rows: list[tuple[str, str, str]], caption: str) -> str:
    body = "".join(
        f'<tr><th scope="row">{escape(area)}</th><td data-label="Score">{score}</td>'
        f'<td data-label="Band">{escape(band)}</td></tr>'
        for area, score, band in rows
    )
    return (
        f'<table class="report-scores hb-stack"><caption>{escape(caption)}</caption><thead><tr>'
        '<th scope="col">Area</th><th scope="col">Score out of 100</th><th scope="col">Band</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def report_html(result: Result, plan: Plan | None, filled: object, *, name: str, today: str, only_plan: bool) -> str:
    """One reader's result as a document to print or save as PDF: no form, no buttons."""
    assessment = result.assessment
    kind = (
        "Action plan"
        if only_plan
        else ("Report" if assessment.rated else "Decision" if assessment.verdicts else "Record")
    )
    html = [_report_head(assessment.title, name, today, kind)]
    if not assessment.rated:
        html.append(verdict_html(result, "/"))
        html.append(tables_html(result))
        html.append(_answers_given(result))
        return f'<article class="report">{"".join(html)}</article>'
    html.append(f'<p class="report-counts">{counts_text(result)}</p>')
    if result.score is not None and result.band is not None:
        html.append(
            f'<p class="report-overall">Overall: <strong>{_score_text(result.score)}</strong> '
            f"({escape(result.band.label)})</p>"
        )
    scores = [
        (
            d.dimension.title,
            "not scored" if d.score is None else f"{d.score:g}",
            d.band.label if d.band else "Not enough answers",
        )
        for d in result.dimensions
    ]
    html.append(_scores_text(scores, "Scores by area, out of 100"))
    if not only_plan:
        bars = [Bar(label=d.dimension.title, score=d.score, band=d.band) for d in result.dimensions]
        chart = bar_chart(bars, assessment.bands, chart_id=f"report-{assessment.id}", title="Scores by area")
        html.append(f'<figure class="report-figure">{chart}</figure>')
    if plan is not None:
        html.append(plan_text_html(plan, filled))
    return f'<article class="report">{"".join(html)}</article>'


def _answers_given(result: Result) -> str:
    items = []
    for question in result.assessment.questions:
        picked = result.chosen.get(question.id)
        if picked:
            labels = {o.value: o.label for o in question.options}
            chosen = "; ".join(labels[v] for v in picked)
            items.append(f"<li>{escape(question.text)} <strong>{escape(chosen)}</strong></li>")
    return f'<h2>Your answers</h2><ol class="report-answers">{"".join(items)}</ol>' if items else ""


def team_report_html(
    team: TeamResult, plan: Plan | None, filled: object, *, name: str, today: str, only_plan: bool
) -> str:
    """The team view as a document: members, team scores with their range, to discuss, priorities."""
    assessment = team.assessment
    html = [_report_head(assessment.title, name, today, "Team action plan" if only_plan else "Team report")]
    count = len(team.members)
    html.append(
        f'<p class="report-counts">{count} member{"s" if count != 1 else ""} combined: '
        f"{escape(', '.join(m.label for m in team.members))}.</p>"
    )
    if team.score is not None and team.band is not None:
        html.append(
            f'<p class="report-overall">Team average: <strong>{_score_text(team.score)}</strong> '
            f"({escape(team.band.label)})</p>"
        )
    scores = [
        (
            d.dimension.title,
            "not scored" if d.score is None else f"{d.score:g} (lowest {d.low:g}, highest {d.high:g})",
            d.band.label if d.band else "Not enough answers",
        )
        for d in team.dimensions
    ]
    html.append(_scores_text(scores, "Team scores by area, out of 100"))
    if not only_plan:
        bars = [
            Bar(label=d.dimension.title, score=d.score, band=d.band, low=d.low, high=d.high) for d in team.dimensions
        ]
        chart = bar_chart(bars, assessment.bands, chart_id=f"team-report-{assessment.id}", title="Team scores by area")
        html.append(f'<figure class="report-figure">{chart}</figure>')
    if plan is not None:
        html.append(plan_text_html(plan, filled))
    return f'<article class="report">{"".join(html)}</article>'


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
    older = [member for member in team.members if member.ignored]
    if older:
        files = ", ".join(f"{escape(m.source)} ({m.ignored})" for m in older)
        html.append(
            '<p class="team-older">Some answers were left out because they answer statements this version of the '
            f"tool no longer has, or give choices it no longer offers (the file was made with an older version): "
            f"{files}. The rest of each file is counted.</p>"
        )
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
        f'<tr><th scope="row">{escape(d.dimension.title)}</th>'
        f'<td data-label="Average">{"—" if d.score is None else f"{d.score:g}"}</td>'
        f'<td data-label="Lowest">{"—" if d.low is None else f"{d.low:g}"}</td>'
        f'<td data-label="Highest">{"—" if d.high is None else f"{d.high:g}"}</td>'
        f'<td data-label="Band">{escape(d.band.label) if d.band else "Not enough answers"}</td></tr>'
        for d in team.dimensions
    )
    html.append(
        '<details class="result-table"><summary>Show the team scores as a table</summary>'
        '<table class="hb-stack"><caption>Team scores by area, out of 100</caption><thead><tr>'
        '<th scope="col">Area</th><th scope="col">Average</th><th scope="col">Lowest</th>'
        f'<th scope="col">Highest</th><th scope="col">Band</th></tr></thead><tbody>{rows}</tbody></table></details>'
    )
    if count >= 2:
        agree = "" if team.divergent else "No statement is split: your team broadly agrees. "
        html.append(f'<p class="team-rule">{agree}{escape(divergence_rule(assessment))}</p>')
    statement_rows = "".join(
        f'<tr{" class=team-split" if s.divergent else ""}><td data-label="Statement">{escape(s.question.text)}</td>'
        f'<td data-label="Answers">{_distribution(s, assessment.scales[s.question.scale])}</td>'
        f'<td data-label="Spread">{"—" if s.span is None else s.span}</td>'
        f'<td data-label="Split?">{"Split" if s.divergent else ""}</td></tr>'
        for s in team.statements
    )
    html.append(
        '<details class="result-table"><summary>Show every statement</summary>'
        '<table class="hb-stack"><caption>Answers to every statement</caption><thead><tr>'
        '<th scope="col">Statement</th><th scope="col">Answers</th><th scope="col">Spread</th>'
        f'<th scope="col">Split?</th></tr></thead><tbody>{statement_rows}</tbody></table></details>'
    )
    return "".join(html)
