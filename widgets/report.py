"""The result of one person's answers as HTML: summary, chart, table and advice.

Everything that comes from a definition or from answers is text to widgets.html, which
escapes it, so the page can insert this HTML as it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from .chart import Bar, band_rank, bar_chart, grid_chart
from .definition import Advice, Band, Link, Rule, Scale
from .html import (
    NOTHING,
    Markup,
    bullets,
    cell,
    concat,
    disclosure,
    figure,
    figure_text,
    labelled,
    link_list,
    row_header,
    table,
    tag,
)
from .limits import PLAN_FIELD_CHARS
from .members import Refusal
from .pages import page_url
from .plan import PRIORITY_RULE, Plan, filled_rows, uk_date
from .reasons import because
from .scoring import Result
from .team import StatementSpread, TeamResult, divergence_rule

NOT_ENOUGH = "Not enough answers"
PLAN_HEAD = ("#", "Area", "Action", "Owner", "Due date", "What we agreed")
PLAN_CAPTION = "Priorities, most urgent first"


def _score_text(score: float | None) -> str:
    return "not scored" if score is None else f"{score:g} out of 100"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _links(links: Iterable[Link], base: str, css: str) -> Markup:
    return link_list(((page_url(link.page, base), link.title or link.page) for link in links), class_=css)


def advice_html(advice: Advice, base: str) -> Markup:
    read_next = (
        (tag("p", "Read next:", class_="result-links-intro"), _links(advice.links, base, "result-links"))
        if advice.links
        else None
    )
    return concat(tag("p", advice.text), read_next)


def counts_text(result: Result) -> str:
    parts = [f"You have rated {result.rated} of {result.total} statements"]
    if result.dont_know:
        parts.append(f"answered \u201cdon\u2019t know\u201d to {result.dont_know}")
    left = result.total - result.answered
    if left:
        parts.append(f"left {left} unanswered")
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text + "."


def _band_text(band: Band | None) -> str:
    return band.label if band else NOT_ENOUGH


def _overall(lead: str, score: float, band: Band, bands: Iterable[Band]) -> Markup:
    """The overall score, with its band as a coloured badge."""
    badge = tag("span", band.label, class_=f"result-band band-rank-{band_rank(band, list(bands))}")
    return labelled(lead, _score_text(score), " ", badge, class_="result-overall")


def _table(result: Result) -> Markup:
    return table(
        ("Area", "Score", "Band", "Rated", "Don\u2019t know", "Unanswered"),
        (
            [
                row_header(d.dimension.title),
                cell(figure_text(d.score), "Score"),
                cell(_band_text(d.band), "Band"),
                cell(d.rated, "Rated"),
                cell(d.dont_know, "Don\u2019t know"),
                cell(d.unanswered, "Unanswered"),
            ]
            for d in result.dimensions
        ),
        caption="Scores by area, out of 100",
        class_="hb-stack",
    )


def _rule_html(rule: Rule, css: str, lead: str, base: str, result: Result) -> Markup:
    reasons = because(rule, result)
    return tag(
        "div",
        labelled(lead, rule.label, class_="result-rule-label"),
        (tag("p", "Because:", class_="result-because-intro"), bullets(reasons, class_="result-because"))
        if reasons
        else None,
        advice_html(Advice(text=rule.text, links=rule.links), base),
        class_=css,
    )


def verdict_html(result: Result, base: str) -> Markup:
    """The recommendation and any warning flags of a decision aid."""
    assessment = result.assessment
    html = []
    if assessment.verdicts:
        if result.choices_left:
            left = result.choices_left
            html.append(
                tag(
                    "p",
                    f"Answer the {left} remaining question{'s' if left != 1 else ''} above to see a recommendation.",
                    class_="result-verdict-pending",
                )
            )
        elif result.verdict is not None:
            html.append(_rule_html(result.verdict, "result-verdict", "Recommendation: ", base, result))
    html.extend(_rule_html(flag, "result-flag", "Watch out: ", base, result) for flag in result.flags)
    return concat(html)


def tables_html(result: Result) -> Markup:
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
            caption = (
                f"{by_id[grid.label].label} placed by {by_id[grid.x].label.lower()} and "
                f"{by_id[grid.y].label.lower()}. Entries without both are in the table only."
            )
            html.append(figure(chart, caption=caption))
        labels = {c.id: {o.value: o.label for o in c.options} for c in columns}
        html.append(
            table(
                [c.label for c in columns],
                (
                    [cell(labels[c.id].get(row.get(c.id, ""), row.get(c.id, "")), c.label) for c in columns]
                    for row in rows
                ),
                caption=question.text,
                class_="rows-table hb-stack",
            )
            if rows
            else tag("p", f"Nothing entered yet for \u201c{question.text}\u201d.")
        )
    return concat(html)


def result_html(result: Result, *, base: str = "/") -> Markup:
    assessment = result.assessment
    html = [tag("h2", "Your result", class_="result-heading"), verdict_html(result, base), tables_html(result)]
    if not assessment.rated:
        return concat(html)
    if result.answered == 0:
        html.append(
            tag(
                "p",
                "Rate some statements and your scores will appear here. "
                "Each area needs at least half of its statements rated to get a score.",
            )
        )
        return concat(html)
    if result.score is not None and result.band is not None:
        html.append(_overall("Overall: ", result.score, result.band, assessment.bands))
    else:
        html.append(tag("p", "Overall: not scored yet. Rate more statements in each area.", class_="result-overall"))
    html.append(tag("p", counts_text(result), class_="result-counts"))
    if result.ignored:
        html.append(
            tag(
                "p",
                "Some saved answers no longer match this version of the assessment and were left out: "
                f"{', '.join(result.ignored)}.",
                class_="result-notice",
            )
        )
    bars = [Bar(label=d.dimension.title, score=d.score, band=d.band) for d in result.dimensions]
    html.append(
        figure(
            bar_chart(bars, assessment.bands, chart_id=f"chart-{assessment.id}", title="Scores by area"),
            caption="Scores by area, out of 100. Dashed lines mark where each band starts.",
        )
    )
    html.append(disclosure("Show the scores as a table", _table(result)))
    missing = [d.dimension.title for d in result.dimensions if d.score is None]
    if missing:
        html.append(
            tag(
                "p",
                f"Not enough answers to score: {', '.join(missing)}. "
                "Rate at least half of the statements in an area to see its score.",
                class_="result-missing",
            )
        )
    return concat(html)


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


def _others_html(plan: Plan) -> Markup:
    if not plan.others:
        return NOTHING
    names = "; ".join(f"{o.title} ({o.score:g}, {o.band.label})" for o in plan.others)
    return tag("p", f"Also below the top band, for after these: {names}.", class_="plan-others")


def discuss_html(plan: Plan) -> Markup:
    """Statements a team is split on: a list to talk through, apart from the actions."""
    if not plan.discuss:
        return NOTHING
    items = (
        concat(
            tag("span", item.statement, class_="team-statement"),
            " ",
            tag("span", f"({item.area}. {item.why})", class_="team-distribution"),
        )
        for item in plan.discuss
    )
    return tag(
        "div",
        tag("h4", "To discuss"),
        tag(
            "p",
            "Your team is split on these statements. Talk them through before you agree actions on them: "
            "they have no owner or date.",
        ),
        bullets(items, ordered=True, class_="team-divergent"),
        class_="plan-discuss",
    )


def _plan_box(field: str, number: int, ids: str, label: str, placeholder: str | None = None) -> Markup:
    """What a team fills in for one priority: one line of text, or two for what was agreed."""
    agreed = field == "agreed"
    return tag(
        "textarea" if agreed else "input",
        type=None if agreed else "text",
        class_="plan-input",
        data_plan_field=field,
        rows=2 if agreed else None,
        maxlength=PLAN_FIELD_CHARS[field],
        placeholder=placeholder,
        aria_label=f"{label} priority {number}",
        id=f"{ids}-{field}-{number}",
    )


def plan_html(plan: Plan, *, source: str, prefix: str, base: str) -> Markup:
    """The priorities as a table the team completes: owner, date and agreement inputs keyed by action."""
    heading = tag("h3", "Your priorities", class_="result-subheading")
    intro = tag("p", PRIORITY_RULE, class_="plan-rule")
    if not plan.actions:
        return tag(
            "section",
            heading,
            intro,
            tag("p", "Every scored area is in the top band: no actions are suggested. Keep checking as things change."),
            discuss_html(plan),
            class_="action-plan",
            data_plan_source=source,
        )
    ids = f"{prefix}-{source}"
    rows = []
    for number, action in enumerate(plan.actions, start=1):
        rows.append(
            tag(
                "tr",
                cell(number, "Priority"),
                cell(action.area, "Area"),
                cell(
                    (
                        tag("p", action.action),
                        tag("p", action.why, class_="plan-why"),
                        _links(action.links, base, "plan-links"),
                    ),
                    "Action",
                ),
                cell(_plan_box("owner", number, ids, "Owner of"), "Owner"),
                cell(_plan_box("due", number, ids, "Due date of", placeholder="15 January 2027"), "Due date"),
                cell(_plan_box("agreed", number, ids, "What we agreed for"), "What we agreed"),
                data_plan_key=action.key,
            )
        )
    buttons = (
        tag("button", text, type="button", class_="md-button", data_action=action)
        for action, text in (
            ("plan-csv", "Download as CSV"),
            ("plan-markdown", "Copy as Markdown"),
            ("plan-print", "Print the plan"),
        )
    )
    return tag(
        "section",
        heading,
        intro,
        tag(
            "p",
            "Agree an owner, a date and what you will do for each priority. They are saved in this browser with "
            "your answers. Then download the plan for a spreadsheet, copy it into a document, or print it.",
        ),
        table(PLAN_HEAD, rows, caption=PLAN_CAPTION, class_="plan-table hb-stack"),
        _others_html(plan),
        discuss_html(plan),
        tag("div", buttons, class_="plan-controls"),
        tag("p", class_="plan-status", role="status"),
        class_="action-plan",
        data_plan_source=source,
    )


# -- the printed report -----------------------------------------------------------------------


def _report_head(title: str, name: str, today: str, kind: str) -> Markup:
    name = " ".join(str(name or "").split())[:120]
    return concat(
        tag("h1", title, class_="report-title"),
        tag("p", kind, class_="report-kind"),
        labelled("Partnership: ", name, class_="report-name") if name else None,
        tag("p", f"Date: {uk_date(today)}", class_="report-date"),
    )


def _report_overall(lead: str, score: float | None, band: Band | None) -> Markup:
    if score is None or band is None:
        return NOTHING
    return labelled(lead, _score_text(score), f" ({band.label})", class_="report-overall")


def plan_text_html(plan: Plan, filled: object) -> Markup:
    """The priorities as a table of text, with what the team entered: for print."""
    if not plan.actions:
        body = tag("p", "Every scored area is in the top band: no actions are suggested.")
    else:
        body = table(
            PLAN_HEAD,
            (
                [
                    cell(row["priority"], "Priority"),
                    cell(row["area"], "Area"),
                    cell((row["action"], tag("br"), tag("span", row["why"], class_="plan-why")), "Action"),
                    cell(row["owner"], "Owner"),
                    cell(row["due"], "Due date"),
                    cell(row["agreed"], "What we agreed"),
                ]
                for row in filled_rows(plan.actions, filled)
            ),
            caption=PLAN_CAPTION,
            class_="report-plan hb-stack",
        )
    return concat(
        tag("h2", "Priorities"),
        tag("p", PRIORITY_RULE, class_="plan-rule"),
        body,
        _others_html(plan),
        discuss_html(plan),
    )


def _scores_text(rows: list[tuple[str, str, str]], caption: str) -> Markup:
    return table(
        ("Area", "Score out of 100", "Band"),
        ([row_header(area), cell(score, "Score"), cell(band, "Band")] for area, score, band in rows),
        caption=caption,
        class_="report-scores hb-stack",
    )


def report_html(result: Result, plan: Plan | None, filled: object, *, name: str, today: str, only_plan: bool) -> Markup:
    """One reader's result as a document to print or save as PDF: no form, no buttons."""
    assessment = result.assessment
    kind = (
        "Action plan"
        if only_plan
        else ("Report" if assessment.rated else "Decision" if assessment.verdicts else "Record")
    )
    html = [_report_head(assessment.title, name, today, kind)]
    if not assessment.rated:
        html += [verdict_html(result, "/"), tables_html(result), _answers_given(result)]
        return tag("article", html, class_="report")
    html.append(tag("p", counts_text(result), class_="report-counts"))
    html.append(_report_overall("Overall: ", result.score, result.band))
    scores = [
        (d.dimension.title, "not scored" if d.score is None else f"{d.score:g}", _band_text(d.band))
        for d in result.dimensions
    ]
    html.append(_scores_text(scores, "Scores by area, out of 100"))
    if not only_plan:
        bars = [Bar(label=d.dimension.title, score=d.score, band=d.band) for d in result.dimensions]
        chart = bar_chart(bars, assessment.bands, chart_id=f"report-{assessment.id}", title="Scores by area")
        html.append(figure(chart, class_="report-figure"))
    if plan is not None:
        html.append(plan_text_html(plan, filled))
    return tag("article", html, class_="report")


