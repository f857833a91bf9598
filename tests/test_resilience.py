"""Readers' data and failures: stored answers survive changes, bad data and a broken runtime."""

from __future__ import annotations

import json

import pytest
from browsing import HEALTH_CHECK, NO_SCRIPTS, RESULT, STATUS, checked, stored

pytestmark = pytest.mark.browser
KEY = "handbook:answers:health-check"


def open_with_storage(page, site, value: str) -> None:
    """Put ``value`` in the health check's storage slot (from NO_SCRIPTS), then open the health check."""
    page.goto(site.page(NO_SCRIPTS))
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [KEY, value])
    page.goto(site.page(HEALTH_CHECK))


def record(answers: dict, **extra) -> str:
    return json.dumps({"schema": 1, "assessment": "health-check", "version": 1, "answers": answers, **extra})


@pytest.fixture
def question_ids(health_check_data) -> list[str]:
    return [q["id"] for q in health_check_data["questions"]]


def test_answers_to_unchanged_questions_are_kept_and_the_rest_set_aside(site, page, question_ids):
    saved = {question_ids[0]: "4", question_ids[1]: "dk", "a-removed-question": "3", question_ids[2]: "7"}
    open_with_storage(page, site, record(saved))
    assert checked(page) == {question_ids[0]: "4", question_ids[1]: "dk"}
    status = page.locator(STATUS).inner_text()
    assert "This assessment has changed since you last used it" in status
    assert "a-removed-question" in status and question_ids[2] in status
    # The record now holds what fits; the original is kept aside, not lost.
    now = json.loads(stored(page, KEY)[KEY])
    assert now["answers"] == {question_ids[0]: "4", question_ids[1]: "dk"}
    aside = list(stored(page, "handbook:set-aside:health-check:").values())
    assert [json.loads(value)["answers"] for value in aside] == [saved]
    # The widget goes on working.
    page.locator(f'input[name="{question_ids[3]}"][value="5"]').check()
    page.wait_for_selector(RESULT, timeout=60_000)


@pytest.mark.parametrize(
    "value",
    [
        "{not json",
        json.dumps({"schema": 99, "answers": {}}),
        json.dumps({"schema": 1, "assessment": "someone-else", "answers": {}}),
        json.dumps({"schema": 1, "assessment": "health-check", "answers": ["4", "5"]}),
        json.dumps("<img src=x onerror=alert(1)>"),
    ],
    ids=["not-json", "unknown-schema", "another-assessment", "answers-not-a-mapping", "markup"],
)
def test_unreadable_saved_data_is_set_aside_with_a_notice(site, page, value):
    open_with_storage(page, site, value)
    assert checked(page) == {}
    assert "could not be read, so they have been set aside" in page.locator(STATUS).inner_text()
    assert stored(page, KEY) == {}
    assert list(stored(page, "handbook:set-aside:health-check:").values()) == [value]
    assert page.locator("img[src=x]").count() == 0
    assert page.js_errors == []


def test_the_widget_works_when_storage_is_switched_off(site, context, question_ids):
    context.add_init_script(
        """for (const name of ["getItem", "setItem", "removeItem"]) {
             Storage.prototype[name] = () => { throw new DOMException("denied", "SecurityError"); };
           }"""
    )
    page = context.new_page()
    page.goto(site.page(HEALTH_CHECK))
    assert "not saving your answers" in page.locator(STATUS).inner_text()
    page.locator(f'input[name="{question_ids[0]}"][value="5"]').check()
    page.locator(f'input[name="{question_ids[1]}"][value="5"]').check()
    page.wait_for_selector(RESULT, timeout=60_000)
    assert "not saving your answers" in page.locator(STATUS).inner_text()


def test_a_tool_opened_from_a_disk_keeps_its_answers_and_says_python_cannot_run(site, context, question_ids):
    """Opened as a file (docs/about/hosting.md: from a disk or shared drive), Material never
    announces the page, and Python cannot load: the form still saves and restores its answers,
    and the status line says what went wrong instead of waiting for ever."""
    page = context.new_page()
    url = (site.root / HEALTH_CHECK / "index.html").as_uri()
    page.goto(url)
    page.locator(f'input[name="{question_ids[0]}"][value="4"]').check()
    page.wait_for_function("document.querySelector('.assessment').dataset.engine === 'failed'", timeout=60_000)
    page.goto(url)
    page.wait_for_function("document.querySelector('.assessment').dataset.engine === 'failed'", timeout=60_000)
    assert page.locator(f'input[name="{question_ids[0]}"][value="4"]').is_checked()  # before any touch
    assert "Your results cannot be shown" in page.locator(STATUS).inner_text()
    assert page.locator("[data-action=retry]").is_visible()


