"""Team mode under CPython: answer files, aggregation, the divergence rule and action plans."""

from __future__ import annotations

import csv
import io
import json

import pytest
from calls import done
from definitions import PAGES, small

from widgets import parse_definition
from widgets.anonymity import Ledger
from widgets.bridge import gather
from widgets.definition import Scale, ScalePoint
from widgets.members import FORMAT, MAX_FILE_CHARS, distinct, export_member, read_members
from widgets.plan import plan_csv, plan_for_result, plan_for_team, plan_markdown
from widgets.protocol import Combine, Upload
from widgets.scoring import score_answers
from widgets.team import divergence_rule, split_span, team_result


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
    html = done("team", small(), files=[file])["paint"]["team"]
    assert "<b>Me</b>" not in html and "&lt;b&gt;Me&lt;/b&gt;" in html


def test_the_same_file_twice_counts_once(assessment):
    file = member_file({"t1": "4"})
    members, refused = distinct(read_members(assessment, [file, file])[0])
    assert len(members) == 1
    assert refused[0].reason == "it holds the same answers from the same person as anon.json, so it counts once"


def test_divergence_on_a_five_point_scale_is_a_span_of_three(assessment):
    members, _ = read_members(
        assessment,
        [
            member_file({"t1": "2", "t2": "3", "t3": "1", "t4": "dk", "m2": "1"}, "A"),
            member_file({"t1": "5", "t2": "5", "t3": "5", "t4": "dk", "m2": "1"}, "B"),
            member_file({"t1": "4", "t2": "4", "t3": "2", "t4": "1", "m2": "2"}, "C"),
        ],
    )
    team = team_result(assessment, members, ledger=Ledger(1))  # the mechanics, without the threshold
    spreads = {s.question.id: s for s in team.statements}
    assert spreads["t1"].span == 3 and spreads["t1"].divergent  # 2 and 5
    assert spreads["t2"].span == 2 and not spreads["t2"].divergent  # 3 and 5
    assert spreads["t3"].span == 4 and spreads["t3"].divergent
    assert spreads["t4"].span is None and spreads["t4"].dont_know == 2  # don't know never splits
    assert spreads["t1"].counts == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    # Widest span first.
    assert [s.question.id for s in team.divergent] == ["t3", "t1"]


def scale_of(low: int, high: int) -> Scale:
    return Scale(id="s", points=tuple(ScalePoint(value=v, label=str(v)) for v in range(low, high + 1)))


@pytest.mark.parametrize(
    ("low", "high", "span"), [(0, 1, 1), (1, 3, 2), (1, 4, 2), (1, 5, 3), (0, 4, 3), (1, 7, 4), (0, 10, 6)]
)
def test_the_split_span_is_three_fifths_of_the_scale_rounded_up(low, high, span):
    assert split_span(scale_of(low, high)) == span


@pytest.mark.parametrize(
    ("points", "ratings", "split"),
    [
        (3, ["1", "3"], True),  # the two ends of a three-point scale
        (3, ["1", "2", "2"], False),
        (3, ["2", "3"], False),
        (4, ["2", "4"], True),
        (4, ["1", "2", "2"], False),
        (5, ["2", "5"], True),
        (5, ["1", "3"], False),
    ],
)
def test_divergence_fires_on_every_scale_length(points, ratings, split):
    definition = small()
    definition["scales"]["agreement"]["points"] = [{"value": v, "label": f"P{v}"} for v in range(1, points + 1)]
    assessment = parse_definition(definition, pages=PAGES)
    members, _ = read_members(assessment, [member_file({"t1": r}, f"M{i}") for i, r in enumerate(ratings)])
    (t1,) = [s for s in team_result(assessment, members, ledger=Ledger(1)).statements if s.question.id == "t1"]
    assert t1.divergent is split


def test_the_rule_is_stated_for_the_scales_in_use(assessment):
    assert divergence_rule(assessment) == (
        "A statement counts as split when the highest and lowest ratings are at least three fifths of the scale "
        "apart: 3 points or more on the 1 to 5 scale (for example 2 and 5), and 1 point or more on the 0 to 1 "
        "scale (for example 0 and 1). \u201cDon\u2019t know\u201d answers never count."
    )


