"""Put the browser runtime into each build: assets/pyodide/ and assets/widgets/ of the built site.

- Pyodide: the four core files from the pinned npm package (node_modules/pyodide). Its own
  python_stdlib.zip is not served: the browser loads ours instead (below).
- The standard library and `widgets` in one zip, built under the pinned Pyodide in Node by
  scripts/build_stdlib.mjs: only the modules start-up and `widgets` use, precompiled to
  Python 3.14 .pyc files, stored uncompressed so that brotli can work on it. It is served from
  a folder named after a hash of everything that goes into it, so a browser never runs a stale
  copy from its cache; runtime.json tells the worker where it is. Set HANDBOOK_STDLIB=full to
  ship the whole standard library and `widgets` as source instead (for debugging: tracebacks
  then show source lines).
- The browser glue from widgets/browser.

Building the zip takes Node some seconds, so it is kept in .cache/stdlib/<hash>/, and only the
first build after a change to `widgets`, an assessment or Pyodide builds it again.

scripts/finish.py writes them into each build's own site folder (under MkDocs through the hook
scripts/finish_hook.py, after Zensical as a command), before sw.js and the `.br` and `.gz` copies,
which cover them. Nothing under docs/ is written, so builds of one project into different
folders can run side by side.

As a script: `python scripts/stage_runtime.py` (from `make setup`) builds the zip into the cache
ahead of the first build, and removes what an older version of this script staged into docs/;
`python scripts/stage_runtime.py SITE_DIR` writes the runtime alone into a built site
(`python -m scripts.finish SITE_DIR` does that and the rest).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_SOURCE = ROOT / "node_modules" / "pyodide"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")
WIDGETS_SOURCE = ROOT / "widgets"
BUILD_STDLIB = ROOT / "scripts" / "build_stdlib.mjs"
ASSESSMENTS = ROOT / "assessments"
CACHE = ROOT / ".cache" / "stdlib"
LOCK_FILE = "pyodide-lock.json"
STDLIB_NAME = "stdlib.zip"
MODES = ("trimmed", "full")
RUNTIME_FOLDERS = ("assets/pyodide/", "assets/widgets/")
"""The site's folders that hold the runtime and nothing else."""


class StagingError(RuntimeError):
    pass


def trimmed_lock(source: Path) -> bytes:
    """Pyodide's lock file without its package list: the handbook installs no package.

    At start-up Pyodide reads the file and checks ``info.abi_version``; the list of its 357
    optional packages (119 KB, 22 KB brotli) is only read by ``loadPackage``, which nothing calls.
    """
    lock = json.loads(source.read_text("utf-8"))
    return (json.dumps({"info": lock["info"], "packages": {}}, indent=2) + "\n").encode()


def pyodide_version() -> str:
    package = PYODIDE_SOURCE / "package.json"
    if not package.exists():
        raise StagingError("node_modules/pyodide is missing: run `make setup` (npm ci) first")
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


def build_stdlib(target: Path, mode: str) -> None:
    """Build the zip into ``target`` (a new file) under Pyodide in Node."""
    node = shutil.which("node")
    if not node:
        raise StagingError("Node.js is needed to build the standard library zip: install it (see README)")
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "in.json"
        requests = exercise_requests() if mode == "trimmed" else []
        source.write_text(json.dumps({"mode": mode, "widgets": widgets_sources(), "requests": requests}))
        done = subprocess.run(
            [node, str(BUILD_STDLIB), str(source), str(target)], capture_output=True, text=True, check=False
        )
    if done.returncode != 0 or not target.exists():
        raise StagingError(f"building the standard library zip failed:\n{done.stdout}{done.stderr[-3000:]}")


def cached_stdlib(pyodide_version: str, mode: str) -> Path:
    """The zip for these sources, from .cache/stdlib/<hash>/, built there first if it is not.

    A zip is built in a folder of its own and renamed into place whole, so that two builds at
    once never see half a zip: the second to finish keeps the first one's.
    """
    folder = CACHE / sources_hash(pyodide_version, mode)
    stdlib = folder / STDLIB_NAME
    if stdlib.is_file():
        return stdlib
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=CACHE))
    try:
        build_stdlib(partial / STDLIB_NAME, mode)
        try:
            partial.rename(folder)
        except OSError:
            if not stdlib.is_file():  # not another build's zip in its place: a real failure
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return stdlib


