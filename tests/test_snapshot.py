"""Return visits start Python from a memory snapshot kept on the device (widgets/browser/worker.mjs).

The copy is made before any request reaches Python, so nothing the reader typed is in it; a
copy that cannot be used is replaced by a fresh start; where the site keeps no offline copy,
none is made.
"""

from __future__ import annotations

import pytest
from browsing import (
    HEALTH_CHECK,
    READY,
    RESULT,
    SNAPSHOT_KEYS,
    answer,
    expected_overall,
    overall_text,
    runtime_info,
    sample_answers,
    wait_for_overall,
    wait_for_snapshot,
)

pytestmark = pytest.mark.browser
MARKER = "Zebedee Quackenbush-7731"  # a reader's name, sent to Python after the copy is made

# Decompress the kept copy in the page and say which of the given strings its bytes contain.
SNAPSHOT_CONTAINS = """async (needles) => {
    const name = (await caches.keys()).find((n) => n.endsWith(":snapshot"));
    const cache = await caches.open(name);
    const [request] = await cache.keys();
    const response = await cache.match(request);
    const bytes = new Uint8Array(await new Response(
        response.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
    const text = new TextDecoder("latin1").decode(bytes);
    return { size: bytes.length, found: needles.filter((needle) => text.includes(needle)) };
}"""


def engine_workers(page) -> list[str]:
    """The URLs of the page's Python workers (Material's search has a worker of its own)."""
    return [worker.url for worker in page.workers if "/assets/widgets/" in worker.url]


def test_a_return_visit_starts_from_the_kept_copy_which_holds_nothing_the_reader_typed(
    site, context, page, health_check_data
):
    answers = sample_answers(health_check_data)
    page.goto(site.page(HEALTH_CHECK))
    page.wait_for_selector(READY, timeout=120_000)
    assert page.locator(".assessment").get_attribute("data-engine-start") == "fresh"
    assert engine_workers(page) == [site.page("assets/widgets/worker.mjs")]
    answer(page, answers)
    page.get_by_label("Your name or role (optional)").fill(MARKER)
    with page.expect_download(timeout=60_000):
        page.get_by_role("button", name="Download my answers").click()  # the name goes to Python

    info = runtime_info(site.root)
    keys = wait_for_snapshot(page, site.url)
    assert keys == [site.page(f"assets/widgets/snapshot/{info['sha256']}-{info['pyodide']}.gz")]
    # The search works (the bridge's own text is in Python's memory), and the reader's name is not.
    seen = page.evaluate(SNAPSHOT_CONTAINS, [MARKER, "Something went wrong in the scoring engine"])
    assert seen["size"] > 10_000_000
    assert seen["found"] == ["Something went wrong in the scoring engine"]

    again = context.new_page()
    again.goto(site.page(HEALTH_CHECK))
    again.wait_for_selector(RESULT, timeout=60_000)
    assert again.locator(".assessment").get_attribute("data-engine-start") == "snapshot"
    assert overall_text(again) == expected_overall(health_check_data, answers)
    answer(again, {next(iter(answers)): "5"})  # Python answers the next change too
    changed = {**answers, next(iter(answers)): "5"}
    wait_for_overall(again, expected_overall(health_check_data, changed))


def test_a_copy_that_cannot_be_used_is_replaced_by_a_fresh_start(site, context, page, health_check_data):
    info = runtime_info(site.root)
    key = site.page(f"assets/widgets/snapshot/{info['sha256']}-{info['pyodide']}.gz")
    page.goto(site.page("about/"))  # same origin, no tool: nothing starts Python here
    page.evaluate(
        """async ([root, key]) => {
            const cache = await caches.open(`handbook:${root}:snapshot`);
            const junk = new Blob([new Uint8Array(4096).fill(7)]).stream().pipeThrough(new CompressionStream("gzip"));
            await cache.put(key, new Response(await new Response(junk).blob()));
        }""",
        [site.url, key],
    )
    answers = sample_answers(health_check_data)
    page.goto(site.page(HEALTH_CHECK))
    answer(page, answers)
    page.wait_for_selector(RESULT, timeout=120_000)
    assert page.locator(".assessment").get_attribute("data-engine-start") == "fresh"
    assert overall_text(page) == expected_overall(health_check_data, answers)
    # The junk was deleted before Python started afresh; a real copy takes its place.
    assert wait_for_snapshot(page, site.url) == [key]
    assert page.evaluate(SNAPSHOT_CONTAINS, [])["size"] > 10_000_000


def test_no_copy_is_kept_where_the_site_keeps_no_offline_copy(site, context, page, health_check_data):
    def offline_off(route):
        response = route.fetch()
        body = response.text().replace('name="handbook-offline" content="on"', 'name="handbook-offline" content="off"')
        route.fulfill(response=response, body=body)

    page.route("**/toolkit/health-check/", offline_off)
    page.goto(site.page(HEALTH_CHECK))
    answer(page, sample_answers(health_check_data))
    page.wait_for_selector(RESULT, timeout=120_000)
    assert engine_workers(page) == [site.page("assets/widgets/worker.mjs")]
    assert page.evaluate(SNAPSHOT_KEYS, site.url) == []
