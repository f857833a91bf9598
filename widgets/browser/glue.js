// Browser glue for the handbook's self-assessments. It only moves data and paints:
// answers go from the form to localStorage and to the Python worker; the HTML that Python
// returns goes into the page. Scoring, banding and advice all live in the `widgets` package.
(() => {
  "use strict";

  const HERE = new URL(".", document.currentScript.src); // .../assets/widgets/
  const SITE_ROOT = new URL("../../", HERE).pathname;
  const STORE_PREFIX = "handbook:answers:";
  const SCHEMA = 1;

  // -- one worker for the whole visit -----------------------------------------------------

  const engine = {
    worker: null,
    state: "idle", // idle | loading | ready | failed
    error: "",
    ready: null,
    pending: new Map(),
    nextId: 1,
    listeners: new Set(),
  };

  function setEngineState(state, error = "") {
    engine.state = state;
    engine.error = error;
    engine.listeners.forEach((listener) => listener());
  }

  function startEngine() {
    if (engine.ready) return engine.ready;
    setEngineState("loading");
    engine.ready = new Promise((resolve, reject) => {
      const worker = new Worker(new URL("worker.mjs", HERE), { type: "module" });
      engine.worker = worker;
      const fail = (message) => {
        worker.terminate();
        engine.pending.forEach(({ reject: rejectCall }) => rejectCall(new Error(message)));
        engine.pending.clear();
        engine.ready = null;
        setEngineState("failed", message);
        reject(new Error(message));
      };
      // A module that fails to load only shows up here; without it the page waits for ever.
      worker.addEventListener("error", (event) => {
        event.preventDefault();
        fail(event.message || "the scoring engine's files could not be loaded");
      });
      worker.addEventListener("message", ({ data }) => {
        if (data.type === "ready") {
          setEngineState("ready");
          resolve();
        } else if (data.type === "failed") {
          fail(data.error);
        } else if (data.type === "reply") {
          const call = engine.pending.get(data.id);
          engine.pending.delete(data.id);
          if (call) call.resolve(data.reply);
        }
      });
    });
    engine.ready.catch(() => {});
    return engine.ready;
  }

  async function ask(request) {
    await startEngine();
    const id = engine.nextId++;
    return new Promise((resolve, reject) => {
      engine.pending.set(id, { resolve, reject });
      engine.worker.postMessage({ id, request });
    });
  }

  // -- storage ----------------------------------------------------------------------------

  function loadSaved(assessmentId) {
    try {
      const raw = localStorage.getItem(STORE_PREFIX + assessmentId);
      if (!raw) return { answers: {} };
      const saved = JSON.parse(raw);
      if (!saved || saved.schema !== SCHEMA || typeof saved.answers !== "object" || !saved.answers) {
        throw new Error("not in the expected form");
      }
      return { answers: saved.answers };
    } catch (error) {
      return { answers: {}, problem: `Saved answers could not be read (${error.message}) and were ignored.` };
    }
  }

  function save(assessmentId, version, answers) {
    try {
      const record = { schema: SCHEMA, assessment: assessmentId, version, answers, saved: new Date().toISOString() };
      localStorage.setItem(STORE_PREFIX + assessmentId, JSON.stringify(record));
      return "";
    } catch (error) {
      return "Your browser is not letting this page save answers, so they will be lost when you leave.";
    }
  }

  function forget(assessmentId) {
    try {
      localStorage.removeItem(STORE_PREFIX + assessmentId);
    } catch (error) {
      /* nothing stored, nothing to forget */
    }
  }

  // -- one widget -------------------------------------------------------------------------

  function formAnswers(form) {
    const answers = {};
    for (const [name, value] of new FormData(form)) answers[name] = value;
    return answers;
  }

  function restore(form, answers) {
    const unmatched = {};
    for (const [name, value] of Object.entries(answers)) {
      const field = form.elements.namedItem(name);
      const choice = field && [...(field.length === undefined ? [field] : field)].find((input) => input.value === String(value));
      if (choice) choice.checked = true;
      else unmatched[name] = value;
    }
    return unmatched;
  }

  function bind(root) {
    if (root.dataset.bound) return;
    root.dataset.bound = "yes";
    const id = root.dataset.assessment;
    const version = Number(root.dataset.version);
    const definition = JSON.parse(root.querySelector("script.assessment-definition").textContent);
    const form = root.querySelector("form");
    const status = root.querySelector(".assessment-status");
    const result = root.querySelector(".assessment-result");
    const retry = root.querySelector("[data-action=retry]");
    let latest = 0;
    let notice = "";

    const saved = loadSaved(id);
    notice = saved.problem || "";
    let unmatched = restore(form, saved.answers);

    const say = (text) => {
      status.textContent = [text, notice].filter(Boolean).join(" ");
    };

    const paintEngine = () => {
      retry.hidden = engine.state !== "failed";
      root.dataset.engine = engine.state;
      if (engine.state === "loading") say("Loading the scoring engine. The first time can take a few seconds.");
      if (engine.state === "failed") {
        say(`The scoring engine could not start (${engine.error}). Your answers are still saved on this device. Check your connection to the site and try again.`);
      }
    };
    engine.listeners.add(paintEngine);

    const refresh = async () => {
      const request = { action: "score", definition, answers: { ...unmatched, ...formAnswers(form) }, base: SITE_ROOT };
      const mine = ++latest;
      let reply;
      try {
        reply = await ask(request);
      } catch (error) {
        return; // shown through the engine state
      }
      if (mine !== latest || !root.isConnected) return;
      if (!reply.ok) {
        say(`Your result could not be worked out: ${reply.error}`);
        return;
      }
      result.innerHTML = reply.result.html;
      result.hidden = false;
      say(reply.result.announce);
    };

    form.addEventListener("change", () => {
      unmatched = {};
      const problem = save(id, version, formAnswers(form));
      if (problem) notice = problem;
      refresh();
    });
    // The first touch of any widget starts Python, so it is ready by the first answer.
    root.addEventListener("focusin", () => startEngine().catch(() => {}), { once: true });
    root.addEventListener("pointerdown", () => startEngine().catch(() => {}), { once: true });
    root.querySelector("[data-action=show]").addEventListener("click", () => {
      refresh().then(() => result.focus());
    });
    retry.addEventListener("click", () => refresh());
    root.querySelector("[data-action=clear]").addEventListener("click", () => {
      if (!window.confirm("Clear all your answers to this assessment? This cannot be undone.")) return;
      form.reset();
      unmatched = {};
      forget(id);
      result.innerHTML = "";
      result.hidden = true;
      latest++;
      notice = "";
      say("Your answers have been cleared from this device.");
    });

    paintEngine();
    // Python already running (a later page of the same visit): show the result at once.
    if (engine.state === "ready" && Object.keys(saved.answers).length) refresh();
  }

  function bindAll() {
    document.querySelectorAll(".assessment[data-assessment]").forEach(bind);
  }

  if (window.document$) window.document$.subscribe(bindAll);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bindAll);
  else bindAll();
})();
