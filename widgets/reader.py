"""Typed reads from plain data (parsed YAML or JSON) that collect problems instead of raising.

Each getter returns ``None`` when the value is missing or of the wrong kind, after noting a
problem at the key path, so one pass over a definition reports everything that is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from .errors import DefinitionError, Problem

T = TypeVar("T")

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
ID_RULE = "lower-case letters, digits and hyphens, starting with a letter or digit"

_TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a mapping of keys to values",
}


def kind_of(value: Any) -> str:
    """How an author would name the kind of value they wrote."""
    if value is None:
        return "nothing"
    for python_type, name in _TYPE_NAMES.items():
        if type(value) is python_type:
            return name
    return type(value).__name__


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class Reader:
    """Collects problems while reading one definition."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise DefinitionError(self.problems)

    # -- containers -------------------------------------------------------------------

    def mapping(self, value: Any, path: str, allowed: Iterable[str] | None = None) -> dict | None:
        if not isinstance(value, dict):
            self.problem(path, f"expected {_TYPE_NAMES[dict]}, found {kind_of(value)}")
            return None
        if allowed is not None:
            allowed = tuple(allowed)
            for key in value:
                if key not in allowed:
                    known = ", ".join(allowed)
                    self.problem(join(path, str(key)), f"unknown field (known fields: {known})")
        return value

    def sequence(self, value: Any, path: str, *, non_empty: bool = True) -> list | None:
        if not isinstance(value, list):
            self.problem(path, f"expected {_TYPE_NAMES[list]}, found {kind_of(value)}")
            return None
        if non_empty and not value:
            self.problem(path, "must not be empty")
            return None
        return value

    def each(
        self, value: Any, path: str, read_item: Callable[[Any, str], T | None], *, non_empty: bool = True
    ) -> list[T]:
        items = self.sequence(value, path, non_empty=non_empty) or []
        read = (read_item(item, join(path, index)) for index, item in enumerate(items))
        return [item for item in read if item is not None]

    # -- scalars ----------------------------------------------------------------------

    def text(self, data: Mapping, key: str, path: str, *, required: bool = True) -> str | None:
        where = join(path, key)
        if key not in data or data[key] is None:
            if required:
                self.problem(where, "is required")
            return None
        value = data[key]
        if not isinstance(value, str):
            self.problem(where, f"expected {_TYPE_NAMES[str]}, found {kind_of(value)}")
            return None
        value = value.strip()
        if not value:
            self.problem(where, "must not be empty")
            return None
        return value

    def identifier(self, data: Mapping, key: str, path: str) -> str | None:
        value = self.text(data, key, path)
        if value is not None and not ID_PATTERN.match(value):
            self.problem(join(path, key), f"'{value}' is not a valid id ({ID_RULE})")
            return None
        return value

    def integer(
        self, data: Mapping, key: str, path: str, *, default: int | None = None, minimum: int | None = None
    ) -> int | None:
        where = join(path, key)
        if key not in data:
            if default is None:
                self.problem(where, "is required")
            return default
        value = data[key]
        if type(value) is not int:
            self.problem(where, f"expected {_TYPE_NAMES[int]}, found {kind_of(value)}")
            return None
        if minimum is not None and value < minimum:
            self.problem(where, f"must be {minimum} or more, found {value}")
            return None
        return value

    def number(
        self, data: Mapping, key: str, path: str, *, low: float, high: float, default: float | None = None
    ) -> float | None:
        where = join(path, key)
        if key not in data:
            if default is None:
                self.problem(where, "is required")
            return default
        value = data[key]
        if type(value) not in (int, float):
            self.problem(where, f"expected {_TYPE_NAMES[float]}, found {kind_of(value)}")
            return None
        if not low <= value <= high:
            self.problem(where, f"must be between {low:g} and {high:g}, found {value:g}")
            return None
        return float(value)

    def boolean(self, data: Mapping, key: str, path: str, *, default: bool) -> bool:
        if key not in data:
            return default
        value = data[key]
        if type(value) is not bool:
            self.problem(join(path, key), f"expected {_TYPE_NAMES[bool]}, found {kind_of(value)}")
            return default
        return value

    def unique(self, ids: Iterable[tuple[str, str]], what: str) -> None:
        """Note a problem for each id seen before; ``ids`` pairs each id with its path."""
        seen: dict[str, str] = {}
        for value, path in ids:
            if value in seen:
                self.problem(path, f"duplicate {what} id '{value}' (first used at '{seen[value]}')")
            else:
                seen[value] = path
