// The one Python of a visit: a module worker that loads the self-hosted Pyodide and the
// `widgets` wheel, then answers requests. It holds no logic of its own: every request is
// passed to widgets.bridge.handle() as JSON and the reply is posted back as it is.
import { loadPyodide } from "../pyodide/pyodide.mjs";

const here = new URL(".", import.meta.url);

async function start() {
  // runtime.json names the current wheel; fetch it while the interpreter starts.
  const runtimeReady = fetch(new URL("runtime.json", here), { cache: "no-cache" }).then((response) => {
    if (!response.ok) throw new Error(`runtime.json: HTTP ${response.status}`);
    return response.json();
  });
  const [runtime, pyodide] = await Promise.all([
    runtimeReady,
    loadPyodide({ indexURL: new URL("../pyodide/", here).href }),
  ]);
  const problems = [];
  // loadPackage reports a failed fetch through errorCallback and still resolves.
  await pyodide.loadPackage(new URL(runtime.wheel, here).href, {
    messageCallback: () => {},
    errorCallback: (message) => problems.push(message),
  });
  if (problems.length) throw new Error(problems.join("; "));
  return pyodide.pyimport("widgets.bridge").handle;
}

const ready = start();
ready.then(
  () => postMessage({ type: "ready" }),
  (error) => postMessage({ type: "failed", error: String(error && error.message || error) }),
);

onmessage = async ({ data }) => {
  let reply;
  try {
    const handle = await ready;
    reply = JSON.parse(handle(JSON.stringify(data.request)));
  } catch (error) {
    reply = { ok: false, error: String(error && error.message || error) };
  }
  postMessage({ type: "reply", id: data.id, reply });
};
