"""Issue 11 end to end in Chromium at 390 px and 1280 px: progress and status where the reader is,
layouts that fit a phone, the result on return, and reports printed to PDF and read back as text."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
from pathlib import Path

import pytest
from browsing import HEALTH_CHECK, PRINT_COUNTED, RESULT, answer, member_answers, with_errors, without_search_index
from conftest import ROOT, docs_titles

from macros.assessments import load_definition
from widgets import parse_definition, score_answers
from widgets.members import export_member
from widgets.plan import uk_date

pytestmark = pytest.mark.browser
WIDTHS = (390, 1280)
# Text of the form and its controls that must never appear in a printed report.
FORM_TEXT = (
    "Neither agree nor disagree Agree",  # a statement's row of choices
    "Don't know",
    "Show my results",
    "Clear my answers",
    "Save or print",
    "Download as CSV",
    "Copy as Markdown",
    "Print the plan",
    "Download my answers",
    "Partnership name for the report",
    "answered in this area",
)


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def sized(request, browser):
    width = request.param
    context = without_search_index(
        browser.new_context(viewport={"width": width, "height": 844 if width == 390 else 900})
    )
    page = with_errors(context.new_page())
    page.width = width
    yield page
    context.close()


def rating(i: int) -> str:
    return str(1 + (i * 3) % 5)


def in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                      return r.top >= 0 && r.bottom <= innerHeight && r.height > 0; }""",
        selector,
    )


def too_wide(page) -> list[str]:
    """Tables, charts and figures of the page that reach past the viewport or scroll sideways."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const found = [];
          if (document.documentElement.scrollWidth > width) found.push('page ' + document.documentElement.scrollWidth);
          const boxes = '.md-content table, .md-content svg, .md-content figure, .plan-scroll';
          for (const el of document.querySelectorAll(boxes)) {
            const box = el.getBoundingClientRect();
            if (box.width === 0) continue;
            const sideways = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0;
            const out = box.right > width + 0.5 || box.left < -0.5;
            if (out || sideways) found.push(`${el.tagName}.${el.getAttribute('class')}`);
          }
          return found;
        }"""
    )


def smallest_chart_text(page) -> float:
    return page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('svg.result-chart text')]
             .filter((t) => t.getBoundingClientRect().width > 0)
             .map((t) => { const m = t.getScreenCTM();
                            return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); }))"""
    )


def small_targets(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll(
             '.assessment .assessment-choice, .assessment button, .assessment input[type=text], '
             + '.assessment select, .handbook-map-list a')]
           .filter((el) => el.getBoundingClientRect().height > 0)
           .filter((el) => el.getBoundingClientRect().height < 44)
           .map((el) => el.textContent.trim() || el.getAttribute('aria-label') || el.className)"""
    )


def test_health_check_progress_status_layout_and_result_on_return(site, sized, health_check_data):
    page = sized
    page.goto(site.page(HEALTH_CHECK))
    # The engine's status sits above the first statement.
    status = page.locator(".assessment-status").bounding_box()
    first = page.locator(".assessment-form fieldset").first.bounding_box()
    assert status["y"] + status["height"] <= first["y"]
    ids = [q["id"] for q in health_check_data["questions"]]
    answer(page, {qid: rating(i) for i, qid in enumerate(ids[:20])})
    # Answering statement 20, the progress line is in view and counts it, with its area's count.
    assert in_viewport(page, f"#health-check-q-{ids[19]}")
    assert in_viewport(page, ".assessment-progress")
    line = " ".join(page.locator(".assessment-progress-line").inner_text().split())
    area = next(
        d for d in health_check_data["dimensions"] if d["id"] == health_check_data["questions"][19]["dimension"]
    )
    done = sum(1 for q in health_check_data["questions"][:20] if q["dimension"] == area["id"])
    total = sum(1 for q in health_check_data["questions"] if q["dimension"] == area["id"])
    assert line == f"20 of 33 answered {area['title']}: {done} of {total}"
    answer(page, {qid: rating(i) for i, qid in enumerate(ids) if i >= 20})
    page.wait_for_function(
        "() => document.querySelector('.assessment-result .result-counts')?.textContent.includes('33 of 33')",
        timeout=60_000,
    )
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    assert too_wide(page) == []
    assert smallest_chart_text(page) >= 12
    if page.width == 390:
        assert small_targets(page) == []
    answers = {qid: rating(i) for i, qid in enumerate(ids)}
    result = score_answers(parse_definition(health_check_data, pages=docs_titles()), answers)
    overall = f"Overall: {result.score:g} out of 100"
    # A reload with saved answers shows the result with no click.
    page.reload()
    page.wait_for_selector(RESULT, timeout=60_000)
    assert overall in page.locator(".result-overall").inner_text()
    assert "33 of 33 answered" in page.locator(".assessment-progress-line").inner_text()
    assert page.js_errors == []


