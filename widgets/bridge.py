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
from dataclasses import dataclass
from html import escape
from typing import Any

from .definition import Assessment, parse_definition
from .errors import DefinitionError
from .groups import GroupView, group_view
from .limits import MAX_ANSWER_KEYS, MAX_REQUEST_CHARS, MAX_REQUEST_DEPTH, LimitError, loads
from .links import LinkError, decode_link, encode_link
from .members import MAX_MEMBERS, Member, Refusal, clean_label, export_member, read_members
from .plan import plan_csv, plan_for_result, plan_for_team, plan_markdown
from .report import (
    announcement,
    discuss_html,
    plan_html,
    plan_text_html,
    report_html,
    result_html,
    team_html,
    team_report_html,
)
from .rounds import MAX_ROUNDS, Round, RoundRefused, make_round, read_round, round_file
from .rowsfile import RowsFileError, export_rows, import_rows, imported_reply
from .scoring import score_answers
from .team import TeamResult, team_result
from .team_views import groups_html, rounds_html, today_or
from .workshop import LENGTHS, workshop_pack

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
    found, refused = _rounds(assessment, payload)
    earlier = [saved for _, saved in found]
    if result.score is not None and earlier:
        mine = _mine(assessment, payload)
        current = make_round(mine, None, "Now", today_or(payload.get("today")))
        html += rounds_html(assessment, current, earlier, chart_id=f"{assessment.id}-mine")
    if refused:
        items = "".join(
            f"<li><strong>{escape(r.source)}</strong>: not used, because {escape(r.reason)}.</li>" for r in refused
        )
        html += f'<div class="team-refused"><p>Some earlier results were not used:</p><ul>{items}</ul></div>'
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
    return export_member(assessment, _answers(payload), payload.get("member", ""), payload.get("group", ""))


@dataclass(frozen=True, slots=True)
class Team:
    """Everything a team view is built from: members' files and links, and earlier rounds."""

    combined: TeamResult
    view: GroupView
    rounds: tuple[Round, ...]
    accepted_files: tuple[int, ...]
    accepted_links: tuple[int, ...]
    accepted_rounds: tuple[int, ...]


def _team(payload: dict) -> Team:
    assessment = _definition(payload.get("definition"))
    files = payload.get("files") if isinstance(payload.get("files"), list) else []
    members, refused = read_members(assessment, files) if files else ([], [])
    accepted_files = tuple(member.position - 1 for member in members)
    links = payload.get("links") if isinstance(payload.get("links"), list) else []
    accepted_links = []
    for index, item in enumerate(links):
        item = item if isinstance(item, dict) else {}
        name = clean_label(item.get("name")) or f"link {index + 1}"
        if len(members) >= MAX_MEMBERS:
            refused.append(Refusal(source=name, reason=f"a team view takes at most {MAX_MEMBERS} members"))
            continue
        try:
            decoded = decode_link(assessment, item.get("fragment"))
        except LinkError as error:
            message = str(error).rstrip(".")  # a sentence for the reader, read here as a reason
            refused.append(Refusal(source=name, reason=message[:1].lower() + message[1:]))
            continue
        position = len(files) + index + 1
        label = decoded.member or f"Member {position}"
        members.append(
            Member(label=label, answers=decoded.answers, source=name, position=position, group=decoded.group)
        )
        accepted_links.append(index)
    view = group_view(assessment, members, {m.position: m.group for m in members})
    rounds, round_refusals = _rounds(assessment, payload)
    accepted_rounds = [index for index, _ in rounds]
    combined = team_result(assessment, members, [*refused, *round_refusals])
    found_rounds = tuple(saved for _, saved in rounds)
    return Team(combined, view, found_rounds, accepted_files, tuple(accepted_links), tuple(accepted_rounds))


def _rounds(assessment: Assessment, payload: dict) -> tuple[list[tuple[int, Round]], list[Refusal]]:
    """Earlier rounds sent with a request, each read on its own: (position, round) and refusals."""
    saved = payload.get("rounds") if isinstance(payload.get("rounds"), list) else []
    rounds, refused = [], []
    for index, item in enumerate(saved[:MAX_ROUNDS]):
        item = item if isinstance(item, dict) else {}
        name = clean_label(item.get("name")) or f"round file {index + 1}"
        try:
            rounds.append((index, read_round(assessment, name, item.get("text"))))
        except RoundRefused as error:
            refused.append(Refusal(source=name, reason=str(error)))
    return rounds, refused


def _mine(assessment: Assessment, payload: dict) -> TeamResult:
    """The reader's own answers as a team of one, so that their result can be kept and compared."""
    member = Member(label="", answers=_answers(payload), source="these answers", position=1)
    return team_result(assessment, [member])


