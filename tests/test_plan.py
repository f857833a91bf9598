"""Priorities, the printed report, the reasons behind decisions, rows files and tool times, under CPython."""

from __future__ import annotations

import itertools
import json
import re
from html import unescape

import pytest
import yaml
from calls import done
from conftest import ROOT, docs_titles
from definitions import PAGES, small

from macros.assessments import load_definition
from widgets import definition_to_data, parse_definition, score_answers
from widgets.plan import MAX_PRIORITIES, PRIORITY_RULE, plan_for_result, uk_date
from widgets.reasons import because
from widgets.rowsfile import FORMAT, export_rows, import_rows
from widgets.timing import minutes, time_text

ADVICE = {band: {"text": f"{band} advice for {{area}}."} for band in ("strong", "developing", "attention")}


def five_areas() -> dict:
    """The small check's scale and bands with five areas of two statements each."""
    data = small()
    data["dimensions"] = [
        {
            "id": f"d{n}",
            "title": f"Area {n}",
            "advice": {band: {"text": f"{band} advice for area {n}."} for band in ADVICE},
        }
        for n in range(1, 6)
    ]
    data["questions"] = [
        {"id": f"d{n}q{k}", "dimension": f"d{n}", "text": f"Statement {k} of area {n}."}
        for n in range(1, 6)
        for k in range(1, 3)
    ]
    return data


@pytest.fixture
def areas():
    return parse_definition(five_areas())


def ratings(pairs: dict[int, tuple[str, str]]) -> dict[str, str]:
    return {f"d{n}q{k + 1}": value for n, pair in pairs.items() for k, value in enumerate(pair)}


def test_at_most_three_priorities_weakest_first_when_every_area_is_weak(areas):
    answers = ratings({1: ("2", "2"), 2: ("1", "1"), 3: ("2", "3"), 4: ("1", "2"), 5: ("3", "3")})
    plan = plan_for_result(score_answers(areas, answers))
    assert len(plan.actions) == MAX_PRIORITIES
    assert [a.key for a in plan.actions] == ["area:d2", "area:d4", "area:d1"]
    assert [o.id for o in plan.others] == ["d3", "d5"]


def test_a_tie_goes_to_the_area_with_more_weak_statements(areas):
    # Both score 37.5: area 1 from two statements at 2.5 on average ("1" and "4" is one weak, one not);
    # area 3 from "2" and "2", both weak. Area 3 has more weak statements, so it comes first.
    answers = ratings({1: ("1", "4"), 2: ("5", "5"), 3: ("2", "3"), 4: ("5", "5"), 5: ("5", "5")})
    result = score_answers(areas, answers)
    assert result.dimensions[0].score == result.dimensions[2].score == 37.5
    assert (result.dimensions[0].weak, result.dimensions[2].weak) == (1, 1)
    # Equal weak counts: the order of the definition decides.
    assert [a.key for a in plan_for_result(result).actions] == ["area:d1", "area:d3"]
    answers = ratings({1: ("2", "3"), 2: ("5", "5"), 3: ("1", "4"), 4: ("5", "5"), 5: ("5", "5")})
    reversed_result = score_answers(areas, answers)
    assert [a.key for a in plan_for_result(reversed_result).actions] == ["area:d1", "area:d3"]


def test_a_tie_on_score_is_broken_by_weak_statements_not_by_order():
    data = five_areas()
    data["questions"] += [{"id": "d3q3", "dimension": "d3", "text": "Statement 3 of area 3."}]
    assessment = parse_definition(data)
    answers = ratings({1: ("3", "3"), 2: ("5", "5"), 4: ("5", "5"), 5: ("5", "5")})
    answers |= {"d3q1": "1", "d3q2": "4", "d3q3": "4"}  # 0, .75, .75: 50, one weak
    answers |= {"d1q1": "3", "d1q2": "3"}  # .5, .5: 50, none weak
    answers |= {"d3q1": "2", "d3q2": "2", "d3q3": "5"}  # .25, .25, 1: 50, two weak
    result = score_answers(assessment, answers)
    assert result.dimensions[0].score == result.dimensions[2].score == 50
    assert (result.dimensions[0].weak, result.dimensions[2].weak) == (0, 2)
    assert [a.key for a in plan_for_result(result).actions] == ["area:d3", "area:d1"]


