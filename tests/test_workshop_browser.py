"""Team workshops end to end in Chromium: groups, links and files mixed, rounds, a kept view, the pack."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from browsing import HEALTH_CHECK, PRINT_COUNTED, TEAM_RESULT, answer, with_errors, without_search_index
from conftest import docs_titles
from teams import FILES, member_file, team_inputs
from test_phone_and_paper import print_to_text

from widgets import definition_to_data, parse_definition
from widgets.links import decode_link
from widgets.members import read_members
from widgets.team import team_result

pytestmark = pytest.mark.browser


@pytest.fixture
def facilitator(browser):
    context = without_search_index(browser.new_context(viewport={"width": 1280, "height": 900}))
    context.add_init_script(PRINT_COUNTED)
    yield with_errors(context.new_page())
    context.close()


@pytest.fixture
def health_check(health_check_data) -> dict:
    return definition_to_data(parse_definition(health_check_data, pages=docs_titles()))


def write_files(tmp_path: Path, files: list[dict]) -> list[str]:
    paths = []
    for item in files:
        path = tmp_path / item["name"]
        path.write_text(item["text"])
        paths.append(str(path))
    return paths


def team_text(page) -> str:
    return " ".join(page.locator(".assessment-team-result").inner_text().split())


def wait_for_announcement(page, text: str) -> None:
    page.wait_for_function(
        "text => document.querySelector('.assessment-team-status').textContent.includes(text)", arg=text, timeout=60_000
    )


def test_a_workshop_with_groups_links_rounds_and_a_printed_pack(site, facilitator, health_check, tmp_path):
    page = facilitator
    inputs = team_inputs(health_check)
    page.goto(site.page(HEALTH_CHECK))
    own = {q["id"]: "3" for q in health_check["questions"][:5]}
    answer(page, own)
    stored_own = page.evaluate("localStorage.getItem('handbook:answers:health-check')")

    # Four members sent files; two links are pasted, and the third is opened as a link.
    page.locator(".assessment-import").set_input_files(write_files(tmp_path, inputs["files"]))
    wait_for_announcement(page, "Team view updated: 4 members.")
    for link in inputs["links"][:2]:
        page.get_by_label("Or paste a link a member sent you").fill(site.page(HEALTH_CHECK) + "#" + link["fragment"])
        page.get_by_role("button", name="Add the link").click()
        page.wait_for_timeout(200)
    # Two more would let anyone subtract the view of four from the view of six: they wait.
    wait_for_announcement(page, "Team view updated: 4 members, 2 waiting.")
    assert "2 people waiting (Person 4, Person 5)" in team_text(page)
    page.goto("about:blank")
    page.goto(site.page(HEALTH_CHECK) + "#" + inputs["links"][2]["fragment"])
    offer = page.locator(".assessment-link-offer")
    offer.wait_for(state="visible", timeout=60_000)
    assert "This link carries answers from \u201cPerson 6\u201d to 33 of 33 statements." in offer.inner_text()
    assert "#" not in page.url  # a reload will not offer it again
    offer.get_by_role("button", name="Add to the team view").click()
    wait_for_announcement(page, "Team view updated: 7 members.")

    # Groups side by side: the two pairs are never shown alone, only folded together.
    groups = page.locator(".team-groups")
    headers = groups.locator("thead th").all_inner_texts()
    assert headers == ["Area", "Commissioner (3)", "Other groups (4)"]
    note = " ".join(groups.inner_text().split())
    assert "Folded into \u201cOther groups\u201d: NHS provider, Voluntary and community sector." in note
    assert "NHS provider (2)" not in team_text(page)

    # Save this round; months later the four who sent files answer again (new answers, so new
    # people to the rule), and the round is added back.
    page.get_by_label("Name for this round (optional)").fill("Autumn")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Save this round").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert "Person" not in saved.read_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear the team view").click()
    changed = [
        member_file(health_check, k, dict.fromkeys(json.loads(f["text"])["answers"], "1" if k < 3 else "5"))
        for k, f in zip(FILES, inputs["files"], strict=True)
    ]
    page.locator(".assessment-import").set_input_files(write_files(tmp_path / "..", changed))
    wait_for_announcement(page, "Team view updated: 4 members.")
    page.locator(".assessment-round-import").set_input_files(str(saved))
    wait_for_announcement(page, "Team view updated: 4 members, 1 earlier round.")
    rounds = " ".join(page.locator(".team-rounds").inner_text().split())
    assert "Compared with \u201cAutumn\u201d" in rounds and "Down" in rounds

    # The team view is kept: a reload shows it again, without a click.
    kept = team_text(page)
    page.reload()
    page.wait_for_selector(TEAM_RESULT, timeout=60_000)
    wait_for_announcement(page, "Team view updated")
    assert team_text(page) == kept
    assert page.evaluate("localStorage.getItem('handbook:answers:health-check')") == stored_own

    # The workshop pack: agenda in the order CPython gives for the same members; no names.
    page.get_by_label("Partnership name for the report (optional)").fill("Northshire board")
    page.get_by_role("button", name="Print a workshop pack (60 minutes)").click()
    text, pages = print_to_text(page, tmp_path, "workshop-pack")
    assessment = parse_definition(health_check)
    members, _ = read_members(assessment, [{"name": f"{i}.json", "text": f["text"]} for i, f in enumerate(changed)])
    team = team_result(assessment, members)
    expected = [spread.question.text for spread in team.divergent][:5]
    found = [m for m in re.findall(r"\b(\d)\. (.+?) (?:Answers are split|Rated low)", text)]
    assert len(expected) >= 4, "the changed answers should split the team on the first statements"
    assert [title for _, title in found][: len(expected)] == expected
    assert "Northshire board" in text and "workshop pack" in text.lower()
    assert "Person" not in text
    assert pages >= 3
    assert page.js_errors == []


def test_a_copied_link_carries_my_answers(site, browser, health_check):
    context = without_search_index(browser.new_context())
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url.rstrip("/"))
    page = context.new_page()
    page.goto(site.page(HEALTH_CHECK))
    answers = {q["id"]: str(1 + i % 5) for i, q in enumerate(health_check["questions"])}
    answer(page, answers)
    page.get_by_label("The group you answer for (optional)").select_option("frontline")
    page.get_by_role("button", name="Copy a link to my answers").click()
    page.wait_for_function(
        "() => document.querySelector('.assessment-team-status').textContent.includes('The link is copied')",
        timeout=60_000,
    )
    url = page.locator(".assessment-link-output").input_value()
    assert url.startswith(site.page(HEALTH_CHECK) + "#answers=1.") and len(url) < 250
    decoded = decode_link(parse_definition(health_check), url.split("#", 1)[1])
    assert decoded.answers == answers and decoded.group == "frontline"
    context.close()


def test_hostile_links_and_rounds_are_refused_and_change_nothing(site, facilitator, health_check, tmp_path):
    page = facilitator
    inputs = team_inputs(health_check)
    good = inputs["links"][0]["fragment"]
    round_text = json.dumps(
        {"format": "partnership-handbook/round", "schema": 1, "assessment": "health-check", "date": "2026-01-01"}
    )
    hostile_rounds = {
        "deep.json": "[" * 60_000,
        "huge.json": " " * 200_000,
        "other.json": round_text.replace("health-check", "<img src=x onerror=alert(1)>"),
        "types.json": round_text[:-1] + ', "members": "many", "groups": 3, "areas": [], "statements": {}}',
    }
    first = health_check["questions"][0]["id"]
    page.goto(site.page(HEALTH_CHECK))
    page.locator(f'input[name="{first}"][value="4"]').check()
    before = page.evaluate("JSON.stringify(Object.assign({}, localStorage))")
    for fragment in (good[:-5], "answers=1.<script>alert(1)</script>"):
        page.get_by_label("Or paste a link a member sent you").fill("x#" + fragment)
        page.get_by_role("button", name="Add the link").click()
        wait_for_announcement(page, "in so far (figures need 3). Not added: link ")
        assert "changed or cut short" in page.locator(".team-refused").inner_text()
    paths = []
    for name, text in hostile_rounds.items():
        (tmp_path / name).write_text(text)
        paths.append(str(tmp_path / name))
    page.locator(".assessment-round-import").set_input_files(paths)
    wait_for_announcement(page, "Not added: deep.json, huge.json, other.json, types.json.")
    refused = page.locator(".team-refused").inner_text()
    for name in hostile_rounds:
        assert name in refused
    assert page.evaluate("window.__printed") is None
    after_answers = page.evaluate("localStorage.getItem('handbook:answers:health-check')")
    assert after_answers == json.loads(before)["handbook:answers:health-check"]
    assert page.js_errors == []
    # The engine still answers afterwards.
    page.locator(f'input[name="{first}"][value="2"]').check()
    page.wait_for_function(
        "() => document.querySelector('.assessment-status').textContent.startsWith('Result updated')", timeout=60_000
    )


def test_a_paper_copy_prints_every_statement_with_boxes(site, facilitator, health_check, tmp_path):
    page = facilitator
    page.goto(site.page(HEALTH_CHECK))
    page.get_by_role("button", name="Print a paper copy").click()
    page.wait_for_function("() => document.body.dataset.printing === 'paper'")
    page.emulate_media(media="print")
    pdf = tmp_path / "paper.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    for question in health_check["questions"]:
        assert " ".join(question["text"].split())[:60] in text
    for control in ("Show my results", "Clear my answers", "Download my answers", "Print a paper copy"):
        assert control not in text
