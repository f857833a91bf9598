"""The one entry point the browser worker calls: a JSON request in, a JSON reply out.

Requests and replies are the typed ones of ``widgets.protocol``. A definition travels once
per worker and is then named by its hash: the worker keeps a few parsed definitions, and
asks for a definition again (``resend``) when it does not know the one named. Nothing
raises across this boundary: every failure is a sentence for the status line.
"""

from __future__ import annotations

import json
import re
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from .anonymity import MEMBERS, Ledger, LedgerError
from .definition import Assessment, parse_definition
from .errors import DefinitionError
from .groups import GroupView, group_view
from .limits import MAX_FILES, MAX_REQUEST_CHARS, MAX_REQUEST_DEPTH, LimitError, loads
from .links import LinkError, decode_link, encode_link
from .members import Member, Refusal, clean_label, distinct, export_member, make_member, read_members
from .plan import plan_csv, plan_for_result, plan_for_team, plan_markdown
from .protocol import (
    KINDS,
    Combine,
    Copy,
    Download,
    Envelope,
    Export,
    ExportPlan,
    Kept,
    Link,
    Offer,
    OpenLink,
    Printout,
    Reply,
    Report,
    Request,
    RowsExport,
    RowsImport,
    SaveMine,
    SaveRound,
    Score,
    Team,
    Upload,
    Workshop,
    definition_hash,
    read_request,
)
from .report import (
    announcement,
    plan_html,
    plan_text_html,
    refused_html,
    report_html,
    result_html,
    team_html,
    team_report_html,
)
from .rounds import (
    MAX_ROUNDS,
    Round,
    RoundRefused,
    make_round,
    read_result,
    read_round,
    result_file,
    round_file,
)
from .rowsfile import RowsFileError, export_rows, import_rows, imported_reply
from .scoring import score_answers
from .team import TeamResult, team_result
from .team_views import groups_html, rounds_html, today_or
from .workshop import workshop_pack

MAX_CACHED_DEFINITIONS = 16
ENGINE_FAULT = "Something went wrong in the scoring engine; your answers are kept."
"""What the reader sees when the engine fails in a way no check foresaw; the detail goes to the console."""
_definitions: dict[str, Assessment] = {}


class RequestError(ValueError):
    """A request the worker cannot act on; its message is shown to the reader."""


class UnknownDefinition(Exception):
    """The request names a definition this worker has not been sent (or has let go)."""


def _definition(envelope: Envelope) -> Assessment:
    """The parsed definition the request names, read from its text the first time it comes."""
    known = _definitions.pop(envelope.hash, None)
    if known is None:
        if envelope.definition is None:
            raise UnknownDefinition(envelope.hash)
        if definition_hash(envelope.definition) != envelope.hash:
            raise RequestError("the page's definition does not match its hash")
        known = parse_definition(loads(envelope.definition, max_chars=MAX_REQUEST_CHARS, max_depth=MAX_REQUEST_DEPTH))
        while len(_definitions) >= MAX_CACHED_DEFINITIONS:
            del _definitions[next(iter(_definitions))]  # the least recently used
    _definitions[envelope.hash] = known
    return known


def _file(upload: Upload) -> dict:
    """An upload in the shape the file readers take (they judge every part of it)."""
    return {"name": upload.name, "text": upload.text, "size": upload.size}


# -- the team view ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Gathered:
    """Everything a team view is built from: members' files and links, and earlier rounds."""

    combined: TeamResult
    view: GroupView
    rounds: tuple[Round, ...]
    kept: Kept
    """The inputs accepted, and what has now been shown, for the page to keep."""


