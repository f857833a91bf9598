"""The workshop pack: a print layout for the room, built from a team view.

A cover (tool, partnership, date, who took part by group), an agenda for 60 or 90 minutes
ordered by divergence, then one page section per statement to discuss, with its spread of
answers drawn, a prompt and space for notes and decisions. The plan follows, from the same
team view. It shows counts only: no name ever stands beside an answer.

The agenda rule, stated on the pack: the statements the team is most split on come first
(widest span, then widest spread); if fewer are split than there is time for, the lowest
rated statements of the weakest areas fill the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from .groups import GroupView
from .html import Markup, cell, table, tag
from .team import StatementSpread, TeamResult, divergence_rule

LENGTHS = (60, 90)
"""Workshop lengths offered, in minutes."""
OPENING_MINUTES = 5
PLAN_MINUTES = 10
CLOSING_MINUTES = 5
MINUTES_PER_ITEM = 8
DEFAULT_PROMPT = (
    "What do those who answered high see that others do not? What would have to change for all of you to agree?"
)


@dataclass(frozen=True, kw_only=True, slots=True)
class AgendaItem:
    start: int
    """Minutes from the start of the workshop."""
    minutes: int
    title: str
    spread: StatementSpread | None = None
    why: str = ""


def _mean(spread: StatementSpread) -> float:
    rated = sum(spread.counts.values())
    return sum(v * c for v, c in spread.counts.items()) / rated if rated else float("inf")


def agenda(team: TeamResult, minutes: int) -> tuple[AgendaItem, ...]:
    """The agenda for a workshop of ``minutes`` (60 or 90), statements by divergence first."""
    if minutes not in LENGTHS:
        raise ValueError(f"a workshop lasts {' or '.join(map(str, LENGTHS))} minutes")
    discussion = minutes - OPENING_MINUTES - PLAN_MINUTES - CLOSING_MINUTES
    room = discussion // MINUTES_PER_ITEM
    chosen: list[tuple[StatementSpread, str]] = [(s, "split") for s in team.divergent[:room]]
    if len(chosen) < room:
        weak_areas = sorted(
            (d for d in team.dimensions if d.score is not None), key=lambda d: (d.score, d.dimension.id)
        )
        area_rank = {d.dimension.id: i for i, d in enumerate(weak_areas)}
        taken = {s.question.id for s, _ in chosen}
        rest = [
            s
            for s in team.statements
            if s.question.id not in taken and s.question.dimension in area_rank and sum(s.counts.values())
        ]
        rest.sort(key=lambda s: (area_rank[s.question.dimension], _mean(s)))
        chosen += [(s, "low") for s in rest[: room - len(chosen)]]
    items = [AgendaItem(start=0, minutes=OPENING_MINUTES, title="Welcome, purpose of the session, ground rules")]
    clock = OPENING_MINUTES
    # The discussion time is shared out in whole minutes, the first items taking any left over.
    each, spare = divmod(discussion, len(chosen)) if chosen else (0, 0)
    for index, (spread, why) in enumerate(chosen):
        reason = "Answers are split" if why == "split" else "Rated low in a weak area"
        minutes_here = each + (1 if index < spare else 0)
        items.append(
            AgendaItem(start=clock, minutes=minutes_here, title=spread.question.text, spread=spread, why=reason)
        )
        clock += minutes_here
    if not chosen:
        clock += discussion
    items.append(AgendaItem(start=clock, minutes=PLAN_MINUTES, title="Agree actions, owners and dates"))
    items.append(AgendaItem(start=clock + PLAN_MINUTES, minutes=CLOSING_MINUTES, title="Close: what happens next"))
    return tuple(items)


def _spread_svg(spread: StatementSpread, labels: list[tuple[int, str]], dont_know: str | None) -> Markup:
    """One horizontal bar per answer, length by count: readable in black and white."""
    rows = [(label, spread.counts[value]) for value, label in labels]
    if dont_know:
        rows.append((dont_know, spread.dont_know))
    most = max([count for _, count in rows] + [1])
    row_height, label_width, bar_width = 22, 170, 300
    parts = []
    for index, (label, count) in enumerate(rows):
        y = 2 + index * row_height
        width = bar_width * count / most
        parts += [
            tag("text", label, x=label_width - 6, y=y + 15, text_anchor="end", class_="chart-label"),
            tag("rect", x=label_width, y=y + 3, width=f"{width:.1f}", height=row_height - 8, class_="pack-bar"),
            tag("text", count, x=f"{label_width + width + 6:.1f}", y=y + 15, class_="chart-label"),
        ]
    return tag(
        "svg",
        parts,
        class_="pack-spread",
        viewBox=f"0 0 {label_width + bar_width + 40} {row_height * len(rows) + 4}",
        role="img",
        aria_label=_spread_words(rows),
        xmlns="http://www.w3.org/2000/svg",
    )


def _spread_words(rows: list[tuple[str, int]]) -> str:
    return "Answers: " + "; ".join(f"{label} {count}" for label, count in rows)


def _took_part(team: TeamResult, view: GroupView | None) -> str:
    count = len(team.members)
    text = f"{count} member{'s' if count != 1 else ''} took part"
    if view and view.groups:
        text += ": " + ", ".join(f"{g.label} {g.members}" for g in view.groups)
    return text + "."


def _times(item: AgendaItem) -> str:
    return f"{item.start}\u2013{item.start + item.minutes}"


def workshop_pack(
    team: TeamResult,
    view: GroupView | None,
    *,
    minutes: int,
    on: dt.date,
    partnership: str = "",
    prompts: Mapping[str, str] | None = None,
    plan_html: str = "",
) -> Markup:
    """The pack as HTML for printing.

    Each statement's prompt is, in order: ``prompts[statement id]``, ``prompts[area id]``, the
    statement's own ``prompt`` in the definition, its area's, then a general one.
    ``plan_html`` is HTML this package made (the plan section), inserted as it is.
    """
    prompts = prompts or {}
    assessment = team.assessment
    items = agenda(team, minutes)
    cover = tag(
        "section",
        tag("h2", f"{assessment.title}: workshop pack"),
        tag("p", partnership, class_="pack-partnership") if partnership else None,
        tag("p", f"{on.day} {on:%B %Y}", class_="pack-date"),
        tag("p", _took_part(team, view)),
        tag("p", view.note) if view else None,
        class_="pack-cover",
    )
    agenda_html = tag(
        "section",
        tag("h2", f"Agenda: {minutes} minutes"),
        tag(
            "p",
            "The statements your team is most split on come first: widest gap between the highest and lowest "
            "answer, then widest spread. If fewer are split than there is time for, the lowest rated statements "
            f"in your weakest areas follow. {divergence_rule(assessment)}",
        ),
        table(
            ["Minutes", "Item", "Why it is here"],
            ([cell(_times(item), class_="pack-time"), cell(item.title), cell(item.why)] for item in items),
            class_="pack-agenda-table",
        ),
        class_="pack-agenda",
    )
    sections = []
    for number, item in enumerate((i for i in items if i.spread), start=1):
        spread = item.spread
        question = spread.question
        scale = assessment.scales[question.scale]
        area = next((d for d in assessment.dimensions if d.id == question.dimension), None)
        prompt = (
            prompts.get(question.id)
            or prompts.get(question.dimension or "")
            or question.prompt
            or (area.prompt if area else None)
            or DEFAULT_PROMPT
        )
        sections.append(
            tag(
                "section",
                tag("h3", f"{number}. {question.text}"),
                tag("p", f"{item.why} \u00b7 {item.minutes} minutes", class_="pack-why"),
                _spread_svg(spread, [(p.value, p.label) for p in scale.points], scale.dont_know),
                tag("p", tag("strong", "To discuss:"), " ", prompt, class_="pack-prompt"),
                tag("div", tag("p", "Notes"), class_="pack-notes"),
                tag("div", tag("p", "What we decided"), class_="pack-notes"),
                class_="pack-item",
            )
        )
    plan = tag("section", Markup(plan_html), class_="pack-plan") if plan_html else None
    return tag("div", cover, agenda_html, sections, plan, class_="workshop-pack")
