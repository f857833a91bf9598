"""Limits on data from outside: every reader of an imported file, a request from the page or
a saved record checks it here, so one place says how much the engine will read.

The checks run *before* ``json.loads``. Deep nesting must never reach the parser: under
Pyodide a few thousand nested arrays overflow the WebAssembly stack, which kills the
interpreter instead of raising ``RecursionError``. So size and depth are measured on the
text itself, by a scan that does not recurse.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_FILE_CHARS = 100_000
"""An answers file: one member's answers to one assessment are a few kilobytes."""
MAX_DEPTH = 8
"""Nesting of arrays and objects in an answers file (the file itself is 3 deep)."""
MAX_FILES = 60
"""Files combined in one team view."""
MAX_ANSWER_KEYS = 2_000
"""Keys in one set of answers (a rows question has one key per cell)."""
MAX_LABEL_CHARS = 80
"""A member's name or role, and a file name as shown back to the reader."""
MAX_TEXT_ANSWER = 500
"""A note, or a cell of a rows question."""
MAX_REQUEST_CHARS = 16_000_000
"""One request from the page: files travel as text inside it, so this bounds them all."""
MAX_REQUEST_DEPTH = 32
"""Nesting in a request: a definition is about 8 deep; files are strings and do not count."""
PLAN_FIELD_CHARS = {"owner": 200, "due": 40, "agreed": 500}
"""What a team writes for one priority of a plan: the boxes' maxlength, and what is kept of each."""
DONT_KNOW = "dk"
"""The value a "don't know" answer is sent as."""

# The characters that matter to nesting: brackets, and the quotes and escapes that say
# whether a bracket is inside a string.
_MARKS = re.compile(r'[\\"\[\]{}]')


class LimitError(ValueError):
    """Data over a limit; the message says which, in words a reader can act on."""


def nesting_depth(text: str, *, stop_above: int | None = None) -> int:
    """The deepest nesting of ``[`` and ``{`` outside strings, measured without recursion.

    With ``stop_above``, the scan ends as soon as the depth passes it.

    Text that is not JSON gets a number too (perhaps too high, never too low for the part
    a parser would read before it fails), so the check is safe to run before parsing.
    """
    depth = deepest = 0
    in_string = False
    escaped_at = -1  # the position a backslash in a string escapes
    for mark in _MARKS.finditer(text):
        at, char = mark.start(), mark.group()
        if at == escaped_at:
            continue
        if in_string:
            if char == "\\":
                escaped_at = at + 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if stop_above is not None and deepest > stop_above:
                break
        elif char in "]}":
            depth = max(depth - 1, 0)
    return deepest


def check_text(text: str, *, max_chars: int, max_depth: int) -> None:
    """Raise ``LimitError`` if ``text`` is too long or nests too deep to parse safely."""
    if len(text) > max_chars:
        raise LimitError(f"it is larger than {max_chars // 1000:,} KB")
    if nesting_depth(text, stop_above=max_depth) > max_depth:
        raise LimitError(f"it nests more than {max_depth} levels deep")


def loads(text: str, *, max_chars: int = MAX_FILE_CHARS, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` after the limits are checked; every failure is a ``LimitError`` or ``ValueError``.

    A leading byte order mark, which some editors add when a file is saved, is ignored.
    Numbers too long for Python to read (over 4,300 digits) raise ``ValueError``.
    """
    text = text.removeprefix("\ufeff")
    check_text(text, max_chars=max_chars, max_depth=max_depth)
    try:
        return json.loads(text)
    except RecursionError as error:  # not reached after the check; kept as a last guard
        raise LimitError(f"it nests more than {max_depth} levels deep") from error
