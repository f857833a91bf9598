"""Team mode under CPython: answer files, aggregation, the divergence rule and action plans."""

from __future__ import annotations

import csv
import io
import json

import pytest
from definitions import PAGES, small

from widgets import parse_definition
from widgets.bridge import handle
from widgets.members import FORMAT, MAX_FILE_CHARS, export_member, read_members
from widgets.plan import plan_csv, plan_for_result, plan_for_team, plan_markdown
from widgets.scoring import score_answers
from widgets.team import DIVERGENCE_SPAN, team_result


@pytest.fixture
def assessment():
    return parse_definition(small(), pages=PAGES)


def member_file(answers, member="", assessment_id="small", **changes) -> dict:
    record = {
        "format": FORMAT,
        "schema": 1,
        "assessment": assessment_id,
        "version": 2,
        "member": member,
        "answers": answers,
        **changes,
    }
    return {"name": f"{member or 'anon'}.json", "text": json.dumps(record)}


def test_an_exported_file_reads_back_as_the_same_answers(assessment):
    exported = export_member(assessment, {"t1": "4", "t2": "dk", "gone": "3"}, "Ward manager")
    assert exported["filename"] == "small-answers-ward-manager.json"
    members, refused = read_members(assessment, [{"name": exported["filename"], "text": exported["text"]}])
    assert refused == []
    assert members[0].label == "Ward manager"
    assert members[0].answers == {"t1": "4", "t2": "dk"}


def test_members_are_anonymous_by_default(assessment):
    exported = export_member(assessment, {"t1": "4"})
    assert json.loads(exported["text"])["member"] == ""
    members, _ = read_members(assessment, [{"name": "x.json", "text": exported["text"]}])
    assert members[0].label == "Member 1"


@pytest.mark.parametrize(
    ("file", "reason"),
    [
        ({"name": "a.json", "text": "{broken"}, "it is not an answers file from this handbook (it is not valid JSON)"),
        ({"name": "a.json", "text": "[1, 2]"}, "it is not an answers file from this handbook"),
        ({"name": "a.json", "text": json.dumps({"format": "other"})}, "it is not an answers file from this handbook"),
        (member_file({}, schema=7), "it was saved in a format this version of the handbook does not read"),
        (member_file({"x": "1"}, assessment_id="purpose"), "it holds answers to 'purpose', not to 'A small check'"),
        (member_file(["1", "2"]), "its answers are not in the expected form"),
        (
            {"name": "big.json", "text": " " * (MAX_FILE_CHARS + 1)},
            "it is larger than 100 KB, so it is not an answers file",
        ),
        (
            {"name": "a.json", "text": "[" * 50000 + "]" * 50000},
            "it nests more than 8 levels deep, so it is not an answers file",
        ),
    ],
    ids=[
        "not-json",
        "a-list",
        "other-format",
        "future-schema",
        "other-assessment",
        "answers-list",
        "oversized",
        "deep",
    ],
)
def test_bad_files_are_refused_with_a_reason(assessment, file, reason):
    members, refused = read_members(assessment, [file])
    assert members == []
    assert [r.reason for r in refused] == [reason]


def test_odd_values_in_a_file_are_left_out_not_trusted(assessment):
    file = member_file({"t1": "4", "t2": "<script>x</script>", "t3": {"a": 1}, "t4": 9, "zz": "1"}, member="<b>Me</b>")
    members, _ = read_members(assessment, [file])
    assert members[0].answers == {"t1": "4"}
    assert members[0].ignored == 4
    reply = json.loads(handle(json.dumps({"action": "team", "definition": small(), "files": [file]})))
    assert "<b>Me</b>" not in reply["result"]["html"] and "&lt;b&gt;Me&lt;/b&gt;" in reply["result"]["html"]


def test_the_same_file_twice_counts_once(assessment):
    file = member_file({"t1": "4"})
    members, refused = read_members(assessment, [file, file])
    assert len(members) == 1 and refused[0].reason == "it is the same as a file already added"


def test_divergence_is_a_span_of_three_or_more_points(assessment):
    members, _ = read_members(
        assessment,
        [
            member_file({"t1": "2", "t2": "3", "t3": "1", "t4": "dk", "m2": "1"}, "A"),
            member_file({"t1": "5", "t2": "5", "t3": "5", "t4": "dk", "m2": "1"}, "B"),
            member_file({"t1": "4", "t2": "4", "t3": "2", "t4": "1", "m2": "2"}, "C"),
        ],
    )
    team = team_result(assessment, members)
    spreads = {s.question.id: s for s in team.statements}
    assert DIVERGENCE_SPAN == 3
    assert spreads["t1"].span == 3 and spreads["t1"].divergent  # 2 and 5
    assert spreads["t2"].span == 2 and not spreads["t2"].divergent  # 3 and 5
    assert spreads["t3"].span == 4 and spreads["t3"].divergent
    assert spreads["t4"].span is None and spreads["t4"].dont_know == 2  # don't know never splits
    assert spreads["t1"].counts == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    # Widest span first.
    assert [s.question.id for s in team.divergent] == ["t3", "t1"]