def save_mine(payload: dict) -> dict:
    """The reader's own result as a small file, to compare with next time."""
    assessment = _definition(payload.get("definition"))
    if score_answers(assessment, _answers(payload)).score is None:
        raise RequestError("answer enough statements for a result before you save it")
    label = payload.get("label") or "My result"
    return round_file(assessment, make_round(_mine(assessment, payload), None, label, today_or(payload.get("today"))))


def team(payload: dict) -> dict:
    """Members' files and links combined: spread, divergence, groups, rounds, team scores and a plan."""
    found = _team(payload)
    combined, assessment = found.combined, found.combined.assessment
    base = _base(payload)
    html = team_html(combined, base=base)
    if len(combined.members) >= 2:
        html += groups_html(found.view, [d.title for d in assessment.dimensions])
    if combined.members and found.rounds:
        current = make_round(combined, found.view, "Now", today_or(payload.get("today")))
        html += rounds_html(assessment, current, found.rounds, chart_id=f"{assessment.id}-trend")
    if combined.members and combined.score is not None:
        html += plan_html(plan_for_team(combined), source="team", prefix=assessment.id, base=base)
    added = len(combined.members) + len(found.rounds)
    return {
        "html": html,
        "accepted": list(found.accepted_files),
        "accepted_links": list(found.accepted_links),
        "accepted_rounds": list(found.accepted_rounds),
        "refused": [{"file": r.source, "reason": r.reason} for r in combined.refused],
        "announce": f"Team view updated: {added} added, {len(combined.refused)} not added"
        + (f" ({', '.join(r.source for r in combined.refused)})." if combined.refused else "."),
    }


def save_round(payload: dict) -> dict:
    """This team view as a round file to keep: no names, no individual answers."""
    found = _team(payload)
    if not found.combined.members:
        raise RequestError("add your team's answers before you save a round")
    label = payload.get("label")
    saved = make_round(found.combined, found.view, label, today_or(payload.get("today")))
    return round_file(found.combined.assessment, saved)


def workshop(payload: dict) -> dict:
    """The workshop pack for this team view, as HTML to print."""
    found = _team(payload)
    if len(found.combined.members) < 2:
        raise RequestError("a workshop pack needs at least two members' answers")
    minutes = payload.get("minutes")
    if minutes not in LENGTHS:
        raise RequestError(f"a workshop lasts {' or '.join(map(str, LENGTHS))} minutes")
    plan = plan_for_team(found.combined) if found.combined.score is not None else None
    filled = payload.get("filled") if isinstance(payload.get("filled"), dict) else {}
    name = payload.get("name") if isinstance(payload.get("name"), str) else ""
    # The plan as a table of text; no list of names, as anywhere in the pack.
    plan_part = f"<h2>The plan</h2>{plan_text_html(plan, filled)}{discuss_html(plan)}" if plan else ""
    html = workshop_pack(
        found.combined,
        found.view,
        minutes=minutes,
        on=today_or(payload.get("today")),
        partnership=clean_label(name),
        plan_html=plan_part,
    )
    return {"html": html, "title": f"{found.combined.assessment.title}: workshop pack"}


def link(payload: dict) -> dict:
    """The fragment that carries this reader's rated answers, to send instead of a file."""
    assessment = _definition(payload.get("definition"))
    fragment = encode_link(assessment, _answers(payload), payload.get("member", ""), payload.get("group", ""))
    return {"fragment": fragment, "length": len(fragment)}


def open_link(payload: dict) -> dict:
    """What a link carries, checked, for the page to offer: add to the team view, or use as my answers."""
    assessment = _definition(payload.get("definition"))
    try:
        decoded = decode_link(assessment, payload.get("fragment"))
    except LinkError as error:
        return {"ok": False, "message": str(error)}
    who = f" from {decoded.member}" if decoded.member else ""
    count = len(decoded.answers)
    return {
        "ok": True,
        "answers": decoded.answers,
        "message": f"This link carries answers{who} to {count} of {len(assessment.rated)} statements. "
        "Add them to the team view, or use them as your own answers.",
    }


def export_plan(payload: dict) -> dict:
    """The plan as CSV or Markdown, rebuilt from the same answers, with the team's owners and dates."""
    assessment = _definition(payload.get("definition"))
    if payload.get("source") == "team":
        actions = plan_for_team(_team(payload).combined)
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
        combined = _team(payload).combined
        plan = plan_for_team(combined) if combined.members and combined.score is not None else None
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
    "save_round": save_round,
    "save_mine": save_mine,
    "workshop": workshop,
    "link": link,
    "open_link": open_link,
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
    except (DefinitionError, RequestError, RowsFileError, ValueError) as error:
        reply = {"ok": False, "error": str(error)}
    except Exception:
        traceback.print_exc(file=sys.stderr)
        reply = {"ok": False, "error": ENGINE_FAULT, "fault": True}
    return json.dumps(reply)
