"""Scales an author's statements are rated on, and the bands that name ranges of a 0-100 score."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..reader import Reader, join
from .names import Names
from .spelling import Fields, spelt, write

SCORE_MIN = 0.0
SCORE_MAX = 100.0


@dataclass(frozen=True, kw_only=True, slots=True)
class ScalePoint:
    value: int
    label: str

    @classmethod
    def from_data(cls, read: Reader, value: Any, path: str, names: Names) -> ScalePoint | None:
        spec = Fields.of(read, value, path, cls)
        if spec is None:
            return None
        number = spec.integer("value")
        label = spec.text("label")
        if number is None or label is None:
            return None
        return cls(value=number, label=label)

    def to_data(self) -> dict[str, Any]:
        return write(self)


@dataclass(frozen=True, kw_only=True, slots=True)
class Scale:
    id: str = spelt(None)
    """The scale's key under ``scales``."""
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

    @classmethod
    def from_data(cls, read: Reader, value: Any, path: str, names: Names, *, name: str) -> Scale | None:
        spec = Fields.of(read, value, path, cls)
        if spec is None:
            return None
        points = spec.items("points", ScalePoint, names)
        given = spec.get("points")
        if isinstance(given, list) and len(given) < 2:
            spec.problem("points", "a scale needs at least two points")
            return None
        values = [point.value for point in points]
        if values != sorted(set(values)):
            spec.problem("points", "values must be unique and in ascending order")
            return None
        dont_know = spec.text("dont_know", required=False)
        if len(points) < 2:
            return None
        return cls(id=name, points=tuple(points), dont_know=dont_know)

    def to_data(self) -> dict[str, Any]:
        return write(self)


def read_scales(top: Fields, names: Names) -> dict[str, Scale]:
    """The scales by name: a mapping, as an author names each scale once, by its key."""
    scales: dict[str, Scale] = {}
    given = top.mapping("scales")
    if given is None:
        return scales
    if not given:
        top.problem("scales", "must define at least one scale")
    for name, body in given.items():
        path = join(top.at("scales"), str(name))
        if not isinstance(name, str) or not name.strip():
            top.reader.problem(path, "a scale needs a name")
            continue
        scale = Scale.from_data(top.reader, body, path, names, name=name)
        if scale is not None:
            scales[name] = scale
    return scales


@dataclass(frozen=True, kw_only=True, slots=True)
class Band:
    id: str
    label: str
    from_score: float = spelt("from")
    """The lowest score, from 0 to 100, that falls in this band."""

    @classmethod
    def from_data(cls, read: Reader, value: Any, path: str, names: Names) -> Band | None:
        spec = Fields.of(read, value, path, cls)
        if spec is None:
            return None
        band_id = spec.identifier("id")
        label = spec.text("label")
        start = spec.number("from_score", low=SCORE_MIN, high=SCORE_MAX)
        if band_id is None or label is None or start is None:
            return None
        return cls(id=band_id, label=label, from_score=start)

    def to_data(self) -> dict[str, Any]:
        return write(self)


def read_bands(top: Fields, names: Names) -> list[Band]:
    """The bands in the order written; one must start from 0, and no two at the same score."""
    bands = top.items("bands", Band, names)
    top.reader.unique(((b.id, join(join(top.at("bands"), i), "id")) for i, b in enumerate(bands)), "band")
    starts = [band.from_score for band in bands]
    if len(set(starts)) != len(starts):
        top.problem("bands", "two bands start at the same score")
    if bands and SCORE_MIN not in starts:
        top.problem("bands", "one band must start from 0, so that every score has a band")
    return bands