def test_no_priorities_when_no_area_is_weak(areas):
    answers = ratings({n: ("5", "4") for n in range(1, 6)})
    result = score_answers(areas, answers)
    plan = plan_for_result(result)
    assert plan.actions == () and plan.others == ()
    assert "no actions are suggested" in done("score", five_areas(), answers=answers)["paint"]["result"]


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_advice_is_shown_once_and_the_rule_is_stated(areas):
    answers = ratings({1: ("2", "2"), 2: ("1", "1"), 3: ("2", "3"), 4: ("1", "2"), 5: ("3", "3")})
    html = done("score", five_areas(), answers=answers)["paint"]["result"]
    paragraphs = re.findall(r"<p>([^<]+)</p>", html)
    assert len(paragraphs) == len(set(paragraphs))
    for n in range(1, 6):
        count = html.count(f"advice for area {n}.")
        assert count == (1 if n in (1, 2, 4) else 0), n
    assert PRIORITY_RULE in text_of(html)


def test_the_health_check_shows_each_advice_once_and_three_priorities_when_all_areas_are_weak():
    definition = yaml.safe_load((ROOT / "assessments" / "health-check.yml").read_text())
    answers = {q["id"]: "1" for q in definition["questions"]}
    html = done("score", definition, answers=answers)["paint"]["result"]
    text = text_of(html)
    shown = [d for d in definition["dimensions"] if d["advice"]["attention"]["text"] in text]
    assert len(shown) == MAX_PRIORITIES
    assert all(text.count(d["advice"]["attention"]["text"]) == 1 for d in shown)
    assert html.count("data-plan-key=") == MAX_PRIORITIES


def test_dates_are_shown_the_uk_way():
    assert uk_date("2027-01-15") == "15 January 2027"
    assert uk_date("2026-12-01") == "1 December 2026"
    assert uk_date("15/1/2027") == uk_date("15.01.2027") == uk_date("15 Jan 2027") == "15 January 2027"
    assert uk_date(" 3 march, 2027 ") == "3 March 2027"
    assert uk_date("31/2/2027") == "31/2/2027"  # no such day: kept as written
    assert uk_date("1 Ju 2027") == "1 Ju 2027"  # June or July: kept as written
    assert uk_date("next week") == "next week"
    assert uk_date("") == ""


def test_the_report_has_title_name_date_scores_plan_and_no_form_controls(areas):
    answers = ratings({1: ("2", "2"), 2: ("1", "1"), 3: ("2", "3"), 4: ("1", "2"), 5: ("3", "3")})
    request = {
        "answers": answers,
        "name": "Eastbury <b>care</b> board",
        "today": "2027-01-15",
        "filled": {"area:d2": {"owner": "Chair", "due": "2027-03-31", "agreed": "A workshop in March"}},
    }
    reply = done("report", five_areas(), **request)["print"]
    html = reply["html"]
    text = text_of(html)
    assert reply["title"] == "A small check: report"
    assert "Partnership: Eastbury <b>care</b> board" in text and "<b>" not in html
    assert "Date: 15 January 2027" in text
    for n, score in zip(range(1, 6), ("25", "0", "37.5", "12.5", "50"), strict=True):
        assert f"Area {n} {score} " in text
    assert "Chair 31 March 2027 A workshop in March" in text
    assert not re.search(r"<(input|button|select|textarea|form)\b", html)
    plan_only = done("report", five_areas(), **request, only="plan")["print"]
    assert plan_only["title"] == "A small check: plan" and "<svg" not in plan_only["html"]
    assert "Chair 31 March 2027" in text_of(plan_only["html"])


def member(answers: dict, label: str) -> dict:
    from widgets.members import FORMAT as ANSWERS_FORMAT

    record = {"format": ANSWERS_FORMAT, "schema": 1, "assessment": "small", "member": label}
    return {"name": f"{label}.json", "text": json.dumps(record | {"answers": answers})}


def test_the_team_report_lists_splits_to_discuss_apart_from_the_priorities():
    files = [
        member({"t1": "1", "t2": "2", "t3": "4"}, "A"),
        member({"t1": "5", "t2": "2", "t3": "4"}, "B"),
        member({"t1": "1", "t2": "2", "t3": "4"}, "C"),
    ]
    html = done("report", small(), source="team", files=files, today="2027-01-15")["print"]["html"]
    text = text_of(html)
    assert "Team report" in text and "3 members combined: A, B, C." in text
    assert "To discuss" in text and "Partners keep their word." in text
    assert "Trust 27.8 (lowest 16.7, highest 50)" in text and "Money Withheld" in text  # no one answered money
    assert not re.search(r"<(input|button|select|textarea)\b", html)


# -- decision aids: the answers behind each recommendation -----------------------------------


def decision_aids():
    for file in sorted((ROOT / "assessments").glob("*.yml")):
        assessment = load_definition(file, pages=docs_titles())
        if assessment.verdicts or assessment.flags:
            yield assessment


