"""A team's answers side by side: the spread on each statement, and where members diverge.

A statement is *divergent* (split) when the highest and lowest ratings are at least
three fifths of its scale's range apart, rounded up: 3 points on a 1-5 scale (2 and 5, or
1 and 4), 2 on a 1-4 scale, the two ends of a 1-3 scale. A fixed number of points would
never fire on a short scale and fire too easily on a long one. "Don't know" answers are
counted apart and never make a statement divergent. Divergent statements are listed for
discussion widest spread first.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from .anonymity import MEMBERS, Ledger, area_feature, statement_feature
from .definition import Assessment, Band, Dimension, Question, Scale
from .members import Member, Refusal
from .scoring import DONT_KNOW, Result, read_answer, score_answers

SPLIT_NUMERATOR, SPLIT_DENOMINATOR = 3, 5
"""A statement is split when its ratings span at least 3/5 of the scale's range."""


def split_span(scale: Scale) -> int:
    """The span of ratings, in scale points, at which a statement counts as split."""
    return max(1, -(-(scale.high - scale.low) * SPLIT_NUMERATOR // SPLIT_DENOMINATOR))


def divergence_rule(assessment: Assessment) -> str:
    """The rule, in words, for the scales this assessment's rated statements use."""
    used = list(dict.fromkeys(q.scale for q in assessment.rated))
    parts = []
    for scale in (assessment.scales[name] for name in used):
        span = split_span(scale)
        example = f"{scale.high - span} and {scale.high}" if scale.high - span >= scale.low else ""
        points = "point" if span == 1 else "points"
        text = f"{span} {points} or more on the {scale.low} to {scale.high} scale"
        parts.append(f"{text} (for example {example})" if example else text)
    return (
        "A statement counts as split when the highest and lowest ratings are at least three fifths of the "
        f"scale apart: {', and '.join(parts)}. \u201cDon\u2019t know\u201d answers never count."
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class StatementSpread:
    question: Question
    counts: dict[int, int]
    """How many members chose each scale value (every value present, zero or not)."""
    dont_know: int
    unanswered: int
    span: int | None
    """Highest rating minus lowest, or None with fewer than two ratings."""
    spread: float
    """Population standard deviation of the ratings: breaks ties between equal spans."""
    split_at: int
    """The span at which this statement's scale counts as split (see ``split_span``)."""
    withheld: bool = False
    """Too few people rated it to show, or showing it would single someone out: every figure is empty."""
    contributors: frozenset[str] = frozenset()
    """The ids of the members whose answers the figures come from."""

    @property
    def divergent(self) -> bool:
        return self.span is not None and self.span >= self.split_at


@dataclass(frozen=True, kw_only=True, slots=True)
class DimensionSpread:
    dimension: Dimension
    member_scores: tuple[float | None, ...]
    score: float | None
    """The mean of the members' scores for this area."""
    low: float | None
    high: float | None
    band: Band | None
    withheld: bool = False
    """Too few people scored this area to show it, or showing it would single someone out."""
    contributors: frozenset[str] = frozenset()
    """The ids of the members whose scores the figures come from."""


@dataclass(frozen=True, kw_only=True, slots=True)
class TeamResult:
    assessment: Assessment
    members: tuple[Member, ...]
    refused: tuple[Refusal, ...]
    results: tuple[Result, ...]
    statements: tuple[StatementSpread, ...]
    dimensions: tuple[DimensionSpread, ...]
    score: float | None
    band: Band | None
    waiting: tuple[Member, ...] = ()
    """Members accepted but not yet in the figures: too few have come since the last view shown."""
    threshold: int = 3

    @property
    def shown(self) -> bool:
        """Whether the team's figures can be shown at all (enough distinct members)."""
        return len(self.members) >= self.threshold

    @property
    def divergent(self) -> list[StatementSpread]:
        """Statements to discuss first: widest span, then widest spread, then in order."""
        order = {s.question.id: i for i, s in enumerate(self.statements)}
        found = [s for s in self.statements if s.divergent]
        return sorted(found, key=lambda s: (-(s.span or 0), -s.spread, order[s.question.id]))


def _statement(
    assessment: Assessment, question: Question, members: Sequence[Member], ledger: Ledger
) -> StatementSpread:
    scale = assessment.scales[question.scale]
    counts = {point.value: 0 for point in scale.points}
    dont_know = unanswered = 0
    ratings: list[int] = []
    answered: list[str] = []
    for member in members:
        value = read_answer(assessment, question, member.answers.get(question.id))
        if value is None:
            unanswered += 1
            continue
        answered.append(member.id)
        if value == DONT_KNOW:
            dont_know += 1
        else:
            assert isinstance(value, int)
            counts[value] += 1
            ratings.append(value)
    # A "don't know" is an answer too, so the set checked is everyone who answered; the ratings
    # themselves must come from at least the threshold of people as well.
    if len(ratings) < ledger.threshold or not ledger.show(statement_feature(question.id), answered):
        return StatementSpread(
            question=question,
            counts=dict.fromkeys(counts, 0),
            dont_know=0,
            unanswered=len(members),
            span=None,
            spread=0.0,
            split_at=split_span(scale),
            withheld=True,
        )
    span = max(ratings) - min(ratings) if len(ratings) >= 2 else None
    spread = round(statistics.pstdev(ratings), 3) if len(ratings) >= 2 else 0.0
    return StatementSpread(
        question=question,
        counts=counts,
        dont_know=dont_know,
        unanswered=unanswered,
        span=span,
        spread=spread,
        split_at=split_span(scale),
        contributors=frozenset(answered),
    )


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def team_result(
    assessment: Assessment,
    members: Sequence[Member],
    refused: Sequence[Refusal] = (),
    *,
    ledger: Ledger | None = None,
    waiting: Sequence[Member] = (),
) -> TeamResult:
    """The team's figures, each shown only as ``widgets.anonymity`` allows.

    ``ledger`` holds what was shown before (a new one when not given) and records what this
    result shows. Below the threshold of members no figure is shown at all.
    """
    ledger = ledger if ledger is not None else Ledger(assessment.group_threshold)
    if len(members) < ledger.threshold or not ledger.show(MEMBERS, (m.id for m in members)):
        waiting, members = (*members, *waiting), ()
    results = tuple(score_answers(assessment, member.answers) for member in members)
    dimensions = []
    for index, dimension in enumerate(assessment.dimensions):
        scores = tuple(result.dimensions[index].score for result in results)
        scored = [member.id for member, score in zip(members, scores, strict=True) if score is not None]
        if not ledger.show(area_feature(dimension.id), scored):
            empty = {"score": None, "low": None, "high": None, "band": None}
            dimensions.append(DimensionSpread(dimension=dimension, member_scores=(), withheld=bool(members), **empty))
            continue
        known = [score for score in scores if score is not None]
        mean = _mean(known)
        dimensions.append(
            DimensionSpread(
                dimension=dimension,
                member_scores=scores,
                score=mean,
                low=min(known) if known else None,
                high=max(known) if known else None,
                band=assessment.band_for(mean) if mean is not None else None,
                contributors=frozenset(scored),
            )
        )
    overall = _mean([d.score for d in dimensions if d.score is not None])
    return TeamResult(
        assessment=assessment,
        members=tuple(members),
        refused=tuple(refused),
        results=results,
        statements=tuple(_statement(assessment, q, members, ledger) for q in assessment.rated),
        dimensions=tuple(dimensions),
        score=overall,
        band=assessment.band_for(overall) if overall is not None else None,
        waiting=tuple(waiting),
        threshold=ledger.threshold,
    )