def gather(assessment: Assessment, inputs: Team) -> Gathered:
    """Members' files and links and earlier rounds, each accepted or refused on its own.

    Each person counts once, however many channels their answers came by; what is shown is
    limited by ``widgets.anonymity``'s rule, against everything shown before (``inputs.shown``)
    and every round added. Members who would make this view differ from one shown before by
    fewer than the threshold of people wait, kept, until enough others have joined them.
    """
    try:
        ledger = Ledger.from_data(inputs.shown, assessment.group_threshold)
    except LedgerError as error:
        raise RequestError(f"the record of what this team view has shown could not be read: {error}") from None
    files = [_file(upload) for upload in inputs.files]
    read, refused = read_members(assessment, files) if files else ([], [])
    for index, sent in enumerate(inputs.links):
        name = clean_label(sent.name) or f"link {index + 1}"
        try:
            decoded = decode_link(assessment, sent.fragment)
        except LinkError as error:
            message = str(error).rstrip(".")  # a sentence for the reader, read here as a reason
            refused.append(Refusal(source=name, reason=message[:1].lower() + message[1:]))
            continue
        position = len(files) + index + 1
        read.append(
            make_member(
                answers=decoded.answers, label=decoded.member, group=decoded.group, source=name, position=position
            )
        )
    members, duplicates = distinct(read)
    rounds, round_refusals = _rounds_into(ledger, read_rounds(assessment, inputs.rounds))
    shown, waiting = _who_is_shown(ledger, members)
    combined = team_result(assessment, shown, [*refused, *duplicates, *round_refusals], ledger=ledger, waiting=waiting)
    view = group_view(assessment, combined.members, {m.position: m.group for m in combined.members}, ledger=ledger)
    positions = {member.position for member in members}
    kept = Kept(
        files=tuple(upload for at, upload in enumerate(inputs.files, start=1) if at in positions),
        links=tuple(sent for at, sent in enumerate(inputs.links, start=len(files) + 1) if at in positions),
        rounds=tuple(inputs.rounds[i] for i, _ in rounds),
        shown=ledger.to_data(),
    )
    return Gathered(combined, view, tuple(saved for _, saved in rounds), kept)


def _who_is_shown(ledger: Ledger, members: list[Member]) -> tuple[list[Member], list[Member]]:
    """The members a view may be computed over now, and those who wait.

    All of them if the rule allows; otherwise the largest set shown before that they all
    belong to, so that the view stays as it was until enough newcomers have joined.
    """
    ids = {member.id for member in members}
    if ledger.allows(MEMBERS, ids):
        return members, []
    earlier = [shown for shown in ledger.sets.get(MEMBERS, []) if shown <= ids]
    best = max(earlier, key=len, default=frozenset())
    return [m for m in members if m.id in best], [m for m in members if m.id not in best]


def _rounds_into(
    ledger: Ledger, found: tuple[list[tuple[int, Round]], list[Refusal]]
) -> tuple[list[tuple[int, Round]], list[Refusal]]:
    """Earlier rounds, newest first, each added to what has been shown; one that would single
    someone out beside what is already there is refused, and a figure that would is left out."""
    rounds, refused = found
    used = []
    for index, saved in sorted(rounds, key=lambda item: item[1].date, reverse=True):
        if not ledger.show(MEMBERS, saved.covers[MEMBERS]):
            refused.append(
                Refusal(
                    source=saved.label,
                    reason=f"it covers nearly the same people as a view already shown or another round (they differ "
                    f"by fewer than {ledger.threshold}), so setting the two side by side could single someone out",
                )
            )
            continue
        figures = {feature: ledger.show(feature, who) for feature, who in saved.covers.items() if feature != MEMBERS}
        areas = {k: v for k, v in saved.areas.items() if figures.get(f"area:{k}")}
        statements = {k: v for k, v in saved.statements.items() if figures.get(f"statement:{k}")}
        used.append((index, replace(saved, areas=areas, statements=statements)))
    return sorted(used), refused


def read_rounds(
    assessment: Assessment, uploads: tuple[Upload, ...], *, own: bool = False
) -> tuple[list[tuple[int, Round]], list[Refusal]]:
    """Earlier rounds (``own``: the reader's saved results), each read on its own: (position, round) and refusals.

    The same round added twice counts once; of more than ``MAX_ROUNDS``, the newest are used
    and each one left out is named.
    """
    rounds: list[tuple[int, Round]] = []
    refused: list[Refusal] = []
    first: dict[str, str] = {}
    for index, upload in enumerate(uploads):
        name = clean_label(upload.name) or f"round file {index + 1}"
        try:
            saved = (
                read_result(assessment, name, upload.text)
                if own
                else read_round(assessment, name, upload.text, threshold=assessment.group_threshold)
            )
        except RoundRefused as error:
            refused.append(Refusal(source=name, reason=str(error)))
            continue
        if saved.key in first:
            refused.append(
                Refusal(source=name, reason=f"it is the same round as {first[saved.key]}, so it counts once")
            )
            continue
        first[saved.key] = name
        rounds.append((index, saved))
    newest = sorted(rounds, key=lambda item: (item[1].date, item[0]))[-MAX_ROUNDS:]
    for index, saved in rounds:
        if (index, saved) not in newest:
            name = clean_label(uploads[index].name) or f"round file {index + 1}"
            refused.append(Refusal(source=name, reason=f"only the {MAX_ROUNDS} newest rounds are compared"))
    return sorted(newest, key=lambda item: item[0]), refused