def test_every_rule_that_fires_in_a_decision_aid_says_which_answers_led_to_it():
    fired = set()
    for assessment in decision_aids():
        choices = [q for q in assessment.questions if q.kind in ("choice", "choices")]
        if not choices:
            continue
        for picks in itertools.islice(itertools.product(*[q.options for q in choices]), 0, None, 7):
            # A multiple choice gets one option ticked: the rules look for any one of theirs.
            answers = {q.id: o.value if q.kind == "choice" else [o.value] for q, o in zip(choices, picks, strict=True)}
            result = score_answers(assessment, answers)
            for rule in (result.verdict, *result.flags):
                lines = because(rule, result)
                assert lines, (assessment.id, rule.id)
                fired.add((assessment.id, rule.id))
                for qid, wanted in rule.when.items():
                    question = next(q for q in choices if q.id == qid)
                    value = answers[qid] if question.kind == "choice" else answers[qid][0]
                    label = next(o.label for o in question.options if o.value == value)
                    assert value in wanted
                    assert f"You answered \u201c{label}\u201d to \u201c{question.text}\u201d." in lines
    every = {(a.id, r.id) for a in decision_aids() for r in (*a.verdicts, *a.flags) if not r.missing}
    assert every <= fired, every - fired


def test_is_it_necessary_because_lines_in_full():
    assessment = load_definition(ROOT / "assessments" / "is-it-necessary.yml", pages=docs_titles())
    answers = {
        "purpose-now": "gone",
        "needs-partners": "essential",
        "difference": "clear-change",
        "cost": "light",
        "overlap": "none",
        "meetings": "decide",
        "if-stopped": "hardly",
    }
    result = score_answers(assessment, answers)
    assert result.verdict.id == "close"
    assert because(result.verdict, result) == (
        "You answered \u201cNo: it has been solved, or it has faded away\u201d to "
        "\u201cIs the problem this partnership was set up to tackle still there?\u201d.",
        "You answered \u201cHardly anyone would notice\u201d to "
        "\u201cIf the partnership stopped tomorrow, would its partners notice?\u201d.",
    )
    keep = score_answers(assessment, answers | {"purpose-now": "still-there", "if-stopped": "soon"})
    assert keep.verdict.id == "keep"
    lines = because(keep.verdict, keep)
    assert lines[0].startswith("None of your answers leads to \u201cclose it, and hand over what still matters\u201d")
    assert "You answered \u201cYes, quickly: something that matters would stop\u201d to " in lines[2]
    html = done("score", definition_data(assessment), answers=answers)["paint"]["result"]
    assert "Because:" in html and "Hardly anyone would notice" in html
    report = done("report", definition_data(assessment), answers=answers)["print"]
    assert report["title"].endswith(": report")
    assert "Hardly anyone would notice" in text_of(report["html"]) and "Decision" in text_of(report["html"])


def definition_data(assessment):
    from widgets import definition_to_data

    return definition_to_data(assessment)


def test_a_missing_voice_flag_says_what_no_row_has():
    assessment = load_definition(ROOT / "assessments" / "stakeholder-map.yml", pages=docs_titles())
    answers = {"stakeholders.0.name": "County council", "stakeholders.0.group": "statutory"}
    answers |= {"stakeholders.1.name": "Carers' forum", "stakeholders.1.group": "carers"}
    answers |= {"stakeholders.1.part": "consulted"}
    result = score_answers(assessment, answers)
    lines = {rule.id: because(rule, result) for rule in result.flags}
    assert set(lines) == {"users-informed-only", "no-frontline"}
    assert lines["no-frontline"] == (
        "No row in \u201cWho has a stake in the partnership?\u201d has group set to \u201cFrontline staff\u201d.",
    )
    assert lines["users-informed-only"] == (
        "No row with group \u201cPeople who use services\u201d or \u201cCarers\u201d in \u201cWho has a stake in the "
        "partnership?\u201d has part in decisions set to \u201cShares decisions\u201d or "
        "\u201cLeads or holds delegated power\u201d.",
    )


# -- stakeholder rows as a file ----------------------------------------------------------------


@pytest.fixture
def stakeholders():
    return load_definition(ROOT / "assessments" / "stakeholder-map.yml", pages=docs_titles())


