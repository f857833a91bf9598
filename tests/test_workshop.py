"""The workshop pack: agenda ordered by divergence, spreads drawn, prompts, and no names."""

from __future__ import annotations

import datetime as dt
import itertools
from html import escape

import pytest
from conftest import docs_titles

from widgets import parse_definition
from widgets.groups import group_view
from widgets.members import Member
from widgets.team import team_result
from widgets.workshop import DEFAULT_PROMPT, agenda, workshop_pack


@pytest.fixture
def health_check(health_check_data):
    return parse_definition(health_check_data, pages=docs_titles())


def members_for(assessment, patterns):
    rated = assessment.rated
    return [
        Member(
            label=f"Named person {m}",
            answers={q.id: str(p(i)) for i, q in enumerate(rated)},
            source="x",
            position=m,
            id=f"{m:016x}",
        )
        for m, p in enumerate(patterns, 1)
    ]


def split_team(assessment):
    # Members agree on most statements but split, by different widths, on the first few.
    patterns = [
        lambda i: 1 if i < 6 else 3,
        lambda i: 5 if i < 6 else 3,
        lambda i: (2 if i < 3 else 4) if i < 6 else 3,
        lambda i: 3,
        lambda i: 3 if i != 7 else 1,
    ]
    return team_result(assessment, members_for(assessment, patterns))


@pytest.mark.parametrize(("minutes", "items"), [(60, 5), (90, 8)])
def test_the_agenda_puts_split_statements_first_and_fills_the_time(health_check, minutes, items):
    team = split_team(health_check)
    plan = agenda(team, minutes)
    discussed = [item for item in plan if item.spread]
    assert len(discussed) == items
    split_ids = [s.question.id for s in team.divergent]
    assert [i.spread.question.id for i in discussed[: len(split_ids)]] == split_ids[:items]
    assert all(i.why == "Answers are split" for i in discussed[: len(split_ids)])
    assert plan[-1].start + plan[-1].minutes == minutes  # the time is filled, never overrun
    assert all(item.start + item.minutes == after.start for item, after in itertools.pairwise(plan))
    assert [i.start for i in plan] == sorted(i.start for i in plan)


def test_a_workshop_lasts_sixty_or_ninety_minutes(health_check):
    with pytest.raises(ValueError, match="60 or 90"):
        agenda(split_team(health_check), 45)


def test_the_pack_shows_counts_and_prompts_never_names(health_check):
    team = split_team(health_check)
    view = group_view(health_check, team.members, dict.fromkeys(range(1, 6), "commissioner"))
    first = team.divergent[0].question
    html = workshop_pack(
        team,
        view,
        minutes=60,
        on=dt.date(2027, 1, 15),
        partnership="Northshire <Board>",
        prompts={first.id: "Why do we differ on this?"},
    )
    assert "Named person" not in html
    assert "Northshire &lt;Board&gt;" in html and "15 January 2027" in html
    assert "5 members took part: Commissioner 5." in html
    assert "Why do we differ on this?" in html  # the prompt given for one statement
    # The rest: each statement's own prompt in the definition, else its area's, never the general one
    # (every area of the health check has a prompt).
    second = team.divergent[1].question
    area = next(d for d in health_check.dimensions if d.id == second.dimension)
    assert escape(second.prompt or area.prompt) in html
    assert DEFAULT_PROMPT not in html
    assert html.count('class="pack-item"') == 5 and html.count('class="pack-spread"') == 5
