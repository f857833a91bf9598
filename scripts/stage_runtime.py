"""Put the browser runtime where the site can serve it: docs/assets/pyodide and docs/assets/widgets.

- Pyodide: the four core files from the pinned npm package (node_modules/pyodide). Its own
  python_stdlib.zip is not served: the browser loads ours instead (below).
- The standard library and `widgets` in one zip, built under the pinned Pyodide in Node by
  scripts/build_stdlib.mjs: only the modules start-up and `widgets` use, precompiled to
  Python 3.14 .pyc files, stored uncompressed so that brotli can work on it. It is placed in a
  folder named after a hash of everything that goes into it, so a browser never runs a stale
  copy from its cache; runtime.json tells the worker where it is. Set HANDBOOK_STDLIB=full to
  ship the whole standard library and `widgets` as source instead (for debugging: tracebacks
  then show source lines).
- The browser glue from widgets/browser.
- Beside each compressible file, a `.br` and a `.gz` (scripts/precompress.py).

Runs as an MkDocs hook before every build (so `mkdocs serve` picks up changes) and as a
script (`python scripts/stage_runtime.py`) from the set-up. It only writes files whose
content changed, so it does not set off endless rebuilds under `mkdocs serve`, and it writes
and removes only files of its own: docs/assets/pyodide/ and docs/assets/widgets/ (both
ignored by git), and under docs/assets/widgets/py/ only folders it marked as its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.precompress import precompress_file, wanted

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_SOURCE = ROOT / "node_modules" / "pyodide"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")
WIDGETS_SOURCE = ROOT / "widgets"
ASSETS = ROOT / "docs" / "assets"
PYODIDE_TARGET = ASSETS / "pyodide"
WIDGETS_TARGET = ASSETS / "widgets"
BUILD_STDLIB = ROOT / "scripts" / "build_stdlib.mjs"
ASSESSMENTS = ROOT / "assessments"
LOCK_FILE = "pyodide-lock.json"
STDLIB_NAME = "stdlib.zip"
MARKER = ".staged"  # in each folder under py/ that staging made, and so may remove
MODES = ("trimmed", "full")


class StagingError(RuntimeError):
    pass


def _write_if_changed(target: Path, data: bytes) -> None:
    if target.exists() and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def trimmed_lock(source: Path) -> bytes:
    """Pyodide's lock file without its package list: the handbook installs no package.

    At start-up Pyodide reads the file and checks ``info.abi_version``; the list of its 357
    optional packages (119 KB, 22 KB brotli) is only read by ``loadPackage``, which nothing calls.
    """
    lock = json.loads(source.read_text("utf-8"))
    return (json.dumps({"info": lock["info"], "packages": {}}, indent=2) + "\n").encode()


def stage_pyodide() -> str:
    package = PYODIDE_SOURCE / "package.json"
    if not package.exists():
        raise StagingError("node_modules/pyodide is missing: run `make setup` (npm ci) first")
    for name in PYODIDE_FILES:
        source = PYODIDE_SOURCE / name
        target = PYODIDE_TARGET / name
        if name == LOCK_FILE:
            _write_if_changed(target, trimmed_lock(source))
        elif (
            not target.exists()
            or target.stat().st_size != source.stat().st_size
            or (target.stat().st_mtime < source.stat().st_mtime)
        ):
            PYODIDE_TARGET.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        precompress_file(target)
    for stale in ("python_stdlib.zip",):  # served before the trimmed zip existed
        (PYODIDE_TARGET / stale).unlink(missing_ok=True)
    return json.loads(package.read_text())["version"]


def stdlib_mode() -> str:
    mode = os.environ.get("HANDBOOK_STDLIB", "trimmed")
    if mode not in MODES:
        raise StagingError(f"HANDBOOK_STDLIB must be one of {', '.join(MODES)}, not {mode!r}")
    return mode


def widgets_sources() -> dict[str, str]:
    return {file.relative_to(ROOT).as_posix(): file.read_text("utf-8") for file in sorted(WIDGETS_SOURCE.rglob("*.py"))}


def exercise_requests() -> list[dict]:
    """Requests that make `widgets` load every module an action uses: each action on each tool."""
    import yaml

    from widgets.members import FORMAT
    from widgets.protocol import definition_hash, definition_text

    def request(kind: str, definition: dict, **fields) -> dict:  # as the page sends it (widgets/protocol.py)
        text = definition_text(definition)
        return {"kind": kind, "hash": definition_hash(text), "definition": text, **fields}

    requests: list[dict] = [{"kind": "nothing"}, {"kind": "score", "hash": ""}, request("score", {}, answers={})]
    for file in sorted(ASSESSMENTS.glob("*.yml")):
        definition = yaml.safe_load(file.read_text("utf-8"))
        ids = [question.get("id") for question in definition.get("questions", [])]
        answers = dict.fromkeys(ids, "3")
        member = {"format": FORMAT, "schema": 1, "assessment": definition.get("id"), "answers": answers}
        files = [{"name": "a.json", "text": json.dumps(member)}, {"name": "b.json", "text": "{"}]
        requests += [
            request("score", definition, answers=answers, base="/"),
            request("export", definition, answers=answers, member="A"),
            request("team", definition, files=files, base="/"),
        ]
        for format in ("csv", "markdown"):
            requests.append(request("export_plan", definition, format=format, answers=answers, filled={}))
    return requests


def sources_hash(pyodide_version: str, mode: str) -> str:
    digest = hashlib.sha256(f"{pyodide_version}\0{mode}\0".encode())
    for file in [*sorted(WIDGETS_SOURCE.rglob("*.py")), *sorted(ASSESSMENTS.glob("*.yml")), BUILD_STDLIB]:
        digest.update(file.relative_to(ROOT).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def build_stdlib(folder: Path, mode: str) -> Path:
    node = shutil.which("node")
    if not node:
        raise StagingError("Node.js is needed to build the standard library zip: install it (see README)")
    with tempfile.TemporaryDirectory() as scratch:
        source, target = Path(scratch) / "in.json", Path(scratch) / STDLIB_NAME
        requests = exercise_requests() if mode == "trimmed" else []
        source.write_text(json.dumps({"mode": mode, "widgets": widgets_sources(), "requests": requests}))
        done = subprocess.run(
            [node, str(BUILD_STDLIB), str(source), str(target)], capture_output=True, text=True, check=False
        )
        if done.returncode != 0 or not target.exists():
            raise StagingError(f"building the standard library zip failed:\n{done.stdout}{done.stderr[-3000:]}")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / MARKER).write_text("made by scripts/stage_runtime.py\n")
        staged = Path(shutil.copy2(target, folder / STDLIB_NAME))
        precompress_file(staged)
        return staged


def stage_widgets(pyodide_version: str) -> Path:
    mode = stdlib_mode()
    tag = sources_hash(pyodide_version, mode)
    folder = WIDGETS_TARGET / "py" / tag
    stdlib = folder / STDLIB_NAME
    if not (stdlib.exists() and (folder / MARKER).exists()):
        stdlib = build_stdlib(folder, mode)
    for old in (WIDGETS_TARGET / "py").iterdir():
        # Folders it marked, and the wheel folders that staging made before the zip replaced them.
        if old.name != tag and ((old / MARKER).exists() or list(old.glob("partnership_handbook-*.whl"))):
            shutil.rmtree(old)
    for script in (WIDGETS_SOURCE / "browser").iterdir():
        if script.suffix in (".js", ".mjs"):
            _write_if_changed(WIDGETS_TARGET / script.name, script.read_bytes())
    runtime = {
        "stdlib": stdlib.relative_to(WIDGETS_TARGET).as_posix(),
        "sha256": hashlib.sha256(stdlib.read_bytes()).hexdigest(),
        "mode": mode,
        "pyodide": pyodide_version,
    }
    _write_if_changed(WIDGETS_TARGET / "runtime.json", (json.dumps(runtime, indent=2) + "\n").encode())
    for file in WIDGETS_TARGET.iterdir():
        if wanted(file):
            precompress_file(file)
    return stdlib


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
    print(f"staged Pyodide and {wheel.relative_to(ROOT)} ({stdlib_mode()} standard library)")
