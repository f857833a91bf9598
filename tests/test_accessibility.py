"""Accessibility in headless Chromium: axe-core on every built page, in light and dark mode (as
nginx serves them: the walk in tests/browsing.py, shared with tests/test_hosting.py), the
health check with a result shown, and a self-assessment completed with the keyboard alone.

axe-core comes from node_modules (npm devDependency) and is injected by the test: the site
itself neither ships nor loads it. The rules run are those tagged WCAG 2.0 and 2.1, levels A
and AA, the standard the accessibility statement (docs/about/accessibility.md) aims at.
"""

from __future__ import annotations

import re

import pytest
from browsing import (
    AXE,
    COLOUR_RULES,
    HEALTH_CHECK,
    RESULT,
    SCHEMES,
    answer,
    axe,
    expected_overall,
    switch_scheme,
    wait_for_overall,
    without_search_index,
)
from conftest import docs_titles

from widgets import Assessment, parse_definition, score_answers

pytestmark = pytest.mark.browser

# Also run on the health check with a result: the headings and ids that Python writes into
# the page. axe 4.14 tags neither as WCAG 2.1 (heading-order is a best practice; the
# duplicate-id rules went obsolete with WCAG 2.2's removal of 4.1.1), so they are asked for.
RESULT_RULES = {
    "runOnly": {"type": "rule", "values": ["heading-order", "duplicate-id", "duplicate-id-active"]},
    "resultTypes": ["violations"],
}
SHOWN_TARGETS = 3
SCRIPT_AXE = re.compile(r"<script[^>]*\baxe\b", re.I)


def open_in(browser, mode: str):
    """A profile whose browser prefers ``mode``, with axe in every page from its start (as a
    file: one copy for all pages). Service workers are blocked: what they cache plays no part
    in what a page is."""
    context = without_search_index(
        browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=mode, service_workers="block")
    )
    context.add_init_script(path=str(AXE))
    return context


def describe(where: str, violations: list[dict]) -> list[str]:
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:SHOWN_TARGETS]:
            first = node["summary"].splitlines()[1:2]
            lines.append(f"    {node['target']}" + (f"  [{first[0].strip()}]" if first else ""))
        if len(v["nodes"]) > SHOWN_TARGETS:
            lines.append(f"    ... and {len(v['nodes']) - SHOWN_TARGETS} more")
    return lines


def report(problems: list[str]) -> str:
    text = "\n".join(problems)
    print(text)
    return "axe-core found violations:\n" + text


def test_the_site_does_not_ship_axe(site):
    assert AXE.is_file(), "axe-core is missing: run `make setup` (npm ci)"
    shipped = [p.relative_to(site.root).as_posix() for p in site.root.rglob("*axe*")]
    loading = [
        p.relative_to(site.root).as_posix() for p in site.root.rglob("*.html") if SCRIPT_AXE.search(p.read_text())
    ]
    assert shipped == [] and loading == []


@pytest.mark.parametrize("mode", SCHEMES)
def test_every_page_passes_axe(every_page, mode):
    """Every page as nginx serves it under the sub-path and the strict policy (the walk in
    tests/browsing.py): every rule in light; in dark, every rule on the home page and the colour
    rules on the others, after the reader's own palette toggle."""
    visits = [*every_page.visits, every_page.missing]
    assert len(visits) >= 50 and "" in [visit.path for visit in visits]
    switched = [(visit.path, visit.schemes) for visit in visits if visit.schemes != ("default", "slate", "default")]
    assert switched == [], "the palette toggle did not switch between light and dark"
    problems = [line for visit in visits for line in describe(f"/{visit.path} [{mode}]", getattr(visit, mode))]
    assert not problems, report(problems)


@pytest.mark.parametrize("mode", SCHEMES)
def test_the_palette_follows_the_browsers_colour_scheme(site, browser, mode):
    context = open_in(browser, mode)
    page = context.new_page()
    try:
        for path in ("", HEALTH_CHECK):
            page.goto(site.page(path), wait_until="load")
            assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[mode], f"/{path} [{mode}]"
    finally:
        context.close()


def answers_for(assessment: Assessment, shares: list[float | None]) -> dict[str, str]:
    """Answers that put area ``i`` at ``shares[i]`` (1.0 best, 0.0 worst; None: too few rated).

    Reversed statements get the mirror rating. The second statement of each area is "don't
    know", so the counts and the table show those too.
    """
    areas = [d.id for d in assessment.dimensions]
    answers: dict[str, str] = {}
    for question in assessment.questions:
        share = shares[areas.index(question.dimension) % len(shares)]
        index = assessment.questions_in(question.dimension).index(question)
        if index == 1 or (share is None and index == 0):
            answers[question.id] = "dk"
        elif share is not None:
            points = assessment.scales[question.scale].points
            position = round((1 - share if question.reverse else share) * (len(points) - 1))
            answers[question.id] = str(points[position].value)
    return answers


