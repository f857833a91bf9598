"""Choice, text and rows questions, verdicts, flags and grids under CPython."""

from __future__ import annotations

import json

import pytest
from calls import done
from definitions import PAGES

from widgets import DefinitionError, definition_to_data, parse_definition, score_answers

AID = {
    "id": "aid",
    "title": "A decision aid",
    "questions": [
        {
            "id": "need",
            "kind": "choice",
            "text": "Still needed?",
            "options": [{"value": "still", "label": "Yes"}, {"value": "gone", "label": "No"}],
        },
        {
            "id": "meets",
            "kind": "choice",
            "text": "Meetings?",
            "options": [{"value": "decide", "label": "Decide"}, {"value": "habit", "label": "Habit"}],
        },
        {"id": "note", "kind": "text", "text": "Anything else?"},
        {
            "id": "shares",
            "kind": "choices",
            "text": "What is shared?",
            "options": [
                {"value": "money", "label": "Money"},
                {"value": "staff", "label": "Staff"},
                {"value": "data", "label": "Data"},
            ],
        },
        {
            "id": "people",
            "kind": "rows",
            "text": "Who takes part?",
            "max_rows": 5,
            "columns": [
                {"id": "name", "label": "Name"},
                {
                    "id": "group",
                    "label": "Group",
                    "kind": "choice",
                    "options": [{"value": "agency", "label": "Agency"}, {"value": "carers", "label": "Carers"}],
                },
                {
                    "id": "power",
                    "label": "Power",
                    "kind": "choice",
                    "options": [{"value": "low", "label": "Low"}, {"value": "high", "label": "High"}],
                },
                {
                    "id": "interest",
                    "label": "Interest",
                    "kind": "choice",
                    "options": [{"value": "low", "label": "Low"}, {"value": "high", "label": "High"}],
                },
            ],
        },
    ],
    "verdicts": [
        {
            "id": "close",
            "label": "Close it",
            "when": {"need": "gone", "meets": ["habit"]},
            "text": "Close.",
            "links": ["how/money.md"],
        },
        {"id": "keep", "label": "Keep it", "text": "Keep."},
    ],
    "flags": [
        {"id": "relic", "label": "A relic", "when": {"meets": "habit"}, "text": "Habit."},
        {
            "id": "pooled",
            "label": "Shares money or staff",
            "when": {"shares": ["money", "staff"]},
            "text": "Formalise.",
        },
        {
            "id": "no-carers",
            "label": "No carers",
            "text": "Add carers.",
            "missing": [{"rows": "people", "column": "group", "none_of": ["carers"]}],
        },
    ],
    "grid": {"rows": "people", "x": "interest", "y": "power", "label": "name"},
}


def aid(**changes):
    data = json.loads(json.dumps(AID))
    data.update(changes)
    return data


def scored(answers, data=None):
    return score_answers(parse_definition(data or aid(), pages=PAGES), answers)


def test_first_verdict_that_applies_wins_and_the_last_is_the_default():
    assert scored({"need": "gone", "meets": "habit"}).verdict.id == "close"
    assert scored({"need": "gone", "meets": "decide"}).verdict.id == "keep"
    assert scored({"need": "still", "meets": "habit"}).verdict.id == "keep"


def test_a_multiple_choice_rule_applies_when_any_listed_option_is_ticked():
    base = {"need": "still", "meets": "decide"}
    assert [f.id for f in scored({**base, "shares": ["data", "staff"]}).flags] == ["pooled", "no-carers"]
    assert [f.id for f in scored({**base, "shares": "data"}).flags] == ["no-carers"]
    assert [f.id for f in scored(base).flags] == ["no-carers"]  # ticking nothing is an answer
    assert scored(base).verdict.id == "keep"
    assert scored({**base, "shares": ["data", "cake"]}).ignored == ("shares",)


def test_no_verdict_until_every_choice_is_answered():
    result = scored({"need": "gone"})
    assert result.verdict is None and result.choices_left == 1


