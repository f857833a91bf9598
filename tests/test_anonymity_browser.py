"""The team tools' promises in Chromium: what a reader keeps is never lost, and nothing refused is kept.

Earlier results a reader compares with, kept links past the team view's limit, links made by
another version of the tool, and more rounds than are compared: each is added through the
page as a reader would, and what the page keeps is read back from storage.
"""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path

import pytest
from adversaries import answers_file, answers_of
from browsing import HEALTH_CHECK, NO_SCRIPTS, RESULT, TEAM_RESULT, answer, stored, with_errors, without_search_index

pytestmark = pytest.mark.browser

TEAM_STATUS = ".assessment-team-status"
TEAM_KEY = "handbook:team:health-check"
MINE_KEY = "handbook:mine:health-check"
SHOTS = Path(__file__).resolve().parent.parent / ".cache" / "screenshots"


@pytest.fixture
def facilitator(browser):
    context = without_search_index(browser.new_context(viewport={"width": 1280, "height": 900}))
    page = with_errors(context.new_page())
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()


def as_upload(item: dict) -> dict:
    return {"name": item["name"], "mimeType": "application/json", "buffer": item["text"].encode()}


def wait_for_team(page, text: str) -> str:
    page.wait_for_function(
        "text => document.querySelector('.assessment-team-status').textContent.includes(text)", arg=text, timeout=90_000
    )
    return page.locator(TEAM_STATUS).inner_text()


def seed(page, site, records: dict[str, object]) -> None:
    """Store records as an earlier visit would have, from a page that runs no script."""
    page.goto(site.page(NO_SCRIPTS))
    page.evaluate(
        "records => { for (const [k, v] of Object.entries(records)) localStorage.setItem(k, JSON.stringify(v)); }",
        records,
    )


def set_aside(page) -> dict[str, dict]:
    return {key: json.loads(value) for key, value in stored(page, "handbook:set-aside:").items()}


@pytest.fixture
def health_check(health_check_data) -> dict:
    return health_check_data


def test_a_refused_compare_file_is_never_kept_and_an_accepted_one_can_be_forgotten(site, facilitator, health_check):
    page = facilitator
    page.goto(site.page(HEALTH_CHECK))
    answers = answers_of(health_check, 1)
    answer(page, answers)
    page.wait_for_selector(RESULT, timeout=90_000)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Save my result to compare later").click()
    mine = Path(info.value.path()).read_text()
    assert info.value.suggested_filename.startswith("health-check-my-result-")
    junk = {"name": "big.json", "text": '{"x": "' + "a" * 900_000 + '"}'}
    page.locator(".assessment-mine-import").set_input_files([as_upload(junk)])
    page.wait_for_function(
        "() => document.querySelector('.team-refused, .assessment-result .team-refused')", timeout=60_000
    )
    assert "big.json" in page.locator(RESULT).inner_text()
    assert MINE_KEY not in stored(page)  # refused: nothing kept, nothing sent again with each answer
    page.locator(".assessment-mine-import").set_input_files([as_upload({"name": "june.json", "text": mine})])
    page.wait_for_function("() => document.querySelector('.assessment-result .team-rounds')", timeout=60_000)
    kept = json.loads(stored(page)[MINE_KEY])["rounds"]
    assert [item["name"] for item in kept] == ["june.json"]
    page.get_by_role("button", name="Stop comparing with earlier results").click()
    page.wait_for_function("() => !document.querySelector('.assessment-result .team-rounds')", timeout=60_000)
    assert MINE_KEY not in stored(page)
    assert page.js_errors == []


def test_kept_links_pushed_past_the_limit_are_set_aside_before_the_team_is_kept_again(site, facilitator, health_check):
    page = facilitator
    files = [
        answers_file(health_check, answers_of(health_check, n), name=f"m{n}.json", member=f"M{n}") for n in range(55)
    ]
    links = []
    for n in range(55, 60):
        answers = answers_of(health_check, n)
        rated = [q for q in health_check["questions"] if q.get("kind", "rating") == "rating"]
        marks = "".join(str(int(answers[q["id"]]) - 1) for q in rated)
        record = {"a": "health-check", "v": 1, "x": marks, "m": f"L{n}"}
        payload = base64.urlsafe_b64encode(zlib.compress(json.dumps(record).encode(), 9)).rstrip(b"=").decode()
        links.append({"name": f"link {n}", "fragment": f"answers=1.{payload}"})
    seed(page, site, {TEAM_KEY: {"schema": 1, "files": files, "links": links, "rounds": []}})
    page.goto(site.page(HEALTH_CHECK))
    wait_for_team(page, "Team view updated: 60 members.")
    more = [answers_file(health_check, answers_of(health_check, n), name=f"new{n}.json") for n in range(60, 63)]
    page.locator(".assessment-import").set_input_files([as_upload(item) for item in more])
    status = wait_for_team(page, "Not added:")
    assert "were set aside on this device first" in status
    aside = [record for record in set_aside(page).values() if isinstance(record, dict) and "links" in record]
    assert aside and [link["name"] for link in aside[0]["links"]] == [f"link {n}" for n in range(55, 60)]
    assert page.js_errors == []


