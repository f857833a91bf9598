"""The hostile corpus in Chromium against the built site: imports and damaged storage.

For every case: no script runs, no page error, the reader's own answers are unchanged byte
for byte, a message names the file, the engine still answers afterwards, and nothing
stored is lost.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from browsing import (
    HEALTH_CHECK,
    NO_SCRIPTS,
    RESULT,
    STATUS,
    answer,
    checked,
    runtime_info,
    stored,
    with_errors,
    without_search_index,
)
from conftest import ROOT
from hostile import ImportCase, StorageCase, answers_file, import_cases, storage_cases

pytestmark = pytest.mark.browser
KEY = "handbook:answers:health-check"
TEAM_STATUS = ".assessment-team-status"
TEAM_KEY = "handbook:team:health-check"
SHOWN_KEY = "handbook:shown:health-check"
SHOTS = Path("/work/briefs/shots/engine")
IDS = [q["id"] for q in yaml.safe_load((ROOT / "assessments" / "health-check.yml").read_text())["questions"]]


def import_files(page, files: list[dict]) -> str:
    """Drop files on the import button and wait for the status line to settle; return it."""
    page.evaluate(f"document.querySelector('{TEAM_STATUS}').textContent = ''")
    page.locator(".assessment-import").set_input_files(files)
    page.wait_for_function(
        f"""() => {{ const t = document.querySelector('{TEAM_STATUS}').textContent;
                    return t && !t.includes('Combining'); }}""",
        timeout=90_000,
    )
    return page.locator(TEAM_STATUS).inner_text()


def payload(case: ImportCase) -> dict:
    return {"name": case.name, "mimeType": "application/json", "buffer": case.data}


@pytest.fixture(scope="module")
def reader(browser, site):
    """One reader's page, with answers of their own, kept across the whole import corpus."""
    context = without_search_index(browser.new_context(viewport={"width": 1280, "height": 900}))
    page = with_errors(context.new_page())
    page.goto(site.page(HEALTH_CHECK))
    answer(page, dict(zip(IDS[:3], ("4", "2", "dk"), strict=True)))
    page.wait_for_selector(RESULT, timeout=90_000)
    page.kept = 0
    page.before = {"stored": stored(page), "checked": checked(page)}
    yield page
    context.close()


def accepted(status: str) -> int:
    """How many members the team view holds, shown or waiting, from its status line."""
    shown = re.match(r"Team view updated: (\d+) members?(?:, (\d+) waiting)?", status)
    if shown:
        return int(shown.group(1)) + int(shown.group(2) or 0)
    return int(re.match(r"Team view updated: (\d+) (?:person|people) in so far", status).group(1))


@pytest.mark.parametrize("case", import_cases(IDS), ids=lambda case: case.id)
def test_a_hostile_file_is_added_or_refused_by_name_and_changes_nothing_of_the_readers(reader, case):
    status = import_files(reader, [payload(case)])
    assert reader.evaluate("window.__pwned") is None
    assert reader.js_errors == []
    # Byte for byte, nothing added or lost, but the team view the reader is building, which
    # is kept on the device and holds only the files Python accepted.
    now = stored(reader)
    team = json.loads(now.pop(TEAM_KEY, '{"files": []}'))
    now.pop(SHOWN_KEY, None)  # what the team view has shown: the team's too
    assert now == reader.before["stored"]
    assert case.name not in [file["name"] for file in team["files"]] or case.added
    assert checked(reader) == reader.before["checked"]
    assert status.startswith("Team view updated:"), status  # the engine answered
    refused = reader.locator(".team-refused li").all_inner_texts()
    named = [line for line in refused if line.startswith(case.name[:80] + ":")]
    added = accepted(status)
    assert added == reader.kept + case.added  # the files kept before, and this one if it is good
    reader.kept = added
    if case.added:
        assert named == [], refused
    else:
        assert len(named) == 1, refused
        assert case.name[:80] in status
    assert reader.locator("img[src=x]").count() == 0