def runtime_files() -> dict[str, Path | bytes]:
    """Every file of the runtime, by its path in the site: a file to copy, or the bytes to write."""
    version = pyodide_version()
    mode = stdlib_mode()
    stdlib = cached_stdlib(version, mode)
    files: dict[str, Path | bytes] = {}
    for name in PYODIDE_FILES:
        source = PYODIDE_SOURCE / name
        files[f"assets/pyodide/{name}"] = trimmed_lock(source) if name == LOCK_FILE else source
    for script in sorted((WIDGETS_SOURCE / "browser").iterdir()):
        if script.suffix in (".js", ".mjs"):
            files[f"assets/widgets/{script.name}"] = script
    served = f"py/{stdlib.parent.name}/{STDLIB_NAME}"
    files[f"assets/widgets/{served}"] = stdlib
    runtime = {
        "stdlib": served,
        "sha256": hashlib.sha256(stdlib.read_bytes()).hexdigest(),
        "mode": mode,
        "pyodide": version,
    }
    files["assets/widgets/runtime.json"] = (json.dumps(runtime, indent=2) + "\n").encode()
    return files


def compress_ahead(say=None) -> int:
    """Compress the runtime's files into the cache that every build's precompress step reads;
    how many. Brotli 11 of Pyodide's WebAssembly takes most of a minute on its own: done at
    set-up, the first build (and the first test run) does not wait for it. ``say``, if given, is
    called with a line as each file is done."""
    from scripts.precompress import compressed, compressible

    files = {path: source for path, source in runtime_files().items() if compressible(path)}
    contents = {path: source.read_bytes() if isinstance(source, Path) else source for path, source in files.items()}

    def one(path: str) -> None:
        compressed(contents[path])
        if say:
            say(f"  compressed {path} ({len(contents[path]) / 1e3:,.0f} kB)")

    with ThreadPoolExecutor(os.cpu_count()) as pool:  # brotli lets go of the GIL while it works
        list(pool.map(one, sorted(contents, key=lambda path: -len(contents[path]))))
    return len(contents)


def write_runtime(site: Path) -> int:
    """Write the runtime into a built site; how many files."""
    files = runtime_files()
    for path, source in files.items():
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, Path):
            shutil.copyfile(source, target)
        else:
            target.write_bytes(source)
    return len(files)


OLD_STAGING = ROOT / "docs" / "assets"
OLD_MARKER = ".staged"


def remove_old_staging() -> list[Path]:
    """Delete what this script used to stage into docs/assets/ (ignored by git then): its own files only."""
    removed = []
    own = [f"pyodide/{name}" for name in (*PYODIDE_FILES, "python_stdlib.zip")]
    own += [f"widgets/{script.name}" for script in (WIDGETS_SOURCE / "browser").iterdir()]
    own += ["widgets/runtime.json"]
    for name in own:
        for file in (OLD_STAGING / name, OLD_STAGING / f"{name}.br", OLD_STAGING / f"{name}.gz"):
            if file.is_file():
                file.unlink()
                removed.append(file)
    for folder in (OLD_STAGING / "widgets" / "py").glob("*/"):
        if (folder / OLD_MARKER).exists() or list(folder.glob("partnership_handbook-*.whl")):
            shutil.rmtree(folder)
            removed.append(folder)
    for folder in (OLD_STAGING / "widgets" / "py", OLD_STAGING / "widgets", OLD_STAGING / "pyodide"):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return removed


PRELOADED = ("assets/pyodide/pyodide.asm.wasm", "assets/pyodide/pyodide.asm.mjs")


def preload_list(staged: dict[str, Path | bytes]) -> list[str]:
    """The runtime's large files, largest first, that a page with a tool asks for in its <head>
    (overrides/main.html: <link rel="preload" as="fetch">), so that their download starts while
    the page loads rather than once the engine's worker has started and asked for them."""
    stdlib = [path for path in staged if path.endswith("/" + STDLIB_NAME)]
    return [PRELOADED[0], *stdlib, *PRELOADED[1:]]


if __name__ == "__main__":
    try:
        if len(sys.argv) == 2 and Path(sys.argv[1]).is_dir():
            count = write_runtime(Path(sys.argv[1]))
            print(f"wrote the runtime ({count} files, {stdlib_mode()} standard library) into {sys.argv[1]}")
        elif len(sys.argv) == 1:
            version, mode = pyodide_version(), stdlib_mode()
            say = functools.partial(print, flush=True)
            if not (CACHE / sources_hash(version, mode) / STDLIB_NAME).is_file():
                say(f"building the {mode} standard library zip under Pyodide {version} in Node (about half a minute)")
            stdlib = cached_stdlib(version, mode)
            if removed := remove_old_staging():
                print(f"removed {len(removed)} files and folders that an older version staged into docs/assets/")
            say("compressing the runtime ahead into .cache/precompress/ (brotli 11: about a minute the first time)")
            compressed_files = compress_ahead(say)
            print(
                f"the runtime is ready: {stdlib.relative_to(ROOT)} ({stdlib_mode()} standard library),"
                f" {compressed_files} files compressed in .cache/precompress/"
            )
        else:
            sys.exit("usage: python scripts/stage_runtime.py [SITE_DIR]")
    except StagingError as error:
        sys.exit(f"stage_runtime: {error}")
