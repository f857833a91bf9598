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
    prompt: str | None = None
    """A question for a team to discuss when it is split in this area (the workshop pack)."""


QUESTION_KINDS = ("rating", "choice", "choices", "text", "rows")
"""rating: a point on a scale, scored; choice: one option, read by rules; choices: any number
of options (a rule on it applies when any listed option is ticked); text: a short note;
rows: a table the reader fills in, one row per item (a stakeholder, a party's position)."""
DEFAULT_GROUP_THRESHOLD = 3
"""A stakeholder group with fewer members than this is never shown alone (see widgets.groups)."""
MAX_ROWS = 40
COLUMN_KINDS = ("text", "choice")


@dataclass(frozen=True, kw_only=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Column:
    id: str
    label: str
    kind: str = "text"
    options: tuple[Option, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class RowCheck:
    """True when no row (of those matching ``where``) has ``column`` set to one of ``none_of``."""

    rows: str
    column: str
    none_of: tuple[str, ...]
    where: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class Grid:
    """Rows drawn on a two-way grid, such as stakeholders by interest and power."""

    rows: str
    x: str
    y: str
    label: str
    cells: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """A name for each cell of the grid, keyed by (x option, y option): what to do with those in it."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Question:
    id: str
    text: str
    kind: str = "rating"
    columns: tuple[Column, ...] = ()
    max_rows: int = MAX_ROWS
    dimension: str | None = None
    """The scored area of a rating; None for other kinds."""
    scale: str | None = None
    reverse: bool = False
    """True when agreeing is a bad sign: the rating is mirrored before scoring."""
    hint: str | None = None
    options: tuple[Option, ...] = ()
    prompt: str | None = None
    """A rating's question for a team to discuss when it is split on it (the workshop pack)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Rule:
    """A verdict or a flag: applies when every listed question has one of the listed options."""

    id: str
    label: str
    text: str
    when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    missing: tuple[RowCheck, ...] = ()
    links: tuple[Link, ...] = ()


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
    minutes: int = 0
    """The author's estimate of how long the tool takes; 0 when not declared (widgets.timing works it out)."""
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


_TOP_FIELDS = (
    "id",
    "title",
    "version",
    "summary",
    "scale",
    "scales",
    "bands",
    "min_answered",
    "minutes",
    "dimensions",
    "questions",
    "verdicts",
    "flags",
    "grid",
    "groups",
    "group_threshold",
)
_SCALE_FIELDS = ("points", "dont_know")
_POINT_FIELDS = ("value", "label")
_BAND_FIELDS = ("id", "label", "from")
_DIMENSION_FIELDS = ("id", "title", "description", "advice", "prompt")
_ADVICE_FIELDS = ("text", "links")
_LINK_FIELDS = ("page", "title")
_QUESTION_FIELDS = (
    "id",
    "kind",
    "dimension",
    "scale",
    "text",
    "reverse",
    "hint",
    "options",
    "columns",
    "max_rows",
    "prompt",
)
_GROUP_FIELDS = ("id", "label")
_COLUMN_FIELDS = ("id", "label", "kind", "options")
_GRID_FIELDS = ("rows", "x", "y", "label", "cells")
_CELL_FIELDS = ("x", "y", "label")
_CHECK_FIELDS = ("rows", "column", "none_of", "where")
_OPTION_FIELDS = ("value", "label")
_RULE_FIELDS = ("id", "label", "when", "missing", "text", "links")


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
    minutes = read.integer(top, "minutes", "", default=0, minimum=1)
    # Names an author declared, even where their content is broken: a reference to one of
    # them is not reported again, so each mistake is reported once, where it is.
    declared_scales = _declared(top.get("scales"))
    declared_bands = _declared(top.get("bands"))
    declared_dimensions = _declared(top.get("dimensions"))
    raw_items = top.get("questions") if isinstance(top.get("questions"), list) else []
    rated = any(isinstance(q, dict) and q.get("kind", "rating") == "rating" for q in raw_items)
    # Scales, bands and areas are needed only to score ratings.
    needs = {name: rated or name in top for name in ("scales", "bands", "dimensions")}
    scales = _read_scales(read, top.get("scales")) if needs["scales"] else {}
    default_scale = read.text(top, "scale", "", required=False)
    if default_scale is not None and default_scale not in declared_scales:
        read.problem("scale", _unknown("scale", default_scale, declared_scales))
    bands = _read_bands(read, top.get("bands")) if needs["bands"] else []
    dimensions = (
        read.each(
            top.get("dimensions"),
            "dimensions",
            lambda item, path: _read_dimension(read, item, path, declared_bands, pages),
        )
        if needs["dimensions"]
        else []
    )
    read.unique(((d.id, f"dimensions[{i}].id") for i, d in enumerate(dimensions)), "dimension")
    questions = read.each(
        top.get("questions"),
        "questions",
        lambda item, path: _read_question(read, item, path, default_scale, declared_scales, declared_dimensions),
    )
    read.unique(((q.id, f"questions[{i}].id") for i, q in enumerate(questions)), "question")
    choices = {q.id: q for q in questions if q.kind in ("choice", "choices")}
    tables = {q.id: q for q in questions if q.kind == "rows"}
    verdicts = read.each(
        top.get("verdicts", []),
        "verdicts",
        lambda item, path: _read_rule(read, item, path, choices, pages, needs_when=False, tables=tables),
        non_empty=False,
    )
    read.unique(((r.id, f"verdicts[{i}].id") for i, r in enumerate(verdicts)), "verdict")
    if verdicts and (verdicts[-1].when or verdicts[-1].missing):
        read.problem(
            f"verdicts[{len(verdicts) - 1}]", "the last verdict must have no 'when', so that one always applies"
        )
    flags = read.each(
        top.get("flags", []),
        "flags",
        lambda item, path: _read_rule(read, item, path, choices, pages, needs_when=True, tables=tables),
        non_empty=False,
    )
    read.unique(((r.id, f"flags[{i}].id") for i, r in enumerate(flags)), "flag")
    grid = _read_grid(read, top["grid"], tables) if "grid" in top else None
    groups = _read_groups(read, top["groups"]) if "groups" in top else ()
    threshold = read.integer(top, "group_threshold", "", default=DEFAULT_GROUP_THRESHOLD, minimum=2)
    raw_questions = top.get("questions")
    if isinstance(raw_questions, list) and raw_questions:
        named = {
            item.get("dimension")
            for item in raw_questions
            if isinstance(item, dict) and isinstance(item.get("dimension"), str)
        }
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
        minutes=minutes or 0,
        verdicts=tuple(verdicts),
        flags=tuple(flags),
        grid=grid,
        groups=groups,
        group_threshold=threshold or DEFAULT_GROUP_THRESHOLD,
    )


def _read_groups(read: Reader, value: Any) -> tuple[tuple[str, str], ...]:
    """The stakeholder groups a member may answer for, in the order offered."""
    items = read.each(
        value,
        "groups",
        lambda item, path: (
            (read.identifier(spec, "id", path), read.text(spec, "label", path))
            if (spec := read.mapping(item, path, _GROUP_FIELDS)) is not None
            else None
        ),
    )
    found = tuple((gid, label) for gid, label in items if gid is not None and label is not None)
    read.unique(((gid, f"groups[{i}].id") for i, (gid, _) in enumerate(found)), "group")
    return found


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
    prompt = read.text(spec, "prompt", path, required=False)
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
    return Dimension(id=dimension_id, title=title, description=description, advice=advice, prompt=prompt)


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
    prompt = read.text(spec, "prompt", path, required=False)
    kind = read.text(spec, "kind", path, required=False) or "rating"
    if kind not in QUESTION_KINDS:
        read.problem(join(path, "kind"), _unknown("kind", kind, list(QUESTION_KINDS)))
        return None
    if kind != "rating" and "prompt" in spec:
        read.problem(join(path, "prompt"), f"only a rating has a prompt (this question is a {kind})")
    if kind != "rows":
        for key in ("columns", "max_rows"):
            if key in spec:
                read.problem(join(path, key), f"only rows have {key} (this question is a {kind})")
    if kind == "rows":
        for key in ("dimension", "scale", "reverse", "options"):
            if key in spec:
                read.problem(join(path, key), f"rows have columns, not a {key}")
        columns = read.each(spec.get("columns"), join(path, "columns"), lambda item, at: _read_column(read, item, at))
        read.unique(((c.id, f"{path}.columns[{i}].id") for i, c in enumerate(columns)), "column")
        max_rows = read.integer(spec, "max_rows", path, default=MAX_ROWS, minimum=1)
        if max_rows is not None and max_rows > MAX_ROWS:
            read.problem(join(path, "max_rows"), f"must be {MAX_ROWS} or fewer, found {max_rows}")
        if question_id is None or text is None or not columns:
            return None
        return Question(id=question_id, text=text, kind=kind, hint=hint, columns=tuple(columns), max_rows=max_rows or 1)
    if kind != "rating":
        for key in ("dimension", "scale", "reverse"):
            if key in spec:
                read.problem(join(path, key), f"only a rating has a {key} (this question is a {kind})")
        has_options = kind in ("choice", "choices")
        options = _read_options(read, spec, path) if has_options else ()
        if not has_options and "options" in spec:
            read.problem(join(path, "options"), "only a choice has options")
        if question_id is None or text is None or (has_options and not options):
            return None
        return Question(id=question_id, text=text, kind=kind, hint=hint, options=options)
    if "options" in spec:
        read.problem(join(path, "options"), "only a choice has options (a rating uses a scale)")
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
    return Question(
        id=question_id, dimension=dimension, scale=scale, text=text, reverse=reverse, hint=hint, prompt=prompt
    )


def _read_column(read: Reader, value: Any, path: str) -> Column | None:
    spec = read.mapping(value, path, _COLUMN_FIELDS)
    if spec is None:
        return None
    column_id = read.identifier(spec, "id", path)
    label = read.text(spec, "label", path)
    kind = read.text(spec, "kind", path, required=False) or "text"
    if kind not in COLUMN_KINDS:
        read.problem(join(path, "kind"), _unknown("column kind", kind, list(COLUMN_KINDS)))
        return None
    options = _read_options(read, spec, path) if kind == "choice" else ()
    if kind == "text" and "options" in spec:
        read.problem(join(path, "options"), "only a choice column has options")
    if column_id is None or label is None or (kind == "choice" and not options):
        return None
    return Column(id=column_id, label=label, kind=kind, options=options)


def _read_grid(read: Reader, value: Any, tables: Mapping[str, Question]) -> Grid | None:
    spec = read.mapping(value, "grid", _GRID_FIELDS)
    if spec is None:
        return None
    rows = read.text(spec, "rows", "grid")
    if rows is None:
        return None
    table = tables.get(rows)
    if table is None:
        read.problem("grid.rows", _unknown("rows question", rows, list(tables)))
        return None
    columns = {c.id: c for c in table.columns}
    found = {}
    for key, kind in (("x", "choice"), ("y", "choice"), ("label", "text")):
        name = read.text(spec, key, "grid")
        if name is None:
            continue
        if name not in columns or columns[name].kind != kind:
            wanted = [c.id for c in table.columns if c.kind == kind]
            read.problem(join("grid", key), _unknown(f"{kind} column", name, wanted))
            continue
        found[key] = name
    if len(found) < 3:
        return None
    cells: dict[tuple[str, str], str] = {}
    for index, item in enumerate(read.sequence(spec.get("cells", []), "grid.cells", non_empty=False) or []):
        at = f"grid.cells[{index}]"
        cell = read.mapping(item, at, _CELL_FIELDS)
        if cell is None:
            continue
        label = read.text(cell, "label", at)
        where = []
        for key in ("x", "y"):
            value = read.text(cell, key, at)
            known = [o.value for o in columns[found[key]].options]
            if value is not None and value not in known:
                read.problem(join(at, key), _unknown("option", value, known))
                value = None
            where.append(value)
        if label is not None and None not in where:
            if (where[0], where[1]) in cells:
                read.problem(at, f"a second label for the cell {where[0]}, {where[1]}")
            cells[(where[0], where[1])] = label
    return Grid(rows=rows, x=found["x"], y=found["y"], label=found["label"], cells=cells)


def _read_check(read: Reader, value: Any, path: str, tables: Mapping[str, Question]) -> RowCheck | None:
    spec = read.mapping(value, path, _CHECK_FIELDS)
    if spec is None:
        return None
    rows = read.text(spec, "rows", path)
    if rows is None:
        return None
    table = tables.get(rows)
    if table is None:
        read.problem(join(path, "rows"), _unknown("rows question", rows, list(tables)))
        return None
    choice_columns = {c.id: c for c in table.columns if c.kind == "choice"}

    def values_of(column_id: str, wanted: Any, at: str) -> tuple[str, ...] | None:
        column = choice_columns.get(column_id)
        if column is None:
            read.problem(at, _unknown("choice column", column_id, list(choice_columns)))
            return None
        wanted = [wanted] if isinstance(wanted, str) else wanted
        if not isinstance(wanted, list) or not wanted or not all(isinstance(w, str) for w in wanted):
            read.problem(at, "expected an option or a list of options")
            return None
        known = [o.value for o in column.options]
        bad = [w for w in wanted if w not in known]
        for option in bad:
            read.problem(at, _unknown("option", option, known))
        return None if bad else tuple(wanted)

    column = read.text(spec, "column", path)
    if column is not None and column not in choice_columns:
        read.problem(join(path, "column"), _unknown("choice column", column, list(choice_columns)))
        column = None
    none_of = values_of(column, spec.get("none_of"), join(path, "none_of")) if column else None
    where: dict[str, tuple[str, ...]] = {}
    for key, wanted in (read.mapping(spec.get("where", {}), join(path, "where")) or {}).items():
        found = values_of(str(key), wanted, join(join(path, "where"), str(key)))
        if found:
            where[str(key)] = found
    if column is None or none_of is None:
        return None
    return RowCheck(rows=rows, column=column, none_of=none_of, where=where)


def _read_options(read: Reader, spec: Mapping, path: str) -> tuple[Option, ...]:
    def one(item: Any, at: str) -> Option | None:
        option = read.mapping(item, at, _OPTION_FIELDS)
        if option is None:
            return None
        value = read.identifier(option, "value", at)
        label = read.text(option, "label", at)
        return Option(value=value, label=label) if value and label else None

    options = read.each(spec.get("options"), join(path, "options"), one)
    read.unique(((o.value, f"{path}.options[{i}].value") for i, o in enumerate(options)), "option")
    if "options" in spec and isinstance(spec["options"], list) and len(spec["options"]) == 1:
        read.problem(join(path, "options"), "a choice needs at least two options")
        return ()
    return tuple(options)


def _read_rule(
    read: Reader,
    value: Any,
    path: str,
    choices: Mapping[str, Question],
    pages: Mapping[str, str] | None,
    *,
    needs_when: bool,
    tables: Mapping[str, Question] | None = None,
) -> Rule | None:
    spec = read.mapping(value, path, _RULE_FIELDS)
    if spec is None:
        return None
    rule_id = read.identifier(spec, "id", path)
    label = read.text(spec, "label", path)
    text = read.text(spec, "text", path)
    links = read.each(
        spec.get("links", []), join(path, "links"), lambda item, at: _read_link(read, item, at, pages), non_empty=False
    )
    missing = read.each(
        spec.get("missing", []),
        join(path, "missing"),
        lambda item, at: _read_check(read, item, at, tables or {}),
        non_empty=False,
    )
    when: dict[str, tuple[str, ...]] = {}
    if "when" in spec or (needs_when and "missing" not in spec):
        conditions = read.mapping(spec.get("when"), join(path, "when"))
        if conditions is not None and not conditions:
            read.problem(join(path, "when"), "must name at least one question")
        for qid, wanted in (conditions or {}).items():
            at = join(join(path, "when"), str(qid))
            question = choices.get(qid)
            if question is None:
                read.problem(at, _unknown("choice question", str(qid), list(choices)))
                continue
            wanted = [wanted] if isinstance(wanted, str) else wanted
            if not isinstance(wanted, list) or not wanted or not all(isinstance(w, str) for w in wanted):
                read.problem(at, "expected an option or a list of options")
                continue
            known = [o.value for o in question.options]
            for option in wanted:
                if option not in known:
                    read.problem(at, _unknown("option", option, known))
            when[qid] = tuple(wanted)
    if rule_id is None or label is None or text is None:
        return None
    return Rule(id=rule_id, label=label, text=text, when=when, missing=tuple(missing), links=tuple(links))


def definition_to_data(assessment: Assessment) -> dict[str, Any]:
    """The plain-data form of a checked definition, as embedded in a page.

    ``parse_definition(definition_to_data(a))`` gives back an equal assessment.
    """
    data = {
        "id": assessment.id,
        "title": assessment.title,
        "version": assessment.version,
        "summary": assessment.summary,
        "min_answered": assessment.min_answered,
        **({"minutes": assessment.minutes} if assessment.minutes else {}),
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
                **({"prompt": d.prompt} if d.prompt else {}),
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
        "questions": [_question_data(q) for q in assessment.questions],
        "verdicts": [_rule_data(rule) for rule in assessment.verdicts],
        "flags": [_rule_data(rule) for rule in assessment.flags],
        **({"groups": [{"id": gid, "label": label} for gid, label in assessment.groups]} if assessment.groups else {}),
        **(
            {"group_threshold": assessment.group_threshold}
            if assessment.group_threshold != DEFAULT_GROUP_THRESHOLD
            else {}
        ),
    }
    # Only an assessment with ratings has scales, bands and areas.
    for key in ("scales", "bands", "dimensions"):
        if not data[key]:
            del data[key]
    if (g := assessment.grid) is None:
        return data
    grid: dict[str, Any] = {"rows": g.rows, "x": g.x, "y": g.y, "label": g.label}
    if g.cells:
        grid["cells"] = [{"x": x, "y": y, "label": label} for (x, y), label in g.cells.items()]
    return data | {"grid": grid}


def _question_data(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"id": question.id, "kind": question.kind, "text": question.text, "hint": question.hint}
    if question.kind == "rating":
        data |= {"dimension": question.dimension, "scale": question.scale, "reverse": question.reverse}
        if question.prompt:
            data["prompt"] = question.prompt
    if question.kind in ("choice", "choices"):
        data["options"] = [{"value": o.value, "label": o.label} for o in question.options]
    if question.kind == "rows":
        data["max_rows"] = question.max_rows
        data["columns"] = [
            {"id": c.id, "label": c.label, "kind": c.kind}
            | ({"options": [{"value": o.value, "label": o.label} for o in c.options]} if c.kind == "choice" else {})
            for c in question.columns
        ]
    return data


def _rule_data(rule: Rule) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": rule.id,
        "label": rule.label,
        "text": rule.text,
        "links": [{"page": link.page, "title": link.title} for link in rule.links],
    }
    if rule.when:
        data["when"] = {qid: list(values) for qid, values in rule.when.items()}
    if rule.missing or not rule.when:  # `missing: []` is how a rule without conditions is written
        data["missing"] = [
            {"rows": c.rows, "column": c.column, "none_of": list(c.none_of)}
            | ({"where": {k: list(v) for k, v in c.where.items()}} if c.where else {})
            for c in rule.missing
        ]
    return data
