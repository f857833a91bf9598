"""Turn one person's answers into scores, bands and advice.

Answers arrive as form values keyed by question id: a scale value as text (``"4"``) or
``"dk"`` for "don't know". A "don't know" is counted, reported, and left out of the score:
it is neither a low nor a middling rating. A dimension with too few ratings gets no score,
rather than a score that rests on one or two answers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .definition import SCORE_MAX, Advice, Assessment, Band, Dimension, Question, RowCheck, Rule
from .limits import DONT_KNOW, MAX_TEXT_ANSWER

WEAK_SHARE = 0.5
"""A rating below the middle of its scale (worst end 0.0, best 1.0) counts as a weak statement."""
_ROW_INDEX = re.compile(r"[0-9]{1,3}")  # ASCII digits only: "²" and "①" are digits to str.isdigit()


@dataclass(frozen=True, kw_only=True, slots=True)
class DimensionResult:
    dimension: Dimension
    rated: int
    dont_know: int
    unanswered: int
    score: float | None
    """0 to 100, or None when too few statements were rated."""
    band: Band | None
    advice: Advice | None
    weak: int = 0
    """Statements rated in the lower half of the scale (after mirroring a reversed one)."""

    @property
    def total(self) -> int:
        return self.rated + self.dont_know + self.unanswered


@dataclass(frozen=True, kw_only=True, slots=True)
class Result:
    assessment: Assessment
    dimensions: tuple[DimensionResult, ...]
    score: float | None
    """The mean of the dimension scores, each dimension weighing the same; None if none scored."""
    band: Band | None
    ignored: tuple[str, ...]
    """Answers that match no question or no choice of the current definition, by question id."""
    verdict: Rule | None = None
    """The first verdict that applies, once every choice is answered."""
    flags: tuple[Rule, ...] = ()
    choices_left: int = 0
    """Choice questions still unanswered."""
    tables: Mapping[str, tuple[Mapping[str, str], ...]] = field(default_factory=dict)
    """The rows the reader filled in, by rows question id."""
    chosen: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The options picked in each answered choice question, by question id."""

    @property
    def rated(self) -> int:
        return sum(d.rated for d in self.dimensions)

    @property
    def dont_know(self) -> int:
        return sum(d.dont_know for d in self.dimensions)

    @property
    def answered(self) -> int:
        return self.rated + self.dont_know

    @property
    def total(self) -> int:
        return len(self.assessment.rated)


def read_answer(assessment: Assessment, question: Question, raw: object) -> int | str | tuple[str, ...] | None:
    """A scale value, DONT_KNOW, an option, a note, or None when missing or not a valid answer."""
    if question.kind == "choice":
        return raw if isinstance(raw, str) and raw in {o.value for o in question.options} else None
    if question.kind == "choices":
        ticked = [raw] if isinstance(raw, str) else raw
        known = [o.value for o in question.options]
        if not isinstance(ticked, list) or not ticked or not all(value in known for value in ticked):
            return None
        return tuple(value for value in known if value in ticked)  # in the options' order
    if question.kind == "text":
        text = raw.strip() if isinstance(raw, str) else ""
        return text[:MAX_TEXT_ANSWER] if text else None
    # A rating is read strictly: the exact text of one of the scale's values (as the form
    # sends it), or that value as a whole number. Nothing else is read as a number.
    scale = assessment.scales[question.scale]
    if raw == DONT_KNOW:
        return DONT_KNOW if scale.dont_know else None
    for point in scale.points:
        if (type(raw) is int and raw == point.value) or (isinstance(raw, str) and raw == str(point.value)):
            return point.value
    return None


def rating_share(assessment: Assessment, question: Question, value: int) -> float:
    """Where a rating sits between the scale's worst (0.0) and best (1.0) ends."""
    scale = assessment.scales[question.scale]
    share = (value - scale.low) / (scale.high - scale.low)
    return 1.0 - share if question.reverse else share