def _answers_given(result: Result) -> Markup:
    items = []
    for question in result.assessment.questions:
        picked = result.chosen.get(question.id)
        if picked:
            labels = {o.value: o.label for o in question.options}
            items.append(concat(question.text, " ", tag("strong", "; ".join(labels[v] for v in picked))))
    if not items:
        return NOTHING
    return concat(tag("h2", "Your answers"), bullets(items, ordered=True, class_="report-answers"))


def team_report_html(
    team: TeamResult, plan: Plan | None, filled: object, *, name: str, today: str, only_plan: bool
) -> Markup:
    """The team view as a document: members, team scores with their range, to discuss, priorities."""
    assessment = team.assessment
    html = [_report_head(assessment.title, name, today, "Team action plan" if only_plan else "Team report")]
    if not team.members:
        return tag("article", html, anonymity_note(team), class_="report")
    html.append(
        tag(
            "p",
            f"{_plural(len(team.members), 'member')} combined: {', '.join(m.label for m in team.members)}.",
            class_="report-counts",
        )
    )
    html.append(anonymity_note(team))
    html.append(_report_overall("Team average: ", team.score, team.band))
    scores = [
        (
            d.dimension.title,
            (WITHHELD if d.withheld else "not scored")
            if d.score is None
            else f"{d.score:g} (lowest {d.low:g}, highest {d.high:g})",
            _band_text(d.band),
        )
        for d in team.dimensions
    ]
    html.append(_scores_text(scores, "Team scores by area, out of 100"))
    if not only_plan:
        chart = bar_chart(
            _team_bars(team), assessment.bands, chart_id=f"team-report-{assessment.id}", title="Team scores by area"
        )
        html.append(figure(chart, class_="report-figure"))
    if plan is not None:
        html.append(plan_text_html(plan, filled))
    return tag("article", html, class_="report")


