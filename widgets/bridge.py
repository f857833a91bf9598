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
from .report import announcement, result_html
from .scoring import score_answers

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


def score(payload: dict) -> dict:
    assessment = _definition(payload.get("definition"))
    result = score_answers(assessment, _answers(payload))
    base = payload.get("base", "/")
    return {
        "html": result_html(result, base=base if isinstance(base, str) else "/"),
        "score": result.score,
        "band": result.band.id if result.band else None,
        "dimensions": {
            d.dimension.id: {"score": d.score, "band": d.band.id if d.band else None} for d in result.dimensions
        },
        "answered": result.answered,
        "announce": announcement(result),
        "ignored": list(result.ignored),
    }


ACTIONS: dict[str, Callable[[dict], dict]] = {"score": score}


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
    except (DefinitionError, RequestError, json.JSONDecodeError) as error:
        reply = {"ok": False, "error": str(error)}
    return json.dumps(reply)
