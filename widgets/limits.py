"""Limits on outside data, in one place, and the JSON reader that applies them.

Every reader of data from outside the page (answers files, links, round files) goes
through ``read_json``: it refuses text that is too long or nested too deeply *before*
``json.loads`` sees it. Under Pyodide a deeply nested document overflows the WebAssembly
stack, which kills the interpreter outright: ``except RecursionError`` never runs.
"""

from __future__ import annotations

import json

MAX_FILE_CHARS = 100_000
"""An answers, rows or round file larger than this is refused unread."""
MAX_DEPTH = 20
"""JSON nested deeper than this (arrays and objects inside each other) is refused unread."""


class TooLarge(ValueError):
    """Refused before parsing: the message says why, for the reader."""


def nesting_depth(text: str, stop_at: int = MAX_DEPTH + 1) -> int:
    """The deepest nesting of arrays and objects in ``text``, counting no further than ``stop_at``."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest >= stop_at:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


def read_json(text: str, *, max_chars: int = MAX_FILE_CHARS, max_depth: int = MAX_DEPTH) -> object:
    """``json.loads`` after the size and depth checks; TooLarge or ValueError when refused."""
    if len(text) > max_chars:
        raise TooLarge(f"it is larger than {max_chars // 1000} KB")
    if nesting_depth(text, max_depth + 1) > max_depth:
        raise TooLarge("it is nested too deeply to be a file from this handbook")
    return json.loads(text)
