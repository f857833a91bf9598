"""The widgets engine under CPython: definitions, scoring, bands, "don't know", advice, chart."""

from __future__ import annotations

import json

import pytest
from calls import ask, done
from definitions import PAGES, small

from widgets import DONT_KNOW, DefinitionError, definition_to_data, parse_definition, score_answers
from widgets.bridge import handle
from widgets.pages import page_url
from widgets.protocol import definition_hash, definition_text


def scored(answers, data=None):
    return score_answers(parse_definition(data or small(), pages=PAGES), answers)


# -- scoring -------------------------------------------------------------------------------


def test_all_best_answers_score_100_and_the_top_band():
    result = scored({"t1": "5", "t2": "5", "t3": "1", "t4": "5", "m1": "1", "m2": "5"})
    assert [d.score for d in result.dimensions] == [100.0, 100.0]
    assert result.score == 100.0
    assert result.band.id == "strong"


def test_all_worst_answers_score_0_and_the_bottom_band():
    result = scored({"t1": "1", "t2": "1", "t3": "5", "t4": "1", "m1": "0", "m2": "1"})
    assert [d.score for d in result.dimensions] == [0.0, 0.0]
    assert result.band.id == "attention"
    assert result.dimensions[0].advice.text == "Start here."


def test_reverse_statements_are_mirrored():
    # t3 is reverse-worded: "strongly agree" (5) is the worst answer.
    agree = scored({"t1": "3", "t2": "3", "t3": "5", "t4": "3"})
    disagree = scored({"t1": "3", "t2": "3", "t3": "1", "t4": "3"})
    assert agree.dimensions[0].score == 37.5  # (0.5 + 0.5 + 0 + 0.5) / 4
    assert disagree.dimensions[0].score == 62.5


def test_a_dimension_score_is_the_mean_of_its_ratings_on_0_to_100():
    result = scored({"t1": "4", "t2": "2", "t3": "2", "t4": "5", "m1": "1", "m2": "2"})
    # trust: 0.75, 0.25, 0.75 (reversed 2), 1.0 -> 68.75 -> 68.8
    assert result.dimensions[0].score == 68.8
    assert result.dimensions[0].band.id == "developing"
    # money: yes (1.0) and 0.25 -> 62.5
    assert result.dimensions[1].score == 62.5
    assert result.score == round((68.8 + 62.5) / 2, 1)


def test_band_boundaries_are_inclusive_at_the_start_of_each_band():
    definition = parse_definition(small(), pages=PAGES)
    assert definition.band_for(75.0).id == "strong"
    assert definition.band_for(74.9).id == "developing"
    assert definition.band_for(50.0).id == "developing"
    assert definition.band_for(0.0).id == "attention"


def test_dont_know_is_counted_but_not_scored():
    with_dk = scored({"t1": "5", "t2": "5", "t3": DONT_KNOW, "t4": DONT_KNOW})
    trust = with_dk.dimensions[0]
    assert (trust.rated, trust.dont_know, trust.unanswered) == (2, 2, 0)
    assert trust.score == 100.0  # not pulled down towards the middle or the bottom
    assert with_dk.dont_know == 2


def test_a_dimension_needs_half_its_statements_rated_to_get_a_score():
    one_of_four = scored({"t1": "5", "t2": DONT_KNOW, "t3": DONT_KNOW, "t4": DONT_KNOW})
    assert one_of_four.dimensions[0].score is None
    assert one_of_four.dimensions[0].band is None
    assert one_of_four.score is None
    two_of_four = scored({"t1": "5", "t2": "1"})
    assert two_of_four.dimensions[0].score == 50.0


def test_overall_weighs_each_scored_dimension_equally_and_skips_unscored_ones():
    result = scored({"t1": "5", "t2": "5", "t3": "1", "t4": "5"})
    assert result.dimensions[1].score is None
    assert result.score == 100.0


def test_dont_know_is_refused_on_a_scale_without_it():
    result = scored({"m1": DONT_KNOW, "m2": "5"})
    money = result.dimensions[1]
    assert (money.rated, money.dont_know, money.unanswered) == (1, 0, 1)
    assert result.ignored == ("m1",)


def test_answers_that_match_nothing_are_reported_not_scored():
    result = scored({"t1": "9", "gone": "4", "t2": "five", "t3": True, "t4": "4"})
    assert result.ignored == ("gone", "t1", "t2", "t3")
    assert result.dimensions[0].rated == 1


def test_no_answers_give_no_scores():
    result = scored({})
    assert result.score is None
    assert result.answered == 0


# -- definitions ---------------------------------------------------------------------------


