"""The site builds strictly, and a broken assessment stops the build with a message an author can act on."""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ENGINES, ON_BOTH_ENGINES, ROOT, build_copy, build_site, copy_project

from scripts import precompress, stage_runtime
from scripts.offline import build_id, precache_list, runtime_list
from scripts.stage_runtime import PYODIDE_FILES, PYODIDE_SOURCE


@ON_BOTH_ENGINES["site"]
def test_strict_build_produces_every_page_and_the_runtime(site):
    assert (site.root / "index.html").exists()
    assert (site.root / "toolkit" / "health-check" / "index.html").exists()
    for name in ("pyodide.mjs", "pyodide.asm.wasm", "pyodide-lock.json"):
        assert (site.root / "assets" / "pyodide" / name).exists(), name
    # The trimmed standard library replaces Pyodide's own zip: it is not shipped.
    assert not (site.root / "assets" / "pyodide" / "python_stdlib.zip").exists()
    assert [p.name for p in (site.root / "assets" / "widgets" / "py").glob("*/*.zip")] == ["stdlib.zip"]


def test_the_lock_file_keeps_what_pyodide_checks_and_drops_the_package_list(site):
    staged = json.loads((site.root / "assets" / "pyodide" / "pyodide-lock.json").read_text())
    original = json.loads((PYODIDE_SOURCE / "pyodide-lock.json").read_text())
    assert staged == {"info": original["info"], "packages": {}}
    assert original["packages"]  # so the staged file is smaller: Pyodide starts on it in every browser test


@ON_BOTH_ENGINES["site"]
def test_every_compressible_file_has_brotli_and_gzip_copies_of_the_same_bytes(site):
    import gzip

    import brotli

    files = [p for p in site.root.rglob("*") if p.suffix in {".html", ".css", ".js", ".mjs", ".json", ".wasm", ".svg"}]
    assert len(files) > 60
    for file in [*files, *site.root.glob("assets/widgets/py/*/stdlib.zip")]:
        original = file.read_bytes()
        assert brotli.decompress(file.with_name(file.name + ".br").read_bytes()) == original, file
        assert gzip.decompress(file.with_name(file.name + ".gz").read_bytes()) == original, file


def test_set_up_compresses_exactly_the_runtime_files_a_build_ships(site, monkeypatch):
    """`make setup` compresses the runtime ahead (brotli 11 of the WebAssembly takes most of a
    minute): the same bytes as the built site's, so that a build finds them in the cache."""
    seen: list[str] = []
    monkeypatch.setattr(precompress, "compressed", lambda data: seen.append(hashlib.sha256(data).hexdigest()))
    count = stage_runtime.compress_ahead()
    runtime = [
        file
        for folder in ("assets/pyodide", "assets/widgets")
        for file in (site.root / folder).rglob("*")
        if precompress.wanted(file)
    ]
    assert count == len(seen) == len(runtime) >= 6
    assert sorted(seen) == sorted(hashlib.sha256(file.read_bytes()).hexdigest() for file in runtime)


def test_the_health_check_form_is_plain_accessible_html(site):
    page = (site.root / "toolkit" / "health-check" / "index.html").read_text()
    start = page.index('<div class="assessment"')
    html = page[start : page.index("</form>", start)]
    assert html.count('<fieldset class="assessment-question"') == 33
    assert html.count("<legend>") == 33
    # every radio button sits inside its label
    assert html.count('type="radio"') == html.count('<label class="assessment-choice')
    assert html.count('type="radio"') == 33 * 6
    assert 'data-definition="{&#34;id&#34;:&#34;health-check&#34;' in html


@pytest.mark.parametrize("engine", ENGINES)
def test_broken_assessment_fails_the_build_naming_file_line_and_field(tmp_path, engine):
    project = copy_project(tmp_path, "assessments", engine=engine)
    file = project / "assessments" / "health-check.yml"
    text = file.read_text()
    broken = text.replace("dimension: trust\n", "dimension: trusting\n", 1)
    assert broken != text
    file.write_text(broken)
    line = broken.splitlines().index(next(s for s in broken.splitlines() if "dimension: trusting" in s)) + 1
    code, output = build_copy(project, engine)
    assert code != 0
    assert f"assessments/health-check.yml, line {line}: 'questions[" in output
    assert "].dimension': unknown dimension 'trusting'" in output
    # Zensical prints a Python exception from a Markdown extension with its traceback, after the message.
    assert "Traceback" not in output or engine == "zensical"


def test_invalid_yaml_fails_the_build_with_its_line(tmp_path):
    project = copy_project(tmp_path, "assessments")
    file = project / "assessments" / "health-check.yml"
    lines = file.read_text().splitlines()
    lines[3] = "title: [unclosed"
    file.write_text("\n".join(lines) + "\n")
    code, output = build_copy(project)
    assert code != 0
    assert "assessments/health-check.yml, line" in output and "is not valid YAML" in output
    assert "Traceback" not in output