def test_the_engine_still_answers_after_the_corpus(reader):
    reader.evaluate(f"document.querySelector('{STATUS}').textContent = ''")
    reader.locator(f'input[name="{IDS[3]}"][value="5"]').check()
    reader.wait_for_function(f"document.querySelector('{STATUS}').textContent.startsWith('Result updated')")
    assert reader.js_errors == []


def test_a_mixed_import_keeps_the_good_files_and_names_the_bad_and_two_quick_imports_keep_both(site, page):
    cases = {c.id: c for c in import_cases(IDS)}
    good = [
        {
            "name": f"member-{n}.json",
            "mimeType": "application/json",
            "buffer": json.dumps(
                answers_file({q: str(1 + (i + n * 2) % 5) for i, q in enumerate(IDS)}, member=f"Member {n}")
            ).encode(),
        }
        for n in range(1, 4)
    ]
    page.goto(site.page(HEALTH_CHECK))
    page.locator(f'input[name="{IDS[0]}"][value="3"]').check()
    mixed = [
        good[0],
        payload(cases["nested-arrays-50000"]),
        good[1],
        payload(cases["not-json"]),
        payload(cases["another-assessment"]),
        payload(cases["superscript-two"]),
    ]
    status = import_files(page, mixed)
    assert "Team view updated: 3 members. Not added: arrays.json, notes.json, purpose.json." in status
    view = page.locator(".assessment-team-result")
    assert "3 members combined: Member 1, Member 2, Superscript." in view.inner_text()
    refused = view.locator(".team-refused li").all_inner_texts()
    assert [line.split(":")[0] for line in refused] == ["arrays.json", "notes.json", "purpose.json"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".assessment-team-result .result-heading").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -260)")
    page.screenshot(path=str(SHOTS / "team-mixed-import-1280.png"))
    # Two imports in quick succession: the second waits for the first, and both are kept (as
    # two people who joined after the view was shown, they wait for a third before they count).
    page.evaluate(f"document.querySelector('{TEAM_STATUS}').textContent = ''")
    page.locator(".assessment-import").set_input_files([good[2]])
    page.locator(".assessment-import").set_input_files([payload(cases["markup-member"])])
    page.wait_for_function(
        "document.querySelector('.assessment-team-result').textContent.includes('2 people waiting')",
        timeout=90_000,
    )
    assert "Member 3" in view.inner_text()
    assert page.evaluate("window.__pwned") is None
    assert page.js_errors == []


def open_with(context, site, case: StorageCase) -> tuple[object, dict[str, str]]:
    """Store the case's record (and filler) from a file that runs no script (NO_SCRIPTS),
    then open the health check with the damage applied."""
    page = context.new_page()
    page.goto(site.page(NO_SCRIPTS))
    page.evaluate(
        """([key, record, fill]) => {
             localStorage.clear();
             if (record !== null) localStorage.setItem(key, record);
             let chunk = "y".repeat(fill);
             for (let n = 0; chunk.length > 1000; n++) {  // fill the store as near full as it goes
               try {
                 localStorage.setItem(`other-site-data:${n}`, chunk);
               } catch (error) {
                 chunk = chunk.slice(0, chunk.length / 2);
               }
             }
           }""",
        [KEY, case.record, case.fill],
    )
    before = stored(page)
    page.close()
    page = with_errors(context.new_page())
    if case.script:
        page.add_init_script(case.script)  # this page only: another page can still read the store
    page.goto(site.page(HEALTH_CHECK))
    return page, before


def stored_now(context, site) -> dict[str, str]:
    """What is stored, read by another page of the same profile, without the damage."""
    page = context.new_page()
    page.goto(site.page(NO_SCRIPTS))
    found = stored(page)
    page.close()
    return found


