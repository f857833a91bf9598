"""The limits on outside data: size and nesting refused before json.loads ever runs."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.limits import MAX_DEPTH, TooLarge, nesting_depth, read_json

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=30,
)


def depth_of(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    return 0


@settings(max_examples=300, derandomize=True, deadline=None)
@given(JSON)
def test_the_depth_counted_is_the_real_depth(value):
    assert nesting_depth(json.dumps(value), stop_at=1000) == depth_of(value)


def test_brackets_inside_strings_do_not_count():
    assert nesting_depth(json.dumps({"a": '[[[[{{{{\\"]]'})) == 1


@pytest.mark.parametrize("text", ["[" * 50_000, '{"a":' * 15_000 + "1" + "}" * 15_000, "[" * (MAX_DEPTH + 1)])
def test_deep_nesting_is_refused_unread(text):
    with pytest.raises(TooLarge, match="nested too deeply"):
        read_json(text, max_chars=200_000)


def test_a_large_text_is_refused_unread():
    with pytest.raises(TooLarge, match="larger than 100 KB"):
        read_json(" " * 100_001)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_read_or_refused_with_a_value_error(text):
    with contextlib.suppress(ValueError):
        read_json(text)