def test_a_definition_survives_the_round_trip_through_plain_data():
    first = parse_definition(small(), pages=PAGES)
    data = json.loads(json.dumps(definition_to_data(first)))
    assert parse_definition(data) == first
    # Link titles are filled in from the handbook's pages.
    assert first.dimensions[0].advice["strong"].links[0].title == "Power and trust"


def problems_of(data, pages=PAGES):
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, pages=pages)
    return [(p.path, p.message) for p in caught.value.problems]


def broken(change):
    data = small()
    change(data)
    return data


BROKEN_DEFINITIONS = {
    "not a mapping": (["a", "list"], [("", "expected a mapping of keys to values, found a list")]),
    "missing title": (broken(lambda d: d.pop("title")), [("title", "is required")]),
    "empty title": (broken(lambda d: d.update(title="  ")), [("title", "must not be empty")]),
    "bad id": (
        broken(lambda d: d.update(id="Health Check")),
        [
            (
                "id",
                "'Health Check' is not a valid id (lower-case letters, digits and hyphens, "
                "starting with a letter or digit)",
            )
        ],
    ),
    "unknown top-level field": (
        broken(lambda d: d.update(qestions=[])),
        [
            (
                "qestions",
                "unknown field (known fields: id, title, version, summary, scale, scales, bands, "
                "min_answered, minutes, dimensions, questions, verdicts, flags, grid, groups, group_threshold)",
            )
        ],
    ),
    "version as text": (
        broken(lambda d: d.update(version="two")),
        [("version", "expected a whole number, found text")],
    ),
    "duplicate question id": (
        broken(lambda d: d["questions"][1].update(id="t1")),
        [("questions[1].id", "duplicate question id 't1' (first used at 'questions[0].id')")],
    ),
    "unknown scale": (
        broken(lambda d: d["questions"][0].update(scale="agree")),
        [("questions[0].scale", "unknown scale 'agree' (known: 'agreement', 'yes-no')")],
    ),
    "unknown dimension": (
        broken(lambda d: d["questions"][0].update(dimension="trusts")),
        [("questions[0].dimension", "unknown dimension 'trusts' (known: 'trust', 'money')")],
    ),
    "scale with one point": (
        broken(lambda d: d["scales"]["yes-no"].update(points=[{"value": 1, "label": "Yes"}])),
        [("scales.yes-no.points", "a scale needs at least two points")],
    ),
    "scale values out of order": (
        broken(lambda d: d["scales"]["agreement"]["points"].reverse()),
        [("scales.agreement.points", "values must be unique and in ascending order")],
    ),
    "no band from zero": (
        broken(lambda d: d["bands"][2].update({"from": 10})),
        [("bands", "one band must start from 0, so that every score has a band")],
    ),
    "band above 100": (
        broken(lambda d: d["bands"][0].update({"from": 120})),
        [("bands[0].from", "must be between 0 and 100, found 120")],
    ),
    "missing advice for a band": (
        broken(lambda d: d["dimensions"][1]["advice"].pop("developing")),
        [("dimensions[1].advice", "no advice for band 'developing'")],
    ),
    "advice for an unknown band": (
        broken(lambda d: d["dimensions"][1]["advice"].update(excellent={"text": "Wow."})),
        [("dimensions[1].advice.excellent", "unknown field (known fields: strong, developing, attention)")],
    ),
    "broken advice link": (
        broken(lambda d: d["dimensions"][0]["advice"]["strong"].update(links=["how/mony.md"])),
        [("dimensions[0].advice.strong.links[0]", "links to 'how/mony.md', which is not a handbook page")],
    ),
    "empty question text": (
        broken(lambda d: d["questions"][2].update(text="")),
        [("questions[2].text", "must not be empty")],
    ),
    "reverse as text": (
        broken(lambda d: d["questions"][2].update(reverse="yes")),
        [("questions[2].reverse", "expected true or false, found text")],
    ),
    "no questions": (
        broken(lambda d: d.update(questions=[])),
        [("questions", "must not be empty")],
    ),
    "dimension without questions": (
        broken(lambda d: d.update(questions=[q for q in d["questions"] if q["dimension"] != "money"])),
        [("dimensions[1]", "dimension 'money' has no questions")],
    ),
    "min_answered out of range": (
        broken(lambda d: d.update(min_answered=2)),
        [("min_answered", "must be between 0.01 and 1, found 2")],
    ),
}


@pytest.mark.parametrize("case", BROKEN_DEFINITIONS, ids=list(BROKEN_DEFINITIONS))
def test_each_broken_definition_is_refused_with_a_clear_message(case):
    data, expected = BROKEN_DEFINITIONS[case]
    assert problems_of(data) == expected


