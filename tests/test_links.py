"""Answers by link: encoded and decoded in Python, refused with a message when damaged or foreign."""

from __future__ import annotations

import base64
import contextlib
import json
import zlib

import pytest
from conftest import docs_titles
from definitions import PAGES, small
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import parse_definition
from widgets.links import MAX_JSON_BYTES, LinkError, decode_link, encode_link


def raw_link(record: object, *, level: int = 9) -> str:
    data = json.dumps(record).encode()
    return "answers=1." + base64.urlsafe_b64encode(zlib.compress(data, level)).rstrip(b"=").decode()


def _deflated(text: str) -> str:
    return "answers=1." + base64.urlsafe_b64encode(zlib.compress(text.encode(), 9)).rstrip(b"=").decode()


def test_a_link_carries_the_rated_answers_and_the_name(assessment):
    link = encode_link(assessment, {"t1": "4", "t2": "dk", "m1": "1", "t3": "nine", "gone": "3"}, "Ward manager")
    decoded = decode_link(assessment, "https://intranet.example/handbook/toolkit/small/#" + link)
    assert decoded.answers == {"t1": "4", "t2": "dk", "m1": "1"}
    assert decoded.member == "Ward manager"


def test_a_full_health_check_link_is_short_enough_for_chat(health_check_data):
    health_check = parse_definition(health_check_data, pages=docs_titles())
    answers = {q.id: str(1 + i % 5) for i, q in enumerate(health_check.rated)}
    link = encode_link(health_check, answers, "Finance lead")
    assert decode_link(health_check, link).answers == answers
    assert len(link) < 200, len(link)


def test_every_truncation_is_refused_with_a_message(assessment):
    link = encode_link(assessment, {"t1": "4", "t2": "2", "t3": "5", "t4": "1", "m2": "3"})
    for end in range(len(link)):
        with pytest.raises(LinkError):
            decode_link(assessment, link[:end])


def test_every_altered_character_is_refused_or_reads_the_same(assessment):
    link = encode_link(assessment, {"t1": "4", "t2": "2", "t3": "5"})
    original = decode_link(assessment, link)
    start = link.index(".") + 1
    for index in range(start, len(link)):
        for replacement in "A_9":
            altered = link[:index] + replacement + link[index + 1 :]
            if altered == link:
                continue
            # Base64's last character can carry unused bits: the same bytes, the same answers.
            with contextlib.suppress(LinkError):
                assert decode_link(assessment, altered) == original


@pytest.mark.parametrize(
    ("fragment", "message"),
    [
        ("", "does not carry answers"),
        ("answers=", "is not complete"),
        ("answers=2.eJxLAQAAYgBi", "different version of this handbook"),
        ("answers=1.not base64!", "changed or cut short"),
        ("other=1.eJxLAQAAYgBi", "does not carry answers"),
        ("answers=1." + "A" * 9000, "too long"),
        (12, "not text"),
    ],
)
def test_malformed_links_are_refused(assessment, fragment, message):
    with pytest.raises(LinkError, match=message):
        decode_link(assessment, fragment)


def test_a_link_for_another_tool_is_refused(assessment):
    with pytest.raises(LinkError, match=r"another tool \('health-check'\), not to 'A small check'"):
        decode_link(assessment, raw_link({"a": "health-check", "v": 1, "x": ""}))


@pytest.mark.parametrize(("version", "age"), [(1, "an earlier"), (3, "a newer")])
def test_a_link_from_another_version_is_refused(assessment, version, age):
    with pytest.raises(LinkError, match=f"made with {age} version of this tool \\(version {version}; this page has"):
        decode_link(assessment, raw_link({"a": "small", "v": version, "x": "3-----"}))


@pytest.mark.parametrize("marks", ["3----", "3------", "9-----", "----.-", 7])
def test_answers_that_do_not_fit_the_statements_are_refused(assessment, marks):
    # Six rated statements; a five-point scale has no tenth point; yes/no (m1) has no "don't know".
    with pytest.raises(LinkError, match="changed or cut short"):
        decode_link(assessment, raw_link({"a": "small", "v": 2, "x": marks}))


def test_the_positions_map_to_the_scales_values(assessment):
    decoded = decode_link(assessment, raw_link({"a": "small", "v": 2, "x": "4.0-1-"}))
    assert decoded.answers == {"t1": "5", "t2": "dk", "t3": "1", "m1": "1"}


def test_a_compressed_bomb_is_refused_before_it_is_parsed(assessment):
    bomb = raw_link({"a": "small", "v": 2, "x": "------", "pad": "x" * (MAX_JSON_BYTES * 20)})
    assert len(bomb) < 2_000
    with pytest.raises(LinkError, match="far more than answers"):
        decode_link(assessment, bomb)


def test_deep_nesting_and_odd_shapes_are_refused(assessment):
    for record in ([1, 2], {"a": "small", "v": True, "x": ""}, {"a": "small", "v": 2, "x": []}, "[" * 5000):
        with pytest.raises(LinkError):
            decode_link(assessment, raw_link(record) if not isinstance(record, str) else _deflated(record))


def test_markup_in_a_name_is_kept_as_text(assessment):
    decoded = decode_link(
        assessment, raw_link({"a": "small", "v": 2, "x": "------", "m": "<img src=x onerror=alert(1)>\n"})
    )
    assert decoded.member == "<img src=x onerror=alert(1)>"  # escaped wherever it is shown


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_read_or_refused_never_raises_anything_else(text):
    assessment = parse_definition(small(), pages=PAGES)
    with contextlib.suppress(LinkError):
        decode_link(assessment, "answers=1." + text)
