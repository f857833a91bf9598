"""What one part of a definition may refer to, and how a reference to anything else is refused.

A definition is read top-down: the names declared at the top (scales, bands, areas) are
collected first, even where their content is broken, so that a reference to one of them is
not reported again and each mistake is reported once, where it is. The questions read so far
are added before the verdicts and flags that name them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .questions import Question


@dataclass(frozen=True, kw_only=True, slots=True)
class Names:
    pages: Mapping[str, str] | None = None
    """Each handbook page (``how/money.md``) and its title; None: links are not checked (in the browser)."""
    scales: tuple[str, ...] = ()
    bands: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    default_scale: str | None = None
    """The scale of a rating that names none."""
    choices: Mapping[str, Question] = field(default_factory=dict)
    """The choice questions a rule may name, by id."""
    tables: Mapping[str, Question] = field(default_factory=dict)
    """The rows questions a row check or the grid may name, by id."""


def declared(value: Any) -> tuple[str, ...]:
    """The names in a mapping of named items, or the ``id`` of each item in a list."""
    if isinstance(value, dict):
        return tuple(name for name in value if isinstance(name, str))
    if isinstance(value, list):
        return tuple(item["id"] for item in value if isinstance(item, dict) and isinstance(item.get("id"), str))
    return ()


def unknown(what: str, value: str, known: Mapping[str, Any] | tuple[str, ...] | list[str]) -> str:
    names = ", ".join(f"'{name}'" for name in known) or "none defined"
    return f"unknown {what} '{value}' (known: {names})"