def test_every_problem_is_reported_at_once_not_only_the_first():
    data = small()
    data.pop("title")
    data["questions"][0]["scale"] = "nope"
    data["questions"][3]["text"] = 42
    paths = [path for path, _ in problems_of(data)]
    assert paths == ["title", "questions[0].scale", "questions[3].text"]


def test_error_summary_names_file_line_and_field():
    data = small()
    data["questions"][0]["scale"] = "nope"
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, pages=PAGES)
    located = caught.value.located("assessments/small.yml", {"questions[0]": 40, "questions[0].scale": 42})
    assert located.summary() == (
        "assessments/small.yml, line 42: 'questions[0].scale': unknown scale 'nope' (known: 'agreement', 'yes-no')"
    )


# -- results for the page ------------------------------------------------------------------


def test_page_urls_follow_directory_urls():
    assert page_url("how/money.md") == "how/money/"
    assert page_url("how/index.md", "/handbook/") == "/handbook/how/"
    assert page_url("index.md") == ""
    assert page_url("who/power-and-trust.md#sharing-power") == "who/power-and-trust/#sharing-power"


def test_bridge_returns_scores_html_and_advice_links_under_the_site_base():
    answers = {"t1": "1", "t2": "1"}
    reply = done("score", small(), answers=answers, base="/handbook/")
    trust = score_answers(parse_definition(small()), answers).dimensions[0]
    assert (trust.dimension.id, trust.score, trust.band.id) == ("trust", 0.0, "attention")
    html = reply["paint"]["result"]
    assert '<a href="/handbook/how/money/">Money</a>' in html
    assert "<svg" in html and "Scores by area" in html
    assert reply["say"] == "Result updated. Overall 0 out of 100: Needs attention."


def test_bridge_escapes_text_from_answers_and_definitions():
    data = small()
    data["dimensions"][0]["title"] = "<script>alert(1)</script>"
    html = done("score", data, answers={"t1": "5", "<b>": "1"})["paint"]["result"]
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html


def test_bridge_reports_errors_as_data():
    assert json.loads(handle("not json")) == {
        "say": "This could not be done: Expecting value: line 1 column 1 (char 0)"
    }
    unknown = json.loads(handle(json.dumps({"kind": "explode"})))
    assert unknown["say"].startswith("This could not be done: request: 'kind': unknown kind 'explode' (known: score,")
    bad = ask("score", {"id": "x"}, answers={})
    assert bad["say"].startswith("Your result could not be worked out: ") and "'title': is required" in bad["say"]


def test_a_bad_request_is_refused_naming_the_key_path():
    reply = ask("team", small(), files=[{"name": "a.json", "text": 3}], rounds="x", minutes=60)
    assert reply == {
        "say": "The team view could not be shown. request: 'minutes': unknown field (known fields: kind, hash, "
        "definition, files, links, rounds, shown, adding, base, today)\n"
        "request: 'files[0].text': expected text or nothing, found a whole number\n"
        "request: 'rounds': expected a list, found text"
    }
    reply = ask("workshop", small(), minutes=45)
    assert reply == {"say": "The workshop pack could not be made: request: 'minutes': must be 60 or 90, found 45"}
    reply = ask("team", small(), files=[{"name": 3}], adding=["a.json"])
    assert reply["say"].startswith("The team view could not be shown. request: 'files[0].name': expected text")


def test_a_definition_is_sent_once_and_then_named_by_its_hash():
    text = definition_text(small())
    digest = definition_hash(text)
    named = {"kind": "score", "hash": digest, "answers": {"t1": "4"}}
    assert json.loads(handle(json.dumps(named | {"hash": "0" * 64}))) == {"resend": True}
    first = json.loads(handle(json.dumps(named | {"definition": text})))
    assert json.loads(handle(json.dumps(named))) == first  # known now: the hash is enough
    wrong = json.loads(handle(json.dumps(named | {"hash": "1" * 64, "definition": text})))
    assert wrong == {"say": "Your result could not be worked out: the page's definition does not match its hash"}


def test_the_worker_keeps_a_bounded_number_of_definitions():
    from widgets import bridge

    texts = []
    for n in range(bridge.MAX_CACHED_DEFINITIONS + 1):
        data = small()
        data["title"] = f"Small {n}"
        texts.append(definition_text(data))
        assert "paint" in ask("score", data, answers={})
    assert len(bridge._definitions) == bridge.MAX_CACHED_DEFINITIONS
    # The first one was let go: asked for again by its hash alone, the worker asks for its text.
    reply = json.loads(handle(json.dumps({"kind": "score", "hash": definition_hash(texts[0])})))
    assert reply == {"resend": True}
