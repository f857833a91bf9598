"""The handbook behind Debian's nginx and Debian's Apache, configured by hosting/nginx.conf and
hosting/apache.conf, under their strict policy.

The site is built for http://127.0.0.1:PORT/handbook/ and served by the very configuration that
docs/about/hosting.md shows, with only its placeholders filled in: the documented snippet is the
tested one. Each test that takes ``host`` runs once per server. Chromium then answers the health
check, loads every page, and must report no Content-Security-Policy violation and no request to
another origin. Under nginx the walk over every page also runs axe (tests/test_accessibility.py
reads it); under Apache it only loads each page, which serves the same files.
"""

from __future__ import annotations

import gzip
import json
import re

import pytest
from browsing import (
    CSP_VIOLATION,
    HEALTH_CHECK,
    RESULT,
    Watch,
    answer,
    built_pages,
    expected_overall,
    one_page_per_folder,
    sample_answers,
    wait_for_overall,
    walk_every_page,
)
from conftest import ENGINES, ROOT, Hosted

from scripts.package_site import inline_script_hashes

pytestmark = pytest.mark.browser

HOSTING = ROOT / "hosting"


SEARCH_BOX = "input.md-search__input, button.md-search__button"
"""Material's search box, or the button that opens Zensical's search dialog."""
SEARCH_RESULT = ".md-search-result__item, dialog[aria-label=Search] ol > li a"
"""A search result: Material's, or one in Zensical's search dialog (inside a shadow root, which
Playwright's CSS selectors enter)."""


def policy_in(text: str, pattern: str) -> str:
    found = re.findall(pattern, text)
    assert len(found) == 1, f"expected one Content-Security-Policy, found {len(found)}"
    return found[0]


def nginx_policy() -> str:
    return policy_in((HOSTING / "nginx.conf").read_text(), r'add_header Content-Security-Policy "([^"]*)"')


@pytest.fixture(scope="session", params=["nginx", "apache", "zensical"])
def host(request) -> Hosted:
    """The built site behind each web server that hosting/ configures and this machine runs:
    MkDocs' build under nginx and under Apache, and Zensical's under nginx."""
    if request.param == "zensical":
        return request.getfixturevalue("builds").hosted("zensical")
    return request.getfixturevalue("hosted" if request.param == "nginx" else "apache_hosted")


@pytest.fixture(scope="session")
def zensical_walk(browser, builds):
    """Every page of Zensical's build under nginx, loaded and its palette toggled, without axe."""
    hosted = builds.hosted("zensical")
    builds.walks["zensical"] = walk_every_page(browser, hosted.site, hosted.url, hosted.origin, with_axe=False)
    return builds.walks["zensical"]


@pytest.fixture(scope="session")
def apache_walk(browser, apache_hosted):
    """Under Apache, one page of each folder, every depth and the 404 page, loaded once: the
    same files as under nginx, where every page is walked and checked with axe. The tool
    itself is answered under Apache by the end-to-end test above."""
    pages = one_page_per_folder(apache_hosted.site)
    return walk_every_page(
        browser, apache_hosted.site, apache_hosted.url, apache_hosted.origin, with_axe=False, toggle=False, pages=pages
    )


@pytest.fixture
def watched(browser, host):
    # Service workers blocked, so that context.route sees every request (tests/test_offline.py
    # runs the worker under this same nginx and policy).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    watch = Watch(context, host.origin)
    yield context, watch
    context.close()


# -- (a) the health check, end to end, under the policy ---------------------------------------


