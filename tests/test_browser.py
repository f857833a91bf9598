"""End to end in headless Chromium: answer the health check, see Python's result, keep answers."""

from __future__ import annotations

import json

import pytest
from browsing import (
    HEALTH_CHECK,
    READY,
    RESULT,
    SETTLED,
    answer,
    answer_the_health_check,
    checked,
    expected_overall,
    overall_text,
    sample_answers,
    served,
    wait_for_counts,
    wait_for_overall,
)
from conftest import build_copy, copy_project

pytestmark = pytest.mark.browser
STORE_KEY = "handbook:answers:health-check"


def test_health_check_answers_give_pythons_result_and_are_kept(site, context, page, health_check_data):
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page.goto(site.page(HEALTH_CHECK))
    # A toolkit page is its tool: Python starts as soon as the form is on screen, untouched.
    page.wait_for_selector(READY, timeout=60_000)
    assert page.locator(".assessment-status").inner_text().startswith("Results appear below the questions")
    assert [url for url in requests if url.endswith("/assets/pyodide/pyodide.asm.wasm")]

    # The figure shown is the one the Python package computes for the same answers.
    answers = answer_the_health_check(page, health_check_data)
    assert page.locator(".assessment-result svg.result-chart").count() == 1
    assert page.locator(".assessment-result .result-table tbody tr").count() == 6
    assert page.locator(".assessment-result .action-plan tbody tr").count() >= 1
    assert page.locator(".assessment-status").inner_text().startswith("Result updated.")
    # ... and it came from the worker's Python: the interpreter and the site's zip were fetched.
    assert any(url.endswith("/stdlib.zip") and "/assets/widgets/py/" in url for url in requests)

    # Change one answer: the result follows.
    first = health_check_data["questions"][0]["id"]
    answers[first] = "5" if answers[first] != "5" else "1"
    answer(page, {first: answers[first]})
    wait_for_overall(page, expected_overall(health_check_data, answers), timeout=10_000)

    saved = json.loads(page.evaluate(f"localStorage.getItem('{STORE_KEY}')"))
    assert saved["answers"] == answers and saved["schema"] == 1

    page.reload()
    assert checked(page) == answers
    # Saved answers show their result on return, with no click.
    page.wait_for_selector(RESULT, timeout=60_000)
    assert overall_text(page) == expected_overall(health_check_data, answers)

    # Instant navigation away and back: answers restored, result shown with no click.
    page.locator("a[href$='/glossary/'], a[href='../../glossary/']").first.click()
    page.wait_for_url("**/glossary/")
    page.go_back()
    page.wait_for_url(f"**/{HEALTH_CHECK}")
    page.wait_for_selector(RESULT, timeout=5_000)
    assert checked(page) == answers
    assert overall_text(page) == expected_overall(health_check_data, answers)

    # An owner typed into the action plan is kept with the answers.
    page.locator(".assessment-result").get_by_label("Owner of priority 1", exact=True).fill("Ward manager")
    plan_key = "handbook:plan:health-check:answers"
    assert json.loads(page.evaluate(f"localStorage.getItem('{plan_key}')"))

    # Clear answers: after confirming, nothing is checked and nothing is stored.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear my answers").click()
    assert checked(page) == {}
    assert page.evaluate(f"localStorage.getItem('{STORE_KEY}')") is None
    assert page.evaluate(f"localStorage.getItem('{plan_key}')") is None
    assert page.locator(".assessment-status").inner_text().startswith("Your answers have been cleared")
    page.reload()
    assert checked(page) == {}
    assert page.js_errors == []


def test_revisit_through_instant_navigation_shows_the_result_without_a_click(site, page, health_check_data):
    page.goto(site.page(HEALTH_CHECK))
    answers = dict(list(sample_answers(health_check_data).items())[:20])
    answer(page, answers)
    page.wait_for_selector(RESULT, timeout=60_000)
    page.locator(".md-nav a[href$='/toolkit/'], .md-nav a[href='../']").first.click()
    page.wait_for_url("**/toolkit/")
    assert page.evaluate("typeof window.__handbook_marker") == "undefined"
    page.evaluate("window.__handbook_marker = 1")
    page.locator(".md-nav a[href$='/toolkit/health-check/'], .md-nav a[href='health-check/']").first.click()
    page.wait_for_url(f"**/{HEALTH_CHECK}")
    page.wait_for_selector(RESULT, timeout=5_000)
    # Same document: instant navigation kept the page (and the worker) alive.
    assert page.evaluate("window.__handbook_marker") == 1
    assert checked(page) == answers


def test_cancelling_clear_keeps_every_answer(site, page, health_check_data):
    page.goto(site.page(HEALTH_CHECK))
    answers = dict(list(sample_answers(health_check_data).items())[:5])
    answer(page, answers)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Clear my answers").click()
    assert checked(page) == answers
    page.reload()
    assert checked(page) == answers