def result_cases(assessment: Assessment) -> dict[str, dict[str, str]]:
    """Answer sets whose results together show every band, in the overall badge and in the
    chart, and an area without enough answers."""
    cases = {"mixed": answers_for(assessment, [1.0, 0.5, 0.0, None])}
    cases |= {f"every area at {share:.0%}": answers_for(assessment, [share]) for share in (1.0, 0.5, 0.0)}
    overall, areas = set(), set()
    for answers in cases.values():
        result = score_answers(assessment, answers)
        overall.add(result.band.id if result.band else None)
        areas |= {d.band.id if d.band else None for d in result.dimensions}
    bands = {b.id for b in assessment.bands}
    assert bands <= overall and areas == bands | {None}, "the answer sets no longer show every band"
    return cases


def test_health_check_with_results_passes_axe(site, browser, health_check_data):
    """The result as Python paints it, with the table of scores open, for every band: every
    rule in light, then the colour rules in dark after the palette toggle."""
    assessment = parse_definition(health_check_data, pages=docs_titles())
    context = open_in(browser, "light")
    page = context.new_page()
    problems: list[str] = []
    try:
        page.goto(site.page(HEALTH_CHECK))
        for name, answers in result_cases(assessment).items():
            page.evaluate("() => document.querySelector('.assessment-form').reset()")
            answer(page, answers)
            page.wait_for_selector(RESULT, timeout=60_000)
            wait_for_overall(page, expected_overall(health_check_data, answers))
            page.locator(".result-table summary").click()
            assert page.locator(".result-table table").is_visible()
            where = f"/{HEALTH_CHECK} with result '{name}', table open"
            problems += describe(f"{where} [light]", axe(page)) + describe(f"{where} [light]", axe(page, RESULT_RULES))
            assert switch_scheme(page, "dark") == SCHEMES["dark"]
            problems += describe(f"{where} [dark]", axe(page, COLOUR_RULES))
            assert switch_scheme(page, "light") == SCHEMES["light"]
    finally:
        context.close()
    assert not problems, report(problems)


def test_an_assessment_can_be_completed_with_the_keyboard_alone(site, page):
    """Tab to the form, rate each statement with the arrow keys, Tab on, then ask for the result."""
    page.goto(site.page(HEALTH_CHECK))
    focused = """() => {
      const el = document.activeElement;
      return {
        name: el.closest('.assessment-form') && el.type === 'radio' ? el.name : null,
        action: el.dataset.action || null,
      };
    }"""
    for _ in range(400):
        page.keyboard.press("Tab")
        if page.evaluate(focused)["name"]:
            break
    else:
        pytest.fail("Tab never reached the form")

    groups = page.evaluate(
        "() => [...new Set([...document.querySelectorAll('.assessment-form input[type=radio]')].map((i) => i.name))]"
    )
    assert len(groups) == 33
    expected: dict[str, str] = {}
    for step in range(len(groups)):
        name = page.evaluate(focused)["name"]
        assert name == groups[step], f"statement {step + 1}: focus is on {name!r}, expected {groups[step]!r}"
        values = page.evaluate(
            "name => [...document.querySelectorAll(`.assessment-form input[name='${name}']`)].map((i) => i.value)",
            name,
        )
        # From the unchecked first choice, each ArrowRight moves on one choice and selects it,
        # wrapping round after "Don't know": every rating gets used.
        presses = 1 + step % len(values)
        for _ in range(presses):
            page.keyboard.press("ArrowRight")
        expected[name] = values[presses % len(values)]
        page.keyboard.press("Tab")

    assert page.evaluate(focused)["action"] == "show", "Tab after the last statement should reach 'Show my results'"
    answered = page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('.assessment-form input:checked')]"
        ".map((i) => [i.name, i.value]))"
    )
    assert len(answered) == 33
    assert answered == expected
    page.keyboard.press("Enter")
    page.wait_for_selector(RESULT, timeout=60_000)
    page.wait_for_function("() => document.activeElement?.classList.contains('assessment-result')", timeout=30_000)
    rated = sum(value != "dk" for value in expected.values())
    assert f"You have rated {rated} of 33 statements" in page.locator(".result-counts").inner_text()
    assert page.js_errors == []
