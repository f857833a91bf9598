"""MkDocs and Zensical build the same handbook: the same pages and content, the same runtime, the same worker.

Each engine's build is made once per run (conftest.Builds) and shared with the tests that run on
both engines (``ON_BOTH_ENGINES``). What only the theme draws (header, navigation, search,
palette, footer) differs between the engines and is not compared here: scripts/README.md, "Two engines".
"""

from __future__ import annotations

import posixpath
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from browsing import built_pages
from conftest import ENGINES, ROOT, build_copy, copy_project
from test_build import runtime_in

from macros.engine import build_config, html_link_base, nav_files, page_path, reported
from macros.errors import BuildError
from scripts.offline import precache_list, runtime_list

THEME_FILES = ("assets/javascripts/", "assets/stylesheets/", "search")
"""The theme's own scripts, style sheets and search index: each engine ships its own."""
SKIP_TARGET = re.compile(r'<a id="__skip" tabindex="-1">\s*</a>')
"""Zensical's target for the "Skip to content" link, inside the article (Material's is outside it)."""
TAGS = re.compile(r'<nav class="md-tags"[^>]*>.*?</nav>', re.S)
"""A page's tags: above its title in Material, below its text in Zensical. Compared apart."""


HREF = re.compile(r'href="(?![a-z]+:|#|/)([^"#]*)')


def resolved(path: str, body: str) -> str:
    """``body`` with each relative link made site-absolute: the same link written two ways
    (``references.json`` or ``../references/references.json``) reads the same."""
    folder = path.rpartition("/")[0] if not path.endswith(".html") else ""

    def absolute(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join("/", folder, match.group(1)))
        return f'href="{target}{"/" if match.group(1).endswith("/") and target != "/" else ""}'

    return HREF.sub(absolute, body)


def article(site: Path, path: str) -> list[str]:
    """The page's content as the theme frames it: headings, text, forms, facts, references; a tag a line."""
    file = site / (path if path.endswith(".html") else path + "index.html")
    text = file.read_text(encoding="utf-8")
    body = resolved(path, SKIP_TARGET.sub("", text[text.index("<article") : text.rindex("</article>")]))
    tags = TAGS.findall(body)
    lines = [line.strip() for line in re.sub(r">\s*<", ">\n<", TAGS.sub("", body)).splitlines() if line.strip()]
    return [*lines, *tags]


def test_both_engines_build_the_same_pages_with_the_same_content(builds):
    sites = [builds.site(engine).root for engine in ENGINES]
    pages = [built_pages(site) for site in sites]
    assert pages[0] == pages[1] and len(pages[0]) > 40
    differ = [path for path in pages[0] if article(sites[0], path) != article(sites[1], path)]
    assert differ == []
    # ...forms, definitions and hashes included: the articles hold them.
    forms = [(site / "toolkit/health-check/index.html").read_text().count("data-definition-hash=") for site in sites]
    assert forms == [1, 1]


def test_both_engines_ship_the_same_runtime_and_the_same_offline_worker(builds):
    sites = [builds.site(engine).root for engine in ENGINES]
    runtimes = [runtime_in(site) for site in sites]
    assert runtimes[0] == runtimes[1]
    assert runtime_list(sites[0]) == runtime_list(sites[1])
    own = [[path for path in precache_list(site) if not path.startswith(THEME_FILES)] for site in sites]
    assert own[0] == own[1]
    for site in sites:
        listed = precache_list(site)
        assert any(path.startswith("search") for path in listed), "the worker keeps the search index"
        theme = {p.relative_to(site).as_posix() for p in (site / "assets").rglob("*.min.*") if "/lunr/" not in str(p)}
        assert {path for path in theme if not path.endswith((".br", ".gz", ".map"))} <= set(listed)
    template = (Path(__file__).parent.parent / "widgets" / "browser" / "sw.js.template").read_text()
    for site in sites:
        worker = (site / "sw.js").read_text()
        assert worker.split("const BUILD", 1)[0] == template.split("const BUILD", 1)[0]


# -- the engine-neutral core, without a build --------------------------------------------------

MKDOCS_NAV = [{"Home": "index.md"}, {"How?": [{"Overview": "how/index.md"}, {"Money": "how/money.md"}]}]
ZENSICAL_NAV = [
    {"title": "Home", "url": "index.md", "children": []},
    {
        "title": "How?",
        "url": None,
        "children": [
            {"title": "Overview", "url": "how/index.md", "children": []},
            {"title": "Money", "url": "how/money.md", "children": []},
        ],
    },
]


def zensical_env(path: str, url: str) -> SimpleNamespace:
    """What Zensical hands ``define_env``: a plain dict, and its own small page."""
    conf = {"docs_dir": "docs", "theme": {"custom_dir": "overrides"}, "extra": {"offline": True}, "nav": ZENSICAL_NAV}
    return SimpleNamespace(conf=conf, project_dir=str(ROOT), page=SimpleNamespace(path=path, url=url))


def test_both_engines_navs_read_as_the_same_pages_in_order():
    assert list(nav_files(MKDOCS_NAV)) == list(nav_files(ZENSICAL_NAV)) == ["index.md", "how/index.md", "how/money.md"]


def test_zensicals_plain_settings_are_read_from_the_project_root():
    config = build_config(zensical_env("how/money.md", "how/money/"))
    assert (config.docs_dir, config.custom_dir) == (ROOT / "docs", ROOT / "overrides")
    assert config.nav == ("index.md", "how/index.md", "how/money.md")


def test_raw_html_links_start_where_each_engine_reads_them():
    env = zensical_env("toolkit/where.md", "toolkit/where/")
    assert (page_path(env), html_link_base(env)) == ("toolkit/where.md", "toolkit/")
    assert html_link_base(zensical_env("index.md", "")) == ""
    assert html_link_base(zensical_env("how/index.md", "how/")) == "how/"


def test_an_authors_mistake_stays_the_macros_own_error_under_zensical():
    with pytest.raises(BuildError, match="line 3"), reported(zensical_env("index.md", "")):
        raise BuildError("assessments/x.yml, line 3: 'id': missing")


def test_the_macros_and_the_finishing_step_import_nothing_from_mkdocs():
    script = (
        "import sys, macros, macros.handbook, scripts.finish; print(sorted(m for m in sys.modules if 'mkdocs' in m))"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_zensicals_strict_build_fails_on_a_broken_link_naming_page_and_line(tmp_path):
    """As `mkdocs build --strict` does (tests/test_links.py); a broken macro: test_build.py."""
    project = copy_project(tmp_path, "docs", engine="zensical")
    page = project / "docs" / "how" / "money.md"
    text = page.read_text()
    page.write_text(text + "\nSee [nowhere](no-such-page.md).\n")
    code, output = build_copy(project, "zensical")
    assert code != 0
    assert f"how/money.md:{len(text.splitlines()) + 2}:" in output and "page does not exist" in output