def test_stakeholder_rows_move_remove_and_fit_a_phone(site, sized, tmp_path):
    page = sized
    page.goto(site.page("toolkit/stakeholder-map/"))
    names = ["County council adult social care directorate", "Carers' forum", "Food bank"]
    for n, name in enumerate(names):
        page.locator(f'input[name="stakeholders.{n}.name"]').fill(name)
        page.locator(f'select[name="stakeholders.{n}.power"]').select_option("high" if n == 0 else "low")
        page.locator(f'select[name="stakeholders.{n}.interest"]').select_option("high")
    page.locator('select[name="stakeholders.1.group"]').select_option("carers")
    page.wait_for_selector(f"{RESULT} svg.result-grid", timeout=60_000)
    grid = page.locator(".assessment-result svg.result-grid")
    labels = grid.locator("text.chart-cell-label").all_text_contents()
    assert " ".join(labels) == "Keep them on side Work closely with them Check in now and then Involve and inform them"
    # A name cut to fit its cell carries the whole name as its title.
    assert "<title>County council adult social care directorate</title>" in grid.inner_html()
    page.get_by_role("button", name="Move up row 2").click()
    values = [page.locator(f'input[name="stakeholders.{n}.name"]').input_value() for n in range(3)]
    assert values == [names[1], names[0], names[2]]
    assert page.locator('select[name="stakeholders.0.group"]').input_value() == "carers"
    page.get_by_role("button", name="Remove row 1").click()
    values = [page.locator(f'input[name="stakeholders.{n}.name"]').input_value() for n in range(3)]
    assert values == [names[0], names[2], ""]
    page.wait_for_function(
        "() => !document.querySelector('.assessment-result').textContent.includes(\"Carers' forum\")", timeout=10_000
    )
    saved = json.loads(page.evaluate("localStorage.getItem('handbook:answers:stakeholder-map')"))["answers"]
    assert saved["stakeholders.1.name"] == "Food bank" and "stakeholders.2.name" not in saved
    assert too_wide(page) == []
    assert smallest_chart_text(page) >= 12
    if page.width == 390:
        assert small_targets(page) == []
    # Export the rows, and add them to another person's map.
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Download the rows").click()
    file = tmp_path / info.value.suggested_filename
    info.value.save_as(file)
    other = without_search_index(page.context.browser.new_context(viewport=page.viewport_size)).new_page()
    other.goto(site.page("toolkit/stakeholder-map/"))
    other.locator('input[name="stakeholders.0.name"]').fill("Youth offending team")
    other.locator(".assessment-rows-import").set_input_files(str(file))
    other.wait_for_function(
        "() => document.querySelector('.assessment-rows-status').textContent.startsWith('Added 2 rows')",
        timeout=60_000,
    )
    got = [other.locator(f'input[name="stakeholders.{n}.name"]').input_value() for n in range(3)]
    assert got == ["Youth offending team", names[0], names[2]]
    other.context.close()
    assert page.js_errors == []


def test_a_decision_aid_says_which_answers_led_to_its_recommendation(site, sized):
    page = sized
    page.goto(site.page("toolkit/is-it-necessary/"))
    for name, value in (
        ("purpose-now", "gone"),
        ("needs-partners", "essential"),
        ("difference", "clear-change"),
        ("cost", "light"),
        ("overlap", "none"),
        ("meetings", "decide"),
        ("if-stopped", "hardly"),
    ):
        page.locator(f'input[name="{name}"][value="{value}"]').check()
    page.wait_for_function(
        "() => document.querySelector('.assessment-result')?.textContent.includes('Because:')", timeout=60_000
    )
    reasons = page.locator(".result-verdict .result-because li").all_inner_texts()
    assert reasons == [
        "You answered \u201cNo: it has been solved, or it has faded away\u201d to "
        "\u201cIs the problem this partnership was set up to tackle still there?\u201d.",
        "You answered \u201cHardly anyone would notice\u201d to "
        "\u201cIf the partnership stopped tomorrow, would its partners notice?\u201d.",
    ]
    assert too_wide(page) == []
    if page.width == 390:
        assert small_targets(page) == []