def _mine(assessment: Assessment, answers: dict) -> TeamResult:
    """The reader's own answers as a team of one, so that their result can be kept and compared."""
    member = make_member(answers=answers, label="", group="", source="these answers", position=1)
    return team_result(assessment, [member], ledger=Ledger(1))


# -- one handler a kind ----------------------------------------------------------------------


def score(assessment: Assessment, request: Score) -> Reply:
    """One reader's result, compared with their earlier ones, with the action plan that follows."""
    result = score_answers(assessment, request.answers)
    html = result_html(result, base=request.base)
    found, refused = read_rounds(assessment, request.rounds, own=True)
    earlier = [saved for _, saved in found]
    if result.score is not None and earlier:
        current = make_round(_mine(assessment, request.answers), None, "Now", today_or(request.today))
        html += rounds_html(assessment, current, earlier, chart_id=f"{assessment.id}-mine")
    if refused:
        html += refused_html(refused, "Some earlier results were not used:", "not used")
    if result.score is not None:
        html += plan_html(plan_for_result(result), source="answers", prefix=assessment.id, base=request.base)
    mine = tuple(request.rounds[index] for index, _ in found)
    return Reply(paint={"result": html}, mine=mine, say=announcement(result))


def export(assessment: Assessment, request: Export) -> Reply:
    """The answers file a team member downloads."""
    file = export_member(assessment, request.answers, request.member, request.group)
    said = f"Downloaded {file['filename']}. Share it with whoever is combining the team's answers."
    return Reply(download=Download(filename=file["filename"], text=file["text"]), say=said)


def team(assessment: Assessment, request: Combine) -> Reply:
    """Members' files and links combined: spread, divergence, groups, rounds, team scores and a plan."""
    found = gather(assessment, request)
    combined = found.combined
    html = team_html(combined, base=request.base)
    if len(combined.members) >= 2:
        html += groups_html(found.view, [d.title for d in assessment.dimensions])
    if combined.members and found.rounds:
        current = make_round(combined, found.view, "Now", today_or(request.today))
        html += rounds_html(assessment, current, found.rounds, chart_id=f"{assessment.id}-trend")
    if combined.members and combined.score is not None:
        html += plan_html(plan_for_team(combined), source="team", prefix=assessment.id, base=request.base)
    return Reply(paint={"team": html}, keep=found.kept, say=team_status(combined, found.rounds))


def team_status(combined: TeamResult, rounds: tuple[Round, ...]) -> str:
    """What the team view now holds, in one sentence: members, waiting, rounds, and what was not added."""
    if combined.members:
        parts = [_count(len(combined.members), "member")]
        if combined.waiting:
            parts.append(f"{len(combined.waiting)} waiting")
    else:
        people = len(combined.waiting)
        parts = [f"{people} {'person' if people == 1 else 'people'} in so far (figures need {combined.threshold})"]
    if rounds:
        parts.append(_count(len(rounds), "earlier round"))
    said = f"Team view updated: {', '.join(parts)}."
    if combined.refused:
        said += f" Not added: {', '.join(r.source for r in combined.refused)}."
    return said


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def save_round(assessment: Assessment, request: SaveRound) -> Reply:
    """This team view as a round file to keep: no names, no individual answers."""
    found = gather(assessment, request)
    if not found.combined.members:
        raise RequestError(
            f"a round is saved only once at least {assessment.group_threshold} people's answers are in the team view"
        )
    saved = make_round(found.combined, found.view, request.label, today_or(request.today))
    file = round_file(assessment, saved)
    said = f"Downloaded {file['filename']}. Add it next time to see what has changed."
    return Reply(keep=found.kept, download=Download(filename=file["filename"], text=file["text"]), say=said)


