// The page's side of the scoring engine: one Python worker for the whole visit, started on
// demand, asked with the requests of widgets/protocol.py. A definition is sent to it once, then
// named by its hash. When the engine fails, every pending call settles and `onChange` says so.
(() => {
  "use strict";

  const HERE = new URL(".", document.currentScript.src); // .../assets/widgets/
  const START_TIMEOUT_MS = 120000; // a start that takes longer than this is reported as failed
  const engine = { worker: null, state: "idle", error: "", ready: null, pending: new Map(), nextId: 1, sent: new Set(), onChange: () => {} };

  function setEngine(state, error = "") {
    Object.assign(engine, { state, error });
    engine.onChange();
  }

  function startEngine() {
    if (engine.ready) return engine.ready;
    Object.assign(engine, { sent: new Set(), again: engine.state === "failed" }); // again: a retry after a failure
    engine.ready = new Promise((resolve, reject) => {
      // "keep": the site keeps an offline copy, so the worker may keep a copy of Python too.
      const keep = document.querySelector('meta[name="handbook-offline"]')?.content === "on";
      let worker = null, watchdog = null;
      const fail = (message) => { // every pending call settles, and every status line says so
        clearTimeout(watchdog);
        worker?.terminate();
        engine.pending.forEach((call) => call.reject(new Error(message)));
        Object.assign(engine, { pending: new Map(), ready: null });
        setEngine("failed", message);
        reject(new Error(message));
      };
      const unloaded = "the scoring engine's files could not be loaded";
      try { // a page opened from a disk (file://) may not start a worker at all
        worker = engine.worker = new Worker(new URL("worker.mjs", HERE), { type: "module", name: keep ? "keep" : "" });
      } catch {
        return void setTimeout(() => fail(unloaded)); // once the state is "loading", below
      }
      // A module that fails to load only shows up here; without it the page waits for ever.
      worker.addEventListener("error", (event) => fail(event.preventDefault() || event.message || unloaded));
      watchdog = setTimeout(() => fail("it took more than two minutes to start"), START_TIMEOUT_MS);
      worker.addEventListener("message", ({ data }) => {
        const call = engine.pending.get(data.id);
        if (data.type === "reply") return void (engine.pending.delete(data.id), call?.resolve(data.reply));
        clearTimeout(watchdog);
        if (data.type === "ready") Object.assign(engine, { started: data.started, timings: data.timings }); // "fresh" or "snapshot"; ms of each step
        if (data.type === "ready") resolve(setEngine("ready"));
        else fail(data.error);
      });
    });
    engine.ready.catch(() => {});
    setEngine("loading"); // after `ready` is set, as a widget first seen here may ask at once
    return engine.ready;
  }

  async function ask({ hash, definition }, request) { // a tool's definition (its text and hash), and a request
    await startEngine();
    const post = (sent) => new Promise((resolve, reject) => {
      const id = engine.nextId++;
      engine.pending.set(id, { resolve, reject });
      engine.worker.postMessage({ id, request: { ...request, hash, ...sent } });
    });
    const known = engine.sent.has(hash);
    engine.sent.add(hash);
    const reply = await post(known ? {} : { definition });
    return reply.resend ? post({ definition }) : reply; // a worker that has let it go
  }

  const SITE_ROOT = new URL("../../", HERE).pathname; // the site's own root, sent with requests whose replies link to pages
  Object.assign((window.handbookGlue ||= {}), { engine, startEngine, ask, SITE_ROOT });
})();
