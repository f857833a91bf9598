// Run widgets.bridge.handle() under real Pyodide in Node, for the parity tests.
//
//   node run_cases.mjs INPUT.json OUTPUT.json
//
// INPUT: {"stdlib": "http://127.0.0.1:.../stdlib.zip", "requests": [...], "packages": [...]}
//   stdlib: the zip the site serves (standard library and widgets), loaded as the browser does;
//   null: Pyodide's own python_stdlib.zip
// OUTPUT: {"python": "3.14.x", "replies": [...], "load_errors": [...], "blocked": [...]}
//
// Any request to a host other than 127.0.0.1 is blocked and recorded: Pyodide in Node
// falls back to a CDN for a package it cannot find, and a test must see that, not pass.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const [inputFile, outputFile] = process.argv.slice(2);
const input = JSON.parse(readFileSync(inputFile, "utf8"));
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pyodideDir = path.join(root, "node_modules", "pyodide") + path.sep;

const blocked = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (resource, options) => {
  const url = String(resource instanceof Request ? resource.url : resource);
  if (!/^(https?:\/\/127\.0\.0\.1[:/]|file:)/.test(url)) {
    blocked.push(url);
    throw new Error(`blocked request to another origin: ${url}`);
  }
  return realFetch(resource, options);
};

const { loadPyodide } = await import(path.join(pyodideDir, "pyodide.mjs"));
const pyodide = await loadPyodide({ indexURL: pyodideDir, ...(input.stdlib ? { stdLibURL: input.stdlib } : {}), stdout: () => {}, stderr: () => {} });
const loadErrors = [];
const load = async (name) =>
  pyodide.loadPackage(name, { messageCallback: () => {}, errorCallback: (message) => loadErrors.push(message) });

for (const name of input.packages || []) await load(name);

const replies = [];
if (!loadErrors.length && input.requests.length) {
  const handle = pyodide.pyimport("widgets.bridge").handle;
  for (const request of input.requests) replies.push(JSON.parse(handle(JSON.stringify(request))));
}
const python = pyodide.runPython("import sys; sys.version.split()[0]");
// Where widgets came from (none on Pyodide's own zip).
const where = pyodide.runPython(`
try:
    import widgets
    _where = widgets.__file__
except ImportError:
    _where = None
_where
`);
// Each module named in input.modules, imported under this runtime: those that fail, and why.
pyodide.globals.set("_modules", pyodide.toPy(input.modules || []));
const unimportable = pyodide.runPython(`
import importlib
_failed = []
for _name in _modules:
    try:
        importlib.import_module(_name)
    except Exception as _error:
        _failed.append(f"{_name}: {_error!r}")
_failed
`).toJs();
writeFileSync(outputFile, JSON.stringify({ python, where, replies, load_errors: loadErrors, blocked, unimportable }));
