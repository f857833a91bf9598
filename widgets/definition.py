"""The assessment definition: what an author writes in YAML, checked and made into typed objects.

``parse_definition`` reads plain data (from YAML at build time, or from the JSON embedded in
a page in the browser) and either returns an :class:`Assessment` or raises a
:class:`~widgets.errors.DefinitionError` listing every problem found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .reader import Reader, join

SCORE_MIN = 0.0
SCORE_MAX = 100.0
DEFAULT_MIN_ANSWERED = 0.5
"""A dimension gets a score only when at least this share of its statements is rated."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ScalePoint:
    value: int
    label: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Scale:
    id: str
    points: tuple[ScalePoint, ...]
    dont_know: str | None = None
    """Label of the "don't know" choice, or None when the scale does not offer one."""

    @property
    def low(self) -> int:
        return self.points[0].value

    @property
    def high(self) -> int:
        return self.points[-1].value

    def label_of(self, value: int) -> str | None:
        return next((p.label for p in self.points if p.value == value), None)


@dataclass(frozen=True, kw_only=True, slots=True)
class Band:
    id: str
    label: str
    from_score: float
    """The lowest score, from 0 to 100, that falls in this band."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Link:
    page: str
    """A handbook page as a path under docs/, such as ``how/money.md``, optionally with #anchor."""
    title: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Advice:
    text: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Dimension:
    id: str
    title: str
    description: str | None = None
    advice: Mapping[str, Advice] = field(default_factory=dict)
    """Advice for each band id."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Question:
    id: str
    dimension: str
    scale: str
    text: str
    reverse: bool = False
    """True when agreeing is a bad sign: the rating is mirrored before scoring."""
    hint: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Assessment:
    id: str
    title: str
    version: int
    summary: str | None
    scales: Mapping[str, Scale]
    bands: tuple[Band, ...]
    """Highest first."""
    dimensions: tuple[Dimension, ...]
    questions: tuple[Question, ...]
    min_answered: float = DEFAULT_MIN_ANSWERED

    def questions_in(self, dimension_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.dimension == dimension_id)

    def band_for(self, score: float) -> Band:
        return next(band for band in self.bands if score >= band.from_score)


_TOP_FIELDS = (
    "id",
    "title",
    "version",
    "summary",
    "scale",
    "scales",
    "bands",
    "min_answered",
    "dimensions",
    "questions",
)
_SCALE_FIELDS = ("points", "dont_know")
_POINT_FIELDS = ("value", "label")
_BAND_FIELDS = ("id", "label", "from")
_DIMENSION_FIELDS = ("id", "title", "description", "advice")
_ADVICE_FIELDS = ("text", "links")
_LINK_FIELDS = ("page", "title")
_QUESTION_FIELDS = ("id", "dimension", "scale", "text", "reverse", "hint")


def parse_definition(data: Any, *, pages: Mapping[str, str] | None = None) -> Assessment:
    """Check ``data`` and build the assessment it describes.

    ``pages`` maps each handbook page path (``how/money.md``) to its title. When given,
    every advice link must name one of them, and links without a title get the page's.
    """
    read = Reader()
    top = read.mapping(data, "", _TOP_FIELDS)
    if top is None:
        read.raise_if_any()
    assert top is not None

    assessment_id = read.identifier(top, "id", "")
    title = read.text(top, "title", "")
    version = read.integer(top, "version", "", default=1, minimum=1)
    summary = read.text(top, "summary", "", required=False)
    min_answered = read.number(top, "min_answered", "", low=0.01, high=1.0, default=DEFAULT_MIN_ANSWERED)
    # Names an author declared, even where their content is broken: a reference to one of
    # them is not reported again, so each mistake is reported once, where it is.
    declared_scales = _declared(top.get("scales"))
    declared_bands = _declared(top.get("bands"))
    declared_dimensions = _declared(top.get("dimensions"))
    scales = _read_scales(read, top.get("scales"))
    default_scale = read.text(top, "scale", "", required=False)
    if default_scale is not None and default_scale not in declared_scales:
        read.problem("scale", _unknown("scale", default_scale, declared_scales))
    bands = _read_bands(read, top.get("bands"))
    dimensions = read.each(
        top.get("dimensions"),
        "dimensions",
        lambda item, path: _read_dimension(read, item, path, declared_bands, pages),
    )
    read.unique(((d.id, f"dimensions[{i}].id") for i, d in enumerate(dimensions)), "dimension")
    questions = read.each(
        top.get("questions"),
        "questions",
        lambda item, path: _read_question(read, item, path, default_scale, declared_scales, declared_dimensions),
    )
    read.unique(((q.id, f"questions[{i}].id") for i, q in enumerate(questions)), "question")
    raw_questions = top.get("questions")
    if isinstance(raw_questions, list) and raw_questions:
        named = {item.get("dimension") for item in raw_questions if isinstance(item, dict)}
        for index, dimension in enumerate(dimensions):
            if dimension.id not in named:
                read.problem(f"dimensions[{index}]", f"dimension '{dimension.id}' has no questions")

    read.raise_if_any()
    return Assessment(
        id=assessment_id or "",
        title=title or "",
        version=version or 1,
        summary=summary,
        scales=scales,
        bands=tuple(sorted(bands, key=lambda band: band.from_score, reverse=True)),
        dimensions=tuple(dimensions),
        questions=tuple(questions),
        min_answered=min_answered or DEFAULT_MIN_ANSWERED,
    )


def _declared(value: Any) -> list[str]:
    """The names in a mapping of named items, or the ``id`` of each item in a list."""
    if isinstance(value, dict):
        return [name for name in value if isinstance(name, str)]
    if isinstance(value, list):
        return [item["id"] for item in value if isinstance(item, dict) and isinstance(item.get("id"), str)]
    return []


def _unknown(what: str, value: str, known: Mapping[str, Any] | list[str]) -> str:
    names = ", ".join(f"'{name}'" for name in known) or "none defined"
    return f"unknown {what} '{value}' (known: {names})"


def _read_scales(read: Reader, value: Any) -> dict[str, Scale]:
    scales: dict[str, Scale] = {}
    top = read.mapping(value, "scales")
    if top is None:
        return scales
    if not top:
        read.problem("scales", "must define at least one scale")
    for name, body in top.items():
        path = join("scales", str(name))
        if not isinstance(name, str) or not name.strip():
            read.problem(path, "a scale needs a name")
            continue
        spec = read.mapping(body, path, _SCALE_FIELDS)
        if spec is None:
            continue
        points = read.each(spec.get("points"), join(path, "points"), lambda p, at: _read_point(read, p, at))
        if "points" in spec and isinstance(spec["points"], list) and len(spec["points"]) < 2:
            read.problem(join(path, "points"), "a scale needs at least two points")
            continue
        values = [point.value for point in points]
        if values != sorted(set(values)):
            read.problem(join(path, "points"), "values must be unique and in ascending order")
            continue
        dont_know = read.text(spec, "dont_know", path, required=False)
        if len(points) >= 2:
            scales[name] = Scale(id=name, points=tuple(points), dont_know=dont_know)
    return scales


def _read_point(read: Reader, value: Any, path: str) -> ScalePoint | None:
    spec = read.mapping(value, path, _POINT_FIELDS)
    if spec is None:
        return None
    number = read.integer(spec, "value", path)
    label = read.text(spec, "label", path)
    if number is None or label is None:
        return None
    return ScalePoint(value=number, label=label)


def _read_bands(read: Reader, value: Any) -> list[Band]:
    bands = read.each(value, "bands", lambda item, path: _read_band(read, item, path))
    read.unique(((b.id, f"bands[{i}].id") for i, b in enumerate(bands)), "band")
    starts = [band.from_score for band in bands]
    if len(set(starts)) != len(starts):
        read.problem("bands", "two bands start at the same score")
    if bands and SCORE_MIN not in starts:
        read.problem("bands", "one band must start from 0, so that every score has a band")
    return bands


def _read_band(read: Reader, value: Any, path: str) -> Band | None:
    spec = read.mapping(value, path, _BAND_FIELDS)
    if spec is None:
        return None
    band_id = read.identifier(spec, "id", path)
    label = read.text(spec, "label", path)
    start = read.number(spec, "from", path, low=SCORE_MIN, high=SCORE_MAX)
    if band_id is None or label is None or start is None:
        return None
    return Band(id=band_id, label=label, from_score=start)


def _read_dimension(
    read: Reader, value: Any, path: str, band_ids: list[str], pages: Mapping[str, str] | None
) -> Dimension | None:
    """``band_ids`` are the bands declared, so a band with a broken threshold still needs advice."""
    spec = read.mapping(value, path, _DIMENSION_FIELDS)
    if spec is None:
        return None
    dimension_id = read.identifier(spec, "id", path)
    title = read.text(spec, "title", path)
    description = read.text(spec, "description", path, required=False)
    advice: dict[str, Advice] = {}
    advice_path = join(path, "advice")
    given = read.mapping(spec.get("advice"), advice_path, band_ids)
    if given is not None:
        for band_id in band_ids:
            if band_id not in given:
                read.problem(advice_path, f"no advice for band '{band_id}'")
        for band_id, body in given.items():
            if band_id in band_ids:
                item = _read_advice(read, body, join(advice_path, band_id), pages)
                if item is not None:
                    advice[band_id] = item
    if dimension_id is None or title is None:
        return None
    return Dimension(id=dimension_id, title=title, description=description, advice=advice)


def _read_advice(read: Reader, value: Any, path: str, pages: Mapping[str, str] | None) -> Advice | None:
    spec = read.mapping(value, path, _ADVICE_FIELDS)
    if spec is None:
        return None
    text = read.text(spec, "text", path)
    links = read.each(
        spec.get("links", []),
        join(path, "links"),
        lambda item, at: _read_link(read, item, at, pages),
        non_empty=False,
    )
    if text is None:
        return None
    return Advice(text=text, links=tuple(links))


def _read_link(read: Reader, value: Any, path: str, pages: Mapping[str, str] | None) -> Link | None:
    if isinstance(value, str):
        value = {"page": value}
    spec = read.mapping(value, path, _LINK_FIELDS)
    if spec is None:
        return None
    page = read.text(spec, "page", path)
    title = read.text(spec, "title", path, required=False)
    if page is None:
        return None
    if pages is not None:
        target = page.split("#", 1)[0]
        if target not in pages:
            read.problem(
                join(path, "page") if "title" in spec else path, f"links to '{page}', which is not a handbook page"
            )
            return None
        title = title or pages[target]
    return Link(page=page, title=title)


def _read_question(
    read: Reader,
    value: Any,
    path: str,
    default_scale: str | None,
    scales: list[str],
    dimensions: list[str],
) -> Question | None:
    spec = read.mapping(value, path, _QUESTION_FIELDS)
    if spec is None:
        return None
    question_id = read.identifier(spec, "id", path)
    text = read.text(spec, "text", path)
    hint = read.text(spec, "hint", path, required=False)
    reverse = read.boolean(spec, "reverse", path, default=False)
    dimension = read.text(spec, "dimension", path)
    if dimension is not None and dimension not in dimensions:
        read.problem(join(path, "dimension"), _unknown("dimension", dimension, dimensions))
        dimension = None
    scale = read.text(spec, "scale", path, required=False) or default_scale
    if scale is None:
        if "scale" not in spec:
            read.problem(join(path, "scale"), "is required (or set a default 'scale' at the top)")
    elif scale not in scales:
        if "scale" in spec:
            read.problem(join(path, "scale"), _unknown("scale", scale, scales))
        scale = None
    if None in (question_id, text, dimension, scale):
        return None
    assert question_id and text and dimension and scale
    return Question(id=question_id, dimension=dimension, scale=scale, text=text, reverse=reverse, hint=hint)


def definition_to_data(assessment: Assessment) -> dict[str, Any]:
    """The plain-data form of a checked definition, as embedded in a page.

    ``parse_definition(definition_to_data(a))`` gives back an equal assessment.
    """
    return {
        "id": assessment.id,
        "title": assessment.title,
        "version": assessment.version,
        "summary": assessment.summary,
        "min_answered": assessment.min_answered,
        "scales": {
            scale.id: {
                "points": [{"value": p.value, "label": p.label} for p in scale.points],
                "dont_know": scale.dont_know,
            }
            for scale in assessment.scales.values()
        },
        "bands": [{"id": b.id, "label": b.label, "from": b.from_score} for b in assessment.bands],
        "dimensions": [
            {
                "id": d.id,
                "title": d.title,
                "description": d.description,
                "advice": {
                    band: {
                        "text": advice.text,
                        "links": [{"page": link.page, "title": link.title} for link in advice.links],
                    }
                    for band, advice in d.advice.items()
                },
            }
            for d in assessment.dimensions
        ],
        "questions": [
            {
                "id": q.id,
                "dimension": q.dimension,
                "scale": q.scale,
                "text": q.text,
                "reverse": q.reverse,
                "hint": q.hint,
            }
            for q in assessment.questions
        ],
    }
