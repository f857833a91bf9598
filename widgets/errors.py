"""Errors an assessment author can read: every problem names where it is and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a definition, at a key path such as ``questions[2].scale``."""

    path: str
    message: str
    line: int | None = None

    def describe(self, source: str | None = None) -> str:
        """One line, whatever characters the author's keys and values hold."""
        where = source or "definition"
        if self.line is not None:
            where += f", line {self.line}"
        field = f"'{_printable(self.path)}'" if self.path else "the top level"
        return f"{where}: {field}: {_printable(self.message)}"


class DefinitionError(ValueError):
    """A definition that cannot be used. Carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__(self.summary())

    def summary(self) -> str:
        lines = [problem.describe(self.source) for problem in self.problems]
        return "\n".join(lines)

    def located(self, source: str, line_of: dict[str, int] | None = None) -> DefinitionError:
        """The same problems, attributed to a file and, where known, to lines in it."""
        line_of = line_of or {}
        problems = [
            Problem(p.path, p.message, p.line if p.line is not None else _nearest_line(p.path, line_of))
            for p in self.problems
        ]
        return DefinitionError(problems, source)


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _nearest_line(path: str, line_of: dict[str, int]) -> int | None:
    """The line of the path, or of its closest ancestor that has one."""
    while path:
        if path in line_of:
            return line_of[path]
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            break
        path = path[:cut]
    return line_of.get(path)
