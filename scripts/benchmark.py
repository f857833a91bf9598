"""Benchmark the self-assessment widgets as a reader meets them, and print the figures.

    make bench            (or: .venv/bin/python scripts/benchmark.py --runs 5)

Builds the site, serves it on 127.0.0.1 with Python's static server (no compression) and
drives headless Chromium. Each cold figure uses a fresh browser context, so an empty cache.

- floor: the bare Pyodide start-up in a module worker on the same server, from creating the
  worker to loadPyodide resolving. Nothing of ours runs: this is the least a result can take.
- first result: from the first interaction with the health check (a pointer press and a
  choice) to the result painted, cold cache.
- answer to update: from changing one answer to the new result painted, Python ready.
- revisit: from clicking the link back to the health check through instant navigation to
  its result painted, the worker still running.
- bytes before interaction: everything the health check page transferred before the
  reader touched it, and how many of those requests were Pyodide's.

Then, in the same run, the reader's link, through Debian's nginx with hosting/nginx.conf
itself (precompressed .br files) under /handbook/, one fresh browser context per run:

- bytes on the wire, counted by nginx (its access log's bytes sent, headers included: the
  browser undercounts what a worker fetches): the page itself (HTML, CSS, JS, search index)
  and the runtime up to the first result (everything the engine fetched);
- the whole-handbook copy the service worker keeps for offline reading: every page as the
  build's brotli copy (what nginx sends);
- from opening the health check to its first result, and from the first click to it;
- the same, cold, with Chromium's network emulation on the page (which also throttles its
  workers): 20 Mbit/s down, 10 up, 30 ms latency;
- a second visit, from opening the health check again (a new tab, the first one closed) to its
  first result: served by the service worker (sw.js) with the network on and off, and the same
  without the worker (service workers blocked: the browser's HTTP cache only, which cannot
  open the page offline at all). Both start Python from the memory snapshot the first visit
  kept (worker.mjs), as a returning reader's browser does.

Not a test: figures depend on the machine. The targets are printed next to the figures.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.localsite import ROOT, build_site, free_port, launch_chromium, serve, start_nginx

SLOW_LINK = {"offline": False, "latency": 30, "downloadThroughput": 20e6 / 8, "uploadThroughput": 10e6 / 8}
RUNTIME_PATHS = ("/assets/pyodide/", "/assets/widgets/worker.mjs", "/assets/widgets/runtime.json", "/widgets/py/")

PAGE = "toolkit/health-check/"
SNAPSHOT_KEPT = """async () => {
    const name = (await caches.keys()).find((n) => n.endsWith(":snapshot"));
    return Boolean(name) && (await (await caches.open(name)).keys()).length > 0;
}"""
RESULT = ".assessment-result:not([hidden])"

FLOOR_PAGE = """<!doctype html><meta charset="utf-8"><title>Pyodide floor</title>
<script type="module">
  const started = performance.now();
  const worker = new Worker(new URL("floor-worker.mjs", location.href), { type: "module" });
  worker.onmessage = ({ data }) => { window.floor = { ...data, ms: performance.now() - started }; };
  worker.onerror = (event) => { window.floor = { error: event.message || "worker failed" }; };