@pytest.mark.parametrize("case", storage_cases(IDS), ids=lambda case: case.id)
def test_damaged_or_blocked_storage_loses_nothing(browser, site, case):
    context = without_search_index(browser.new_context(viewport={"width": 1280, "height": 900}))
    page, before = open_with(context, site, case)
    page.locator(f'input[name="{IDS[6]}"][value="5"]').check()
    page.locator(f'input[name="{IDS[7]}"][value="4"]').check()
    page.wait_for_selector(RESULT, timeout=90_000)  # the engine answers
    status = page.locator(STATUS).inner_text()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src=x]").count() == 0
    assert page.js_errors == []  # Material's own scripts included
    after = stored_now(context, site)
    # Nothing stored is lost: every value stored before is still there, in its place or set aside.
    for key, value in before.items():
        if after.get(key) == value:
            continue
        assert key == KEY, f"{key} changed"
        copies = [k for k, v in after.items() if k.startswith("handbook:set-aside:health-check:") and v == value]
        assert copies, f"{case.id}: the record was replaced without a confirmed copy"
        assert "set aside" in status, status
    if (
        case.record is not None
        and after.get(KEY) == case.record
        and not any(k.startswith("handbook:set-aside:") for k in after)
        and case.id != "blocked"
    ):
        assert "not being saved" in status or "not saving" in status, status
    if case.id == "wrong-type-values":
        assert "Some saved answers that could not be read" in status and "were set aside" in status
        assert checked(page)[IDS[0]] == "4"
    if case.id == "blocked":
        assert "not saving your answers" in status
    if case.id in ("wrong-type-values", "not-json"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.locator(STATUS).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"storage-{case.id}-1280.png"))
    context.close()


# -- the engine failing ----------------------------------------------------------------------------


def test_a_team_import_while_the_engine_fails_ends_with_a_message(site, context):
    context.route("**/assets/widgets/worker.mjs", lambda route: route.fulfill(status=404, body="not here"))
    page = context.new_page()
    page.goto(site.page(HEALTH_CHECK))
    file = {"name": "member.json", "mimeType": "application/json", "buffer": json.dumps(answers_file({})).encode()}
    status = import_files(page, [file])
    assert status.startswith("Not added: member.json. The scoring engine is not running"), status
    assert "Your answers are kept" in status


INJECTED = b"""

def _broken(assessment, request):
    raise ZeroDivisionError("injected")


HANDLERS["score"] = _broken
"""


def broken_runtime(site) -> tuple[str, bytes]:
    """The served standard library zip, with widgets.bridge's "score" action replaced by one that raises.

    The zip holds widgets as compiled files: the broken bridge goes in as source instead,
    which Python's zip importer compiles when the compiled file is gone.
    """
    runtime = runtime_info(site.root)
    source = site.root / "assets" / "widgets" / runtime["stdlib"]
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w") as broken:
        for item in original.infolist():
            if item.filename != "widgets/bridge.pyc":
                broken.writestr(item, original.read(item))
        broken.writestr("widgets/bridge.py", (ROOT / "widgets" / "bridge.py").read_bytes() + INJECTED)
    return runtime["stdlib"], out.getvalue()


def test_an_unforeseen_python_exception_shows_a_plain_message_not_a_traceback(site, context):
    name, data = broken_runtime(site)
    context.route(f"**/assets/widgets/{name}", lambda route: route.fulfill(status=200, body=data))
    page = with_errors(context.new_page())
    page.goto(site.page(HEALTH_CHECK))
    page.locator(f'input[name="{IDS[0]}"][value="4"]').check()
    page.wait_for_function(
        f"document.querySelector('{STATUS}').textContent.includes('could not be worked out')", timeout=90_000
    )
    status = page.locator(STATUS).inner_text()
    assert "Something went wrong in the scoring engine; your answers are kept." in status
    assert "Traceback" not in status and "ZeroDivisionError" not in status
    assert checked(page) == {IDS[0]: "4"}
    assert page.js_errors == []
