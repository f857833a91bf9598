"""How the model is spelt in a definition's YAML: one declaration, read and written from it.

The dataclasses of this package are the one statement of a definition's shape. A field is
spelt in YAML as it is named in Python, unless it is declared with ``spelt("from")``, or with
``spelt(None)`` when the mapping that holds it names it (a scale's id is its key under
``scales``). Both directions come from that declaration:

- reading: :meth:`Fields.of` refuses any key the class does not declare (the allowlist is
  derived, never listed), and reads each field by name under its YAML key, so a problem names
  the path the author wrote;
- writing: :func:`write` puts every field under the same key and leaves out only a field that
  holds its default, which the reader gives back. A writer that lists nothing cannot drop or
  misspell a field that the reader knows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ..reader import Reader, join

T = TypeVar("T")
_KEY = "yaml"
_NO_DEFAULT = object()


def spelt(key: str | None, **options: Any) -> Any:
    """A dataclass field written under ``key``, or not written (None: its parent's key names it)."""
    return dataclasses.field(metadata={_KEY: key}, **options)


def key_of(field: dataclasses.Field) -> str | None:
    return field.metadata.get(_KEY, field.name)


def keys(model: type) -> tuple[str, ...]:
    """The keys a mapping read as ``model`` may hold, in the order the class declares them."""
    return tuple(key for field in dataclasses.fields(model) if (key := key_of(field)) is not None)


def _default(field: dataclasses.Field) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return _NO_DEFAULT


def plain(value: Any) -> Any:
    """A model value as plain data: an object by its ``to_data()``, tuples as lists, mappings as dicts."""
    if hasattr(value, "to_data"):
        return value.to_data()
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    return value


def write(obj: Any, *, keep: tuple[str, ...] = (), **given: Any) -> dict[str, Any]:
    """``obj``'s fields under their YAML keys, in the order declared.

    A field that holds its default is left out, unless ``keep`` names it (when leaving it out
    would change what the reader makes of the rest). ``given`` is the plain data of a field
    that :func:`plain` cannot write, such as a mapping keyed by pairs.
    """
    data = {}
    for field in dataclasses.fields(obj):
        key = key_of(field)
        value = getattr(obj, field.name)
        if key is None or (field.name not in keep and value == _default(field)):
            continue
        data[key] = given[field.name] if field.name in given else plain(value)
    return data


class Fields:
    """One mapping of a definition, read as a model class: by field name, with problems at YAML key paths."""

    __slots__ = ("_keys", "data", "path", "reader")

    def __init__(self, reader: Reader, data: dict, path: str, model: type) -> None:
        self.reader = reader
        self.data = data
        self.path = path
        self._keys = {field.name: key_of(field) for field in dataclasses.fields(model)}

    @classmethod
    def of(cls, reader: Reader, value: Any, path: str, model: type) -> Fields | None:
        """``value`` as a mapping of ``model``'s fields, or None (after a problem) when it is not a mapping."""
        data = reader.mapping(value, path, keys(model))
        return None if data is None else cls(reader, data, path, model)

    def key(self, name: str) -> str:
        return self._keys[name]

    def at(self, name: str) -> str:
        """The key path of a field, as an author would find it."""
        return join(self.path, self.key(name))

    def __contains__(self, name: str) -> bool:
        return self.key(name) in self.data

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(self.key(name), default)

    def problem(self, name: str | None, message: str) -> None:
        """A problem at a field, or (None) at the mapping itself."""
        self.reader.problem(self.at(name) if name else self.path, message)

    def text(self, name: str, *, required: bool = True) -> str | None:
        return self.reader.text(self.data, self.key(name), self.path, required=required)

    def identifier(self, name: str) -> str | None:
        return self.reader.identifier(self.data, self.key(name), self.path)

    def integer(self, name: str, *, default: int | None = None, minimum: int | None = None) -> int | None:
        return self.reader.integer(self.data, self.key(name), self.path, default=default, minimum=minimum)

    def number(self, name: str, *, low: float, high: float, default: float | None = None) -> float | None:
        return self.reader.number(self.data, self.key(name), self.path, low=low, high=high, default=default)

    def boolean(self, name: str, *, default: bool) -> bool:
        return self.reader.boolean(self.data, self.key(name), self.path, default=default)

    def mapping(self, name: str, *, allowed: tuple[str, ...] | None = None, optional: bool = False) -> dict | None:
        """A field holding a mapping; ``optional``: a missing one is empty."""
        return self.reader.mapping(self.get(name, {} if optional else None), self.at(name), allowed)

    def each(self, name: str, read_item: Callable[[Any, str], T | None], *, optional: bool = False) -> list[T]:
        """The items of a list field that read well; ``optional``: it may be missing or empty."""
        value = self.get(name, [] if optional else None)
        return self.reader.each(value, self.at(name), read_item, non_empty=not optional)

    def items(self, name: str, model: Any, names: Any, *, optional: bool = False) -> list:
        """A list field whose items are read by ``model.from_data``."""
        return self.each(name, lambda item, at: model.from_data(self.reader, item, at, names), optional=optional)
