"""The offline copy: a service worker from the site itself keeps the runtime and visited pages.

Each test serves its own copy of the built site, so that it can take the server away: the
network is then really gone (``context.set_offline`` as well), and what answers comes from the
worker's cache. Contexts allow service workers; none of these tests uses ``context.route``,
which a service worker would bypass.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from browsing import (
    CSP_VIOLATION,
    HEALTH_CHECK,
    READY,
    SETTLED,
    SNAPSHOT_KEYS,
    answer_the_health_check,
    runtime_info,
    served,
    wait_for_snapshot,
    wait_until,
)
from conftest import ON_BOTH_ENGINES, build_copy, copy_project

from macros.config import read_offline
from scripts.localsite import free_port
from scripts.offline import build_id, page_list, write_worker
from scripts.stage_runtime import PYODIDE_FILES

pytestmark = pytest.mark.browser
# The build's own cache; worker.mjs keeps its memory snapshot apart, in "handbook:<root>:snapshot".
CACHES = "async () => (await caches.keys()).filter((name) => !name.endsWith(':snapshot'))"
CONTROLLED = "() => navigator.serviceWorker.controller !== null"
RUNTIME_CACHED = """async () => {
    for (const name of await caches.keys()) {
        const keys = await (await caches.open(name)).keys();
        if (keys.some((r) => r.url.endsWith("/assets/pyodide/pyodide.asm.wasm"))
            && keys.some((r) => r.url.endsWith("/stdlib.zip"))) return true;
    }
    return false;
}"""


def cached_urls(page) -> list[str]:
    return page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
            }
            return urls;
        }"""
    )


def first_visit(page, url: str) -> None:
    """Open a tool page online and wait until the worker controls it and Python has started."""
    page.goto(url)
    page.wait_for_function(CONTROLLED, timeout=60_000)
    page.wait_for_selector(READY, timeout=90_000)
    wait_until(page, RUNTIME_CACHED)


def network_gone(context, page) -> None:
    """Offline, and the browser's HTTP cache emptied: only the service worker's cache is left."""
    context.new_cdp_session(page).send("Network.clearBrowserCache")
    context.set_offline(True)


def answers_offline(page, url: str, health_check_data: dict) -> None:
    response = page.goto(url)
    assert response.from_service_worker
    page.wait_for_selector(SETTLED, timeout=90_000)
    status = page.locator(".assessment-status").inner_text()
    assert page.locator(READY).count() == 1, f"Python did not start offline: {status}"
    answer_the_health_check(page, health_check_data)


# Ask the browser to look for a new sw.js now, as it does by itself after a navigation, and wait
# until the new build's worker has taken over: a worker is "activated" only once its activate
# handler is done, so its cache is filled and the older build's is deleted. Left to itself,
# Chromium looks a second after a navigation and puts it off again each time the old worker
# answers a request meanwhile (a page starting Python asks it for many): that wait, not the
# worker, is what made this test slow at times. The page asks once its engine is idle, as the
# browser's own check came after the engine had loaded.
UPDATED = """async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration.update();
    const worker = registration.installing || registration.waiting;
    if (!worker) return registration.active?.state;  // the browser had already found it
    if (!["activated", "redundant"].includes(worker.state)) {
        await new Promise((done) => worker.addEventListener("statechange", () => {
            if (["activated", "redundant"].includes(worker.state)) done();
        }));
    }
    return worker.state;
}"""


def test_offline_setting_is_read_and_checked():
    problems: list[str] = []
    assert read_offline({}, problems) is True
    assert read_offline({"offline": False}, problems) is False
    assert problems == []
    read_offline({"offline": "no"}, problems)
    assert problems == ["mkdocs.yml: extra.offline: expected true or false, not 'no'"]


