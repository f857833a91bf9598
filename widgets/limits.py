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

# A JSON string, with its escapes, as one match; one never closed runs to the end of the text.
# Every match succeeds where it starts (the unrolled form, ending in a quote or the end), so
# the scan is linear however the quotes and backslashes fall. Then everything not a bracket.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*\\?(?:"|\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_ONE_KIND = str.maketrans("[]{}", "()()")


class LimitError(ValueError):
    """Data over a limit; the message says which, in words a reader can act on."""


def nesting_depth(text: str, *, stop_above: int | None = None) -> int:
    """The deepest nesting of ``[`` and ``{`` outside strings, measured without recursion.

    Strings and everything but brackets are dropped by regular expressions, then each pass
    removes every innermost pair, so the number of passes that empty a balanced text is its
    depth; whatever is left (brackets never closed, or a close with nothing open, where a
    parser stops) is counted one by one. Every step is linear in the text, so a request of
    quotes or brackets costs about as much as any other text of its size. With
    ``stop_above``, it stops once the depth is known to pass it.

    Text that is not JSON gets a number too (perhaps too high, never too low for the part
    a parser would read before it fails), so the check is safe to run before parsing.
    """
    bare = _STRING.sub("", text)
    brackets = _NOT_BRACKET.sub("", bare).translate(_ONE_KIND)
    limit = len(brackets) if stop_above is None else stop_above + 1
    passes = 0
    while passes < limit:
        shorter = brackets.replace("()", "")
        if len(shorter) == len(brackets):
            break
        brackets, passes = shorter, passes + 1
    depth = deepest = 0
    for char in brackets:
        if char == ")":
            if not depth:
                break  # a close with nothing open: a parser stops here
            depth -= 1
            continue
        depth += 1
        deepest = max(deepest, depth)
        if stop_above is not None and passes + deepest > stop_above:
            break
    return passes + deepest


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
