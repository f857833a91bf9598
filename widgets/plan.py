"""An action plan from a result or a team view, and the plan as CSV or Markdown.

The plan holds at most ``MAX_PRIORITIES`` actions, one for each of the weakest areas below
the top band, chosen by the rule in ``PRIORITY_RULE``: the lowest score first; where two
areas score the same, the one with more weak statements (rated in the lower half of the
scale) first; then the order of the definition. Each action carries its band's advice once.
Statements a team is split on are not actions: they are listed apart, to discuss.
Owners, dates and what was agreed are the team's: they arrive keyed by action.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .definition import Assessment, Band, Link
from .limits import PLAN_FIELD_CHARS
from .scoring import WEAK_SHARE, Result, rating_share
from .team import TeamResult

MAX_PRIORITIES = 3
FIELDS = tuple(PLAN_FIELD_CHARS)
PRIORITY_RULE = (
    f"At most {MAX_PRIORITIES} priorities, taken from the areas below the top band: the lowest score comes first, "
    "and where two areas score the same, the one with more statements rated in the lower half of the scale."
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, kw_only=True, slots=True)
class Action:
    key: str
    """Stable across recalculations, so owners and dates stay with their action."""
    area: str
    action: str
    why: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class AreaStanding:
    """One scored area, with what the priority rule looks at."""

    id: str
    title: str
    score: float
    band: Band
    weak: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Discussion:
    """A statement the team is split on: to talk through, not to act on yet."""

    key: str
    area: str
    statement: str
    why: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Plan:
    actions: tuple[Action, ...]
    others: tuple[AreaStanding, ...] = ()
    """Areas below the top band that did not make the priorities, weakest first."""
    discuss: tuple[Discussion, ...] = ()


def read_date(text: str) -> datetime.date | None:
    """A date written as 2027-01-15, 15/1/2027, 15.01.2027, 15 January 2027 or 15 Jan 2027 (day first)."""
    text = " ".join(text.replace(",", " ").split())
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    parts = re.split(r"[/.\- ]", text)
    if len(parts) != 3 or not parts[0].isdigit() or not parts[2].isdigit() or len(parts[2]) != 4:
        return None
    month_text = parts[1].lower()
    if month_text.isdigit():
        month = int(month_text)
    else:
        names = [m.lower() for m in MONTHS]
        found = [i for i, name in enumerate(names, 1) if len(month_text) >= 3 and name.startswith(month_text)]
        if len(found) != 1:
            return None
        month = found[0]
    try:
        return datetime.date(int(parts[2]), month, int(parts[0]))
    except ValueError:
        return None


def uk_date(value: object) -> str:
    """A date the reader wrote (see ``read_date``) as 15 January 2027; anything else as it was given."""
    text = str(value or "").strip()[: PLAN_FIELD_CHARS["due"]]
    day = read_date(text)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else text


def ranked(standings: Sequence[AreaStanding], assessment: Assessment) -> list[AreaStanding]:
    """Areas below the top band in priority order (the rule in ``PRIORITY_RULE``).

    A tool with no ratings (a decision aid, a worksheet) has no bands and no priorities.
    """
    if not assessment.bands:
        return []
    best = assessment.bands[0].id
    order = {d.id: i for i, d in enumerate(assessment.dimensions)}
    weak = [s for s in standings if s.band.id != best]
    return sorted(weak, key=lambda s: (s.score, -s.weak, order[s.id]))


def _plan(standings: Sequence[AreaStanding], assessment: Assessment, discuss: tuple[Discussion, ...] = ()) -> Plan:
    order = ranked(standings, assessment)
    dimensions = {d.id: d for d in assessment.dimensions}
    actions = []
    for standing in order[:MAX_PRIORITIES]:
        advice = dimensions[standing.id].advice[standing.band.id]
        weak = f" {standing.weak} statement{'s' if standing.weak != 1 else ''} rated low." if standing.weak else ""
        actions.append(
            Action(
                key=f"area:{standing.id}",
                area=standing.title,
                action=advice.text,
                why=f"Scored {standing.score:g} out of 100 ({standing.band.label}).{weak}",
                links=advice.links,
            )
        )
    return Plan(actions=tuple(actions), others=tuple(order[MAX_PRIORITIES:]), discuss=discuss)


def plan_for_result(result: Result) -> Plan:
    standings = [
        AreaStanding(id=d.dimension.id, title=d.dimension.title, score=d.score, band=d.band, weak=d.weak)
        for d in result.dimensions
        if d.score is not None and d.band is not None
    ]
    return _plan(standings, result.assessment)


def _team_weak(team: TeamResult) -> dict[str, int]:
    """Per area, the statements whose members' mean rating sits in the lower half of the scale."""
    weak: dict[str, int] = {}
    for spread in team.statements:
        ratings = [value for value, count in spread.counts.items() for _ in range(count)]
        if not ratings:
            continue
        share = sum(rating_share(team.assessment, spread.question, r) for r in ratings) / len(ratings)
        if share < WEAK_SHARE:
            weak[spread.question.dimension] = weak.get(spread.question.dimension, 0) + 1
    return weak