def save_mine(assessment: Assessment, request: SaveMine) -> Reply:
    """The reader's own result as a small file, to compare with next time."""
    if score_answers(assessment, request.answers).score is None:
        raise RequestError("answer enough statements for a result before you save it")
    label = request.label or "My result"
    saved = make_round(_mine(assessment, request.answers), None, label, today_or(request.today))
    file = result_file(assessment, saved)
    said = f'Downloaded {file["filename"]}. Next time, add it under "Compare with a result I saved earlier".'
    return Reply(download=Download(filename=file["filename"], text=file["text"]), say=said)


def workshop(assessment: Assessment, request: Workshop) -> Reply:
    """The workshop pack for this team view, as a document to print."""
    found = gather(assessment, request)
    if not found.combined.members:
        raise RequestError(
            f"a workshop pack needs the answers of at least {assessment.group_threshold} people in the team view"
        )
    plan = plan_for_team(found.combined) if found.combined.score is not None else None
    # The plan as a table of text; no list of names, as anywhere in the pack.
    plan_part = f"<h2>The plan</h2>{plan_text_html(plan, request.filled)}" if plan else ""
    html = workshop_pack(
        found.combined,
        found.view,
        minutes=request.minutes,
        on=today_or(request.today),
        partnership=clean_label(request.name),
        plan_html=plan_part,
    )
    return Reply(keep=found.kept, print=Printout(title=f"{assessment.title}: workshop pack", html=html))


def link(assessment: Assessment, request: Link) -> Reply:
    """A link that carries this reader's rated answers, to send instead of a file."""
    fragment = encode_link(assessment, request.answers, request.member, request.group)
    url = f"{request.page}#{fragment}"
    done = f"The link is copied ({len(url)} characters). Send it to whoever is combining the team's answers."
    failed = "Copy the link shown below and send it to whoever is combining the team's answers."
    return Reply(copy=Copy(text=url, done=done, failed=failed, field="link-output"))


def open_link(assessment: Assessment, request: OpenLink) -> Reply:
    """What a link carries, checked, for the page to offer: add to the team view, or use as my answers."""
    try:
        decoded = decode_link(assessment, request.fragment)
    except LinkError as error:
        return Reply(say=str(error))
    who = f" from \u201c{decoded.member}\u201d" if decoded.member else ""
    message = (
        f"This link carries answers{who} to {len(decoded.answers)} of {len(assessment.rated)} statements. "
        "Add them to the team view, or use them as your own answers."
    )
    return Reply(offer=Offer(message=message, fragment=request.fragment, answers=dict(decoded.answers)))


def export_plan(assessment: Assessment, request: ExportPlan) -> Reply:
    """The plan as CSV or Markdown, rebuilt from the same answers, with the team's owners and dates."""
    kept = None
    if request.source == "team":
        found = gather(assessment, request)
        actions, kept = plan_for_team(found.combined), found.kept  # over the figures the view shows
    else:
        actions = plan_for_result(score_answers(assessment, request.answers))
    if request.format == "csv":
        name = f"{assessment.id}-action-plan.csv"
        text = plan_csv(actions, request.filled)
        download = Download(filename=name, text=text, type="text/csv")
        return Reply(keep=kept, download=download, say=f"Downloaded {name}.")
    done = "The plan is copied as Markdown: paste it into a document or a wiki."
    failed = "Your browser did not allow copying. Use the CSV download instead."
    markdown = plan_markdown(actions, request.filled, assessment.title)
    return Reply(keep=kept, copy=Copy(text=markdown, done=done, failed=failed))


def report(assessment: Assessment, request: Report) -> Reply:
    """The result (or with ``only: "plan"`` the plan alone) as a document to print or save as PDF."""
    only_plan = request.only == "plan"
    common = {"name": request.name, "today": request.today, "only_plan": only_plan}
    kept = None
    if request.source == "team":
        found = gather(assessment, request)
        combined, kept = found.combined, found.kept
        plan = plan_for_team(combined) if combined.members and combined.score is not None else None
        html = team_report_html(combined, plan, request.filled, **common)
    else:
        result = score_answers(assessment, request.answers)
        plan = plan_for_result(result) if result.score is not None else None
        html = report_html(result, plan, request.filled, **common)
    kind = "plan" if only_plan else "report"
    return Reply(keep=kept, print=Printout(title=f"{assessment.title}: {kind}", html=html))


