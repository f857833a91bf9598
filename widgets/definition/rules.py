"""Verdicts and flags (rules on the answers to choice questions and on rows), and the grid rows are drawn on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..reader import Reader, join
from .advice import Link
from .names import Names, unknown
from .questions import Question
from .spelling import Fields, write


def _listed(read: Reader, wanted: Any, at: str) -> list[str] | None:
    """An option or a list of options, as a list."""
    wanted = [wanted] if isinstance(wanted, str) else wanted
    if not isinstance(wanted, list) or not wanted or not all(isinstance(w, str) for w in wanted):
        read.problem(at, "expected an option or a list of options")
        return None
    return wanted


def _any_unknown(read: Reader, wanted: list[str], at: str, known: list[str]) -> bool:
    bad = [w for w in wanted if w not in known]
    for option in bad:
        read.problem(at, unknown("option", option, known))
    return bool(bad)


def _table(spec: Fields, names: Names) -> tuple[str, Question] | tuple[None, None]:
    """The rows question a row check or the grid names in its ``rows`` field."""
    rows = spec.text("rows")
    if rows is None:
        return None, None
    table = names.tables.get(rows)
    if table is None:
        spec.problem("rows", unknown("rows question", rows, list(names.tables)))
        return None, None
    return rows, table


@dataclass(frozen=True, kw_only=True, slots=True)
class RowCheck:
    """True when no row (of those matching ``where``) has ``column`` set to one of ``none_of``."""

    rows: str
    column: str
    none_of: tuple[str, ...]
    where: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_data(cls, read: Reader, value: Any, path: str, names: Names) -> RowCheck | None:
        spec = Fields.of(read, value, path, cls)
        if spec is None:
            return None
        rows, table = _table(spec, names)
        if rows is None or table is None:
            return None
        choice_columns = {c.id: c for c in table.columns if c.kind == "choice"}

        def values_of(column_id: str, wanted: Any, at: str) -> tuple[str, ...] | None:
            column = choice_columns.get(column_id)
            if column is None:
                read.problem(at, unknown("choice column", column_id, list(choice_columns)))
                return None
            listed = _listed(read, wanted, at)
            if listed is None or _any_unknown(read, listed, at, [o.value for o in column.options]):
                return None
            return tuple(listed)

        column = spec.text("column")
        if column is not None and column not in choice_columns:
            spec.problem("column", unknown("choice column", column, list(choice_columns)))
            column = None
        none_of = values_of(column, spec.get("none_of"), spec.at("none_of")) if column else None
        where: dict[str, tuple[str, ...]] = {}
        for key, wanted in (spec.mapping("where", optional=True) or {}).items():
            found = values_of(str(key), wanted, join(spec.at("where"), str(key)))
            if found:
                where[str(key)] = found
        if column is None or none_of is None:
            return None
        return cls(rows=rows, column=column, none_of=none_of, where=where)

    def to_data(self) -> dict[str, Any]:
        return write(self)


@dataclass(frozen=True, kw_only=True, slots=True)
class Rule:
    """A verdict or a flag: applies when every listed question has one of the listed options."""

    id: str
    label: str
    when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    missing: tuple[RowCheck, ...] = ()
    text: str
    links: tuple[Link, ...] = ()

    @classmethod
    def from_data(cls, read: Reader, value: Any, path: str, names: Names, *, needs_when: bool = False) -> Rule | None:
        """``needs_when``: a flag says when it applies, by ``when`` or by ``missing`` (``missing: []``: always)."""
        spec = Fields.of(read, value, path, cls)
        if spec is None:
            return None
        rule_id = spec.identifier("id")
        label = spec.text("label")
        text = spec.text("text")
        links = spec.items("links", Link, names, optional=True)
        missing = spec.items("missing", RowCheck, names, optional=True)
        when: dict[str, tuple[str, ...]] = {}
        if "when" in spec or (needs_when and "missing" not in spec):
            conditions = spec.mapping("when")
            if conditions is not None and not conditions:
                spec.problem("when", "must name at least one question")
            for qid, wanted in (conditions or {}).items():
                at = join(spec.at("when"), str(qid))
                question = names.choices.get(qid)
                if question is None:
                    read.problem(at, unknown("choice question", str(qid), list(names.choices)))
                    continue
                listed = _listed(read, wanted, at)
                if listed is not None:
                    _any_unknown(read, listed, at, [o.value for o in question.options])
                    when[qid] = tuple(listed)
        if rule_id is None or label is None or text is None:
            return None
        return cls(id=rule_id, label=label, text=text, when=when, missing=tuple(missing), links=tuple(links))

    def to_data(self) -> dict[str, Any]:
        # Without a `when`, `missing` is written even when empty: a flag with neither is refused.
        return write(self, keep=() if self.when else ("missing",))


@dataclass(frozen=True, kw_only=True, slots=True)
class Cell:
    """How one cell of the grid is written: the name of the (x, y) cell."""

    x: str
    y: str
    label: str

    @classmethod
    def from_data(
        cls, read: Reader, value: Any, path: str, names: Names, *, known: Mapping[str, list[str]]
    ) -> Cell | None:
        """``known``: the options of the x and the y column."""
        spec = Fields.of(read, value, path, cls)
        if spec is None:
            return None
        label = spec.text("label")
        where = []
        for key in ("x", "y"):
            option = spec.text(key)
            if option is not None and option not in known[key]:
                spec.problem(key, unknown("option", option, known[key]))
                option = None
            where.append(option)
        x, y = where
        if label is None or x is None or y is None:
            return None
        return cls(x=x, y=y, label=label)

    def to_data(self) -> dict[str, Any]:
        return write(self)


@dataclass(frozen=True, kw_only=True, slots=True)
class Grid:
    """Rows drawn on a two-way grid, such as stakeholders by interest and power."""

    rows: str
    x: str
    y: str
    label: str
    cells: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """A name for each cell of the grid, keyed by (x option, y option): what to do with those in it."""

    @classmethod
    def from_data(cls, read: Reader, value: Any, path: str, names: Names) -> Grid | None:
        spec = Fields.of(read, value, path, cls)
        if spec is None:
            return None
        rows, table = _table(spec, names)
        if rows is None or table is None:
            return None
        columns = {c.id: c for c in table.columns}
        found = {}
        for key, kind in (("x", "choice"), ("y", "choice"), ("label", "text")):
            name = spec.text(key)
            if name is None:
                continue
            if name not in columns or columns[name].kind != kind:
                wanted = [c.id for c in table.columns if c.kind == kind]
                spec.problem(key, unknown(f"{kind} column", name, wanted))
                continue
            found[key] = name
        if len(found) < 3:
            return None
        known = {key: [o.value for o in columns[found[key]].options] for key in ("x", "y")}
        cells: dict[tuple[str, str], str] = {}

        def cell(item: Any, at: str) -> None:
            named = Cell.from_data(read, item, at, names, known=known)
            if named is not None:
                if (named.x, named.y) in cells:
                    read.problem(at, f"a second label for the cell {named.x}, {named.y}")
                cells[(named.x, named.y)] = named.label

        spec.each("cells", cell, optional=True)
        return cls(rows=rows, x=found["x"], y=found["y"], label=found["label"], cells=cells)

    def to_data(self) -> dict[str, Any]:
        cells = [Cell(x=x, y=y, label=label).to_data() for (x, y), label in self.cells.items()]
        return write(self, cells=cells)
