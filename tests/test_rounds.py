"""Rounds over time: a team result saved without names, read back, compared and charted."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from widgets.groups import group_view
from widgets.members import make_member
from widgets.rounds import RoundRefused, compare, make_round, read_round, round_file, trend_chart, trend_table
from widgets.team import team_result

HIGH = {"t1": "5", "t2": "5", "t3": "1", "t4": "5", "m1": "1", "m2": "5"}
LOW = {"t1": "2", "t2": "2", "t3": "4", "t4": "2", "m1": "0", "m2": "2"}


def saved(assessment, answers: list[dict], groups: list[str], label: str, on: dt.date):
    members = [
        make_member(answers=a, label=f"Secret name {i}", group="", source="x", position=i)
        for i, a in enumerate(answers, 1)
    ]
    team = team_result(assessment, members)
    view = group_view(assessment, members, dict(enumerate(groups, 1)))
    return make_round(team, view, label, on)


def test_a_round_file_holds_no_names_and_reads_back(assessment):
    groups = ["commissioner"] * 3 + ["nhs-provider"] * 3 + ["frontline"] * 2
    first = saved(assessment, [HIGH] * 3 + [LOW] * 5, groups, "Q1", dt.date(2026, 3, 1))
    file = round_file(assessment, first)
    assert file["filename"] == "small-round-2026-03-01.json"
    assert "Secret name" not in file["text"] and "Frontline" not in file["text"]  # a group of 2 is never named
    back = read_round(assessment, "q1.json", file["text"])
    assert back == first
    # The pair is folded into other groups, taking the smallest group with it so it cannot be subtracted.
    assert back.groups == (("NHS provider", 3), ("Other groups", 5))


def test_the_change_between_rounds_per_area_and_statement(assessment):
    before = saved(assessment, [LOW] * 3, ["commissioner"] * 3, "Q1", dt.date(2026, 3, 1))
    after = saved(assessment, [HIGH, LOW, LOW], ["commissioner"] * 3, "Q2", dt.date(2026, 6, 1))
    areas, statements = compare(assessment, before, after)
    assert [(c.label, c.before, c.after, c.direction, c.words) for c in areas] == [
        ("Trust", 25.0, 50.0, "up", "Up 25"),
        ("Money", 12.5, 41.7, "up", "Up 29.2"),
    ]
    by_label = {c.label: c for c in statements}
    assert by_label["Partners keep their word."].words == "Up 1"
    assert by_label["Partners meet beforehand to fix a line."].words == "Down 1"


def test_the_trend_chart_needs_three_rounds_and_has_a_table_twin(assessment):
    rounds = [
        saved(assessment, [a] * 3, ["commissioner"] * 3, f"R{i}", dt.date(2026, m, 1))
        for i, (a, m) in enumerate([(LOW, 1), (HIGH, 4), (LOW, 7)], 1)
    ]
    assert trend_chart(assessment, rounds[:2], chart_id="t") == ""
    svg = trend_chart(assessment, list(reversed(rounds)), chart_id="t")
    assert svg.count("<polyline") == 2 and ">Jan 2026<" in svg and ">Jul 2026<" in svg
    table = trend_table(assessment, rounds)
    assert re.findall(r'<td data-label="R\d">([^<]*)</td>', table)[:3] == ["25", "100", "25"]
    assert '<td data-label="R1">3 (Commissioner 3)</td>' in table


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[" * 100_001, "larger than"),
        ("[" * 50_000, "nests more than"),
        ("{nope", "not valid JSON"),
        ('{"format": "partnership-handbook/answers"}', "not a round file"),
        ('{"format": "partnership-handbook/round", "schema": 3}', "format this version"),
        ('{"format": "partnership-handbook/round", "schema": 1}', "did not record whom its figures cover"),
        ('{"format": "partnership-handbook/my-result", "schema": 1}', "one person\u2019s saved result"),
        ('{"format": "partnership-handbook/round", "schema": 2, "assessment": "<b>x</b>"}', "from '<b>x</b>'"),
        (None, "could not be read"),
    ],
)
def test_hostile_round_files_are_refused_with_a_reason(assessment, text, reason):
    with pytest.raises(RoundRefused, match=reason):
        read_round(assessment, "bad.json", text)


@pytest.mark.parametrize(
    "change",
    [
        {"date": "soon"},
        {"members": True},
        {"members": -1},
        {"areas": {"trust": 500}},
        {"areas": {"trust": "high"}},
        {"groups": [{"label": "A", "members": 99}]},
        {"counts": {"t1": {"1": -3}}},
        {"statements": []},
        {"members": 2},  # fewer than the threshold
        {"ids": ["0" * 16] * 3},  # the same person three times
        {"ids": ["zz"] * 3},
        {"covers": {"area:trust": [7]}},
        {"groups": [{"label": "A", "members": 1}]},  # a group shown below the threshold
    ],
)
def test_round_files_with_wrong_types_are_refused(assessment, change):
    good = json.loads(
        round_file(assessment, saved(assessment, [HIGH] * 3, ["frontline"] * 3, "Q", dt.date(2026, 1, 1)))["text"]
    )
    with pytest.raises(RoundRefused):
        read_round(assessment, "bad.json", json.dumps({**good, **change}))


def test_a_long_trend_labels_at_most_five_dates_the_first_and_last_among_them(assessment):
    rounds = [
        saved(
            assessment,
            [LOW if m % 2 else HIGH] * 3,
            ["commissioner"] * 3,
            f"R{m}",
            dt.date(2025 + m // 12, m % 12 + 1, 1),
        )
        for m in range(13)
    ]
    svg = trend_chart(assessment, rounds, chart_id="t")
    dates = re.findall(r'class="chart-axis" x="[\d.]+" y="208"[^>]*>([A-Z][a-z]{2} \d{4})<', svg)
    # The twelve newest rounds are drawn: February 2025 to January 2026, four of their dates under the axis.
    assert dates == ["Feb 2025", "May 2025", "Aug 2025", "Jan 2026"]
