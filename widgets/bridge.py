"""The one entry point the browser worker calls: a JSON request in, a JSON reply out.

Requests carry the definition as embedded in the page and the reader's answers, so the
worker holds no state of its own beyond a small cache of parsed definitions. Errors are
returned as data (``{"ok": false, "error": ...}``), never raised across the boundary.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from typing import Any

from .definition import Assessment, parse_definition
from .errors import DefinitionError
from .limits import MAX_ANSWER_KEYS, MAX_REQUEST_CHARS, MAX_REQUEST_DEPTH, LimitError, loads
from .members import export_member, read_members
from .plan import plan_csv, plan_for_result, plan_for_team, plan_markdown
from .report import announcement, plan_html, result_html, team_html
from .scoring import score_answers
from .team import team_result

MAX_CACHED_DEFINITIONS = 16
ENGINE_FAULT = "Something went wrong in the scoring engine; your answers are kept."
"""What the reader sees when the engine fails in a way no check foresaw; the detail goes to the console."""
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
    if len(answers) > MAX_ANSWER_KEYS:
        raise RequestError(f"there are more than {MAX_ANSWER_KEYS:,} answers")
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
        "announce": f"Team view updated: {len(members)} added, {len(refused)} not added"
        + (f" ({', '.join(r.source for r in refused)})." if refused else "."),
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


ACTIONS: dict[str, Callable[[dict], dict]] = {
    "score": score,
    "export": export,
    "team": team,
    "export_plan": export_plan,
}


def handle(request_json: str) -> str:
    """Act on ``{"action": ..., ...}`` and reply ``{"ok": true, "result": ...}`` or an error.

    Nothing raises across this boundary: a request over the limits is refused before it is
    parsed, and any unforeseen exception becomes ``ENGINE_FAULT`` with its traceback on
    standard error (the browser's console under Pyodide).
    """
    try:
        if not isinstance(request_json, str):
            raise RequestError("a request must be JSON text")
        request = loads(request_json, max_chars=MAX_REQUEST_CHARS, max_depth=MAX_REQUEST_DEPTH)
        if not isinstance(request, dict):
            raise RequestError("a request must be a JSON object")
        action = ACTIONS.get(request.get("action"))
        if action is None:
            raise RequestError(f"unknown action {request.get('action')!r}")
        reply = {"ok": True, "result": action(request)}
    except LimitError as error:
        reply = {"ok": False, "error": f"the request was not read: {error}"}
    except (DefinitionError, RequestError, ValueError) as error:
        reply = {"ok": False, "error": str(error)}
    except Exception:
        traceback.print_exc(file=sys.stderr)
        reply = {"ok": False, "error": ENGINE_FAULT, "fault": True}
    return json.dumps(reply)
