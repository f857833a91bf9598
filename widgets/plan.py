"""An action plan from a result or a team view, and the plan as CSV or Markdown.

Actions come first from statements a team is split on (talk them through before acting),
then from each area below the top band, weakest first, carrying that band's advice and its
links into the handbook. Owners and dates are the team's: they arrive keyed by action.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from .definition import Link
from .scoring import Result
from .team import TeamResult

FIELDS = ("owner", "due")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, kw_only=True, slots=True)
class Action:
    key: str
    """Stable across recalculations, so owners and dates stay with their action."""
    area: str
    action: str
    why: str
    links: tuple[Link, ...] = ()


def _weak_areas(scored: list[tuple[str, str, float, object]], assessment) -> list[Action]:
    best = assessment.bands[0].id
    actions = []
    for dim_id, title, score, band in sorted(scored, key=lambda item: item[2]):
        if band.id == best:
            continue
        dimension = next(d for d in assessment.dimensions if d.id == dim_id)
        advice = dimension.advice[band.id]
        actions.append(
            Action(
                key=f"area:{dim_id}",
                area=title,
                action=advice.text,
                why=f"Scored {score:g} out of 100 ({band.label}).",
                links=advice.links,
            )
        )
    return actions


def plan_for_result(result: Result) -> list[Action]:
    scored = [(d.dimension.id, d.dimension.title, d.score, d.band) for d in result.dimensions if d.score is not None]
    return _weak_areas(scored, result.assessment)


def plan_for_team(team: TeamResult) -> list[Action]:
    assessment = team.assessment
    titles = {d.id: d.title for d in assessment.dimensions}
    actions = []
    for spread in team.divergent:
        question = spread.question
        scale = assessment.scales[question.scale]
        ratings = [value for value, count in spread.counts.items() if count]
        low, high = scale.label_of(min(ratings)), scale.label_of(max(ratings))
        actions.append(
            Action(
                key=f"split:{question.id}",
                area=titles[question.dimension],
                action=f"Talk through why members see this differently: \u201c{question.text}\u201d",
                why=f"Answers ranged from \u201c{low}\u201d to \u201c{high}\u201d.",
            )
        )
    scored = [(d.dimension.id, d.dimension.title, d.score, d.band) for d in team.dimensions if d.score is not None]
    return actions + _weak_areas(scored, assessment)


def _cell(value: str) -> str:
    """A spreadsheet shows this as text, never runs it as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _filled(actions: list[Action], filled: Mapping[str, object]) -> list[dict[str, str]]:
    rows = []
    for number, action in enumerate(actions, start=1):
        extra = filled.get(action.key) if isinstance(filled, Mapping) else None
        extra = extra if isinstance(extra, Mapping) else {}
        rows.append(
            {
                "priority": str(number),
                "area": action.area,
                "action": action.action,
                "why": action.why,
                "read": "; ".join(link.title or link.page for link in action.links),
                **{field: str(extra.get(field) or "")[:200] for field in FIELDS},
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
}


def plan_csv(actions: list[Action], filled: Mapping[str, object]) -> str:
    """UTF-8 CSV with a byte order mark and CRLF line ends: opens cleanly in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADINGS.values())
    for row in _filled(actions, filled):
        writer.writerow(_cell(row[key]) for key in HEADINGS)
    return "\ufeff" + out.getvalue()


def _md(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def plan_markdown(actions: list[Action], filled: Mapping[str, object], title: str) -> str:
    lines = [f"## Action plan: {_md(title)}", "", "| " + " | ".join(HEADINGS.values()) + " |"]
    lines.append("|" + "---|" * len(HEADINGS))
    for row in _filled(actions, filled):
        lines.append("| " + " | ".join(_md(row[key]) for key in HEADINGS) + " |")
    return "\n".join(lines) + "\n"