@ON_BOTH_ENGINES["site"]
def test_a_visited_tool_page_loads_and_answers_with_the_network_gone(site, browser, tmp_path, health_check_data):
    copy = Path(shutil.copytree(site.root, tmp_path / "site"))
    context = browser.new_context(service_workers="allow")
    try:
        with served(copy) as base:
            page = context.new_page()
            url = base + HEALTH_CHECK
            first_visit(page, url)
            assert page.evaluate("async () => (await navigator.serviceWorker.ready).scope") == base
            wait_until(page, "async (url) => (await caches.match(url)) !== undefined", url)
            assert len(wait_for_snapshot(page, base)) == 1
        network_gone(context, page)
        answers_offline(page, url, health_check_data)
        # The worker script came from the service worker's cache, and Python from the kept copy.
        assert page.locator(".assessment").get_attribute("data-engine-start") == "snapshot"
        # A page never visited is not there (no result was shown online, so the handbook's other
        # pages were not fetched): the worker does not invent one.
        assert page.goto(base + "glossary/").status == 503
    finally:
        context.close()


def changed_runtime(site: Path) -> str:
    """Rebuild the runtime in ``site`` as a new build would: a new zip in a new folder; its path."""
    runtime_file = site / "assets" / "widgets" / "runtime.json"
    runtime = runtime_info(site)
    old = site / "assets" / "widgets" / runtime["stdlib"]
    new = old.parent.parent / ("0" * 16) / old.name
    new.parent.mkdir()
    shutil.copy(old, new)
    with zipfile.ZipFile(new, "a", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("handbook_rebuilt.py", "REBUILT = True\n")
    shutil.rmtree(old.parent)
    runtime |= {
        "stdlib": new.relative_to(runtime_file.parent).as_posix(),
        "sha256": hashlib.sha256(new.read_bytes()).hexdigest(),
    }
    runtime_file.write_text(json.dumps(runtime, indent=2) + "\n")
    for stale in site.rglob("runtime.json.*"):
        stale.unlink()
    write_worker(site)
    return new.relative_to(site).as_posix()


def test_a_rebuilt_runtime_replaces_the_old_cache(site, browser, tmp_path, health_check_data):
    copy = Path(shutil.copytree(site.root, tmp_path / "site"))
    context = browser.new_context(service_workers="allow")
    try:
        with served(copy) as base:
            url = base + HEALTH_CHECK
            page = context.new_page()
            first_visit(page, url)
            wait_until(page, "async (url) => (await caches.match(url)) !== undefined", url)
            (old_cache,) = page.evaluate(CACHES)
            assert len(wait_for_snapshot(page, base)) == 1
            old_zip = runtime_info(copy)["stdlib"]
            assert base + "assets/widgets/" + old_zip in cached_urls(page)

            new_zip = changed_runtime(copy)
            assert page.evaluate(UPDATED) == "activated"
            (new_cache,) = page.evaluate(CACHES)
            assert new_cache != old_cache
            urls = cached_urls(page)
            assert base + new_zip in urls
            assert base + "assets/widgets/" + old_zip not in urls
        network_gone(context, page)
        # Only the new zip is anywhere on the device, and Python starts from it and answers.
        answers_offline(page, url, health_check_data)
        # The snapshot of the old runtime was not used; the one made from the new runtime replaces it.
        assert page.locator(".assessment").get_attribute("data-engine-start") == "fresh"
        runtime = runtime_info(copy)
        new_key = f"{base}assets/widgets/snapshot/{runtime['sha256']}-{runtime['pyodide']}.gz"
        only = f"async ([root, keys]) => JSON.stringify(await ({SNAPSHOT_KEYS})(root)) === JSON.stringify(keys)"
        wait_until(page, only, [base, [new_key]])
    finally:
        context.close()


def test_under_nginx_the_worker_stays_in_its_scope_under_the_strict_policy(hosted, browser):
    status, headers, _ = hosted.get("sw.js", {"Accept-Encoding": "br, gzip"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")
    assert headers["Content-Encoding"] == "br"
    assert "Service-Worker-Allowed" not in headers
    context = browser.new_context(service_workers="allow")
    try:
        page = context.new_page()
        messages: list[str] = []
        page.on("console", lambda message: messages.append(message.text))
        first_visit(page, hosted.url + HEALTH_CHECK)
        registration = page.evaluate(
            "async () => { const r = await navigator.serviceWorker.ready; return [r.scope, r.active.scriptURL]; }"
        )
        assert registration == [hosted.url, hosted.url + "sw.js"]
        wait_until(page, f"async () => ({CACHES})().then((names) => names.length === 1)")
        (name,) = page.evaluate(CACHES)
        assert name.startswith(f"handbook:{hosted.url}:")
        assert all(url.startswith(hosted.url) for url in cached_urls(page))
        # nginx sent pyodide.asm.wasm as brotli: the cache holds it as the browser decoded it.
        size = page.evaluate(
            "async (url) => (await (await caches.match(url)).arrayBuffer()).byteLength",
            hosted.url + "assets/pyodide/pyodide.asm.wasm",
        )
        assert size == (hosted.site / "assets/pyodide/pyodide.asm.wasm").stat().st_size
        # Under the strict policy the engine still keeps its snapshot, on this origin only.
        (key,) = wait_for_snapshot(page, hosted.url)
        assert key.startswith(hosted.url + "assets/widgets/snapshot/") and key.endswith(".gz")
        assert not [text for text in messages if CSP_VIOLATION in text.lower()]
    finally:
        context.close()


def test_switched_off_no_worker_is_registered_and_an_old_one_is_removed(site, browser, tmp_path):
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("\n  offline: true\n", "\n  offline: false\n"))
    code, output = build_copy(project)
    assert code == 0, output
    off = project / "out"
    assert not list(off.glob("sw.js*"))
    assert '<meta name="handbook-offline" content="off">' in (off / "index.html").read_text()

    port = free_port()
    context = browser.new_context(service_workers="allow")
    try:
        with served(site.root, port) as url:  # the same origin, first with the worker on
            page = context.new_page()
            page.goto(url)
            page.wait_for_function(CONTROLLED, timeout=60_000)
            wait_until(page, "async () => (await caches.keys()).length === 1")
            wait_until(page, ALL_KEPT, [url + path for path in page_list(site.root)])  # every page, once idle
            # Python's static server sends no Cache-Control, so the browser may reuse what it fetched
            # without asking; hosting/ sends "no-cache". Forget it, as a real server would have it checked.
            context.new_cdp_session(page).send("Network.clearBrowserCache")
        page.close()

        requested: list[str] = []
        with served(off, port, requested):  # then rebuilt with `offline: false`
            page = context.new_page()
            page.goto(url + "glossary/")
            # The old worker still answers this first page; the page unregisters it (it goes once no
            # page uses it) and deletes its cache. The next page is the site's own, with no worker.
            wait_until(page, "async () => (await navigator.serviceWorker.getRegistration()) === undefined")
            page.goto(url + "glossary/")
            wait_until(page, "async () => (await caches.keys()).length === 0")
            assert page.evaluate("navigator.serviceWorker.controller") is None
            assert page.evaluate("async () => (await navigator.serviceWorker.getRegistrations()).length") == 0
            page.wait_for_timeout(1500)  # time for a wrong download to show; not a timing assertion
        # Switched off, nothing is fetched for offline reading: no page but the one opened.
        assert {path for path in requested if path.endswith("/")} == {"/glossary/"}
    finally:
        context.close()


def test_reading_pages_never_downloads_python(site, browser, tmp_path):
    copy = Path(shutil.copytree(site.root, tmp_path / "site"))
    context = browser.new_context(service_workers="allow")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        with served(copy) as base:
            page = context.new_page()
            page.goto(base + "glossary/")
            page.wait_for_function(CONTROLLED, timeout=60_000)
            page.goto(base + "how/governance/")
            page.wait_for_timeout(1500)  # time for a wrong download to show; not a timing assertion
            assert not [url for url in requests if "/assets/pyodide/" in url or url.endswith("stdlib.zip")]
            assert not page.evaluate(RUNTIME_CACHED)
    finally:
        context.close()


def test_the_worker_precaches_the_whole_runtime_and_is_named_after_the_build(site):
    text = (site.root / "sw.js").read_text()
    shell = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", text, re.S).group(1))
    python = json.loads(re.search(r"const RUNTIME = (\[.*?\]);", text, re.S).group(1))
    runtime = runtime_info(site.root)
    assert {f"assets/pyodide/{name}" for name in PYODIDE_FILES} | {"assets/widgets/" + runtime["stdlib"]} <= set(python)
    # Every script a tool page loads from the handbook's own folder, and what the tools fetch.
    page = (site.root / HEALTH_CHECK / "index.html").read_text()
    loaded = {f"assets/widgets/{name}" for name in re.findall(r'<script src="[./]*assets/widgets/([\w.]+\.js)"', page)}
    assert {"assets/widgets/glue.js", "assets/widgets/engine.js", "assets/widgets/offline.js"} <= loaded
    needed = loaded | {"assets/widgets/runtime.json", "assets/widgets/worker.mjs", "search/search_index.json"}
    assert needed <= set(shell)
    assert not set(shell) & set(python)  # Python is kept only where a tool asks for it
    listed = shell + python
    assert all((site.root / path).is_file() and not path.endswith((".br", ".gz")) for path in listed)
    assert f'const BUILD = "{build_id(site.root)}";' in text


ALL_KEPT = """async (urls) => {
    for (const url of urls) if (!(await caches.match(url, { ignoreVary: true }))) return false;
    return true;
}"""


def pages_asked(requested: list[str], pages: set[str]) -> set[str]:
    return {path for path in requested if path in pages}


def test_after_the_first_result_every_page_opens_offline(site, browser, tmp_path, health_check_data):
    """Home page, then a tool: once the tool has shown its first result, the worker fetches
    every page, so the home page (left before the worker took over), the tool and a page never
    visited all open offline. Nothing but the runtime is fetched before that first result."""
    copy = Path(shutil.copytree(site.root, tmp_path / "site"))
    pages = {"/" + path for path in page_list(copy)}
    requested: list[str] = []
    context = browser.new_context(service_workers="allow")
    try:
        with served(copy, requested=requested) as base:
            page = context.new_page()
            page.goto(base)
            first_visit(page, base + HEALTH_CHECK)  # at once: the home page had no worker yet
            page.wait_for_timeout(1500)  # Python ready, no answer yet: time for a wrong download
            assert pages_asked(requested, pages) <= {"/", "/" + HEALTH_CHECK}
            answer_the_health_check(page, health_check_data)
            wait_until(page, ALL_KEPT, [base + path for path in page_list(copy)])
        assert len(pages_asked(requested, pages)) == len(pages)
        network_gone(context, page)
        for path in ("", "glossary/", "where/co-location-and-integrated-teams/"):  # the home page, never visited
            response = page.goto(base + path)
            assert (response.status, response.from_service_worker) == (200, True), path
            assert page.locator(".md-content").count() == 1, path
        answers_offline(page, base + HEALTH_CHECK, health_check_data)
    finally:
        context.close()


def test_a_page_with_no_tool_keeps_every_page_once_idle_and_a_rebuild_replaces_them(site, browser, tmp_path):
    copy = Path(shutil.copytree(site.root, tmp_path / "site"))
    urls = lambda base: [base + path for path in page_list(copy)]  # noqa: E731
    context = browser.new_context(service_workers="allow")
    try:
        with served(copy) as base:
            page = context.new_page()
            page.goto(base + "glossary/")
            page.wait_for_function(CONTROLLED, timeout=60_000)
            wait_until(page, ALL_KEPT, urls(base))
            (old_cache,) = page.evaluate(CACHES)

            # A rebuild that changes one page: the new build's worker keeps the new page, and only it.
            about = copy / "about" / "index.html"
            about.write_text(about.read_text().replace("</h1>", " (rebuilt)</h1>", 1))
            write_worker(copy)
            assert page.evaluate(UPDATED) == "activated"
            page.reload()
            wait_until(page, ALL_KEPT, urls(base))
            (new_cache,) = page.evaluate(CACHES)
            assert new_cache != old_cache
        network_gone(context, page)
        page.goto(base + "about/")
        assert "(rebuilt)" in page.locator("h1").first.inner_text()
    finally:
        context.close()