def test_the_form_works_with_the_keyboard_alone(site, page):
    page.goto(site.page(HEALTH_CHECK))
    page.locator(".assessment-form input").first.focus()
    page.keyboard.press("ArrowRight")  # radio groups move with arrow keys
    page.keyboard.press("ArrowRight")
    first_name = page.locator(".assessment-form input").first.get_attribute("name")
    assert checked(page) == {first_name: "3"}
    page.keyboard.press("Tab")  # on to the next statement
    page.keyboard.press("Space")
    assert len(checked(page)) == 2


def test_a_decision_aid_gives_a_recommendation_and_keeps_ticked_boxes(site, page):
    page.goto(site.page("toolkit/partnership-type/"))
    page.locator('input[name="aim"][value="run-service"]').check()
    for name in ("money", "staff", "duration", "users"):
        page.locator(f'input[name="{name}"]').first.check()
    page.locator('input[name="sharing"][value="information"]').check()
    page.locator('input[name="sharing"][value="data"]').check()
    page.wait_for_function(
        "document.querySelector('.assessment-result')?.textContent.includes('Recommendation:')", timeout=60_000
    )
    result = page.locator(".assessment-result").inner_text()
    assert "Sharing information about people needs an agreement in place first" in result
    page.reload()
    ticked = page.evaluate("[...document.querySelectorAll('input[name=sharing]:checked')].map((input) => input.value)")
    assert ticked == ["information", "data"]
    assert page.js_errors == []


ALWAYS_FLAG = """flags:
  - id: always-shown
    label: A flag written with an empty missing list
    missing: []
    text: A flag with neither when nor missing conditions applies to every set of answers.
"""


def test_a_flag_with_an_empty_missing_list_builds_and_scores_in_the_browser(page, tmp_path):
    # The build used to accept this flag and the worker to refuse the definition it was sent.
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project", "assessments")
    definition = project / "assessments" / "partnership-type.yml"
    text = definition.read_text()
    assert text.count("\nflags:\n") == 1
    definition.write_text(text.replace("\nflags:\n", "\n" + ALWAYS_FLAG))
    code, output = build_copy(project)
    assert code == 0, output
    with served(project / "out") as url:
        page.goto(url + "toolkit/partnership-type/")
        page.locator('input[name="aim"][value="run-service"]').check()
        for name in ("money", "staff", "duration", "users"):
            page.locator(f'input[name="{name}"]').first.check()
        page.wait_for_selector(SETTLED, timeout=90_000)
        status = page.locator(".assessment-status").inner_text()
        assert page.locator(READY).count() == 1, status
        page.wait_for_selector(RESULT, timeout=30_000)
        result = page.locator(".assessment-result").inner_text()
        assert "Recommendation:" in result, status
        assert "Watch out: A flag written with an empty missing list" in result
        assert page.js_errors == []


def engine_requests(requests: list[str]) -> list[str]:
    return [url for url in requests if "/assets/pyodide/" in url or "/assets/widgets/worker.mjs" in url]


def test_python_starts_only_when_a_tool_comes_near_and_never_on_a_page_without_one(site, context):
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(site.page("glossary/"))
    page.mouse.wheel(0, 4000)
    page.wait_for_timeout(1500)  # give a wrong start the time to show; not a timing assertion
    assert engine_requests(requests) == [], "Python started on a page with no tool"

    # A topic page whose tool sits well below the first screen: nothing until it comes near.
    page.goto(site.page("necessary/historical-relics/"))
    tool = page.locator(".assessment[data-assessment]").first
    top = page.evaluate("el => el.getBoundingClientRect().top + scrollY", tool.element_handle())
    assert top > 2 * 700, "the tool is expected more than two screens down this page"
    page.wait_for_timeout(1500)
    assert engine_requests(requests) == [] and tool.get_attribute("data-engine") == "idle"
    page.evaluate("top => scrollTo(0, top - 1200)", top)  # within one screen height of the viewport
    page.wait_for_selector(READY, timeout=60_000)
    assert engine_requests(requests)


def test_the_definition_goes_to_the_worker_once_and_then_only_its_hash(site, context, health_check_data):
    context.add_init_script(
        """window.__sent = [];
           const post = Worker.prototype.postMessage;
           Worker.prototype.postMessage = function (message) {
             window.__sent.push({ kind: message.request.kind, hash: message.request.hash,
                                  definition: typeof message.request.definition === "string" });
             return post.call(this, message);
           };"""
    )
    page = context.new_page()
    page.goto(site.page(HEALTH_CHECK))
    answers = dict(list(sample_answers(health_check_data).items())[:3])
    answer(page, answers)
    wait_for_counts(page, answers, timeout=60_000)
    sent = page.evaluate("window.__sent")
    digest = page.locator(".assessment").get_attribute("data-definition-hash")
    assert len(sent) >= 2 and {item["hash"] for item in sent} == {digest}
    assert [item["definition"] for item in sent] == [True] + [False] * (len(sent) - 1)
