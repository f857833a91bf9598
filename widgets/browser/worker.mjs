// The one Python of a visit: a module worker that loads the self-hosted Pyodide with the
// site's own standard library zip (which holds `widgets` too), then answers requests. It holds
// no logic of its own: every request is passed to widgets.bridge.handle() as JSON and the
// reply is posted back as it is.
//
// Return visits start from a memory snapshot: where the page allows it (it names its worker
// "keep" when the site keeps an offline copy: a name, since a worker script served by the
// service worker has its cached URL, which has no fragment or query), the first start copies
// Python's memory right after `widgets` is imported, before any request (so no answer, name or
// file of the reader's is in it), and stores it compressed in Cache Storage once the worker is
// idle. The next start loads that copy instead of starting Python afresh. The copy is keyed by
// the standard library zip's hash and the Pyodide version (Pyodide also checks its build id),
// so a rebuilt site never uses a stale one; older copies are deleted when a new one is kept,
// and a copy that fails to load is deleted and Python starts afresh.
import { loadPyodide } from "../pyodide/pyodide.mjs";

const here = new URL(".", import.meta.url);
const root = new URL("../../", here); // the site root: sw.js's scope
const SNAPSHOTS = `handbook:${root.href}:snapshot`; // sw.js and offline.js know this name too
const keep = self.name === "keep" && "caches" in self && "CompressionStream" in self;
const IDLE_MS = 1000; // the copy is compressed and stored once no request has come for this long

let started = "fresh"; // or "snapshot": reported with "ready", for the page and its tests
// When each step of the start ended, in ms since the worker's own start: reported with "ready",
// for the benchmark (runtime.json read, the kept copy read and unzipped, Python started, widgets imported).
const timings = { origin: performance.timeOrigin };
const mark = (step) => (timings[step] = Math.round(performance.now()));
let pendingSnapshot = null; // { cache, key, bytes } until stored
let idleTimer;

async function readSnapshot(cache, key) {
  const hit = await cache.match(key);
  if (!hit) return null;
  const unzipped = new Response(hit.body.pipeThrough(new DecompressionStream("gzip")));
  return new Uint8Array(await unzipped.arrayBuffer());
}

async function storeSnapshot() {
  const { cache, key, bytes } = pendingSnapshot;
  pendingSnapshot = null;
  try {
    const zipped = await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"))).blob();
    await cache.put(key, new Response(zipped, { headers: { "Content-Type": "application/octet-stream" } }));
    for (const request of await cache.keys()) if (request.url !== key) await cache.delete(request);
  } catch (error) {
    console.warn("The handbook could not keep a copy of Python for faster starts:", error);
  }
}

function storeWhenIdle() {
  if (!pendingSnapshot) return;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(storeSnapshot, IDLE_MS);
}

async function start() {
  // runtime.json names the current zip: the standard library, trimmed and precompiled, and
  // `widgets` (see scripts/stage_runtime.py). Nothing else needs installing.
  const response = await fetch(new URL("runtime.json", here), { cache: "no-cache" });
  if (!response.ok) throw new Error(`runtime.json: HTTP ${response.status}`);
  const runtime = await response.json();
  mark("runtime");
  const options = {
    indexURL: new URL("../pyodide/", here).href,
    stdLibURL: new URL(runtime.stdlib, here).href,
  };
  const cache = keep ? await caches.open(SNAPSHOTS).catch(() => null) : null;
  const key = new URL(`snapshot/${runtime.sha256}-${runtime.pyodide}.gz`, here).href;
  if (cache) {
    const saved = await readSnapshot(cache, key).catch(() => null);
    mark("snapshot_read");
    if (saved) {
      try {
        const pyodide = await loadPyodide({ ...options, _loadSnapshot: saved });
        mark("python");
        started = "snapshot";
        const handle = pyodide.pyimport("widgets.bridge").handle;
        mark("widgets");
        return handle;
      } catch (error) {
        console.warn("The kept copy of Python could not be used; starting afresh:", error);
        await cache.delete(key).catch(() => {});
      }
    }
  }
  const pyodide = await loadPyodide({ ...options, _makeSnapshot: Boolean(cache) });
  mark("python");
  pyodide.runPython("import widgets.bridge");
  mark("widgets");
  if (cache) {
    try {
      pendingSnapshot = { cache, key, bytes: pyodide.makeMemorySnapshot() };
    } catch (error) {
      console.warn("The handbook could not copy Python for faster starts:", error);
    }
  }
  return pyodide.pyimport("widgets.bridge").handle;
}

const describe = (error) => String((error && error.message) || error);
let settled = false;
const settle = (message) => {
  if (!settled) postMessage(message);
  settled = true;
};
// Pyodide 314 catches a failure to fetch or compile its WebAssembly (a missing file, a
// policy that forbids compiling), logs it with console.warn and never settles loadPyodide.
// Watch for that warning and the error logged after it, and report a failed start.
const warn = console.warn.bind(console);
let wasmFailed = false;
console.warn = (...args) => {
  warn(...args);
  if (settled) return;
  if (args[0] === "wasm instantiation failed!") wasmFailed = true;
  else if (wasmFailed) settle({ type: "failed", error: `the WebAssembly runtime did not load: ${describe(args[0])}` });
};
// A standard library zip that cannot be fetched is only logged by Pyodide ("Error occurred
// while installing the standard library"), and Python then never starts: report it.
const error = console.error.bind(console);
console.error = (...args) => {
  error(...args);
  if (!settled && String(args[0]).startsWith("Error occurred while installing the standard library")) {
    settle({ type: "failed", error: "the Python standard library did not load" });
  }
};
self.addEventListener("unhandledrejection", (event) => settle({ type: "failed", error: describe(event.reason) }));

const ready = start();
ready.then(
  () => {
    settle({ type: "ready", started, timings });
    storeWhenIdle();
  },
  (error) => settle({ type: "failed", error: describe(error) }),
);

onmessage = async ({ data }) => {
  let reply;
  try {
    const handle = await ready;
    reply = JSON.parse(handle(JSON.stringify(data.request)));
  } catch (error) {
    // Python replies with its own errors; anything thrown here is a fault: the detail goes
    // to the console, the reader gets a plain message (the text widgets.bridge.ENGINE_FAULT has),
    // as a reply whose one effect is to say it (widgets/protocol.py).
    console.error(error);
    reply = { say: "Something went wrong in the scoring engine; your answers are kept." };
  }
  postMessage({ type: "reply", id: data.id, reply });
  storeWhenIdle();
};