@pytest.mark.parametrize("path", ["", "necessary/"])
def test_maps_give_way_to_a_list_of_links_on_a_phone(site, sized, path):
    page = sized
    page.goto(site.page(path))
    drawing = page.locator(".handbook-map-figure svg.handbook-map")
    listing = page.locator(".handbook-map-list")
    if page.width == 390:
        assert not drawing.is_visible() and listing.is_visible()
        links = listing.locator("a")
        assert links.count() >= 5
        assert small_targets(page) == []
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.handbook-map-list a')).fontSize)")
        assert size >= 12
    else:
        assert drawing.is_visible() and not listing.is_visible()
    assert too_wide(page) == []


# -- printed reports ------------------------------------------------------------------------


def print_to_text(page, tmp_path: Path, name: str) -> tuple[str, int]:
    """Print the page as the browser would (print media, A4) and read the PDF back as text."""
    page.wait_for_function("() => document.body.dataset.printing === 'report'", timeout=60_000)
    page.emulate_media(media="print")
    pdf = Path(os.environ.get("REPORT_PDF_DIR", tmp_path)) / f"{name}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.count("\f")
    page.plan_lines = [" ".join(line.split()) for line in text.splitlines()]
    return " ".join(text.split()), pages


def plan_row(page, *cells: str) -> bool:
    """The first line of a printed plan row holds each of these cells, in order."""
    return any(" ".join(cells) in line for line in page.plan_lines)


@pytest.fixture
def printing(browser):
    context = without_search_index(browser.new_context(viewport={"width": 1280, "height": 900}))
    context.add_init_script(PRINT_COUNTED)
    page = context.new_page()
    yield page
    context.close()


def assert_no_form_text(text: str) -> None:
    found = [words for words in FORM_TEXT if words in text]
    assert found == []


def test_the_health_check_report_prints_on_at_most_three_pages(site, printing, health_check_data, tmp_path):
    page = printing
    page.goto(site.page(HEALTH_CHECK))
    ids = [q["id"] for q in health_check_data["questions"]]
    answers = {qid: rating(i) for i, qid in enumerate(ids)}
    answer(page, answers)
    page.wait_for_selector(f"{RESULT} .action-plan", timeout=60_000)
    page.get_by_label("Owner of priority 1", exact=True).fill("Chair")
    page.get_by_label("Due date of priority 1", exact=True).fill("15/1/2027")
    page.get_by_label("What we agreed for priority 1", exact=True).fill("Workshop")
    page.get_by_label("Partnership name for the report (optional)").fill("Eastbury health and care board")
    page.get_by_role("button", name="Save or print a report").click()
    text, pages = print_to_text(page, tmp_path, "health-check")
    assert pages <= 3, pages
    assert text.startswith("Partnership health check Report")
    assert "Partnership: Eastbury health and care board" in text
    assert f"Date: {uk_date(datetime.date.today().isoformat())}" in text
    assert "You have rated 33 of 33 statements." in text
    result = score_answers(parse_definition(health_check_data, pages=docs_titles()), answers)
    assert f"Overall: {result.score:g} out of 100" in text
    for d in result.dimensions:
        assert f"{d.dimension.title} {d.score:g} {d.band.label}" in text, d.dimension.title
    assert plan_row(page, "Chair", "15 January 2027", "Workshop")
    assert_no_form_text(text)
    # "Print the plan": the plan alone, as text.
    page.emulate_media(media="screen")
    page.get_by_role("button", name="Print the plan").click()
    page.wait_for_function("() => window.__printed === 2")
    text, pages = print_to_text(page, tmp_path, "plan")
    assert pages <= 3, pages
    assert text.startswith("Partnership health check Action plan")
    assert f"Date: {uk_date(datetime.date.today().isoformat())}" in text
    assert plan_row(page, "Chair", "15 January 2027", "Workshop")
    for d in result.dimensions:
        assert f"{d.dimension.title} {d.score:g} {d.band.label}" in text, d.dimension.title
    assert_no_form_text(text)