def test_team_dimension_scores_are_the_mean_and_range_of_members(assessment):
    answers = [
        {"t1": "5", "t2": "5", "t3": "1", "t4": "5", "m1": "1", "m2": "5"},
        {"t1": "1", "t2": "1", "t3": "5", "t4": "1", "m1": "0", "m2": "1"},
        {"t1": "4", "t2": "4", "t3": "2", "t4": "4"},
    ]
    members, _ = read_members(assessment, [member_file(a, str(i)) for i, a in enumerate(answers)])
    team = team_result(assessment, members)
    trust, money = team.dimensions
    assert trust.member_scores == (100.0, 0.0, 75.0)
    assert (trust.score, trust.low, trust.high) == (58.3, 0.0, 100.0)
    assert money.member_scores == (100.0, 0.0, None)
    assert (money.score, money.low, money.high) == (50.0, 0.0, 100.0)
    assert team.score == round((58.3 + 50.0) / 2, 1)


def test_a_plan_lists_weak_areas_weakest_first_with_their_advice(assessment):
    result = score_answers(assessment, {"t1": "2", "t2": "2", "t3": "4", "t4": "2", "m1": "1", "m2": "1"})
    actions = plan_for_result(result)
    assert [a.key for a in actions] == ["area:trust", "area:money"]
    assert actions[0].action == "Start here." and actions[0].why == "Scored 25 out of 100 (Needs attention)."
    assert actions[0].links[0].title == "Money"


def test_a_team_plan_puts_split_statements_first(assessment):
    members, _ = read_members(
        assessment,
        [member_file({"t1": "1", "t2": "2", "t3": "4"}, "A"), member_file({"t1": "5", "t2": "2", "t3": "4"}, "B")],
    )
    actions = plan_for_team(team_result(assessment, members))
    assert actions[0].key == "split:t1"
    assert actions[0].why == "Answers ranged from \u201cPoint 1\u201d to \u201cPoint 5\u201d."
    assert actions[1].key == "area:trust"


def test_plan_csv_opens_cleanly_and_never_runs_a_formula(assessment):
    result = score_answers(assessment, {"t1": "1", "t2": "1", "t3": "5", "t4": "1"})
    text = plan_csv(plan_for_result(result), {"area:trust": {"owner": '=HYPERLINK("x")', "due": "2027-01-31"}})
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Priority", "Area", "Action", "Why", "Read in the handbook", "Owner", "Due date"]
    assert rows[1] == [
        "1",
        "Trust",
        "Start here.",
        "Scored 0 out of 100 (Needs attention).",
        "Money",
        '\'=HYPERLINK("x")',
        "2027-01-31",
    ]


def test_plan_markdown_is_a_table(assessment):
    result = score_answers(assessment, {"t1": "1", "t2": "1", "t3": "5", "t4": "1"})
    text = plan_markdown(plan_for_result(result), {"area:trust": {"owner": "Sam | team"}}, "A small check")
    lines = text.splitlines()
    assert lines[0] == "## Action plan: A small check"
    assert lines[2].startswith("| Priority | Area | Action")
    assert lines[4] == "| 1 | Trust | Start here. | Scored 0 out of 100 (Needs attention). | Money | Sam \\| team |  |"


def test_bridge_team_and_plan_export_round_trip():
    files = [
        member_file({"t1": "1", "t2": "1"}, "A"),
        member_file({"t1": "5", "t2": "2"}, "B"),
        {"name": "x", "text": "no"},
    ]
    team = json.loads(handle(json.dumps({"action": "team", "definition": small(), "files": files})))["result"]
    assert team["members"] == ["A", "B"]
    assert team["refused"] == [
        {"file": "x", "reason": "it is not an answers file from this handbook (it is not valid JSON)"}
    ]
    assert team["divergent"] == ["t1"]
    assert 'data-plan-key="split:t1"' in team["html"]
    request = {
        "action": "export_plan",
        "definition": small(),
        "format": "csv",
        "source": "team",
        "files": files,
        "filled": {"split:t1": {"owner": "Chair", "due": "2027-02-01"}},
    }
    exported = json.loads(handle(json.dumps(request)))["result"]
    assert exported["filename"] == "small-action-plan.csv"
    assert "Chair,2027-02-01" in exported["text"]
