"""Put the browser runtime where the site can serve it: docs/assets/pyodide and docs/assets/widgets.

- Pyodide: the five core files from the pinned npm package (node_modules/pyodide).
- The `widgets` package: a standard pure-Python wheel, built with pip and hatchling. It is
  placed in a folder named after a hash of the package's sources, so a browser never runs a
  stale copy from its cache; runtime.json tells the worker where it is.
- The browser glue from widgets/browser.

Runs as an MkDocs hook before every build (so `mkdocs serve` picks up changes) and as a
script (`python scripts/stage_runtime.py`) from the set-up. It only writes files whose
content changed, so it does not set off endless rebuilds under `mkdocs serve`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_SOURCE = ROOT / "node_modules" / "pyodide"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
WIDGETS_SOURCE = ROOT / "widgets"
ASSETS = ROOT / "docs" / "assets"
PYODIDE_TARGET = ASSETS / "pyodide"
WIDGETS_TARGET = ASSETS / "widgets"


class StagingError(RuntimeError):
    pass


def _write_if_changed(target: Path, data: bytes) -> None:
    if target.exists() and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def stage_pyodide() -> str:
    package = PYODIDE_SOURCE / "package.json"
    if not package.exists():
        raise StagingError("node_modules/pyodide is missing: run `make setup` (npm ci) first")
    for name in PYODIDE_FILES:
        source = PYODIDE_SOURCE / name
        target = PYODIDE_TARGET / name
        if (
            not target.exists()
            or target.stat().st_size != source.stat().st_size
            or (target.stat().st_mtime < source.stat().st_mtime)
        ):
            PYODIDE_TARGET.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return json.loads(package.read_text())["version"]


def sources_hash() -> str:
    digest = hashlib.sha256()
    for file in sorted(WIDGETS_SOURCE.rglob("*.py")):
        digest.update(file.relative_to(ROOT).as_posix().encode())
        digest.update(file.read_bytes())
    digest.update((ROOT / "pyproject.toml").read_bytes())
    return digest.hexdigest()[:16]


def build_wheel(folder: Path) -> Path:
    with tempfile.TemporaryDirectory() as scratch:
        command = [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            scratch,
            str(ROOT),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        wheels = list(Path(scratch).glob("*.whl"))
        if done.returncode != 0 or len(wheels) != 1:
            raise StagingError(f"building the widgets wheel failed:\n{done.stdout}{done.stderr}")
        folder.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy2(wheels[0], folder / wheels[0].name))


def stage_widgets(pyodide_version: str) -> Path:
    tag = sources_hash()
    folder = WIDGETS_TARGET / "py" / tag
    existing = list(folder.glob("*.whl"))
    wheel = existing[0] if existing else build_wheel(folder)
    for old in (WIDGETS_TARGET / "py").iterdir():
        if old.name != tag:
            shutil.rmtree(old)
    for script in (WIDGETS_SOURCE / "browser").iterdir():
        if script.suffix in (".js", ".mjs"):
            _write_if_changed(WIDGETS_TARGET / script.name, script.read_bytes())
    runtime = {
        "wheel": wheel.relative_to(WIDGETS_TARGET).as_posix(),
        "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
        "pyodide": pyodide_version,
    }
    _write_if_changed(WIDGETS_TARGET / "runtime.json", (json.dumps(runtime, indent=2) + "\n").encode())
    return wheel


def stage() -> Path:
    return stage_widgets(stage_pyodide())


def on_pre_build(config, **kwargs) -> None:  # MkDocs hook
    from mkdocs.exceptions import PluginError

    try:
        stage()
    except StagingError as error:
        raise PluginError(str(error)) from None


if __name__ == "__main__":
    try:
        wheel = stage()
    except StagingError as error:
        sys.exit(f"stage_runtime: {error}")
    print(f"staged Pyodide and {wheel.relative_to(ROOT)}")
