"""The questions of a definition: one reader for each kind, and the fields each kind may have.

All kinds share one :class:`Question` class (and so one set of YAML fields); each kind in
:data:`KINDS` names the fields it uses beyond ``id``, ``kind``, ``text`` and ``hint``. A
field of another kind is refused with a message naming the kind it belongs to, and is left
at its default, so the writer leaves it out again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..reader import Reader, join
from .names import Names, unknown
from .spelling import Fields, write

MAX_ROWS = 40
COLUMN_KINDS = ("text", "choice")


@dataclass(frozen=True, kw_only=True, slots=True)
class Option:
    value: str
    label: str

    @classmethod
    def from_data(cls, read: Reader, value: Any, path: str, names: Names) -> Option | None:
        spec = Fields.of(read, value, path, cls)
        if spec is None:
            return None
        option = spec.identifier("value")
        label = spec.text("label")
        return cls(value=option, label=label) if option and label else None

    def to_data(self) -> dict[str, Any]:
        return write(self)


def read_options(spec: Fields, names: Names) -> tuple[Option, ...]:
    """The options of a choice question or column: at least two, each value once."""
    options = spec.items("options", Option, names)
    at = spec.at("options")
    spec.reader.unique(((o.value, join(join(at, i), "value")) for i, o in enumerate(options)), "option")
    given = spec.get("options")
    if isinstance(given, list) and len(given) == 1:
        spec.problem("options", "a choice needs at least two options")
        return ()
    return tuple(options)


@dataclass(frozen=True, kw_only=True, slots=True)
class Column:
    id: str
    label: str
    kind: str = "text"
    options: tuple[Option, ...] = ()

    @classmethod
    def from_data(cls, read: Reader, value: Any, path: str, names: Names) -> Column | None:
        spec = Fields.of(read, value, path, cls)
        if spec is None:
            return None
        column_id = spec.identifier("id")
        label = spec.text("label")
        kind = spec.text("kind", required=False) or "text"
        if kind not in COLUMN_KINDS:
            spec.problem("kind", unknown("column kind", kind, COLUMN_KINDS))
            return None
        options = read_options(spec, names) if kind == "choice" else ()
        if kind == "text" and "options" in spec:
            spec.problem("options", "only a choice column has options")
        if column_id is None or label is None or (kind == "choice" and not options):
            return None
        return cls(id=column_id, label=label, kind=kind, options=options)

    def to_data(self) -> dict[str, Any]:
        return write(self)


@dataclass(frozen=True, kw_only=True, slots=True)
class Question:
    id: str
    kind: str = "rating"
    dimension: str | None = None
    """The scored area of a rating; None for other kinds."""
    scale: str | None = None
    text: str
    reverse: bool = False
    """True when agreeing is a bad sign: the rating is mirrored before scoring."""
    hint: str | None = None
    options: tuple[Option, ...] = ()
    columns: tuple[Column, ...] = ()
    max_rows: int = MAX_ROWS
    prompt: str | None = None
    """A rating's question for a team to discuss when it is split on it (the workshop pack)."""

    @classmethod
    def from_data(cls, read: Reader, value: Any, path: str, names: Names) -> Question | None:
        spec = Fields.of(read, value, path, cls)
        if spec is None:
            return None
        common = {"id": spec.identifier("id"), "text": spec.text("text"), "hint": spec.text("hint", required=False)}
        prompt = spec.text("prompt", required=False)  # read for every kind: a mistyped one is reported as such
        kind = spec.text("kind", required=False) or "rating"
        if kind not in KINDS:
            spec.problem("kind", unknown("kind", kind, QUESTION_KINDS))
            return None
        for name in OWN_FIELDS:
            if name in spec and name not in KINDS[kind].fields:
                spec.problem(name, _misplaced(name, kind))
        if kind == "rating":
            common["prompt"] = prompt
        return KINDS[kind].read(spec, names, kind, common)

    def to_data(self) -> dict[str, Any]:
        return write(self)


