"""The site builds strictly, and a broken assessment stops the build with a message an author can act on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, build_site

LINKED = ("docs", "macros", "overrides", "includes", "scripts", "widgets", "pyproject.toml", "node_modules")


def test_strict_build_produces_every_page_and_the_runtime(site):
    assert (site.root / "index.html").exists()
    assert (site.root / "toolkit" / "health-check" / "index.html").exists()
    for name in ("pyodide.mjs", "pyodide.asm.wasm", "pyodide-lock.json"):
        assert (site.root / "assets" / "pyodide" / name).exists(), name
    # The trimmed standard library replaces Pyodide's own zip: it is not shipped.
    assert not (site.root / "assets" / "pyodide" / "python_stdlib.zip").exists()
    assert [p.name for p in (site.root / "assets" / "widgets" / "py").glob("*/*.zip")] == ["stdlib.zip"]


def test_every_compressible_file_has_brotli_and_gzip_copies_of_the_same_bytes(site):
    import gzip

    import brotli

    files = [p for p in site.root.rglob("*") if p.suffix in {".html", ".css", ".js", ".mjs", ".json", ".wasm", ".svg"}]
    assert len(files) > 60
    for file in [*files, *site.root.glob("assets/widgets/py/*/stdlib.zip")]:
        original = file.read_bytes()
        assert brotli.decompress(file.with_name(file.name + ".br").read_bytes()) == original, file
        assert gzip.decompress(file.with_name(file.name + ".gz").read_bytes()) == original, file


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


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """The project, with a private copy of assessments/ that a test may break."""
    for name in LINKED:
        (tmp_path / name).symlink_to(ROOT / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "assessments", tmp_path / "assessments")
    return tmp_path


def build_copy(project: Path, tmp_path: Path):
    return build_site(tmp_path / "out", "http://127.0.0.1:1/", config=project / "mkdocs.yml")


def test_broken_assessment_fails_the_build_naming_file_line_and_field(project_copy, tmp_path):
    file = project_copy / "assessments" / "health-check.yml"
    text = file.read_text()
    broken = text.replace("dimension: trust\n", "dimension: trusting\n", 1)
    assert broken != text
    file.write_text(broken)
    line = broken.splitlines().index(next(s for s in broken.splitlines() if "dimension: trusting" in s)) + 1
    done = build_copy(project_copy, tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert f"assessments/health-check.yml, line {line}: 'questions[" in output
    assert "].dimension': unknown dimension 'trusting'" in output
    assert "Traceback" not in output


def test_invalid_yaml_fails_the_build_with_its_line(project_copy, tmp_path):
    file = project_copy / "assessments" / "health-check.yml"
    lines = file.read_text().splitlines()
    lines[3] = "title: [unclosed"
    file.write_text("\n".join(lines) + "\n")
    done = build_copy(project_copy, tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "assessments/health-check.yml, line" in output and "is not valid YAML" in output
    assert "Traceback" not in output


def test_an_unknown_assessment_name_fails_the_build(project_copy, tmp_path):
    page = project_copy / "docs-copy"
    shutil.copytree(ROOT / "docs", page, ignore=shutil.ignore_patterns("pyodide", "widgets"))
    (project_copy / "docs").unlink()
    page.rename(project_copy / "docs")
    target = project_copy / "docs" / "toolkit" / "health-check.md"
    target.write_text(target.read_text().replace('assessment("health-check")', 'assessment("health-chek")'))
    done = build_copy(project_copy, tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "assessment 'health-chek': no file" in output
