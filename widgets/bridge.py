"""The one entry point the browser worker calls: a JSON request in, a JSON reply out.

Requests carry the definition as embedded in the page and the reader's answers, so the
worker holds no state of its own beyond a small cache of parsed definitions. Errors are
returned as data (``{"ok": false, "error": ...}``), never raised across the boundary.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .definition import Assessment, parse_definition
from .errors import DefinitionError
from .members import export_member, read_members
from .plan import plan_csv, plan_for_result, plan_for_team, plan_markdown
from .report import announcement, plan_html, report_html, result_html, team_html, team_report_html
from .rowsfile import RowsFileError, export_rows, import_rows, imported_reply
from .scoring import score_answers
from .team import team_result

MAX_CACHED_DEFINITIONS = 16
_cache: dict[str, Assessment] = {}


class RequestError(ValueError):
    """A request the worker cannot act on; its message is shown to the reader."""


def _definition(data: Any) -> Assessment:
    key = json.dumps(data, sort_keys=True)
    if key not in _cache:
        if len(_cache) >= MAX_CACHED_DEFINITIONS:
            _cache.clear()
        _cache[key] = parse_definition(data)
    return _cache[key]


def _answers(payload: dict) -> dict[str, object]:
    answers = payload.get("answers", {})
    if not isinstance(answers, dict):
        raise RequestError("answers must be a mapping of question ids to values")
    return answers


def _base(payload: dict) -> str:
    base = payload.get("base", "/")
    return base if isinstance(base, str) else "/"


def score(payload: dict) -> dict:
    """One reader's result, with the action plan that follows from it."""
    assessment = _definition(payload.get("definition"))
    result = score_answers(assessment, _answers(payload))
    base = _base(payload)
    html = result_html(result, base=base)
    if result.score is not None:
        html += plan_html(plan_for_result(result), source="answers", prefix=assessment.id, base=base)
    return {
        "html": html,
        "score": result.score,
        "band": result.band.id if result.band else None,
        "dimensions": {
            d.dimension.id: {"score": d.score, "band": d.band.id if d.band else None} for d in result.dimensions
        },
        "answered": result.answered,
        "announce": announcement(result),
        "ignored": list(result.ignored),
    }


def export(payload: dict) -> dict:
    """The answers file a team member downloads."""
    assessment = _definition(payload.get("definition"))
    return export_member(assessment, _answers(payload), payload.get("member", ""))


def team(payload: dict) -> dict:
    """Several members' files combined: spread, divergence, team scores and a plan."""
    assessment = _definition(payload.get("definition"))
    members, refused = read_members(assessment, payload.get("files"))
    combined = team_result(assessment, members, refused)
    base = _base(payload)
    html = team_html(combined, base=base)
    if len(members) >= 1 and combined.score is not None:
        html += plan_html(plan_for_team(combined), source="team", prefix=assessment.id, base=base)
    return {
        "html": html,
        "members": [member.label for member in members],
        "accepted": [member.position - 1 for member in members],
        "refused": [{"file": r.source, "reason": r.reason} for r in refused],
        "divergent": [spread.question.id for spread in combined.divergent],
        "dimensions": {d.dimension.id: {"score": d.score, "low": d.low, "high": d.high} for d in combined.dimensions},
        "announce": f"Team view updated: {len(members)} added, {len(refused)} not added.",
    }


def export_plan(payload: dict) -> dict:
    """The plan as CSV or Markdown, rebuilt from the same answers, with the team's owners and dates."""
    assessment = _definition(payload.get("definition"))
    if payload.get("source") == "team":
        members, refused = read_members(assessment, payload.get("files"))
        actions = plan_for_team(team_result(assessment, members, refused))
    else:
        actions = plan_for_result(score_answers(assessment, _answers(payload)))
    filled = payload.get("filled") if isinstance(payload.get("filled"), dict) else {}
    if payload.get("format") == "csv":
        return {"filename": f"{assessment.id}-action-plan.csv", "text": plan_csv(actions, filled), "type": "text/csv"}
    if payload.get("format") == "markdown":
        return {"text": plan_markdown(actions, filled, assessment.title), "type": "text/markdown"}
    raise RequestError("format must be 'csv' or 'markdown'")


def report(payload: dict) -> dict:
    """The result (or with ``only: "plan"`` the plan alone) as a document to print or save as PDF."""
    assessment = _definition(payload.get("definition"))
    filled = payload.get("filled") if isinstance(payload.get("filled"), dict) else {}
    name = payload.get("name") if isinstance(payload.get("name"), str) else ""
    today = payload.get("today") if isinstance(payload.get("today"), str) else ""
    only_plan = payload.get("only") == "plan"
    if payload.get("source") == "team":
        members, refused = read_members(assessment, payload.get("files"))
        combined = team_result(assessment, members, refused)
        plan = plan_for_team(combined) if members and combined.score is not None else None
        html = team_report_html(combined, plan, filled, name=name, today=today, only_plan=only_plan)
    else:
        result = score_answers(assessment, _answers(payload))
        plan = plan_for_result(result) if result.score is not None else None
        html = report_html(result, plan, filled, name=name, today=today, only_plan=only_plan)
    kind = "plan" if only_plan else "report"
    return {"html": html, "title": f"{assessment.title}: {kind}"}


def rows_export(payload: dict) -> dict:
    """A table's rows (the stakeholder map) as a file to share."""
    assessment = _definition(payload.get("definition"))
    return export_rows(assessment, _answers(payload), payload.get("question"))


def rows_import(payload: dict) -> dict:
    """Rows from shared files added to the table: the form's answers as they should now be."""
    assessment = _definition(payload.get("definition"))
    return imported_reply(import_rows(assessment, _answers(payload), payload.get("files"), payload.get("question")))


ACTIONS: dict[str, Callable[[dict], dict]] = {
    "report": report,
    "rows_export": rows_export,
    "rows_import": rows_import,
    "score": score,
    "export": export,
    "team": team,
    "export_plan": export_plan,
}


def handle(request_json: str) -> str:
    """Act on ``{"action": ..., ...}`` and reply ``{"ok": true, "result": ...}`` or an error."""
    try:
        request = json.loads(request_json)
        if not isinstance(request, dict):
            raise RequestError("a request must be a JSON object")
        action = ACTIONS.get(request.get("action"))
        if action is None:
            raise RequestError(f"unknown action {request.get('action')!r}")
        reply = {"ok": True, "result": action(request)}
    except (DefinitionError, RequestError, RowsFileError, json.JSONDecodeError) as error:
        reply = {"ok": False, "error": str(error)}
    return json.dumps(reply)