def _rating(spec: Fields, names: Names, kind: str, common: dict[str, Any]) -> Question | None:
    reverse = spec.boolean("reverse", default=False)
    dimension = spec.text("dimension")
    if dimension is not None and dimension not in names.dimensions:
        spec.problem("dimension", unknown("dimension", dimension, names.dimensions))
        dimension = None
    scale = spec.text("scale", required=False) or names.default_scale
    if scale is None:
        if "scale" not in spec:
            spec.problem("scale", "is required (or set a default 'scale' at the top)")
    elif scale not in names.scales:
        if "scale" in spec:
            spec.problem("scale", unknown("scale", scale, names.scales))
        scale = None
    if None in (common["id"], common["text"], dimension, scale):
        return None
    return Question(kind=kind, dimension=dimension, scale=scale, reverse=reverse, **common)


def _choice(spec: Fields, names: Names, kind: str, common: dict[str, Any]) -> Question | None:
    options = read_options(spec, names)
    if None in (common["id"], common["text"]) or not options:
        return None
    return Question(kind=kind, options=options, **common)


def _text(spec: Fields, names: Names, kind: str, common: dict[str, Any]) -> Question | None:
    if None in (common["id"], common["text"]):
        return None
    return Question(kind=kind, **common)


def _rows(spec: Fields, names: Names, kind: str, common: dict[str, Any]) -> Question | None:
    columns = spec.items("columns", Column, names)
    at = spec.at("columns")
    spec.reader.unique(((c.id, join(join(at, i), "id")) for i, c in enumerate(columns)), "column")
    max_rows = spec.integer("max_rows", default=MAX_ROWS, minimum=1)
    if max_rows is not None and max_rows > MAX_ROWS:
        spec.problem("max_rows", f"must be {MAX_ROWS} or fewer, found {max_rows}")
    if None in (common["id"], common["text"]) or not columns:
        return None
    return Question(kind=kind, columns=tuple(columns), max_rows=max_rows or 1, **common)


@dataclass(frozen=True, slots=True)
class Kind:
    fields: tuple[str, ...]
    """The fields of :class:`Question` this kind uses, beyond those every kind has."""
    read: Callable[[Fields, Names, str, dict[str, Any]], Question | None]


KINDS = {
    "rating": Kind(("dimension", "scale", "reverse", "prompt"), _rating),
    "choice": Kind(("options",), _choice),
    "choices": Kind(("options",), _choice),
    "text": Kind((), _text),
    "rows": Kind(("columns", "max_rows"), _rows),
}
"""rating: a point on a scale, scored; choice: one option, read by rules; choices: any number
of options (a rule on it applies when any listed option is ticked); text: a short note;
rows: a table the reader fills in, one row per item (a stakeholder, a party's position)."""
QUESTION_KINDS = tuple(KINDS)
COMMON_FIELDS = ("id", "kind", "text", "hint")
OWN_FIELDS = tuple(f.name for f in dataclasses.fields(Question) if f.name not in COMMON_FIELDS)
"""The fields that belong to some kinds only, in the order the class declares them."""


def _misplaced(name: str, kind: str) -> str:
    """Why a question of ``kind`` cannot have the field ``name`` (another kind's)."""
    if kind == "rows" and name != "prompt":
        return f"rows have columns, not {name}" if name == "options" else f"rows have columns, not a {name}"
    if name in KINDS["rating"].fields:
        return f"only a rating has a {name} (this question is a {kind})"
    if name in KINDS["rows"].fields:
        return f"only rows have {name} (this question is a {kind})"
    return "only a choice has options (a rating uses a scale)" if kind == "rating" else "only a choice has options"


def is_rating(item: Any) -> bool:
    """Whether plain data, not yet read, describes a rating (the kind a question has unless it says)."""
    return isinstance(item, dict) and item.get("kind", "rating") == "rating"
