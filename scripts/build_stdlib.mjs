// Build the standard library zip the browser loads instead of Pyodide's python_stdlib.zip.
//
//   node scripts/build_stdlib.mjs INPUT.json OUTPUT.zip
//
// INPUT: {"mode": "trimmed" | "full", "widgets": {"widgets/x.py": "source", ...},
//         "requests": [...]}   (requests run through widgets.bridge.handle to load what they use)
//
// Runs under the pinned Pyodide in Node, so the .pyc files carry Python 3.14's magic number
// (the host's CPython is 3.11). "trimmed": every module loaded after Pyodide's own start-up,
// after importing every widgets module and running the requests, and after formatting a
// traceback, compiled to unchecked hash-based .pyc (no timestamps: the same input gives the
// same bytes); the standard library without docstrings and asserts (optimize=2), `widgets`
// as it is (its asserts run, as under CPython). "full": every file of the stock
// zip plus the widgets sources, as source, for debugging. Entries are stored uncompressed with
// a fixed date, in name order, so that brotli can work on the whole file.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const [inputFile, outputFile] = process.argv.slice(2);
const input = JSON.parse(readFileSync(inputFile, "utf8"));
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pyodideDir = path.join(root, "node_modules", "pyodide") + path.sep;

// Pyodide in Node falls back to a CDN for what it cannot find: refuse, so a build never reaches out.
globalThis.fetch = async (resource) => {
  throw new Error(`build_stdlib: no network access (asked for ${resource})`);
};

const { loadPyodide } = await import(path.join(pyodideDir, "pyodide.mjs"));
// PYTHONNODEBUGRANGES: the compiled files keep line numbers but not the column ranges that
// draw ^^^ under a failing expression in a traceback (about a fifth of each .pyc).
const pyodide = await loadPyodide({
  indexURL: pyodideDir,
  env: { PYTHONNODEBUGRANGES: "1" },
  stdout: () => {},
  stderr: (line) => console.error(line),
});

pyodide.globals.set("_widgets_sources", pyodide.toPy(input.widgets));
pyodide.globals.set("_requests", pyodide.toPy(input.requests.map((request) => JSON.stringify(request))));
pyodide.globals.set("_mode", input.mode);
pyodide.runPython(`
import sys

_started = set(sys.modules)  # what Pyodide's start-up loaded, before anything of ours
import os

for _name, _text in _widgets_sources.items():
    _file = "/tmp/app/" + _name
    os.makedirs(os.path.dirname(_file), exist_ok=True)
    with open(_file, "w", encoding="utf-8") as _handle:
        _handle.write(_text)
sys.path.insert(0, "/tmp/app")
import importlib

for _name in sorted(_widgets_sources):
    importlib.import_module(_name.removesuffix(".py").removesuffix("/__init__").replace("/", "."))
import widgets.bridge

_crashed = []
for _request in _requests:
    try:
        widgets.bridge.handle(_request)
    except Exception as _error:  # still loads what it needed; reported, the build goes on
        _crashed.append(f"{_request[:60]}...: {_error!r}")
`);
for (const line of pyodide.globals.get("_crashed").toJs()) console.error(`build_stdlib: a request raised ${line}`);
// A Python error reaching JavaScript is formatted by Pyodide with the traceback module: load it.
try {
  pyodide.runPython("raise ValueError('loaded for tracebacks')");
} catch (error) {
  /* expected */
}
const built = pyodide.runPython(`
import sys
_used = sorted(
    module.__spec__.origin
    for module in list(sys.modules.values())
    if getattr(module, "__spec__", None) and (module.__spec__.origin or "").startswith("/lib/python314.zip/")
)

import importlib.util
import marshal
import zipfile

STOCK = "/lib/python314.zip"
DATE = (1980, 1, 1, 0, 0, 0)


def compiled(name, source, filename, optimize):
    code = compile(source, filename, "exec", dont_inherit=True, optimize=optimize)
    flags = 0b01  # hash-based, unchecked: nothing to compare it with in the zip
    return (
        importlib.util.MAGIC_NUMBER
        + flags.to_bytes(4, "little")
        + importlib.util.source_hash(source)
        + marshal.dumps(code)
    )


entries = {}
with zipfile.ZipFile(STOCK) as stock:
    if _mode == "full":
        for info in stock.infolist():
            if not info.is_dir():
                entries[info.filename] = stock.read(info)
    else:
        for origin in _used:
            name = origin.removeprefix(STOCK + "/")
            entries[name.removesuffix(".py") + ".pyc"] = compiled(name, stock.read(name), origin, 2)
for name, text in _widgets_sources.items():
    source = text.encode("utf-8")
    if _mode == "full":
        entries[name] = source
    else:
        # widgets keeps its asserts, as under CPython: the same code either way.
        entries[name.removesuffix(".py") + ".pyc"] = compiled(name, source, STOCK + "/" + name, 0)

with zipfile.ZipFile("/tmp/stdlib.zip", "w", compression=zipfile.ZIP_STORED) as out:
    for name in sorted(entries):
        info = zipfile.ZipInfo(name, date_time=DATE)
        info.external_attr = 0o644 << 16
        out.writestr(info, entries[name])
len(entries)
`);
writeFileSync(outputFile, pyodide.FS.readFile("/tmp/stdlib.zip"));
console.log(`${built} modules`);
