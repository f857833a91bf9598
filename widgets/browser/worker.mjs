// The one Python of a visit: a module worker that loads the self-hosted Pyodide with the
// site's own standard library zip (which holds `widgets` too), then answers requests. It holds no logic of its own: every request is
// passed to widgets.bridge.handle() as JSON and the reply is posted back as it is.
import { loadPyodide } from "../pyodide/pyodide.mjs";

const here = new URL(".", import.meta.url);

async function start() {
  // runtime.json names the current zip: the standard library, trimmed and precompiled, and
  // `widgets` (see scripts/stage_runtime.py). Nothing else needs installing.
  const response = await fetch(new URL("runtime.json", here), { cache: "no-cache" });
  if (!response.ok) throw new Error(`runtime.json: HTTP ${response.status}`);
  const runtime = await response.json();
  const pyodide = await loadPyodide({
    indexURL: new URL("../pyodide/", here).href,
    stdLibURL: new URL(runtime.stdlib, here).href,
  });
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
  () => settle({ type: "ready" }),
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
};