def test_every_flag_that_applies_is_shown():
    assert [f.id for f in scored({"need": "still", "meets": "habit"}).flags] == ["relic", "no-carers"]
    answers = {"need": "still", "meets": "decide", "people.0.name": "Carers' forum", "people.0.group": "carers"}
    assert [f.id for f in scored(answers).flags] == []


def test_rows_are_read_in_order_and_bad_cells_reported():
    answers = {
        "people.2.name": "Trust",
        "people.0.name": "Council",
        "people.0.group": "agency",
        "people.1.name": "",
        "people.9.name": "Too far",
        "people.0.group2": "x",
        "people.3.group": "nobody",
    }
    result = scored(answers)
    assert result.tables["people"] == ({"name": "Council", "group": "agency"}, {"name": "Trust"})
    assert set(result.ignored) == {"people.9.name", "people.0.group2", "people.3.group"}


def test_the_result_draws_the_grid_and_escapes_what_readers_typed():
    answers = {
        "people.0.name": "<b>Council</b>",
        "people.0.group": "agency",
        "people.0.power": "high",
        "people.0.interest": "low",
        "need": "gone",
        "meets": "habit",
    }
    reply = done("score", aid(), answers=answers)
    html = reply["paint"]["result"]
    assert "Recommendation: <strong>Close it</strong>" in html
    assert 'class="result-chart result-grid"' in html and "&lt;b&gt;Council&lt;/b&gt;" in html
    assert "<b>Council</b>" not in html
    assert reply["say"] == "Result updated. Recommendation: Close it."


def test_a_choice_only_definition_round_trips():
    first = parse_definition(aid(), pages=PAGES)
    assert parse_definition(json.loads(json.dumps(definition_to_data(first)))) == first


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["verdicts"].reverse(),
            ("verdicts[1]", "the last verdict must have no 'when', so that one always applies"),
        ),
        (
            lambda d: d["verdicts"][0]["when"].update(need="maybe"),
            ("verdicts[0].when.need", "unknown option 'maybe' (known: 'still', 'gone')"),
        ),
        (
            lambda d: d["verdicts"][0]["when"].update(nothing="gone"),
            ("verdicts[0].when.nothing", "unknown choice question 'nothing' (known: 'need', 'meets', 'shares')"),
        ),
        (lambda d: d["flags"][0].pop("when"), ("flags[0].when", "expected a mapping of keys to values, found nothing")),
        (
            lambda d: d["flags"][2]["missing"][0].update(column="name"),
            ("flags[2].missing[0].column", "unknown choice column 'name' (known: 'group', 'power', 'interest')"),
        ),
        (
            lambda d: d["questions"][0].update(options=[{"value": "only", "label": "Only"}]),
            ("questions[0].options", "a choice needs at least two options"),
        ),
        (
            lambda d: d["questions"][0].update(kind="slider"),
            ("questions[0].kind", "unknown kind 'slider' (known: 'rating', 'choice', 'choices', 'text', 'rows')"),
        ),
        (lambda d: d["questions"][2].update(options=[]), ("questions[2].options", "only a choice has options")),
        (lambda d: d["questions"][4].update(max_rows=500), ("questions[4].max_rows", "must be 40 or fewer, found 500")),
        (
            lambda d: d["questions"][4]["columns"][1].update(kind="number"),
            ("questions[4].columns[1].kind", "unknown column kind 'number' (known: 'text', 'choice')"),
        ),
        (
            lambda d: d["grid"].update(x="name"),
            ("grid.x", "unknown choice column 'name' (known: 'group', 'power', 'interest')"),
        ),
        (
            lambda d: d["questions"][1].update(dimension="trust"),
            ("questions[1].dimension", "only a rating has a dimension (this question is a choice)"),
        ),
    ],
    ids=[
        "default-not-last",
        "unknown-option",
        "unknown-question",
        "flag-without-when",
        "row-check-on-text",
        "one-option",
        "unknown-kind",
        "options-on-text",
        "too-many-rows",
        "unknown-column-kind",
        "grid-on-text",
        "dimension-on-choice",
    ],
)
def test_broken_decision_aids_are_refused(change, expected):
    data = aid()
    change(data)
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, pages=PAGES)
    assert expected in [(p.path, p.message) for p in caught.value.problems]
