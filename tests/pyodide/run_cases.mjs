// Run widgets.bridge.handle() under real Pyodide in Node, for the parity tests.
//
//   node run_cases.mjs INPUT.json OUTPUT.json
//
// INPUT: {"wheel": "http://127.0.0.1:.../x.whl", "requests": [...], "packages": [...]}
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
const pyodide = await loadPyodide({ indexURL: pyodideDir, stdout: () => {}, stderr: () => {} });
const loadErrors = [];
const load = async (name) =>
  pyodide.loadPackage(name, { messageCallback: () => {}, errorCallback: (message) => loadErrors.push(message) });

await load(input.wheel);
for (const name of input.packages || []) await load(name);

const replies = [];
if (!loadErrors.length) {
  const handle = pyodide.pyimport("widgets.bridge").handle;
  for (const request of input.requests) replies.push(JSON.parse(handle(JSON.stringify(request))));
}
const python = pyodide.runPython("import sys; sys.version.split()[0]");
const where = pyodide.runPython("import widgets; widgets.__file__");
writeFileSync(outputFile, JSON.stringify({ python, where, replies, load_errors: loadErrors, blocked }));
