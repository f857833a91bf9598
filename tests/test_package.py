"""`make package`: one zip with the whole site under a versioned top folder, and a VERSION file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from scripts.stage_runtime import PYODIDE_FILES


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("dist")
    command = [
        sys.executable,
        "scripts/package_site.py",
        "--out",
        str(out),
        "--site-url",
        "https://intranet.example.org/handbook/",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"package_site failed:\n{done.stdout}\n{done.stderr}"
    [archive] = out.glob("*.zip")
    return archive, done.stdout


def test_the_zip_is_named_after_the_version_and_reported(packaged):
    archive, output = packaged
    with (ROOT / "pyproject.toml").open("rb") as file:
        version = tomllib.load(file)["project"]["version"]
    assert re.fullmatch(rf"partnership-handbook-{re.escape(version)}(-[0-9a-f]{{4,}})?\.zip", archive.name)
    assert str(archive) in output
    assert f"{archive.stat().st_size:,} bytes" in output


def test_the_zip_holds_the_site_the_runtime_and_version_under_one_top_folder(packaged):
    archive, _ = packaged
    top = archive.name.removesuffix(".zip")
    with zipfile.ZipFile(archive) as bundle:
        assert bundle.testzip() is None
        names = set(bundle.namelist())
        assert {name.split("/", 1)[0] for name in names} == {top}
        for needed in ("index.html", "404.html", "toolkit/health-check/index.html", "sitemap.xml", "VERSION"):
            assert f"{top}/{needed}" in names, needed
        for name in PYODIDE_FILES:
            assert f"{top}/assets/pyodide/{name}" in names, name
        runtime = json.loads(bundle.read(f"{top}/assets/widgets/runtime.json"))
        assert f"{top}/assets/widgets/{runtime['stdlib']}" in names
        assert f"{top}/assets/widgets/{runtime['stdlib']}.br" in names
        assert runtime["stdlib"].endswith("/stdlib.zip")
        assert f"{top}/assets/widgets/glue.js" in names and f"{top}/assets/widgets/worker.mjs" in names

        version = bundle.read(f"{top}/VERSION").decode()
        assert f"version: {top.removeprefix('partnership-handbook-')}\n" in version
        assert f"pyodide: {runtime['pyodide']}\n" in version
        assert "built for: https://intranet.example.org/handbook/\n" in version
        assert re.search(r"^built: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", version, re.M)
        assert re.search(r"^commit: \S+$", version, re.M)
        # The hashes a Content-Security-Policy needs for this build (see docs/about/hosting.md).
        assert re.search(
            r"^inline script hashes for Content-Security-Policy: ('sha256-[A-Za-z0-9+/=]+' ?)+$", version, re.M
        )
        # The site was built for the address given.
        sitemap = bundle.read(f"{top}/sitemap.xml").decode()
        assert "<loc>https://intranet.example.org/handbook/toolkit/health-check/</loc>" in sitemap