def test_rows_export_and_import_round_trip(stakeholders):
    mine = {"stakeholders.0.name": "GP practice", "stakeholders.0.power": "high", "stakeholders.2.name": "Food bank"}
    exported = export_rows(stakeholders, mine)
    assert exported["filename"] == "stakeholder-map-stakeholders.json" and exported["rows"] == 2
    record = json.loads(exported["text"])
    assert record["format"] == FORMAT and record["rows"] == [
        {"name": "GP practice", "power": "high"},
        {"name": "Food bank"},
    ]
    theirs = {"stakeholders.0.name": "Youth team", "stakeholders.0.group": "statutory", "other": "kept"}
    imported = import_rows(stakeholders, theirs, [{"name": "mine.json", "text": exported["text"]}])
    assert imported.added == 2 and imported.refused == ()
    assert imported.answers == {
        "other": "kept",
        "stakeholders.0.name": "Youth team",
        "stakeholders.0.group": "statutory",
        "stakeholders.1.name": "GP practice",
        "stakeholders.1.power": "high",
        "stakeholders.2.name": "Food bank",
    }
    again = import_rows(stakeholders, imported.answers, [{"name": "mine.json", "text": exported["text"]}])
    assert again.added == 0 and again.skipped == 2 and again.answers == imported.answers
    # Exporting the combined map and reading it into an empty one gives the same rows.
    combined = export_rows(stakeholders, imported.answers)["text"]
    fresh = import_rows(stakeholders, {}, [{"name": "all.json", "text": combined}])
    assert fresh.answers == {k: v for k, v in imported.answers.items() if k != "other"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "it is empty"),
        ("{nope", "it is not a rows file from this handbook (not valid JSON)"),
        (json.dumps({"format": "other"}), "it is not a rows file from this handbook"),
        (
            json.dumps({"format": FORMAT, "schema": 1, "assessment": "health-check", "question": "x", "rows": []}),
            "it holds rows for 'health-check', not for this 'Stakeholder map'",
        ),
        (
            json.dumps(
                {
                    "format": FORMAT,
                    "schema": 1,
                    "assessment": "stakeholder-map",
                    "question": "stakeholders",
                    "rows": [{"name": "A", "power": "huge"}, {"colour": "red"}, "x"],
                }
            ),
            "row 1, Power: 'huge' is not one of its options; row 2 has an unknown column 'colour'; "
            "row 3 is not a set of columns",
        ),
    ],
)
def test_a_bad_rows_file_is_refused_whole_and_changes_nothing(stakeholders, text, reason):
    before = {"stakeholders.0.name": "Council"}
    imported = import_rows(stakeholders, before, [{"name": "bad.json", "text": text}])
    assert imported.refused == (("bad.json", reason),)
    assert imported.added == 0 and imported.answers == before


def test_rows_beyond_the_table_are_refused(stakeholders):
    rows = [{"name": f"Org {n}"} for n in range(31)]
    record = {"format": FORMAT, "schema": 1, "assessment": "stakeholder-map", "question": "stakeholders", "rows": rows}
    imported = import_rows(stakeholders, {}, [{"name": "big.json", "text": json.dumps(record)}])
    assert imported.refused == (("big.json", "adding its 31 rows would make 31; the table holds 30"),)


def test_the_bridge_imports_rows_and_names_what_it_refused(stakeholders):
    from widgets import definition_to_data

    good = export_rows(stakeholders, {"stakeholders.0.name": "Police"})["text"]
    files = [{"name": "good.json", "text": good}, {"name": "bad.json", "text": "[]"}]
    reply = done("rows_import", definition_to_data(stakeholders), answers={}, files=files)
    assert reply["answers"] == {"stakeholders.0.name": "Police"}
    assert reply["say"] == "Added 1 row. Not added: bad.json, because it is not a rows file from this handbook."


# -- how long each tool takes ------------------------------------------------------------------


def test_a_declared_estimate_wins_and_otherwise_the_time_comes_from_the_questions():
    data = small()
    assert minutes(parse_definition(data)) == 2  # six statements at 20 seconds
    assert time_text(parse_definition(data)) == "About 2 minutes (6 statements)"
    data["minutes"] = 12
    assert time_text(parse_definition(data)) == "About 12 minutes (6 statements)"
    data["questions"] = data["questions"] * 1
    health = load_definition(ROOT / "assessments" / "health-check.yml", pages=PAGES | docs_titles())
    assert time_text(health) == "About 15 minutes (33 statements)"


@pytest.mark.parametrize("name", ["positions-worksheet", "stakeholder-map", "is-it-necessary", "partnership-type"])
def test_a_tool_without_ratings_exports_an_empty_plan(name):
    data = definition_to_data(load_definition(ROOT / "assessments" / f"{name}.yml", pages=docs_titles()))
    reply = done("export_plan", data, format="csv", answers={})
    assert reply["download"]["text"].count("\r\n") == 1  # the heading row alone