def test_a_kept_link_from_another_version_is_set_aside_not_dropped(site, facilitator, health_check):
    page = facilitator
    files = [
        answers_file(health_check, answers_of(health_check, n), name=f"m{n}.json", member=f"M{n}") for n in range(3)
    ]
    record = {"a": "health-check", "v": 2, "x": "3" * 33, "m": "From a newer page"}
    payload = base64.urlsafe_b64encode(zlib.compress(json.dumps(record).encode(), 9)).rstrip(b"=").decode()
    newer = {"name": "link 1", "fragment": f"answers=1.{payload}"}
    seed(page, site, {TEAM_KEY: {"schema": 1, "files": files, "links": [newer], "rounds": []}})
    page.goto(site.page(HEALTH_CHECK))
    status = wait_for_team(page, "Team view updated: 3 members.")
    assert "link 1" in status and "were set aside on this device first" in status
    assert "a newer version of this tool" in page.locator(TEAM_RESULT).inner_text()
    aside = [r for r in set_aside(page).values() if isinstance(r, dict) and r.get("links")]
    assert aside and aside[0]["links"] == [newer]
    assert json.loads(stored(page)[TEAM_KEY])["links"] == []  # kept again only once the copy was made


def test_thirteen_rounds_compare_the_newest_twelve_and_name_the_one_left_out(site, facilitator, health_check, tmp_path):
    from calls import done

    page = facilitator
    rounds = []
    for n in range(13):
        members = [
            answers_file(health_check, answers_of(health_check, 100 + 3 * n + i), name=f"r{n}-{i}.json")
            for i in range(3)
        ]
        text = done("save_round", health_check, files=members, label=f"Round {n + 1}", today="2026-01-01")["download"][
            "text"
        ]
        record = json.loads(text) | {"date": f"{2025 + (n + 1) // 12}-{(n + 1) % 12 or 12:02d}-01"}
        rounds.append({"name": f"round-{n + 1}.json", "text": json.dumps(record)})
    page.goto(site.page(HEALTH_CHECK))
    team = [
        answers_file(health_check, answers_of(health_check, 300 + n), name=f"now{n}.json", member=f"Now {n}")
        for n in range(3)
    ]
    page.locator(".assessment-import").set_input_files([as_upload(item) for item in team])
    wait_for_team(page, "Team view updated: 3 members.")
    page.locator(".assessment-round-import").set_input_files([as_upload(item) for item in rounds])
    status = wait_for_team(page, "12 earlier rounds")
    assert "Not added: round-1.json" in status
    view = page.locator(TEAM_RESULT)
    assert "round-1.json: not added, because only the 12 newest rounds are compared" in view.inner_text()
    assert view.locator(".trend-chart").count() == 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        view.locator(".team-rounds").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"team-thirteen-rounds-{width}.png"))
    assert page.js_errors == []


def test_a_late_member_waits_on_screen_at_both_widths(site, facilitator, health_check):
    page = facilitator
    page.goto(site.page(HEALTH_CHECK))
    five = [
        answers_file(
            health_check,
            answers_of(health_check, n),
            name=f"m{n}.json",
            member=f"Member {n}",
            group="commissioner" if n < 3 else "nhs-provider",
        )
        for n in range(5)
    ]
    page.locator(".assessment-import").set_input_files([as_upload(item) for item in five])
    wait_for_team(page, "Team view updated: 5 members.")
    before = page.locator(".assessment-team-result table").first.inner_text()
    late = answers_file(
        health_check, answers_of(health_check, 9), name="late.json", member="Late Carer", group="people-and-carers"
    )
    page.locator(".assessment-import").set_input_files([as_upload(late)])
    wait_for_team(page, "Team view updated: 5 members, 1 waiting.")
    assert page.locator(".assessment-team-result table").first.inner_text() == before
    note = page.locator(".team-anonymity").inner_text()
    assert "1 person waiting (Late Carer)" in note
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.locator(".team-anonymity").scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -200)")
        page.screenshot(path=str(SHOTS / f"team-late-member-{width}.png"))
    assert page.js_errors == []