def test_health_check_works_end_to_end_under_the_policy(host, watched, health_check_data):
    context, watch = watched
    page = watch.page(context)
    response = page.goto(host.url + HEALTH_CHECK)
    assert response.headers["content-security-policy"] == nginx_policy()

    answers = dict(list(sample_answers(health_check_data).items())[:6])
    answer(page, answers)
    page.wait_for_selector(RESULT, timeout=60_000)
    wait_for_overall(page, expected_overall(health_check_data, answers))
    assert "Overall" in page.locator(RESULT).inner_text()
    assert page.locator(".assessment-result svg.result-chart").count() == 1

    # Material's search worker, its instant navigation and the palette script, all under the policy.
    # Search comes first: Material closes the search box 125 ms after every change of location,
    # so opened just after going back, it could close before the results showed.
    page.locator(SEARCH_BOX).first.click()
    page.keyboard.type("governance")
    page.wait_for_selector(SEARCH_RESULT, timeout=15_000)
    page.keyboard.press("Escape")
    page.locator(".md-nav--primary a[href$='/glossary/'], .md-nav--primary a[href='../../glossary/']").first.click()
    page.wait_for_url("**/handbook/glossary/")
    page.go_back()
    page.wait_for_url("**/handbook/toolkit/health-check/")
    page.wait_for_selector(RESULT, timeout=10_000)

    assert watch.violations == []
    assert watch.errors == []
    assert watch.foreign == []


def test_the_policy_is_enforced_and_its_violations_are_seen(host, watched):
    """The check above means something: an injected inline script is refused, and reported."""
    context, watch = watched
    page = watch.page(context)
    page.goto(host.url)
    with context.expect_console_message(lambda message: CSP_VIOLATION in message.text.lower(), timeout=5_000):
        page.evaluate(
            """() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
                       document.head.append(s); }"""
        )
    assert page.evaluate("window.__ran") is None
    assert len(watch.violations) == 1, watch.console


# -- (b) headers, types, compression, caching -------------------------------------------------


def stdlib(host: Hosted) -> str:
    return "assets/widgets/" + json.loads((host.site / "assets/widgets/runtime.json").read_text())["stdlib"]


def material_file(host: Hosted, pattern: str) -> str:
    """The theme's file named by ``pattern``: Zensical keeps its style sheets one folder down
    (``classic/``, ``modern/``), where ``**`` finds them; the first in order is checked."""
    found = sorted(host.site.glob(pattern))
    assert found, f"no {pattern} in the build"
    return found[0].relative_to(host.site).as_posix()


def test_responses_carry_the_policy_and_the_other_security_headers(host):
    for path in ("", "toolkit/health-check/", "assets/widgets/worker.mjs", "assets/pyodide/pyodide.asm.wasm"):
        status, headers, _ = host.get(path)
        assert status == 200, path
        assert headers["Content-Security-Policy"] == nginx_policy(), path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "no-referrer", path
    # A missing page gets the handbook's own 404 page, with the same headers.
    status, headers, body = host.get("no-such-page/")
    assert status == 404
    assert headers["Content-Security-Policy"] == nginx_policy()
    assert b"md-content" in body


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("assets/pyodide/pyodide.asm.wasm", "application/wasm"),
        ("assets/pyodide/pyodide.mjs", "text/javascript"),
        ("assets/pyodide/pyodide.asm.mjs", "text/javascript"),
        ("assets/widgets/worker.mjs", "text/javascript"),
        ("assets/widgets/glue.js", "text/javascript"),
        ("assets/handbook.css", "text/css"),
        ("assets/pyodide/pyodide-lock.json", "application/json"),
        ("assets/widgets/runtime.json", "application/json"),
        ("", "text/html"),
    ],
)
def test_each_file_is_served_with_its_type(host, path, media_type):
    status, headers, _ = host.get(path)
    assert status == 200
    assert headers.get_content_type() == media_type