def test_an_unknown_assessment_name_fails_the_build(tmp_path):
    project = copy_project(tmp_path, "docs")
    target = project / "docs" / "toolkit" / "health-check.md"
    target.write_text(target.read_text().replace('assessment("health-check")', 'assessment("health-chek")'))
    code, output = build_copy(project)
    assert code != 0
    assert "assessment 'health-chek': no file" in output


def test_the_search_dialog_has_an_accessible_name(site):
    assert (
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'
        in (site.root / "index.html").read_text()
    )


def test_the_search_override_differs_from_materials_partial_only_by_its_name():
    import material

    upstream = (Path(material.__file__).parent / "templates" / "partials" / "search.html").read_text()
    ours = (ROOT / "overrides" / "partials" / "search.html").read_text()
    body = lambda text: text.split("-#}\n", 1)[1]  # noqa: E731  (both start with a comment)
    material = ours.split("{% else %}\n", 1)[1].removesuffix("{% endif %}\n")  # Zensical's comes first
    assert material.replace(" aria-label=\"{{ lang.t('search') }}\">", ">", 1) == body(upstream)


def test_the_search_override_keeps_zensicals_own_partial_under_zensical():
    import zensical_ui

    upstream = (Path(zensical_ui.__file__).parent / "templates" / "partials" / "search.html").read_text()
    ours = (ROOT / "overrides" / "partials" / "search.html").read_text()
    zensical = ours.split("{% if config.theme_dirs is defined %}\n", 1)[1].split("{% else %}", 1)[0]
    assert zensical.split("-#}\n", 1)[1] == upstream.split("-#}\n", 1)[1]


@ON_BOTH_ENGINES["site"]
def test_each_form_embeds_its_definition_with_the_hash_the_worker_checks(site):
    import html
    import re

    from widgets.protocol import definition_hash

    page = (site.root / "toolkit" / "health-check" / "index.html").read_text()
    text, digest = re.search(r'data-definition="([^"]*)" data-definition-hash="([0-9a-f]{64})"', page).groups()
    assert definition_hash(html.unescape(text)) == digest


def test_a_form_template_in_overrides_replaces_the_handbooks(tmp_path):
    project = copy_project(tmp_path, "overrides")
    ours = (ROOT / "macros" / "templates" / "assessment.html").read_text()
    marked = ours.replace(
        '<form class="assessment-form"', '<p class="site-own-form">Our own form</p>\n<form class="assessment-form"'
    )
    assert marked != ours
    (project / "overrides" / "assessment.html").write_text(marked)
    code, output = build_copy(project)
    assert code == 0, output
    page = (project / "out" / "toolkit" / "health-check" / "index.html").read_text()
    assert page.count('<p class="site-own-form">Our own form</p>') == 1
    assert 'data-assessment="health-check"' in page
    assert "site-own-form" not in (project / "out" / "index.html").read_text()


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``folder`` (itself too), with its size and modification time."""
    entries = [folder, *folder.rglob("*")]
    return {p.relative_to(folder).as_posix(): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in entries}


def runtime_in(site: Path) -> dict[str, bytes]:
    """Every file of the runtime in a built site, by its path there."""
    folders = [site / "assets" / "pyodide", site / "assets" / "widgets"]
    return {p.relative_to(site).as_posix(): p.read_bytes() for f in folders for p in f.rglob("*") if p.is_file()}


def test_two_builds_at_once_leave_docs_untouched_and_each_has_the_whole_runtime(tmp_path):
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")  # docs/ is linked: both builds read the real one
    before = listing(ROOT / "docs")
    outs = [tmp_path / "one", tmp_path / "two"]
    with ThreadPoolExecutor(len(outs)) as pool:
        done = list(pool.map(lambda out: build_site(out, "http://127.0.0.1:1/", config=project / "mkdocs.yml"), outs))
    for build in done:
        assert build.returncode == 0, build.stdout + build.stderr
    after = listing(ROOT / "docs")
    assert after == before
    # ... and the runtime came from elsewhere: docs/ holds none of it (`make setup` removes what
    # staging into docs/ used to leave there).
    assert not [path for path in after if path.startswith(("assets/pyodide", "assets/widgets"))]

    runtimes = [runtime_in(out) for out in outs]
    assert runtimes[0] == runtimes[1]
    for out, files in zip(outs, runtimes, strict=True):
        info = json.loads(files["assets/widgets/runtime.json"])
        stdlib = "assets/widgets/" + info["stdlib"]
        assert hashlib.sha256(files[stdlib]).hexdigest() == info["sha256"]
        python = {f"assets/pyodide/{name}" for name in PYODIDE_FILES} | {stdlib}
        scripts = [file.name for file in (ROOT / "widgets" / "browser").iterdir() if file.suffix in (".js", ".mjs")]
        glue = {f"assets/widgets/{name}" for name in ("runtime.json", *scripts)}
        assert set(files) == {path + end for path in python | glue for end in ("", ".br", ".gz")}
        # The post-build hooks saw it all: sw.js lists it, and its build hash covers it.
        assert set(runtime_list(out)) == python and glue <= set(precache_list(out))
        assert f'const BUILD = "{build_id(out)}";' in (out / "sw.js").read_text()
