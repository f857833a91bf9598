"""Requests in, HTML and text out, compared with the golden files as a unified diff (see tests/golden.py)."""

from __future__ import annotations

import json

import pytest
from golden import Case, cases, compare, output

from widgets.bridge import handle

CASES = cases()


def test_the_corpus_covers_every_tool_a_team_view_a_plan_and_a_report():
    tools = {case.assessment for case in CASES if case.kind == "score"}
    assert tools == {path.stem for path in (__import__("conftest").ROOT / "assessments").glob("*.yml")}
    kinds = {case.kind for case in CASES}
    assert {"score", "team", "export_plan", "report", "workshop"} <= kinds


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_cpython_gives_the_golden_output(case: Case):
    compare(case, output(json.loads(handle(json.dumps(case.request)))))


def test_a_changed_character_fails_with_a_diff(tmp_path):
    case = CASES[0]
    text = case.expected_file.read_text()
    broken = tmp_path / case.expected_file.name
    broken.write_text(text[:100] + text[101:])  # one character deleted
    with pytest.raises(AssertionError, match=r"(?s)differs from its golden file:.*\n-.*\n\+"):
        got = output(json.loads(handle(json.dumps(case.request))))
        compare(Case(case.name, case.assessment, case.kind, case.request, broken), got, update=False)
