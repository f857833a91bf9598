"""A table's rows (such as a stakeholder map) as a file to share, and rows read back from files.

The file is JSON: ``{"format": FORMAT, "schema": 1, "assessment": id, "question": id,
"rows": [{column id: value}, ...]}``, values as stored in the form (an option's value, or
text). Reading is all or nothing for each file: a file with any problem is refused whole,
with a reason that names what was wrong, and changes nothing. Rows from accepted files are
added after the rows already entered; a row identical to one already there is skipped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .anonymity import clean_label
from .definition import Assessment, Question
from .limits import MAX_TEXT_ANSWER, LimitError, loads
from .scoring import read_rows

FORMAT = "partnership-handbook-rows"
SCHEMA = 1
MAX_FILE_CHARS = 1_000_000
MAX_REASONS = 3


class RowsFileError(ValueError):
    """Why a file of rows was refused."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Imported:
    answers: dict[str, str]
    """Every answer of the form, with the rows question's answers rebuilt from old and new rows."""
    added: int
    skipped: int
    refused: tuple[tuple[str, str], ...]
    """(file name, reason) for each file refused."""


def rows_question(assessment: Assessment, question_id: object = None) -> Question:
    tables = [q for q in assessment.questions if q.kind == "rows"]
    for question in tables:
        if question_id in (None, question.id):
            return question
    missing = f" {question_id!r}" if question_id else ""
    raise RowsFileError(f"this assessment has no table{missing}")


def export_rows(assessment: Assessment, answers: Mapping[str, object], question_id: object = None) -> dict:
    question = rows_question(assessment, question_id)
    rows, _ = read_rows(question, answers)
    record = {
        "format": FORMAT,
        "schema": SCHEMA,
        "assessment": assessment.id,
        "question": question.id,
        "rows": [dict(row) for row in rows],
    }
    count = len(rows)
    return {
        "filename": f"{assessment.id}-{question.id}.json",
        "text": json.dumps(record, ensure_ascii=False, indent=1) + "\n",
        "rows": count,
        "announce": f"Downloaded {count} row{'s' if count != 1 else ''}.",
    }


def _read_file(assessment: Assessment, question: Question, text: object) -> list[dict[str, str]]:
    if not isinstance(text, str) or not text.strip():
        raise RowsFileError("it is empty")
    if len(text) > MAX_FILE_CHARS:
        raise RowsFileError(f"it is larger than {MAX_FILE_CHARS:,} characters")
    try:
        data = loads(text, max_chars=MAX_FILE_CHARS)
    except LimitError as error:
        raise RowsFileError(str(error)) from None
    except ValueError:
        raise RowsFileError("it is not a rows file from this handbook (not valid JSON)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RowsFileError("it is not a rows file from this handbook")
    if data.get("schema") != SCHEMA:
        raise RowsFileError(f"it was saved in a format this page does not read (schema {data.get('schema')!r})")
    if data.get("assessment") != assessment.id or data.get("question") != question.id:
        raise RowsFileError(f"it holds rows for {data.get('assessment')!r}, not for this {assessment.title!r}")
    rows = data.get("rows")
    if not isinstance(rows, list):
        raise RowsFileError("its 'rows' is not a list")
    columns = {c.id: c for c in question.columns}
    problems = []
    read: list[dict[str, str]] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append(f"row {number} is not a set of columns")
            continue
        clean = {}
        for key, value in row.items():
            column = columns.get(key)
            if column is None:
                problems.append(f"row {number} has an unknown column {clean_label(key)!r}")
            elif not isinstance(value, str) or len(value) > MAX_TEXT_ANSWER:
                problems.append(f"row {number}, {column.label}: expected text of at most {MAX_TEXT_ANSWER} characters")
            elif column.kind == "choice" and value and value not in {o.value for o in column.options}:
                problems.append(f"row {number}, {column.label}: {clean_label(value)!r} is not one of its options")
            elif value.strip():
                clean[key] = value.strip()
        if clean:
            read.append(clean)
    if problems:
        more = len(problems) - MAX_REASONS
        raise RowsFileError("; ".join(problems[:MAX_REASONS]) + (f"; and {more} more" if more > 0 else ""))
    return read


def import_rows(
    assessment: Assessment, answers: Mapping[str, object], files: object, question_id: object = None
) -> Imported:
    question = rows_question(assessment, question_id)
    current, _ = read_rows(question, answers)
    rows = [dict(row) for row in current]
    added = skipped = 0
    refused = []
    for file in files if isinstance(files, Sequence) and not isinstance(files, str) else []:
        name = (clean_label(file.get("name")) or "a file") if isinstance(file, Mapping) else "a file"
        try:
            new = _read_file(assessment, question, file.get("text") if isinstance(file, Mapping) else None)
            fresh = [row for row in new if row not in rows]
            if len(rows) + len(fresh) > question.max_rows:
                raise RowsFileError(
                    f"adding its {len(fresh)} rows would make {len(rows) + len(fresh)}; the table holds "
                    f"{question.max_rows}"
                )
        except RowsFileError as error:
            refused.append((name, str(error)))
            continue
        skipped += len(new) - len(fresh)
        added += len(fresh)
        rows += fresh
    kept = {
        key: value
        for key, value in answers.items()
        if key.partition(".")[0] != question.id and isinstance(value, str | list)
    }
    for index, row in enumerate(rows):
        kept.update({f"{question.id}.{index}.{column}": value for column, value in row.items()})
    return Imported(answers=kept, added=added, skipped=skipped, refused=tuple(refused))


def imported_reply(imported: Imported) -> dict:
    parts = [f"Added {imported.added} row{'s' if imported.added != 1 else ''}"]
    if imported.skipped:
        parts.append(f"skipped {imported.skipped} already in the table")
    announce = ", ".join(parts) + "."
    if imported.refused:
        announce += " " + " ".join(f"Not added: {name}, because {reason}." for name, reason in imported.refused)
    return {
        "answers": imported.answers,
        "added": imported.added,
        "skipped": imported.skipped,
        "refused": [{"file": name, "reason": reason} for name, reason in imported.refused],
        "announce": announce,
    }
