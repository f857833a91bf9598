"""Team mode end to end in Chromium: members export, a coordinator combines, plans go out as CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from browsing import HEALTH_CHECK, RESULT, TEAM_RESULT, answer, checked, member_answers, without_search_index
from conftest import docs_titles

from widgets import parse_definition
from widgets.members import read_members
from widgets.plan import plan_for_team
from widgets.team import team_result

pytestmark = pytest.mark.browser


def export_as_member(browser, site, answers: dict[str, str], name: str, tmp_path: Path) -> Path:
    context = without_search_index(browser.new_context())
    page = context.new_page()
    page.goto(site.page(HEALTH_CHECK))
    answer(page, answers)
    page.get_by_label("Your name or role (optional)").fill(name)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download my answers").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    context.close()
    return target


@pytest.fixture
def ids(health_check_data) -> list[str]:
    return [q["id"] for q in health_check_data["questions"]]


def test_a_team_combines_files_sees_divergence_and_exports_a_plan(
    site, browser, page, ids, health_check_data, tmp_path
):
    answers = [member_answers(ids, seed) for seed in range(3)]
    files = [export_as_member(browser, site, a, f"Member {n}", tmp_path) for n, a in enumerate(answers, start=1)]
    assert [f.name for f in files] == [f"health-check-answers-member-{n}.json" for n in (1, 2, 3)]
    assert json.loads(files[0].read_text())["answers"] == answers[0]

    page.goto(site.page(HEALTH_CHECK))
    page.locator(".assessment-import").set_input_files([str(f) for f in files])
    page.wait_for_selector(TEAM_RESULT, timeout=60_000)
    view = page.locator(".assessment-team-result")
    assert "3 members combined: Member 1, Member 2, Member 3." in view.inner_text()

    # What the page shows is what the Python package computes for the same files.
    assessment = parse_definition(health_check_data, pages=docs_titles())
    members, _ = read_members(assessment, [{"name": f.name, "text": f.read_text()} for f in files])
    team = team_result(assessment, members)
    expected = [s.question.text for s in team.divergent]
    assert expected, "the sample answers should disagree somewhere"
    shown = view.locator(".team-divergent .team-statement").all_inner_texts()
    assert shown == expected
    assert view.locator("svg .chart-range").count() == len(assessment.dimensions)

    # The team's plan: at most three weak areas as actions, split statements to discuss apart;
    # owners, dates and what was agreed go to CSV.
    plan = view.locator(".action-plan")
    actions = plan_for_team(team).actions
    assert plan.locator("tbody tr").count() == len(actions)
    assert plan.locator(".plan-discuss .team-statement").all_inner_texts() == expected
    plan.get_by_label("Owner of priority 1", exact=True).fill("Chair of the board")
    plan.get_by_label("Due date of priority 1", exact=True).fill("2027-03-31")
    with page.expect_download() as info:
        plan.get_by_role("button", name="Download as CSV").click()
    assert info.value.suggested_filename == "health-check-action-plan.csv"
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][5:] == ["Owner", "Due date", "What we agreed"]
    assert [row[2] for row in rows[1:]] == [a.action for a in actions]
    assert rows[1][5:] == ["Chair of the board", "31 March 2027", ""]

    # Owners and dates are kept: after a reload and a new import they come back.
    page.reload()
    page.locator(".assessment-import").set_input_files([str(f) for f in files])
    page.wait_for_selector(TEAM_RESULT, timeout=60_000)
    assert page.get_by_label("Owner of priority 1", exact=True).last.input_value() == "Chair of the board"
    assert page.js_errors == []


def test_bad_imports_are_refused_as_text_and_change_nothing(site, page, ids, tmp_path):
    page.goto(site.page(HEALTH_CHECK))
    mine = {ids[0]: "4", ids[1]: "2"}
    answer(page, mine)
    page.wait_for_selector(RESULT, timeout=60_000)
    before = page.locator(".assessment-result").inner_html()

    record = {"format": "partnership-handbook/answers", "schema": 1, "assessment": "health-check"}
    bad = {
        "malformed.json": "{this is not json",
        "other-assessment.json": json.dumps({**record, "assessment": "purpose", "answers": {}}),
        "oversized.json": json.dumps({**record, "answers": {}, "padding": "x" * 200_000}),
        "<img src=x onerror=alert(1)>.json": json.dumps(
            {**record, "member": "<script>window.hacked = 1</script><b>bold</b>", "answers": {ids[0]: "1"}}
        ),
    }
    paths = []
    for name, text in bad.items():
        path = tmp_path / name.replace("/", "_")
        path.write_text(text)
        paths.append(str(path))
    page.locator(".assessment-import").set_input_files(paths)
    page.wait_for_selector(TEAM_RESULT, timeout=60_000)
    view = page.locator(".assessment-team-result")
    refused = view.locator(".team-refused li").all_inner_texts()
    assert refused == [
        "malformed.json: not added, because it is not an answers file from this handbook (it is not valid JSON).",
        "other-assessment.json: not added, because it holds answers to 'purpose', not to 'Partnership health check'.",
        "oversized.json: not added, because it is larger than 100 KB, so it is not an answers file.",
    ]
    # The file with markup was read, but its text is shown as text, never run.
    assert "<script>window.hacked = 1</script><b>bold</b>" in view.inner_text()
    assert view.locator("script, b, img").count() == 0
    assert page.evaluate("window.hacked") is None
    # The reader's own answers and result are untouched.
    assert checked(page) == mine
    assert page.locator(".assessment-result").inner_html() == before
    assert page.js_errors == []
