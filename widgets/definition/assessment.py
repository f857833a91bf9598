"""The whole definition: its top-level fields, read in an order that lets each part check its references."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..reader import Reader, join
from .advice import Dimension
from .names import Names, declared, unknown
from .questions import Question, is_rating
from .rules import Grid, Rule
from .scales import Band, Scale, read_bands, read_scales
from .spelling import Fields, spelt, write

DEFAULT_MIN_ANSWERED = 0.5
"""A dimension gets a score only when at least this share of its statements is rated."""
RESERVED_GROUPS = {"other": "the groups too small to show on their own"}
"""Group ids an assessment may not declare, and what the team view uses each for."""
DEFAULT_GROUP_THRESHOLD = 3
"""A stakeholder group with fewer members than this is never shown alone (see widgets.groups)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Group:
    """How one stakeholder group is written (the model keeps each as an (id, label) pair)."""

    id: str
    label: str

    @classmethod
    def from_data(cls, read: Reader, value: Any, path: str, names: Names) -> Group | None:
        spec = Fields.of(read, value, path, cls)
        if spec is None:
            return None
        group_id = spec.identifier("id")
        label = spec.text("label")
        return cls(id=group_id, label=label) if group_id is not None and label is not None else None

    def to_data(self) -> dict[str, Any]:
        return write(self)


@dataclass(frozen=True, kw_only=True, slots=True)
class Assessment:
    id: str
    title: str
    version: int = 1
    summary: str | None = None
    default_scale: str | None = spelt("scale", default=None)
    """The scale of a rating that names none (each rating's own scale is filled in when read)."""
    scales: Mapping[str, Scale] = field(default_factory=dict)
    bands: tuple[Band, ...] = ()
    """Highest first."""
    min_answered: float = DEFAULT_MIN_ANSWERED
    minutes: int = 0
    """The author's estimate of how long the tool takes; 0 when not declared (widgets.timing works it out)."""
    dimensions: tuple[Dimension, ...] = ()
    questions: tuple[Question, ...]
    verdicts: tuple[Rule, ...] = ()
    """The first that applies is the verdict; the last applies always."""
    flags: tuple[Rule, ...] = ()
    """Every one that applies is shown."""
    grid: Grid | None = None
    groups: tuple[tuple[str, str], ...] = ()
    """(id, label) of the stakeholder groups members may answer for; () for the default list."""
    group_threshold: int = DEFAULT_GROUP_THRESHOLD

    def questions_in(self, dimension_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.dimension == dimension_id)

    @property
    def rated(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kind == "rating")

    def band_for(self, score: float) -> Band:
        return next(band for band in self.bands if score >= band.from_score)

    @classmethod
    def from_data(cls, read: Reader, value: Any, path: str, names: Names) -> Assessment | None:
        """The assessment, or None when ``value`` is not a mapping; check ``read.problems`` before using it."""
        top = Fields.of(read, value, path, cls)
        if top is None:
            return None
        assessment_id = top.identifier("id")
        title = top.text("title")
        version = top.integer("version", default=1, minimum=1)
        summary = top.text("summary", required=False)
        min_answered = top.number("min_answered", low=0.01, high=1.0, default=DEFAULT_MIN_ANSWERED)
        minutes = top.integer("minutes", default=0, minimum=1)
        names = replace(
            names,
            scales=declared(top.get("scales")),
            bands=declared(top.get("bands")),
            dimensions=declared(top.get("dimensions")),
        )
        raw_questions = top.get("questions")
        raw_questions = raw_questions if isinstance(raw_questions, list) else []
        # Scales, bands and areas are needed only to score ratings.
        rated = any(is_rating(item) for item in raw_questions)
        scales = read_scales(top, names) if rated or "scales" in top else {}
        default_scale = top.text("default_scale", required=False)
        if default_scale is not None and default_scale not in names.scales:
            top.problem("default_scale", unknown("scale", default_scale, names.scales))
        bands = read_bands(top, names) if rated or "bands" in top else []
        dimensions = top.items("dimensions", Dimension, names) if rated or "dimensions" in top else []
        _unique(top, "dimensions", dimensions, "dimension")
        names = replace(names, default_scale=default_scale)
        questions = top.items("questions", Question, names)
        _unique(top, "questions", questions, "question")
        names = replace(
            names,
            choices={q.id: q for q in questions if q.kind in ("choice", "choices")},
            tables={q.id: q for q in questions if q.kind == "rows"},
        )
        verdicts = top.each("verdicts", lambda item, at: Rule.from_data(read, item, at, names), optional=True)
        _unique(top, "verdicts", verdicts, "verdict")
        if verdicts and (verdicts[-1].when or verdicts[-1].missing):
            last = join(top.at("verdicts"), len(verdicts) - 1)
            read.problem(last, "the last verdict must have no 'when', so that one always applies")
        flags = top.each(
            "flags", lambda item, at: Rule.from_data(read, item, at, names, needs_when=True), optional=True
        )
        _unique(top, "flags", flags, "flag")
        grid = Grid.from_data(read, top.get("grid"), top.at("grid"), names) if "grid" in top else None
        groups = _read_groups(top, names) if "groups" in top else ()
        threshold = top.integer("group_threshold", default=DEFAULT_GROUP_THRESHOLD, minimum=2)
        named = [item.get("dimension") for item in raw_questions if isinstance(item, dict)]
        for index, dimension in enumerate(dimensions if raw_questions else ()):
            if dimension.id not in named:
                read.problem(join(top.at("dimensions"), index), f"dimension '{dimension.id}' has no questions")
        return cls(
            id=assessment_id or "",
            title=title or "",
            version=version or 1,
            summary=summary,
            default_scale=default_scale,
            scales=scales,
            bands=tuple(sorted(bands, key=lambda band: band.from_score, reverse=True)),
            dimensions=tuple(dimensions),
            questions=tuple(questions),
            min_answered=min_answered or DEFAULT_MIN_ANSWERED,
            minutes=minutes or 0,
            verdicts=tuple(verdicts),
            flags=tuple(flags),
            grid=grid,
            groups=groups,
            group_threshold=threshold or DEFAULT_GROUP_THRESHOLD,
        )

    def to_data(self) -> dict[str, Any]:
        return write(self, groups=[Group(id=gid, label=label).to_data() for gid, label in self.groups])


def _unique(top: Fields, name: str, items: list, what: str) -> None:
    """Each item's id once in the list field ``name``."""
    at = top.at(name)
    top.reader.unique(((item.id, join(join(at, i), "id")) for i, item in enumerate(items)), what)


def _read_groups(top: Fields, names: Names) -> tuple[tuple[str, str], ...]:
    """The stakeholder groups a member may answer for, in the order offered."""
    found = tuple((group.id, group.label) for group in top.items("groups", Group, names))
    for index, (gid, _) in enumerate(found):
        if gid in RESERVED_GROUPS:
            top.reader.problem(
                join(join(top.at("groups"), index), "id"),
                f"'{gid}' is reserved: the team view uses it for {RESERVED_GROUPS[gid]}",
            )
    top.reader.unique(((gid, join(join(top.at("groups"), i), "id")) for i, (gid, _) in enumerate(found)), "group")
    return found