# The plan table as the browser lays it out for paper: A4 less the margins of Material's @page rule.
PLAN_ON_PAPER = """() => {
  const margin = [...document.styleSheets].flatMap((sheet) => [...sheet.cssRules])
    .find((rule) => rule instanceof CSSPageRule).style.marginLeft;
  const table = document.querySelector('.assessment-result .plan-table');
  const split = [];
  const walk = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    for (const word of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      if (range.getClientRects().length > 1) split.push(word[0]);
    }
  }
  return {
    margin,
    columns: [...table.querySelectorAll('thead th')].map((th) => th.offsetWidth / table.offsetWidth),
    split,
    clipped: [...table.querySelectorAll('.plan-input')]
      .filter((box) => box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1)
      .map((box) => box.getAttribute('aria-label')),
    examples: [...table.querySelectorAll('.plan-input[placeholder]')]
      .filter((box) => !box.value && getComputedStyle(box, '::placeholder').color !== 'rgba(0, 0, 0, 0)')
      .map((box) => box.getAttribute('aria-label')),
  };
}"""


def test_the_browsers_own_print_of_a_tool_page_keeps_the_plan_readable(site, printing, health_check_data):
    """Ctrl+P on the page rather than the report button: the form's plan prints in whole words."""
    page = printing
    page.goto(site.page(HEALTH_CHECK))
    answer(page, {q["id"]: rating(i) for i, q in enumerate(health_check_data["questions"])})
    page.wait_for_selector(f"{RESULT} .action-plan", timeout=60_000)
    page.get_by_label("Owner of priority 1", exact=True).fill("Chair")
    page.get_by_label("Due date of priority 1", exact=True).fill("15 January 2027")
    agreed = "A workshop with every partner's finance lead in February, then a paper to the board in March."
    page.get_by_label("What we agreed for priority 1", exact=True).fill(agreed)
    page.emulate_media(media="print")
    assert page.evaluate(PLAN_ON_PAPER)["margin"] == "25mm"
    page.set_viewport_size({"width": round((210 - 2 * 25) / 25.4 * 96), "height": 1123})
    paper = page.evaluate(PLAN_ON_PAPER)
    assert paper["split"] == []
    assert paper["clipped"] == []
    assert paper["examples"] == []
    action = paper["columns"][2]
    assert action == max(paper["columns"]) and action > 0.3, paper["columns"]


def test_the_team_report_prints_with_scores_and_what_to_discuss(site, printing, health_check_data, tmp_path):
    page = printing
    assessment = load_definition(ROOT / "assessments" / "health-check.yml", pages=docs_titles())
    ids = [q.id for q in assessment.rated]
    files = []
    for seed in range(3):
        answers = member_answers(ids, seed)
        exported = export_member(assessment, answers, f"Member {seed + 1}")
        files.append(
            {"name": exported["filename"], "mimeType": "application/json", "buffer": exported["text"].encode()}
        )
    page.goto(site.page(HEALTH_CHECK))
    page.locator(".assessment-import").set_input_files(files)
    page.wait_for_selector(".assessment-team-result:not([hidden]) .action-plan", timeout=60_000)
    page.get_by_role("button", name="Save or print the team report").click()
    text, pages = print_to_text(page, tmp_path, "team")
    assert pages <= 3, pages
    assert text.startswith("Partnership health check Team report")
    assert f"Date: {uk_date(datetime.date.today().isoformat())}" in text
    assert "3 members combined: Member 1, Member 2, Member 3." in text
    from widgets.members import read_members
    from widgets.team import team_result

    members, _ = read_members(assessment, [{"name": f["name"], "text": f["buffer"].decode()} for f in files])
    team = team_result(assessment, members)
    for d in team.dimensions:
        assert f"{d.dimension.title} {d.score:g} (lowest {d.low:g}, highest {d.high:g})" in text
    if team.divergent:
        assert "To discuss" in text
    assert_no_form_text(text)