# -- team view ------------------------------------------------------------------------------


def _team_bars(team: TeamResult) -> list[Bar]:
    return [Bar(label=d.dimension.title, score=d.score, band=d.band, low=d.low, high=d.high) for d in team.dimensions]


def _distribution(spread: StatementSpread, scale: Scale) -> str:
    if spread.withheld:
        return WITHHELD
    parts = [f"{point.label}: {spread.counts[point.value]}" for point in scale.points]
    if scale.dont_know:
        parts.append(f"{scale.dont_know}: {spread.dont_know}")
    if spread.unanswered:
        parts.append(f"not answered: {spread.unanswered}")
    return " \u00b7 ".join(parts)


def refused_html(refused: Iterable[Refusal], intro: str, outcome: str) -> Markup:
    """Files that were left out, each named with its reason: "<strong>a.json</strong>: not added, because ..."."""
    items = (concat(tag("strong", r.source), f": {outcome}, because {r.reason}.") for r in refused)
    return tag("div", tag("p", intro), bullets(items), class_="team-refused")


WITHHELD = "Withheld"


def anonymity_note(team: TeamResult) -> Markup:
    """Why some figures are missing, and who is waiting: said wherever team figures appear."""
    k = team.threshold
    parts = []
    if not team.members:
        have = len(team.waiting)
        parts.append(
            f"The team\u2019s figures appear once at least {k} people\u2019s answers are in"
            + (f" ({have} so far: {', '.join(m.label for m in team.waiting)})." if have else ".")
        )
    elif team.waiting:
        names = ", ".join(m.label for m in team.waiting)
        parts.append(
            f"{len(team.waiting)} {'person' if len(team.waiting) == 1 else 'people'} waiting ({names}): "
            f"their answers join the figures once at least "
            f"{k} people have joined since the view last changed, so that no one\u2019s answers can be worked out by "
            "comparing this view with an earlier one."
        )
    withheld = sum(d.withheld for d in team.dimensions) + sum(s.withheld for s in team.statements)
    if team.members and withheld:
        parts.append(
            f"{_plural(withheld, 'figure')} {'is' if withheld == 1 else 'are'} withheld: "
            f"fewer than {k} people answered, or showing it beside what this tool has shown before "
            "would single someone out."
        )
    return tag("p", " ".join(parts), class_="team-anonymity") if parts else NOTHING


