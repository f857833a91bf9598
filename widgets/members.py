"""Answer files that team members exchange: written by one browser, read by another.

A file is small JSON that names the assessment it belongs to. Reading one never trusts it:
anything malformed, meant for another assessment, oversized or odd is refused with a reason
a reader can act on, and nothing from it is ever treated as markup.
"""

from __future__ import annotations

import json
import re
import sys
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from .anonymity import clean_label, member_id
from .definition import Assessment
from .groups import NOT_SAID, group_labels, read_group
from .limits import MAX_ANSWER_KEYS, MAX_FILE_CHARS, MAX_FILES, LimitError, loads
from .scoring import DONT_KNOW, read_answer

FORMAT = "partnership-handbook/answers"
SCHEMA = 1
MAX_MEMBERS = MAX_FILES
__all__ = [
    "FORMAT",
    "MAX_FILE_CHARS",
    "SCHEMA",
    "Member",
    "Refusal",
    "clean_label",
    "distinct",
    "export_member",
    "read_member",
    "read_members",
]


@dataclass(frozen=True, kw_only=True, slots=True)
class Member:
    label: str
    answers: Mapping[str, object]
    source: str
    """The file it came from."""
    position: int = 0
    """Its place, from 1, among the files given."""
    ignored: int = 0
    """Answers in the file that fit no statement or choice of this version."""
    group: str = ""
    """The stakeholder group the member answers for, as an id; "" when not said."""
    id: str = ""
    """Who this is, by what they said (``widgets.anonymity.member_id``): the same by any channel."""


def make_member(
    *, answers: Mapping[str, object], label: str, group: str, source: str, position: int, ignored: int = 0
) -> Member:
    """A member, known by what they said: ``label`` is the name as given ("" for none)."""
    return Member(
        label=label or f"Member {position}",
        answers=answers,
        source=source,
        position=position,
        ignored=ignored,
        group=group,
        id=member_id(answers, group, label),
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class Refusal:
    source: str
    reason: str


def export_member(
    assessment: Assessment, answers: Mapping[str, object], member: object = "", group: object = ""
) -> dict:
    """The file a member downloads: ``{"filename": ..., "text": ...}``."""
    label = clean_label(member)
    group_id = read_group(group, group_labels(assessment.groups))
    rated = {q.id for q in assessment.rated}
    kept = {qid: str(value) for qid, value in answers.items() if qid in rated}
    record = {
        "format": FORMAT,
        "schema": SCHEMA,
        "assessment": assessment.id,
        "version": assessment.version,
        "member": label,
        **({"group": group_id} if group_id != NOT_SAID else {}),
        "answers": kept,
        "exported": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40]
    filename = f"{assessment.id}-answers{'-' + slug if slug else ''}.json"
    return {"filename": filename, "text": json.dumps(record, indent=2, ensure_ascii=False)}


def read_member(
    assessment: Assessment, source: str, text: object, position: int, size: object = None
) -> Member | Refusal:
    """One member's answers from the text of a file, or the reason it is refused.

    ``size`` is the file's length as the browser saw it, when only its start was read.
    """
    source = clean_label(source) or f"file {position}"
    if not isinstance(text, str):
        return Refusal(source=source, reason="it could not be read as text")
    if (type(size) is int and size > MAX_FILE_CHARS) or len(text) > MAX_FILE_CHARS:
        return Refusal(
            source=source, reason=f"it is larger than {MAX_FILE_CHARS // 1000} KB, so it is not an answers file"
        )
    try:
        data = loads(text)
    except LimitError as error:
        return Refusal(source=source, reason=f"{error}, so it is not an answers file")
    except ValueError:
        return Refusal(source=source, reason="it is not an answers file from this handbook (it is not valid JSON)")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return Refusal(source=source, reason="it is not an answers file from this handbook")
    if data.get("schema") != SCHEMA:
        return Refusal(source=source, reason="it was saved in a format this version of the handbook does not read")
    if data.get("assessment") != assessment.id:
        other = clean_label(data.get("assessment")) or "another assessment"
        return Refusal(source=source, reason=f"it holds answers to '{other}', not to '{assessment.title}'")
    answers = data.get("answers")
    if not isinstance(answers, dict) or len(answers) > min(MAX_ANSWER_KEYS, 4 * len(assessment.questions)):
        return Refusal(source=source, reason="its answers are not in the expected form")
    questions = {q.id: q for q in assessment.rated}
    kept: dict[str, object] = {}
    for qid, value in answers.items():
        question = questions.get(qid)
        if (
            question is not None
            and isinstance(value, str | int)
            and read_answer(assessment, question, value) is not None
        ):
            kept[qid] = str(value)
    group = read_group(data.get("group"), group_labels(assessment.groups))
    return make_member(
        answers=kept,
        label=clean_label(data.get("member")),
        source=source,
        position=position,
        ignored=len(answers) - len(kept),
        group="" if group == NOT_SAID else group,
    )


def read_members(assessment: Assessment, files: object) -> tuple[list[Member], list[Refusal]]:
    """Members from a list of ``{"name": ..., "text": ...}``, each read on its own (see ``distinct``)."""
    members: list[Member] = []
    refused: list[Refusal] = []
    if not isinstance(files, list):
        return members, [Refusal(source="import", reason="no files were given")]
    for position, item in enumerate(files, start=1):
        item = item if isinstance(item, dict) else {}
        try:
            outcome = read_member(assessment, item.get("name", ""), item.get("text"), position, item.get("size"))
        except Exception:  # a file that trips an unforeseen fault is refused alone, never the batch
            traceback.print_exc(file=sys.stderr)
            outcome = Refusal(source=clean_label(item.get("name")) or f"file {position}", reason="it could not be read")
        if isinstance(outcome, Member):
            members.append(outcome)
        else:
            refused.append(outcome)
    return members, refused


def distinct(members: list[Member]) -> tuple[list[Member], list[Refusal]]:
    """Each person once, and only people who rated something; the rest refused, naming why.

    Members are the same person when they said the same (``Member.id``), whatever channel
    each came by; the first one given is kept. A member with no rating at all ("don't know"
    to everything, or answers to statements this version does not have) adds nothing to a
    figure and would only make a group look larger than the people who rated, so is refused.
    At most ``MAX_MEMBERS`` are taken.
    """
    kept: list[Member] = []
    refused: list[Refusal] = []
    first: dict[str, Member] = {}
    for member in members:
        if member.id in first:
            reason = f"it holds the same answers from the same person as {first[member.id].source}, so it counts once"
            refused.append(Refusal(source=member.source, reason=reason))
        elif not any(value != DONT_KNOW for value in member.answers.values()):
            refused.append(
                Refusal(source=member.source, reason="it holds no rating of any statement, so it adds nothing")
            )
        elif len(kept) >= MAX_MEMBERS:
            refused.append(Refusal(source=member.source, reason=f"a team view takes at most {MAX_MEMBERS} members"))
        else:
            first[member.id] = member
            kept.append(member)
    return kept, refused
