"""Turn one person's answers into scores, bands and advice.

Answers arrive as form values keyed by question id: a scale value as text (``"4"``) or
``"dk"`` for "don't know". A "don't know" is counted, reported, and left out of the score:
it is neither a low nor a middling rating. A dimension with too few ratings gets no score,
rather than a score that rests on one or two answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .definition import SCORE_MAX, Advice, Assessment, Band, Dimension, Question

DONT_KNOW = "dk"


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
        return len(self.assessment.questions)


def read_answer(assessment: Assessment, question: Question, raw: object) -> int | str | None:
    """A scale value, DONT_KNOW, or None when the answer is missing or not a valid choice."""
    scale = assessment.scales[question.scale]
    if raw == DONT_KNOW:
        return DONT_KNOW if scale.dont_know else None
    if isinstance(raw, bool):
        return None
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        raw = int(raw)
    if isinstance(raw, int) and scale.label_of(raw) is not None:
        return raw
    return None


def rating_share(assessment: Assessment, question: Question, value: int) -> float:
    """Where a rating sits between the scale's worst (0.0) and best (1.0) ends."""
    scale = assessment.scales[question.scale]
    share = (value - scale.low) / (scale.high - scale.low)
    return 1.0 - share if question.reverse else share


def score_answers(assessment: Assessment, answers: Mapping[str, object]) -> Result:
    known = {q.id for q in assessment.questions}
    ignored = sorted(qid for qid in answers if qid not in known)
    dimension_results = []
    for dimension in assessment.dimensions:
        shares: list[float] = []
        dont_know = unanswered = 0
        for question in assessment.questions_in(dimension.id):
            raw = answers.get(question.id)
            value = read_answer(assessment, question, raw)
            if value is None:
                unanswered += 1
                if raw not in (None, ""):
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
            )
        )
    scored = [d.score for d in dimension_results if d.score is not None]
    overall = round(sum(scored) / len(scored), 1) if scored else None
    return Result(
        assessment=assessment,
        dimensions=tuple(dimension_results),
        score=overall,
        band=assessment.band_for(overall) if overall is not None else None,
        ignored=tuple(sorted(set(ignored))),
    )