def rows_export(assessment: Assessment, request: RowsExport) -> Reply:
    """A table's rows (the stakeholder map) as a file to share."""
    file = export_rows(assessment, request.answers, request.question or None)
    return Reply(download=Download(filename=file["filename"], text=file["text"]), say=file["announce"])


def rows_import(assessment: Assessment, request: RowsImport) -> Reply:
    """Rows from shared files added to the table: the form's answers as they should now be."""
    files = [_file(upload) for upload in request.files]
    imported = imported_reply(import_rows(assessment, request.answers, files, request.question or None))
    return Reply(answers=imported["answers"] if imported["added"] else None, say=imported["announce"])


HANDLERS: dict[str, Callable[[Assessment, Request], Reply]] = {
    "score": score,
    "export": export,
    "link": link,
    "open_link": open_link,
    "team": team,
    "save_round": save_round,
    "save_mine": save_mine,
    "workshop": workshop,
    "export_plan": export_plan,
    "report": report,
    "rows_export": rows_export,
    "rows_import": rows_import,
}


def reply_to(request_json: str) -> Reply:
    """The reply to one request, as a ``Reply``; see ``handle``."""
    request: Request | None = None
    data = None
    try:
        if not isinstance(request_json, str):
            raise RequestError("a request must be JSON text")
        data = loads(request_json, max_chars=MAX_REQUEST_CHARS, max_depth=MAX_REQUEST_DEPTH)
        envelope, request = read_request(data)
        return HANDLERS[envelope.kind](_definition(envelope), request)
    except UnknownDefinition:
        return Reply(resend=True)
    except LimitError as error:
        if request is None and isinstance(request_json, str):
            request = _unread(request_json)
        return Reply(say=_failure(request, data, f"the request was not read: {error}"))
    except (DefinitionError, RequestError, RowsFileError, ValueError) as error:
        return Reply(say=_failure(request, data, str(error)))
    except Exception:
        traceback.print_exc(file=sys.stderr)
        return Reply(say=_failure(request, data, ENGINE_FAULT))


_KIND_AT_START = re.compile(r'^\s*\{\s*"kind"\s*:\s*"([a-z_]{1,20})"')
_ADDING_NEAR_END = re.compile(r'"adding"\s*:\s*(\[[^\[\]{}]{0,4000}\])')


def _unread(request_json: str) -> Request | None:
    """A request too large to read, named as well as its start and end allow: its kind and what it adds.

    The page writes ``kind`` first and ``adding`` (the names of the files being added) near
    the end, so a refusal can still name the files without parsing the whole request.
    """
    kind = _KIND_AT_START.match(request_json[:200])
    cls = KINDS.get(kind.group(1)) if kind else None
    if cls is None:
        return None
    if "adding" not in {f.name for f in fields(cls)}:
        return cls()
    adding = _ADDING_NEAR_END.search(request_json[-20_000:])
    try:
        names = json.loads(adding.group(1)) if adding else []
    except ValueError:
        names = []
    return cls(adding=tuple(clean_label(name) for name in names if isinstance(name, str))[:MAX_FILES])


def _failure(request: Request | None, data: object, error: str) -> str:
    """The kind's own sentence for a failure, even when the request itself could not be read."""
    if request is None:
        kind = data.get("kind") if isinstance(data, dict) else None
        request = KINDS.get(kind, Request)() if isinstance(kind, str) else Request()
    return request.failure(error)


def handle(request_json: str) -> str:
    """Act on one JSON request (``widgets.protocol``) and return the JSON reply.

    Nothing raises across this boundary: a request over the limits is refused before it is
    parsed, and any unforeseen exception becomes ``ENGINE_FAULT`` with its traceback on
    standard error (the browser's console under Pyodide).
    """
    return json.dumps(reply_to(request_json).to_data())