def test_storage_full_is_reported(site, context, question_ids):
    context.add_init_script(
        """Storage.prototype.setItem = () => { throw new DOMException("full", "QuotaExceededError"); };"""
    )
    page = context.new_page()
    page.goto(site.page(HEALTH_CHECK))
    page.locator(f'input[name="{question_ids[0]}"][value="2"]').check()
    page.wait_for_function(
        "document.querySelector('.assessment-status').textContent.includes('not saving your answers')"
    )


WATCH_THE_FORM = """() => {
  const root = document.querySelector('.assessment'), first = root.querySelector('.assessment-form fieldset');
  const top = () => Math.round(first.getBoundingClientRect().top + scrollY);
  window.__formMoves = [];
  new MutationObserver(() => window.__formMoves.push([root.dataset.engine, top()]))
    .observe(root, { attributeFilter: ['data-engine'] });
  return top();
}"""
"""Where the first statement is; from now on, where it is each time the engine's state changes."""


@pytest.mark.parametrize(
    "blocked",
    ["**/assets/pyodide/pyodide.asm.wasm", "**/assets/widgets/worker.mjs", "**/assets/widgets/py/**"],
    ids=["runtime-file-missing", "worker-blocked", "stdlib-missing"],
)
def test_a_runtime_that_fails_to_load_says_what_to_do(site, context, question_ids, blocked):
    context.route(blocked, lambda route: route.fulfill(status=404, body="not here"))
    page = context.new_page()
    page.goto(site.page(HEALTH_CHECK))
    # The tool is on screen, so Python starts at once and fails. The failure's message and its
    # "Try again" move the form down, so the first answer waits for them: a click while the form
    # moves lands on something else.
    page.wait_for_selector(".assessment[data-engine=failed]", timeout=60_000)
    failed_at = page.evaluate(WATCH_THE_FORM)
    page.locator(f'input[name="{question_ids[0]}"][value="4"]').check()
    page.wait_for_selector(".assessment[data-engine=failed]", timeout=60_000)  # the answer tried again
    # ... and while it did, the failure's box stayed as it was, and so did the form under it.
    moves = page.evaluate("window.__formMoves")
    assert [state for state, _ in moves] == ["loading", "failed"]
    assert {top for _, top in moves} == {failed_at}, moves
    assert page.get_by_role("button", name="Try again").is_visible()
    status = page.locator(STATUS).inner_text()
    assert "Your results cannot be shown: the scoring engine did not load" in status
    assert "you can still read, answer and print the statements" in status
    assert page.get_by_role("button", name="Try again").is_visible()
    # The questions stay usable and the answer is kept.
    page.locator(f'input[name="{question_ids[1]}"][value="2"]').check()
    assert checked(page) == {question_ids[0]: "4", question_ids[1]: "2"}
    page.wait_for_selector(".assessment[data-engine=failed]", timeout=60_000)  # the change tried again
    # Once the file is back, "Try again" gets a result.
    context.unroute(blocked)
    page.get_by_role("button", name="Try again").click()
    page.wait_for_selector(RESULT, timeout=60_000)
    assert "Overall" in page.locator(".assessment-result").inner_text()


def test_saved_rows_come_back_and_rows_are_added_only_for_real_columns(site, page):
    record = json.dumps(
        {
            "schema": 1,
            "assessment": "stakeholder-map",
            "version": 1,
            "answers": {
                "stakeholders.5.name": "NHS trust",
                "stakeholders.5.power": "high",
                "stakeholders.0.bogus": "x",
            },
        }
    )
    page.goto(site.page(NO_SCRIPTS))
    page.evaluate("(value) => localStorage.setItem('handbook:answers:stakeholder-map', value)", record)
    page.goto(site.page("toolkit/stakeholder-map/"))
    assert page.get_by_label("Name, row 6", exact=True).input_value() == "NHS trust"
    assert page.get_by_label("Power, row 6", exact=True).input_value() == "high"
    assert page.locator(".rows-table tbody tr").count() == 6  # not grown to the maximum for 'bogus'
    assert "stakeholders.0.bogus" in page.locator(STATUS).inner_text()
    assert page.js_errors == []