@pytest.mark.parametrize(
    "path",
    [
        "assets/pyodide/pyodide.asm.wasm",
        "assets/pyodide/pyodide.asm.mjs",
        "assets/widgets/worker.mjs",
        "assets/widgets/glue.js",
        "assets/handbook.css",
        "assets/pyodide/pyodide-lock.json",
        "toolkit/health-check/",
    ],
)
def test_text_and_webassembly_are_gzipped_when_the_browser_accepts_it(host, path):
    status, headers, body = host.get(path, {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    file = host.site / path
    original = (file / "index.html" if file.is_dir() else file).read_bytes()
    assert gzip.decompress(body) == original
    assert len(body) < len(original)
    # ... and sent as it is to a client that does not accept gzip.
    _, plain_headers, plain = host.get(path)
    assert plain_headers["Content-Encoding"] is None and plain == original


PRECOMPRESSED = [
    ("assets/pyodide/pyodide.asm.wasm", "application/wasm"),
    ("assets/pyodide/pyodide.asm.mjs", "text/javascript"),
    ("assets/pyodide/pyodide.mjs", "text/javascript"),
    ("assets/pyodide/pyodide-lock.json", "application/json"),
    ("assets/widgets/worker.mjs", "text/javascript"),
    ("assets/widgets/glue.js", "text/javascript"),
    ("assets/handbook.css", "text/css"),
    ("toolkit/health-check/index.html", "text/html"),
    ("search/search_index.json", "application/json"),
]


def engine_path(host: Hosted, path: str) -> str:
    """The same file in Zensical's build, which names its search index differently."""
    return "search.json" if path == "search/search_index.json" and (host.site / "search.json").exists() else path


@pytest.mark.parametrize(("path", "media_type"), PRECOMPRESSED)
def test_the_shipped_brotli_file_is_what_is_served(host, path, media_type):
    """brotli_static sends the build's own .br file: byte for byte, with the plain file's type."""
    path = engine_path(host, path)
    status, headers, body = host.get(path, {"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200
    assert headers["Content-Encoding"] == "br"
    assert headers.get_content_type() == media_type
    assert "Accept-Encoding" in headers["Vary"]
    assert body == (host.site / (path + ".br")).read_bytes()
    assert len(body) < (host.site / path).stat().st_size


@pytest.mark.parametrize(("path", "media_type"), PRECOMPRESSED)
def test_a_browser_without_brotli_gets_the_shipped_gzip_file(host, path, media_type):
    path = engine_path(host, path)
    status, headers, body = host.get(path, {"Accept-Encoding": "gzip"})
    assert (status, headers["Content-Encoding"], headers.get_content_type()) == (200, "gzip", media_type)
    assert body == (host.site / (path + ".gz")).read_bytes()


def test_the_python_zip_is_stored_uncompressed_and_served_as_brotli(host):
    """Its entries are stored, not deflated, so that brotli works across the whole file."""
    path = stdlib(host)
    status, headers, body = host.get(path, {"Accept-Encoding": "br"})
    assert (status, headers["Content-Encoding"], headers.get_content_type()) == (200, "br", "application/zip")
    assert body == (host.site / (path + ".br")).read_bytes()
    assert len(body) < (host.site / path).stat().st_size / 3


def test_hashed_files_are_kept_for_a_year_and_the_rest_revalidated(host):
    year = "public, max-age=31536000, immutable"
    for path in (
        stdlib(host),
        material_file(host, "assets/javascripts/bundle.*.min.js"),
        material_file(host, "assets/javascripts/workers/search.*.min.js"),
        material_file(host, "assets/stylesheets/**/main.*.min.css"),
    ):
        assert host.get(path)[1]["Cache-Control"] == year, path
    for path in (
        "",
        "toolkit/health-check/",
        "assets/widgets/runtime.json",
        "assets/widgets/glue.js",
        "assets/widgets/worker.mjs",
        "assets/pyodide/pyodide.asm.wasm",
        "assets/handbook.css",
    ):
        assert host.get(path)[1]["Cache-Control"] == "no-cache", path
    # Revalidation costs a 304 and no body, compressed or not (Apache sends no ETag: its
    # compression would change it, see hosting/apache.conf; the date is checked instead).
    for path, encoding in (("assets/widgets/runtime.json", "identity"), ("assets/pyodide/pyodide.mjs", "gzip")):
        _, headers, _ = host.get(path, {"Accept-Encoding": encoding})
        etag = headers["ETag"]
        check = {"If-None-Match": etag} if etag else {"If-Modified-Since": headers["Last-Modified"]}
        status, _, body = host.get(path, {"Accept-Encoding": encoding, **check})
        assert (status, body) == (304, b""), path


def test_the_policy_lists_exactly_the_inline_scripts_the_site_runs(builds):
    """Material writes a few small scripts into each page; the policy allows each by its hash,
    as either engine writes them (Zensical's 404 page names the path without its last slash)."""
    needed = {found for engine in ENGINES for found in inline_script_hashes(builds.hosted(engine).site)}
    script_src = re.search(r"script-src [^;]*", nginx_policy()).group(0)
    listed = set(re.findall(r"'sha256-[A-Za-z0-9+/=]+'", script_src))
    assert needed - listed == set(), "add these hashes to script-src in hosting/nginx.conf, apache.conf and web.config"
    assert listed - needed == set(), "no page runs these any more: remove them from script-src in hosting/"


def test_apache_and_iis_send_the_same_headers_as_nginx():
    """IIS cannot run here: at least its policy and types must match the tested ones (Apache's
    are tested above too, served)."""
    apache = (HOSTING / "apache.conf").read_text()
    iis = (HOSTING / "web.config").read_text()
    assert policy_in(apache, r'Header always set Content-Security-Policy "([^"]*)"') == nginx_policy()
    assert policy_in(iis, r'name="Content-Security-Policy" value="([^"]*)"') == nginx_policy()
    assert re.search(r'Header always set X-Content-Type-Options "nosniff"', apache)
    assert re.search(r'Header always set Referrer-Policy "no-referrer"', apache)
    assert 'name="X-Content-Type-Options" value="nosniff"' in iis
    assert 'name="Referrer-Policy" value="no-referrer"' in iis
    assert re.search(r"AddType application/wasm \.wasm", apache)
    assert re.search(r"AddType text/javascript \.js \.mjs", apache)
    assert 'fileExtension=".wasm" mimeType="application/wasm"' in iis
    assert 'fileExtension=".mjs" mimeType="text/javascript"' in iis
    # Both send the build's .br file, else its .gz, with the plain file's type for the wasm.
    assert 'RewriteCond "%{REQUEST_FILENAME}.br" -f' in apache and 'RewriteRule "^(.+)$" "$1.br" [L]' in apache
    assert 'RewriteRule "\\.wasm\\.(br|gz)$" "-" [T=application/wasm' in apache
    assert "Header set Content-Encoding br" in apache and "Header append Vary Accept-Encoding" in apache
    assert '<action type="Rewrite" url="{R:1}.br" />' in iis and '<action type="Rewrite" url="{R:1}.gz" />' in iis
    assert 'pattern="\\.wasm$" /></conditions><action type="Rewrite" value="application/wasm" />' in iis
    assert 'serverVariable="RESPONSE_Content_Encoding"' in iis and 'serverVariable="RESPONSE_Vary"' in iis


# -- (c) every page, under the sub-path ---------------------------------------------------------


def test_every_page_loads_under_the_sub_path_with_no_violation_and_nothing_from_elsewhere(host, request):
    which = request.node.callspec.params["host"]
    if which == "apache":
        every_page, pages = request.getfixturevalue("apache_walk"), one_page_per_folder(host.site)
    else:
        engine = "zensical" if which == "zensical" else ENGINES[0]
        every_page, pages = request.getfixturevalue("builds").walks.get(engine), built_pages(host.site)
        if every_page is None:  # the shared walk, made once (tests/conftest.py, every_page)
            every_page = request.getfixturevalue("every_page" if engine == ENGINES[0] else "zensical_walk")
    assert len(pages) > (8 if which == "apache" else 40) and [visit.path for visit in every_page.visits] == pages
    shown = [(visit.path, visit.status, visit.contents) for visit in every_page.visits]
    assert [seen for seen in shown if seen[1:] != (200, 1)] == []
    if which != "apache":
        # The header's palette toggle switches every page to dark and back (axe's checks of each
        # scheme: tests/test_accessibility.py, on MkDocs' build).
        switched = [(visit.path, visit.schemes) for visit in every_page.visits]
        assert [seen for seen in switched if seen[1] != ("default", "slate", "default")] == []
    # A missing page: the server answers with the handbook's 404 page, which loads its files too.
    assert (every_page.missing.status, every_page.missing.contents) == (404, 1)
    assert every_page.watch.violations == []
    assert every_page.watch.foreign == []
    assert every_page.watch.errors == []
    # ...and nothing else logged as an error, but the missing page's own 404.
    logged = [line for line in every_page.watch.console if line.startswith("error:")]
    assert [line for line in logged if "status of 404" not in line] == []