def team_html(team: TeamResult, *, base: str = "/") -> Markup:
    assessment = team.assessment
    html = [tag("h2", "Your team\u2019s view", class_="result-heading")]
    if team.refused:
        html.append(refused_html(team.refused, "Some files were not added:", "not added"))
    if not team.members and not team.waiting:
        html.append(tag("p", "No answers to combine yet. Add the files your team members downloaded."))
        return concat(html)
    if not team.members:
        html.append(anonymity_note(team))
        return concat(html)
    count = len(team.members)
    names = ", ".join(member.label for member in team.members)
    html.append(tag("p", f"{_plural(count, 'member')} combined: {names}.", class_="team-members"))
    html.append(anonymity_note(team))
    older = [member for member in team.members if member.ignored]
    if older:
        files = ", ".join(f"{m.source} ({m.ignored})" for m in older)
        html.append(
            tag(
                "p",
                "Some answers were left out because they answer statements this version of the tool no longer has, "
                "or give choices it no longer offers (the file was made with an older version): "
                f"{files}. The rest of each file is counted.",
                class_="team-older",
            )
        )
    if team.score is not None and team.band is not None:
        html.append(_overall("Team average: ", team.score, team.band, assessment.bands))
    chart = bar_chart(_team_bars(team), assessment.bands, chart_id=f"team-{assessment.id}", title="Team scores by area")
    html.append(
        figure(
            chart,
            caption="Team average by area, out of 100. The line across each bar runs from the lowest to the highest "
            "member\u2019s score.",
        )
    )
    scores = table(
        ("Area", "Average", "Lowest", "Highest", "Band"),
        (
            [
                row_header(d.dimension.title),
                cell(figure_text(d.score), "Average"),
                cell(figure_text(d.low), "Lowest"),
                cell(figure_text(d.high), "Highest"),
                cell(_band_text(d.band), "Band"),
            ]
            for d in team.dimensions
        ),
        caption="Team scores by area, out of 100",
        class_="hb-stack",
    )
    html.append(disclosure("Show the team scores as a table", scores))
    if count >= 2:
        agree = "" if team.divergent else "No statement is split: your team broadly agrees. "
        html.append(tag("p", agree + divergence_rule(assessment), class_="team-rule"))
    statements = table(
        ("Statement", "Answers", "Spread", "Split?"),
        (
            tag(
                "tr",
                cell(s.question.text, "Statement"),
                cell(_distribution(s, assessment.scales[s.question.scale]), "Answers"),
                cell(figure_text(s.span), "Spread"),
                cell("Split" if s.divergent else "", "Split?"),
                class_="team-split" if s.divergent else None,
            )
            for s in team.statements
        ),
        caption="Answers to every statement",
        class_="hb-stack",
    )
    html.append(disclosure("Show every statement", statements))
    return concat(html)
