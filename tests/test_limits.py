"""Limits on outside data, strict answer parsing, and the hostile corpus under CPython."""

from __future__ import annotations

import contextlib
import json

import pytest
from calls import ask, done
from definitions import small
from hostile import ImportCase, import_cases, nested
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import parse_definition
from widgets.bridge import ENGINE_FAULT, handle
from widgets.limits import MAX_DEPTH, MAX_FILE_CHARS, LimitError, check_text, loads, nesting_depth
from widgets.members import distinct, read_members
from widgets.scoring import read_answer, score_answers

# -- the limits module -----------------------------------------------------------------------


def reference_depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((reference_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((reference_depth(v) for v in value.values()), default=0)
    return 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=30,
)


@settings(deadline=None, derandomize=True)
@given(json_values)
def test_nesting_depth_measured_on_text_equals_the_depth_of_the_parsed_value(value):
    text = json.dumps(value)
    assert nesting_depth(text) == reference_depth(value)
    assert nesting_depth(json.dumps(value, indent=2, ensure_ascii=False)) == reference_depth(value)


@settings(deadline=None, derandomize=True)
@given(st.text())
def test_the_checks_never_raise_anything_but_their_own_errors(text):
    with contextlib.suppress(LimitError, ValueError):
        loads(text)


@given(st.integers(min_value=MAX_DEPTH + 1, max_value=200_000), st.sampled_from(["[", '{"a":']))
@settings(max_examples=25, deadline=None, derandomize=True)
def test_deep_text_is_refused_before_it_is_parsed(depth, opener):
    text = opener * depth + "1" + ("]" if opener == "[" else "}") * depth
    with pytest.raises(LimitError, match=f"nests more than {MAX_DEPTH} levels deep"):
        check_text(text, max_chars=10**7, max_depth=MAX_DEPTH)


@settings(deadline=None, derandomize=True)
@given(st.text(alphabet='[]{}"\\,:a ', max_size=200))
def test_brackets_inside_strings_are_not_nesting_and_nothing_is_counted_low(text):
    """Whatever the text, a parser reading it never goes deeper than the scan said."""
    depth = nesting_depth(text)
    try:
        value = json.loads(text)
    except ValueError:
        return
    assert reference_depth(value) <= depth


def test_size_is_checked_first():
    with pytest.raises(LimitError, match="larger than 100 KB"):
        loads(" " * (MAX_FILE_CHARS + 1))


def test_a_byte_order_mark_is_ignored():
    assert loads('\ufeff{"a": 1}') == {"a": 1}


# -- strict answer parsing -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def assessment():
    return parse_definition(small())


def scale_texts(assessment) -> set[str]:
    scale = assessment.scales[assessment.rated[0].scale]
    return {str(point.value) for point in scale.points} | {"dk"}


@settings(deadline=None, derandomize=True)
@given(st.text() | st.sampled_from(["²", "①", "--3", "9" * 5000, " 4", "4 ", "+4", "04", "4.0", "\u0664", "\uff14"]))
def test_every_string_that_is_not_exactly_a_scale_value_is_refused(assessment, raw):
    question = assessment.rated[0]
    got = read_answer(assessment, question, raw)
    if raw in scale_texts(assessment):
        assert got is not None
    else:
        assert got is None


@settings(deadline=None, derandomize=True)
@given(
    st.integers()
    | st.booleans()
    | st.floats()
    | st.none()
    | st.lists(st.integers())
    | st.dictionaries(st.text(), st.text())
)
def test_values_of_other_types_never_raise(assessment, raw):
    question = assessment.rated[0]
    scale = assessment.scales[question.scale]
    got = read_answer(assessment, question, raw)
    expected = raw if type(raw) is int and scale.label_of(raw) is not None else None
    assert got == expected


@pytest.mark.parametrize("raw", ["²", "①", "--3", "9" * 5000])
def test_digit_like_answers_in_a_team_file_are_ignored_not_a_traceback(raw):
    file = json.dumps(
        {
            "format": "partnership-handbook/answers",
            "schema": 1,
            "assessment": "small",
            "answers": {"t1": raw, "t2": "4"},
        }
    )
    reply = done("team", small(), files=[{"name": "x.json", "text": file}])
    assert "(1 so far: Member 1)" in reply["paint"]["team"]  # read, and waiting for two more people


@pytest.mark.parametrize("key", ["rows.².name", "rows.①.name", "rows." + "9" * 5000 + ".name"])
def test_digit_like_row_numbers_are_ignored(key):
    definition = {
        "id": "rows-check",
        "title": "Rows",
        "version": 1,
        "questions": [
            {"id": "rows", "kind": "rows", "text": "Who?", "columns": [{"id": "name", "label": "Name"}]},
        ],
    }
    assert "result" in done("score", definition, answers={key: "x"})["paint"]
    assert score_answers(parse_definition(definition), {key: "x"}).ignored == (key,)


# -- the corpus, file by file and all at once --------------------------------------------------------


def browser_text(case: ImportCase) -> str:
    """The file's text as the browser reads it: UTF-8, bad bytes replaced, a BOM dropped."""
    return case.data.decode("utf-8", errors="replace").removeprefix("\ufeff")


@pytest.fixture(scope="module")
def health_check(health_check_data):
    return parse_definition(health_check_data)


@pytest.fixture(scope="module")
def corpus(health_check_data) -> list[ImportCase]:
    cases = import_cases([q["id"] for q in health_check_data["questions"]])
    assert len(cases) >= 25
    return cases


def test_each_corpus_file_is_added_or_refused_on_its_own(health_check, corpus):
    for case in corpus:
        members, refused = read_members(
            health_check, [{"name": case.name, "text": browser_text(case)[:1_000_000], "size": len(case.data)}]
        )
        members, unusable = distinct(members)
        refused += unusable
        assert len(members) == int(case.added), case.id
        assert [r.source for r in refused] == ([] if case.added else [case.name[:80]]), case.id


def test_the_whole_corpus_at_once_refuses_only_the_bad_files(health_check, corpus):
    files = [{"name": c.name, "text": browser_text(c)[:1_000_000], "size": len(c.data)} for c in corpus]
    members, refused = read_members(health_check, files)
    members, unusable = distinct(members)
    assert [m.source for m in members] == [c.name[:80] for c in corpus if c.added]
    assert sorted(r.source for r in [*refused, *unusable]) == sorted(c.name[:80] for c in corpus if not c.added)


def test_a_deep_request_is_refused_and_the_engine_answers_afterwards():
    reply = json.loads(handle('{"kind": "score", "answers": ' + nested(50_000) + "}"))
    # The kind is read from the start of the text, so the refusal is the kind's own sentence.
    assert reply == {
        "say": "Your result could not be worked out: the request was not read: it nests more than 32 levels deep"
    }
    assert "result" in done("score", small(), answers={"t1": "4"})["paint"]


def test_an_unforeseen_exception_is_a_plain_message_with_the_traceback_on_stderr(monkeypatch, capsys):
    from widgets import bridge

    def broken(assessment, request):
        raise ZeroDivisionError("injected")

    monkeypatch.setitem(bridge.HANDLERS, "score", broken)
    reply = ask("score", small())
    assert reply == {"say": f"Your result could not be worked out: {ENGINE_FAULT}"}
    assert "ZeroDivisionError: injected" in capsys.readouterr().err


def test_the_workers_own_fault_reply_says_the_same_plain_message():
    from conftest import ROOT

    assert f'reply = {{ say: "{ENGINE_FAULT}" }};' in (ROOT / "widgets" / "browser" / "worker.mjs").read_text()