def to_discuss(team: TeamResult) -> tuple[Discussion, ...]:
    titles = {d.id: d.title for d in team.assessment.dimensions}
    items = []
    for spread in team.divergent:
        question = spread.question
        scale = team.assessment.scales[question.scale]
        ratings = [value for value, count in spread.counts.items() if count]
        low, high = scale.label_of(min(ratings)), scale.label_of(max(ratings))
        items.append(
            Discussion(
                key=f"split:{question.id}",
                area=titles[question.dimension],
                statement=question.text,
                why=f"Answers ranged from \u201c{low}\u201d to \u201c{high}\u201d.",
            )
        )
    return tuple(items)


def plan_for_team(team: TeamResult) -> Plan:
    weak = _team_weak(team)
    standings = [
        AreaStanding(
            id=d.dimension.id, title=d.dimension.title, score=d.score, band=d.band, weak=weak.get(d.dimension.id, 0)
        )
        for d in team.dimensions
        if d.score is not None and d.band is not None
    ]
    return _plan(standings, team.assessment, to_discuss(team))


def _cell(value: str) -> str:
    """A spreadsheet shows this as text, never runs it as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def filled_rows(actions: Sequence[Action], filled: object) -> list[dict[str, str]]:
    """Each action as text, with the owner, date (as 15 January 2027) and agreement the team entered."""
    rows = []
    filled = filled if isinstance(filled, Mapping) else {}
    for number, action in enumerate(actions, start=1):
        extra = filled.get(action.key)
        extra = extra if isinstance(extra, Mapping) else {}
        values = {field: " ".join(str(extra.get(field) or "").split())[: PLAN_FIELD_CHARS[field]] for field in FIELDS}
        values["due"] = uk_date(values["due"])
        rows.append(
            {
                "priority": str(number),
                "area": action.area,
                "action": action.action,
                "why": action.why,
                "read": "; ".join(link.title or link.page for link in action.links),
                **values,
            }
        )
    return rows


HEADINGS = {
    "priority": "Priority",
    "area": "Area",
    "action": "Action",
    "why": "Why",
    "read": "Read in the handbook",
    "owner": "Owner",
    "due": "Due date",
    "agreed": "What we agreed",
}


def plan_csv(plan: Plan, filled: Mapping[str, object]) -> str:
    """UTF-8 CSV with a byte order mark and CRLF line ends: opens cleanly in a spreadsheet."""
    out = io.StringIO()
    # Every field quoted: a spreadsheet set to ";" (or tab) as its separator splits an unquoted
    # "Agreed;=1+1" into a second cell, which it would then run as a formula.
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(HEADINGS.values())
    for row in filled_rows(plan.actions, filled):
        writer.writerow(_cell(row[key]) for key in HEADINGS)
    return "\ufeff" + out.getvalue()


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def _md(value: str) -> str:
    """Text that Markdown shows as it is: no emphasis, link, image, raw HTML or table break."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(value.split()))


def plan_markdown(plan: Plan, filled: Mapping[str, object], title: str) -> str:
    lines = [f"## Action plan: {_md(title)}", "", "| " + " | ".join(HEADINGS.values()) + " |"]
    lines.append("|" + "---|" * len(HEADINGS))
    for row in filled_rows(plan.actions, filled):
        lines.append("| " + " | ".join(_md(row[key]) for key in HEADINGS) + " |")
    if plan.discuss:
        lines += ["", "### To discuss", ""]
        lines += [f"- {_md(item.statement)} ({_md(item.area)}: {_md(item.why)})" for item in plan.discuss]
    return "\n".join(lines) + "\n"