</script>"""
FLOOR_WORKER = """import { loadPyodide } from "../assets/pyodide/pyodide.mjs";
const pyodide = await loadPyodide({
  indexURL: new URL("../assets/pyodide/", import.meta.url).href,
  stdLibURL: new URL("python_stdlib.zip", import.meta.url).href,  // Pyodide's own, as shipped
});
postMessage({ version: pyodide.runPython("import sys; sys.version.split()[0]") });"""

# Resource Timing, summed: what a page (or worker) has fetched so far.
TRANSFERRED = """() => performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"))
  .reduce((sum, e) => ({ bytes: sum.bytes + (e.transferSize || e.encodedBodySize || 0),
                         requests: sum.requests + 1,
                         pyodide: sum.pyodide + (/\\/assets\\/pyodide\\//.test(e.name) ? 1 : 0) }),
          { bytes: 0, requests: 0, pyodide: 0 })"""

# Times from the reader's action as the page sees it (pointer press or change event), not
# from when the harness started to act, to when a new result is in the page.
WATCH_RESULT = """(trigger) => new Promise((resolve) => {
  const result = document.querySelector(".assessment-result");
  const before = result.innerHTML;
  const start = performance.now();
  window.__actedAt = new Promise((done) => {
    window.addEventListener(trigger, () => done(performance.now()), { capture: true, once: true });
  });
  window.__changed = new Promise((done, fail) => {
    const observer = new MutationObserver(() => {
      if (!result.hidden && result.innerHTML !== before) { observer.disconnect(); done(performance.now()); }
    });
    observer.observe(result, { childList: true, subtree: true, attributes: true });
    setTimeout(() => { observer.disconnect(); fail(new Error("no new result within 120 s")); }, 120000);
  });
  resolve(start);
})"""


def first_question(page) -> tuple[str, list[str]]:
    names = page.evaluate(
        """() => { const inputs = [...document.querySelectorAll('.assessment-form input[type=radio]')];
                   const name = inputs[0].name;
                   return [name, inputs.filter(i => i.name === name).map(i => i.value)]; }"""
    )
    return names[0], names[1]


def measure_floor(browser, url: str) -> float:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "bench/floor.html")
    page.wait_for_function("window.floor", timeout=120_000)
    floor = page.evaluate("window.floor")
    context.close()
    if "error" in floor:
        raise SystemExit(f"floor page failed: {floor['error']}")
    return floor["ms"]


def measure_cold_first_result(browser, url: str) -> tuple[float, dict]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + PAGE, wait_until="load")
    page.wait_for_timeout(300)  # let anything lazy settle before counting
    before = page.evaluate(TRANSFERRED)
    name, values = first_question(page)
    radio = page.locator(f'input[name="{name}"][value="{values[3]}"]')
    radio.scroll_into_view_if_needed()
    page.evaluate(WATCH_RESULT, "pointerdown")
    box = radio.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # pointerdown, then change
    end = page.evaluate("window.__changed")
    start = page.evaluate("window.__actedAt")
    context.close()
    return end - start, before


def measure_update_and_revisit(browser, url: str, repeats: int) -> tuple[list[float], list[float]]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + PAGE)
    name, values = first_question(page)
    # Rate every statement, so that each change below moves the score.
    page.evaluate(
        """() => {
          document.querySelectorAll('.assessment-form input[value="3"]').forEach(i => { i.checked = true; });
          document.querySelector('.assessment-form').dispatchEvent(new Event('change', { bubbles: true }));
        }"""
    )
    page.wait_for_selector(RESULT, timeout=120_000)
    updates = []
    for i in range(repeats):
        page.evaluate(WATCH_RESULT, "change")
        page.locator(f'input[name="{name}"][value="{values[i % 2 * 4]}"]').check()
        updates.append(page.evaluate("window.__changed") - page.evaluate("window.__actedAt"))
    revisits = []
    for _ in range(repeats):
        page.locator(".md-nav a[href$='/toolkit/'], .md-nav a[href='../']").first.click()
        page.wait_for_url("**/toolkit/")
        page.wait_for_selector(".md-content a[href$='health-check/']")
        page.evaluate(
            "() => { window.__clickedAt = new Promise((done) => window.addEventListener('click', "
            "() => done(performance.now()), { capture: true, once: true })); }"
        )
        page.locator(".md-content a[href$='health-check/']").first.click()
        page.wait_for_selector(RESULT, timeout=10_000)
        revisits.append(page.evaluate("performance.now()") - page.evaluate("window.__clickedAt"))
        if page.evaluate("performance.getEntriesByType('navigation').length") != 1:
            raise SystemExit("the revisit was a full page load: instant navigation is off")
    context.close()
    return updates, revisits


def served_bytes(log: Path, start: int) -> dict:
    """Bytes nginx sent since ``start`` (an offset in its log), split into page and runtime."""
    totals = {"page": 0, "runtime": 0, "requests": 0, "largest": {}}
    with log.open() as lines:
        lines.seek(start)
        for line in lines:
            uri, _status, sent = line.split()
            if uri.endswith("/") and not uri.endswith("/" + PAGE):
                continue  # another page: the service worker keeping the handbook, after the result
            kind = "runtime" if any(part in uri for part in RUNTIME_PATHS) else "page"
            totals[kind] += int(sent)
            totals["requests"] += 1
            name = uri.rsplit("/", 1)[-1]  # the largest response (the worker's precache may revalidate: 304)
            totals["largest"][name] = max(totals["largest"].get(name, 0), int(sent))
    return totals


def measure_on_the_link(browser, url: str, log: Path, throttle: dict | None) -> dict:
    """Open the health check cold, click an answer at once, wait for the result: times and bytes."""
    context = browser.new_context()
    page = context.new_page()
    if throttle:
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", throttle)
    start = log.stat().st_size
    page.goto(url + PAGE, wait_until="load")
    name, values = first_question(page)
    radio = page.locator(f'input[name="{name}"][value="{values[3]}"]')
    radio.scroll_into_view_if_needed()
    page.evaluate(WATCH_RESULT, "pointerdown")
    box = radio.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    end = page.evaluate("window.__changed")
    clicked = page.evaluate("window.__actedAt")
    page.wait_for_timeout(500)  # let the log catch up with the last response
    context.close()
    return {"open": end, "click": end - clicked, **served_bytes(log, start)}


def open_to_result(page, url: str) -> float:
    """Open the health check, click an answer at once; ms from the navigation to the result."""
    page.goto(url + PAGE, wait_until="load")
    name, values = first_question(page)
    radio = page.locator(f'input[name="{name}"][value="{values[3]}"]')
    radio.scroll_into_view_if_needed()
    page.evaluate(WATCH_RESULT, "pointerdown")
    box = radio.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    return page.evaluate("window.__changed")


def measure_second_visit(browser, url: str, worker: bool, offline: bool) -> dict:
    """A first visit (Python started, the offline copy made), then the health check again."""
    context = browser.new_context(service_workers="allow" if worker else "block")
    page = context.new_page()
    page.goto(url + PAGE)
    page.wait_for_selector(".assessment[data-engine=ready]", timeout=120_000)
    if worker:
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=120_000)
        while not page.evaluate("async (u) => (await caches.match(u)) !== undefined", url + PAGE):
            page.wait_for_timeout(200)  # until the worker has kept the page itself
    # ...and the engine has kept its copy of Python (worker.mjs stores it once idle).
    while not page.evaluate(SNAPSHOT_KEPT):
        page.wait_for_timeout(200)
    page.close()
    context.set_offline(offline)
    page = context.new_page()
    try:
        opened = open_to_result(page, url)
        return {"open": opened, **start_steps(page, opened)}
    except Exception as error:  # offline without a worker: the page cannot be opened
        return {"error": str(error).splitlines()[0]}
    finally:
        context.close()


STEPS = (
    ("worker", "worker created"),
    ("runtime", "runtime.json"),
    ("snapshot_read", "kept copy read"),
    ("python", "Python started"),
    ("widgets", "widgets imported"),
    ("answer", "first answer painted"),
)


def start_steps(page, opened: float) -> dict:
    """How long each step of the engine's start took, in ms, from worker.mjs's timings: the worker
    created (from the navigation), runtime.json read, the kept copy read and unzipped, Python
    started (_loadSnapshot or a fresh start), widgets imported, and the first answer painted."""
    found = page.evaluate("() => ({ timings: window.handbookGlue?.engine?.timings, origin: performance.timeOrigin })")
    timings = found["timings"] or {}
    if "origin" not in timings:
        return {}
    at = {"worker": timings["origin"] - found["origin"]}
    ends = {
        step: at["worker"] + timings[step]
        for step in ("runtime", "snapshot_read", "python", "widgets")
        if step in timings
    }
    steps, previous = {"worker": at["worker"]}, at["worker"]
    for step in ("runtime", "snapshot_read", "python", "widgets"):
        if step in ends:
            steps[step] = ends[step] - previous
            previous = ends[step]
    steps["answer"] = opened - previous
    return {"steps": steps}


def steps_row(runs: list[dict]) -> tuple[str, str, str, None] | None:
    steps = [run["steps"] for run in runs if "steps" in run]
    if not steps:
        return None
    medians = [
        f"{label} {statistics.median([s[key] for s in steps if key in s]):.0f}"
        for key, label in STEPS
        if any(key in s for s in steps)
    ]
    return "    ms: " + ", ".join(medians), "", "", None


def second_visit_row(label: str, runs: list[dict]) -> tuple[str, str, str, list[float] | None]:
    failed = [run["error"] for run in runs if "error" in run]
    if failed:
        return label, "  fails", "<= 1000 ms", None
    return timed(label, runs, "open", "<= 1000 ms")


def timed(label: str, runs: list[dict], key: str, target: str) -> tuple[str, str, str, list[float]]:
    samples = [run[key] for run in runs]
    return label, f"{statistics.median(samples):7.0f} ms", target, samples


def whole_handbook_bytes(site: Path) -> int:
    """What the service worker fetches to keep every page (sw.js's PAGES), as nginx sends it: the
    build's .br copies (the headers add about 0.3 kB a page)."""
    from scripts.offline import page_list

    return sum(
        (site / (path + "index.html" if not path or path.endswith("/") else path))
        .with_suffix(".html.br")
        .stat()
        .st_size
        for path in page_list(site)
    )


def link_figures(browser, runs: int) -> list[tuple[str, str, str, list[float] | None]]:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        port = free_port()
        url = f"http://127.0.0.1:{port}/handbook/"
        done = build_site(work / "site", url)
        if done.returncode:
            raise SystemExit(f"build failed:\n{done.stderr}")
        process, log = start_nginx(work / "site", port, work)
        handbook = whole_handbook_bytes(work / "site")
        try:
            fast = [measure_on_the_link(browser, url, log, None) for _ in range(runs)]
            slow = [measure_on_the_link(browser, url, log, SLOW_LINK) for _ in range(runs)]
            second = {
                (worker, offline): [measure_second_visit(browser, url, worker, offline) for _ in range(runs)]
                for worker, offline in ((True, False), (True, True), (False, False), (False, True))
            }
        finally:
            process.terminate()
            process.wait()
    mb = 1_000_000
    first = fast[0]
    largest = sorted(first["largest"].items(), key=lambda item: -item[1])[:4]
    rows = [
        ("Runtime bytes to first result (nginx)", f"{first['runtime'] / mb:7.2f} MB", "<= 3.8 MB", None),
        ("Page bytes (HTML, CSS, JS, search index)", f"{first['page'] / mb:7.2f} MB", "<= 0.35 MB", None),
        ("  largest: " + ", ".join(f"{n} {b / mb:.2f} MB" for n, b in largest), "", "", None),
        ("Whole-handbook copy kept offline (brotli)", f"{handbook / mb:7.2f} MB", "<= 1 MB, else a choice", None),
        timed("Open to first result, 127.0.0.1", fast, "open", ""),
        timed("First click to result, 127.0.0.1", fast, "click", ""),
        timed("Open to first result, 20/10 Mbit/s 30 ms", slow, "open", "<= 2500 ms"),
        timed("First click to result, 20/10 Mbit/s 30 ms", slow, "click", ""),
    ]
    for label, key in (
        ("Second visit, service worker, network on", (True, False)),
        ("Second visit, service worker, network off", (True, True)),
        ("Second visit, no worker, network on", (False, False)),
        ("Second visit, no worker, network off", (False, True)),
    ):
        rows.append(second_visit_row(label, second[key]))
        if steps := steps_row(second[key]):
            rows.append(steps)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="cold runs of the floor and the first result")
    parser.add_argument("--link-runs", type=int, default=3, help="cold runs through nginx, fast and throttled")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "site"
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        done = build_site(out, url)
        if done.returncode:
            raise SystemExit(f"build failed:\n{done.stderr}")
        (out / "bench").mkdir()
        (out / "bench" / "floor.html").write_text(FLOOR_PAGE)
        (out / "bench" / "floor-worker.mjs").write_text(FLOOR_WORKER)
        # The floor is stock Pyodide: its own standard library, which the site no longer serves.
        shutil.copy(ROOT / "node_modules" / "pyodide" / "python_stdlib.zip", out / "bench")
        httpd = serve(out, port)
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                floors, firsts, befores = [], [], []
                for _ in range(args.runs):  # alternate, so both see the same machine load
                    floors.append(measure_floor(browser, url))
                    first, before = measure_cold_first_result(browser, url)
                    firsts.append(first)
                    befores.append(before)
                updates, revisits = measure_update_and_revisit(browser, url, repeats=10)
                link = link_figures(browser, args.link_runs)
                browser.close()
        finally:
            httpd.shutdown()

    floor, first = statistics.median(floors), statistics.median(firsts)
    before = befores[0]
    ratio = first / floor
    rows = [
        ("Pyodide start-up in a worker (floor)", f"{floor:7.0f} ms", "", floors),
        ("First interaction to first result, cold", f"{first:7.0f} ms", "", firsts),
        ("First result / floor", f"{ratio:7.2f}", "<= 0.8", None),
        ("Answer change to updated result", f"{statistics.median(updates):7.1f} ms", "< 100 ms", updates),
        ("Revisit through instant navigation", f"{statistics.median(revisits):7.1f} ms", "< 300 ms", revisits),
        ("Bytes before first interaction", f"{before['bytes'] / 1024:7.0f} KiB", "", None),
        ("Requests before first interaction", f"{before['requests']:7d}", "", None),
        ("  of which Pyodide's (preloaded: a tool page)", f"{before['pyodide']:7d}", "", None),
    ]
    print(f"Benchmark: {args.runs} cold runs, 10 updates and revisits; medians; Python static server, 127.0.0.1")
    for label, value, target, samples in rows:
        spread = f"  (min {min(samples):.0f}, max {max(samples):.0f})" if samples else ""
        print(f"  {label:<42}{value:>12}  {('target ' + target) if target else '':<16}{spread}")
    print(f"Through nginx (hosting/nginx.conf, /handbook/), {args.link_runs} cold runs each; bytes counted by nginx")
    for label, value, target, samples in link:
        spread = f"  (min {min(samples):.0f}, max {max(samples):.0f})" if samples else ""
        print(f"  {label:<42}{value:>12}  {('target ' + target) if target else '':<16}{spread}")
    print("Second visits: open the health check again, click at once, to the result (times from the navigation).")


if __name__ == "__main__":
    main()