def test_team_dimension_scores_are_the_mean_and_range_of_members(assessment):
    answers = [
        {"t1": "5", "t2": "5", "t3": "1", "t4": "5", "m1": "1", "m2": "5"},
        {"t1": "1", "t2": "1", "t3": "5", "t4": "1", "m1": "0", "m2": "1"},
        {"t1": "4", "t2": "4", "t3": "2", "t4": "4"},
    ]
    members, _ = read_members(assessment, [member_file(a, str(i)) for i, a in enumerate(answers)])
    team = team_result(assessment, members)
    trust, money = team.dimensions  # three people scored trust, so it shows; two scored money, so it is withheld
    assert trust.member_scores == (100.0, 0.0, 75.0)
    assert (trust.score, trust.low, trust.high) == (58.3, 0.0, 100.0)
    assert money.withheld and (money.score, money.low, money.high) == (None, None, None)
    assert team.score == 58.3
    opened = team_result(assessment, members, ledger=Ledger(2)).dimensions[1]
    assert (opened.score, opened.low, opened.high) == (50.0, 0.0, 100.0)


def test_a_plan_lists_weak_areas_weakest_first_with_their_advice(assessment):
    result = score_answers(assessment, {"t1": "2", "t2": "2", "t3": "4", "t4": "2", "m1": "1", "m2": "1"})
    actions = plan_for_result(result).actions
    assert [a.key for a in actions] == ["area:trust", "area:money"]
    assert actions[0].action == "Start here."
    assert actions[0].why == "Scored 25 out of 100 (Needs attention). 4 statements rated low."
    assert actions[0].links[0].title == "Money"


def test_a_team_plan_lists_split_statements_to_discuss_apart_from_its_actions(assessment):
    members, _ = read_members(
        assessment,
        [member_file({"t1": "1", "t2": "2", "t3": "4"}, "A"), member_file({"t1": "5", "t2": "2", "t3": "4"}, "B")],
    )
    plan = plan_for_team(team_result(assessment, members, ledger=Ledger(1)))
    assert [item.key for item in plan.discuss] == ["split:t1"]
    assert plan.discuss[0].why == "Answers ranged from \u201cPoint 1\u201d to \u201cPoint 5\u201d."
    assert [action.key for action in plan.actions] == ["area:trust"]


def test_plan_csv_opens_cleanly_and_never_runs_a_formula(assessment):
    result = score_answers(assessment, {"t1": "1", "t2": "1", "t3": "5", "t4": "1"})
    text = plan_csv(plan_for_result(result), {"area:trust": {"owner": '=HYPERLINK("x")', "due": "2027-01-31"}})
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == [
        "Priority",
        "Area",
        "Action",
        "Why",
        "Read in the handbook",
        "Owner",
        "Due date",
        "What we agreed",
    ]
    assert rows[1] == [
        "1",
        "Trust",
        "Start here.",
        "Scored 0 out of 100 (Needs attention). 4 statements rated low.",
        "Money",
        '\'=HYPERLINK("x")',
        "31 January 2027",
        "",
    ]


def test_plan_markdown_is_a_table(assessment):
    result = score_answers(assessment, {"t1": "1", "t2": "1", "t3": "5", "t4": "1"})
    text = plan_markdown(plan_for_result(result), {"area:trust": {"owner": "Sam | team"}}, "A small check")
    lines = text.splitlines()
    assert lines[0] == "## Action plan: A small check"
    assert lines[2].startswith("| Priority | Area | Action")
    assert lines[4] == (
        "| 1 | Trust | Start here. | Scored 0 out of 100 (Needs attention). 4 statements rated low. | Money "
        "| Sam \\| team |  |  |"
    )


def test_bridge_team_and_plan_export_round_trip():
    files = [
        member_file({"t1": "1", "t2": "1"}, "A"),
        member_file({"t1": "5", "t2": "2"}, "B"),
        member_file({"t1": "3", "t2": "2"}, "C"),
        {"name": "x", "text": "no"},
    ]
    reply = done("team", small(), files=files)
    html = reply["paint"]["team"]
    assert "3 members combined: A, B, C." in html
    assert [file["name"] for file in reply["keep"]["files"]] == ["A.json", "B.json", "C.json"]
    found = gather(
        parse_definition(small()), Combine(files=tuple(Upload(name=f["name"], text=f["text"]) for f in files))
    )
    assert [(r.source, r.reason) for r in found.combined.refused] == [
        ("x", "it is not an answers file from this handbook (it is not valid JSON)")
    ]
    assert "Partners keep their word." in html.split('class="plan-discuss"', 1)[1]  # t1 is split
    assert 'data-plan-key="split:t1"' not in html  # to discuss, not an action with an owner
    assert 'data-plan-key="area:trust"' in html
    filled = {"area:trust": {"owner": "Chair", "due": "2027-02-01"}}
    exported = done("export_plan", small(), format="csv", source="team", files=files, filled=filled)["download"]
    assert exported["filename"] == "small-action-plan.csv"
    assert '"Chair","1 February 2027"' in exported["text"]  # every field quoted