def read_rows(question: Question, answers: Mapping[str, object]) -> tuple[tuple[Mapping[str, str], ...], list[str]]:
    """The rows filled in, in order, empty rows left out; and the answer keys that did not fit."""
    columns = {c.id: c for c in question.columns}
    rows: dict[int, dict[str, str]] = {}
    unfit = []
    for key, raw in answers.items():
        name, _, rest = key.partition(".")
        if name != question.id:
            continue
        index, _, column_id = rest.partition(".")
        column = columns.get(column_id)
        value = raw.strip()[:MAX_TEXT_ANSWER] if isinstance(raw, str) else None
        fits = (
            column is not None
            and _ROW_INDEX.fullmatch(index) is not None
            and int(index) < question.max_rows
            and value is not None
            and (column.kind == "text" or value in {o.value for o in column.options})
        )
        if not fits:
            unfit.append(key)
        elif value:
            rows.setdefault(int(index), {})[column_id] = value
    return tuple(rows[i] for i in sorted(rows)), unfit


def check_rows(check: RowCheck, tables: Mapping[str, tuple[Mapping[str, str], ...]]) -> bool:
    rows = [r for r in tables.get(check.rows, ()) if all(r.get(c) in v for c, v in check.where.items())]
    return not any(row.get(check.column) in check.none_of for row in rows)


def score_answers(assessment: Assessment, answers: Mapping[str, object]) -> Result:
    known = {q.id for q in assessment.questions if q.kind != "rows"}
    tables_ids = {q.id for q in assessment.questions if q.kind == "rows"}
    ignored = sorted(qid for qid in answers if qid not in known and qid.partition(".")[0] not in tables_ids)
    tables = {}
    for question in assessment.questions:
        if question.kind == "rows":
            tables[question.id], unfit = read_rows(question, answers)
            ignored += unfit
    # Each answer is read once; the scores, the choices and what is ignored all use that reading.
    values = {q.id: read_answer(assessment, q, answers.get(q.id)) for q in assessment.questions if q.kind != "rows"}
    dimension_results = []
    for dimension in assessment.dimensions:
        shares: list[float] = []
        dont_know = unanswered = 0
        for question in assessment.questions_in(dimension.id):
            value = values[question.id]
            if value is None:
                unanswered += 1
                if answers.get(question.id) not in (None, ""):
                    ignored.append(question.id)
            elif value == DONT_KNOW:
                dont_know += 1
            else:
                assert isinstance(value, int)
                shares.append(rating_share(assessment, question, value))
        total = len(shares) + dont_know + unanswered
        score = None
        if shares and len(shares) >= assessment.min_answered * total:
            score = round(SCORE_MAX * sum(shares) / len(shares), 1)
        band = assessment.band_for(score) if score is not None else None
        dimension_results.append(
            DimensionResult(
                dimension=dimension,
                rated=len(shares),
                dont_know=dont_know,
                unanswered=unanswered,
                score=score,
                band=band,
                advice=dimension.advice.get(band.id) if band else None,
                weak=sum(1 for share in shares if share < WEAK_SHARE),
            )
        )
    chosen: dict[str, tuple[str, ...]] = {}
    for question in assessment.questions:
        if question.kind not in ("choice", "choices", "text"):
            continue
        value = values[question.id]
        if value is None:
            if answers.get(question.id) not in (None, "", []):
                ignored.append(question.id)
        elif question.kind != "text":
            chosen[question.id] = value if isinstance(value, tuple) else (str(value),)
    scored = [d.score for d in dimension_results if d.score is not None]
    overall = round(sum(scored) / len(scored), 1) if scored else None
    # Ticking nothing is an answer to a multiple choice, so only single choices are awaited.
    choices_left = sum(1 for q in assessment.questions if q.kind == "choice" and q.id not in chosen)
    return Result(
        assessment=assessment,
        dimensions=tuple(dimension_results),
        score=overall,
        band=assessment.band_for(overall) if overall is not None else None,
        ignored=tuple(sorted(set(ignored))),
        verdict=None if choices_left else next((r for r in assessment.verdicts if applies(r, chosen, tables)), None),
        flags=tuple(r for r in assessment.flags if applies(r, chosen, tables)),
        choices_left=choices_left,
        tables=tables,
        chosen=chosen,
    )


def applies(
    rule: Rule, chosen: Mapping[str, tuple[str, ...]], tables: Mapping[str, tuple[Mapping[str, str], ...]]
) -> bool:
    """Every question the rule names has one of the options it lists ticked, and every row check holds."""
    return all(set(chosen.get(qid, ())) & set(values) for qid, values in rule.when.items()) and all(
        check_rows(check, tables) for check in rule.missing
    )
