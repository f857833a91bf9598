"""Why a decision aid gave its recommendation or warning: the answers behind the rule that fired.

Each line is generated from the rule itself, so it always matches what was tested: one line
for each question the rule names (the options picked that it looks for), and one for each
row check (what no row of a table has). The recommendation that applies when no other does
lists the answers that kept each earlier one from applying.
"""

from __future__ import annotations

from .definition import Assessment, Question, RowCheck, Rule
from .scoring import Result


def _quote(text: str) -> str:
    return f"\u201c{text}\u201d"


def _or(labels: list[str]) -> str:
    quoted = [_quote(label) for label in labels]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _answered(question: Question, picked: tuple[str, ...]) -> str:
    labels = {o.value: o.label for o in question.options}
    return f"You answered {_or([labels[v] for v in picked])} to {_quote(question.text)}."


def _check(assessment: Assessment, check: RowCheck) -> str:
    table = next(q for q in assessment.questions if q.id == check.rows)
    columns = {c.id: c for c in table.columns}
    column = columns[check.column]
    labels = {o.value: o.label for o in column.options}
    scope = ""
    if check.where:
        parts = []
        for column_id, values in check.where.items():
            where_labels = {o.value: o.label for o in columns[column_id].options}
            parts.append(f"{columns[column_id].label.lower()} {_or([where_labels[v] for v in values])}")
        scope = " with " + " and ".join(parts)
    return (
        f"No row{scope} in {_quote(table.text)} has {column.label.lower()} set to "
        f"{_or([labels[v] for v in check.none_of])}."
    )


def because(rule: Rule, result: Result) -> tuple[str, ...]:
    """The reasons for ``rule``, which applies to ``result``, as sentences."""
    assessment = result.assessment
    questions = {q.id: q for q in assessment.questions}
    lines = []
    for qid, wanted in rule.when.items():
        picked = tuple(v for v in result.chosen.get(qid, ()) if v in wanted)
        if picked:
            lines.append(_answered(questions[qid], picked))
    lines += [_check(assessment, check) for check in rule.missing]
    if not rule.when and not rule.missing:
        earlier = [v for v in assessment.verdicts if v.id != rule.id]
        if earlier:
            lines.append(f"None of your answers leads to {_or([v.label.lower() for v in earlier])}.")
        seen: list[str] = []
        for verdict in earlier:
            seen += [qid for qid in verdict.when if qid not in seen]
        lines += [_answered(questions[qid], result.chosen[qid]) for qid in seen if qid in result.chosen]
    return tuple(lines)
