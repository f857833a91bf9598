// Browser glue for the handbook's self-assessments. It only moves data and paints:
// answers go from the form to localStorage and to the Python worker; the HTML that Python
// returns goes into the page. Scoring, banding and advice all live in the `widgets` package.
(() => {
  "use strict";

  const HERE = new URL(".", document.currentScript.src); // .../assets/widgets/
  const SITE_ROOT = new URL("../../", HERE).pathname;
  const STORE_PREFIX = "handbook:answers:";
  const SCHEMA = 1;
  const START_TIMEOUT_MS = 120000; // a start that takes longer than this is reported as failed

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
      // "#keep": the site keeps an offline copy, so the worker may keep a copy of Python too.
      const keep = document.querySelector('meta[name="handbook-offline"]')?.content === "on";
      const worker = new Worker(new URL(keep ? "worker.mjs#keep" : "worker.mjs", HERE), { type: "module" });
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
      const watchdog = setTimeout(() => fail("it took more than two minutes to start"), START_TIMEOUT_MS);
      worker.addEventListener("message", ({ data }) => {
        if (data.type !== "reply") clearTimeout(watchdog);
        if (data.type === "ready") {
          engine.started = data.started; // "fresh" or "snapshot"
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
  // One record per assessment: {schema, assessment, version, answers: {questionId: value}}.
  // Every read and write goes through `store`, whose one rule is: nothing a reader stored is
  // removed or overwritten unless a copy of it is confirmed, or the reader asked. When no copy
  // can be made, the record is left as it is and the widget works without saving, and says so.

  const SET_ASIDE_PREFIX = "handbook:set-aside:";
  const NOT_SAVING = "This browser is not saving your answers (its storage is full or switched off), so they will be lost when you leave this page. The assessment still works.";
  const LEFT_IN_PLACE = "They are left as they were, because this browser could not keep a copy of them, so the answers you give on this page are not being saved.";

  const store = {
    get(key) { // the stored text; null when there is none, undefined when storage cannot be read
      try { return localStorage.getItem(key); } catch (error) { return undefined; }
    },
    put(key, text) { // true only once the text is stored and reads back the same
      try {
        localStorage.setItem(key, text);
        return localStorage.getItem(key) === text;
      } catch (error) {
        return false;
      }
    },
    copy(key, text) { // a confirmed copy of `text` under a new set-aside key, or false
      const name = `${SET_ASIDE_PREFIX}${key.replace(/^handbook:(answers:)?/, "")}:${new Date().toISOString()}`;
      let aside = name;
      for (let n = 2; typeof store.get(aside) === "string"; n++) aside = `${name}-${n}`; // never over an earlier copy
      return store.put(aside, text);
    },
    move(key, text) { // copy aside, then remove the original; false (and nothing changed) if no copy
      if (!store.copy(key, text)) return false;
      return store.remove(key);
    },
    remove(key) { // only after a confirmed copy, or when the reader asked
      try {
        localStorage.removeItem(key);
        return true;
      } catch (error) {
        return false;
      }
    },
  };

  function loadSaved(assessmentId) {
    const key = STORE_PREFIX + assessmentId;
    const raw = store.get(key);
    if (raw === undefined) return { answers: {}, problem: NOT_SAVING, saving: false };
    if (!raw) return { answers: {}, saving: true };
    let saved;
    try {
      saved = JSON.parse(raw);
    } catch (error) {
      saved = null;
    }
    const usable = saved && typeof saved === "object" && saved.schema === SCHEMA &&
      saved.assessment === assessmentId && saved.answers && typeof saved.answers === "object" &&
      !Array.isArray(saved.answers);
    if (!usable) {
      if (store.move(key, raw)) return { answers: {}, saving: true, problem: "Answers saved earlier could not be read, so they have been set aside and the form starts empty." };
      return { answers: {}, saving: false, problem: `Answers saved earlier could not be read. ${LEFT_IN_PLACE}` };
    }
    const answers = {};
    const odd = [];
    for (const [name, value] of Object.entries(saved.answers)) {
      if (typeof value === "string" || typeof value === "number") answers[name] = String(value);
      else if (Array.isArray(value) && value.every((item) => typeof item === "string")) answers[name] = value;
      else odd.push(name); // of a type no form field gives: set aside with the rest below
    }
    return { answers, raw, odd, saving: true };
  }

  function save(state) {
    if (!state.saving) return state.notice;
    const record = { schema: SCHEMA, assessment: state.id, version: state.version, answers: formAnswers(state.form), saved: new Date().toISOString() };
    return store.put(STORE_PREFIX + state.id, JSON.stringify(record)) ? "" : NOT_SAVING;
  }

  // -- one widget -------------------------------------------------------------------------

  function formAnswers(form) {
    const answers = {};
    for (const [name, value] of new FormData(form)) {
      if (value === "") continue;
      const field = form.elements.namedItem(name);
      const ticks = field && field.length !== undefined && field[0] && field[0].type === "checkbox";
      if (ticks) (answers[name] = answers[name] || []).push(value); // a multiple choice: a list
      else answers[name] = value;
    }
    return answers;
  }

  // A rows question grows by copying its last row with the next index in every name.
  function addRow(table) {
    const body = table.querySelector("tbody");
    const rows = body.querySelectorAll("tr");
    if (rows.length >= Number(table.dataset.maxRows)) return null;
    const row = rows[rows.length - 1].cloneNode(true);
    const index = rows.length;
    row.querySelectorAll("[name]").forEach((field) => {
      field.name = field.name.replace(/\.\d+\./, `.${index}.`);
      field.setAttribute("aria-label", field.getAttribute("aria-label").replace(/row \d+$/, `row ${index + 1}`));
      field.value = "";
    });
    row.querySelectorAll("button[aria-label]").forEach((button) => {
      button.setAttribute("aria-label", button.getAttribute("aria-label").replace(/row \d+$/, `row ${index + 1}`));
    });
    body.append(row);
    return row;
  }

  function restore(form, answers) {
    const unmatched = {};
    for (const [name, value] of Object.entries(answers)) {
      const [rowsId, index, column] = name.split(".");
      const table = /^\d+$/.test(index || "") && form.querySelector(`[data-rows="${CSS.escape(rowsId)}"]`);
      const known = table && table.querySelector(`[name="${CSS.escape(`${rowsId}.0.${column}`)}"]`);
      while (known && !form.elements.namedItem(name) && addRow(table));
      const field = form.elements.namedItem(name);
      if (field instanceof HTMLSelectElement) {
        if (field.value) continue;
        if ([...field.options].some((option) => option.value === String(value))) field.value = String(value);
        else unmatched[name] = value;
        continue;
      }
      if (field instanceof HTMLInputElement && field.type === "text") {
        if (!field.value) field.value = String(value);
        continue;
      }
      if (field instanceof HTMLTextAreaElement) {
        if (!field.value) field.value = String(value); // a note: kept as written
        continue;
      }
      const inputs = field ? [...(field.length === undefined ? [field] : field)] : [];
      if (inputs.some((input) => input.checked)) continue; // the reader got there first
      if (Array.isArray(value)) {
        const boxes = value.map((item) => inputs.find((input) => input.type === "checkbox" && input.value === item));
        if (boxes.every(Boolean)) boxes.forEach((box) => { box.checked = true; });
        else unmatched[name] = value;
        continue;
      }
      const choice = inputs.find((input) => input.value === String(value));
      if (choice) choice.checked = true;
      else unmatched[name] = value;
    }
    return unmatched;
  }

  // Each widget's state, made the first time the widget is seen. Events are handled once,
  // at the document, so a widget works from the moment it is on the page, whatever order
  // Material's instant navigation swaps content and announces it in.
  const widgets = new WeakMap();

  function widget(root) {
    let state = widgets.get(root);
    if (state) return state;
    const saved = loadSaved(root.dataset.assessment);
    state = {
      root,
      id: root.dataset.assessment,
      version: Number(root.dataset.version),
      definition: JSON.parse(root.dataset.definition),
      form: root.querySelector("form"),
      status: root.querySelector(".assessment-status"),
      result: root.querySelector(".assessment-result"),
      retry: root.querySelector("[data-action=retry]"),
      latest: 0,
      notice: saved.problem || "",
      saving: saved.saving,
      team: root.querySelector(".assessment-team-result"),
      teamStatus: root.querySelector(".assessment-team-status"),
      teamFiles: null, // the files last combined, kept for the team's action plan
      teamLinks: [],
      teamRounds: [],
      combining: Promise.resolve(), // team updates run one after another, so none is lost
    };
    widgets.set(root, state);
    const unmatched = Object.keys(restore(state.form, saved.answers));
    const odd = saved.odd || [];
    if (unmatched.length || odd.length) {
      // Keep what still fits; the whole record is copied aside before the next save replaces it.
      const parts = [];
      if (unmatched.length) parts.push(`This assessment has changed since you last used it. Saved answers that no longer fit it (${unmatched.join(", ")})`);
      if (odd.length) parts.push(`${unmatched.length ? "Saved answers" : "Some saved answers"} that could not be read (${odd.join(", ")})`);
      state.saving = store.copy(STORE_PREFIX + state.id, saved.raw);
      if (state.saving) {
        save(state);
        state.notice = `${parts.join(". ")} were set aside. Your other answers are kept.`;
      } else {
        state.notice = `${parts.join(". ")} could not be used. ${LEFT_IN_PLACE}`;
      }
    }
    paintEngine(state);
    paintProgress(state);
    if (state.notice && engine.state === "idle") say(state, "");
    // Saved answers: show their result on return, without a click (this starts Python).
    const mine = store.get(MINE_PREFIX + state.id);
    try {
      const kept = typeof mine === "string" ? JSON.parse(mine) : null;
      if (kept && kept.schema === SCHEMA && Array.isArray(kept.rounds)) state.mine = kept.rounds;
    } catch (error) {
      /* unreadable: left where it is, and not used */
    }
    if (engine.state !== "failed" && Object.keys(formAnswers(state.form)).length) refresh(state);
    if (state.team) restoreTeam(state);
    if (state.team && location.hash.startsWith("#answers=")) offerLink(state, location.hash.slice(1));
    return state;
  }

  function say(state, text) {
    state.status.textContent = [text, state.notice].filter(Boolean).join(" ");
  }

  function paintEngine(state) {
    state.retry.hidden = engine.state !== "failed";
    state.root.dataset.engine = engine.state;
    if (engine.started) state.root.dataset.engineStart = engine.started;
    if (engine.state === "loading") say(state, "Loading the scoring engine. The first time can take a few seconds.");
    if (engine.state === "ready" && state.result.hidden) say(state, "Results appear below the questions as you answer. Your answers are saved as you go.");
    if (engine.state === "failed") {
      say(state, `Your results cannot be shown: the scoring engine did not load (${engine.error}). Your answers are kept on this device, and you can still read, answer and print the statements. Select "Try again", or ask whoever runs this site to check its set-up (see "Hosting on an intranet").`);
    }
  }

  async function refresh(state) {
    const request = {
      action: "score", definition: state.definition, answers: formAnswers(state.form), base: SITE_ROOT,
      rounds: state.mine || [], today: isoToday(),
    };
    const mine = ++state.latest;
    let reply;
    try {
      reply = await ask(request);
    } catch (error) {
      return; // shown through the engine state
    }
    if (mine !== state.latest || !state.root.isConnected) return;
    if (!reply.ok) {
      say(state, `Your result could not be worked out: ${reply.error}`);
      return;
    }
    state.result.innerHTML = reply.result.html;
    state.result.hidden = false;
    restorePlan(state, state.result);
    say(state, reply.result.announce);
  }

  // -- files in and out: team answers and action plans -----------------------------------

  const PLAN_PREFIX = "handbook:plan:";
  const READ_CAP = 1000000; // characters read from a file at most; Python judges the rest

  function download(filename, text, type) {
    const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
    const link = Object.assign(document.createElement("a"), { href: url, download: filename });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function planKey(state, source) {
    return `${PLAN_PREFIX}${state.id}:${source}`;
  }

  function planFields(section) {
    const filled = {};
    section.querySelectorAll("tr[data-plan-key]").forEach((row) => {
      const values = {};
      row.querySelectorAll("[data-plan-field]").forEach((input) => { values[input.dataset.planField] = input.value; });
      filled[row.dataset.planKey] = values;
    });
    return filled;
  }

  function restorePlan(state, container) {
    const section = container.querySelector(".action-plan");
    if (!section) return;
    const key = planKey(state, section.dataset.planSource);
    const raw = store.get(key);
    let filled = null;
    try {
      filled = JSON.parse(raw || "{}");
    } catch (error) {
      filled = null;
    }
    if (!filled || typeof filled !== "object") {
      // Unreadable plan details: copied aside before typing replaces them, or left alone.
      filled = {};
      if (!store.copy(key, raw)) section.dataset.planSaving = "no";
    }
    section.querySelectorAll("tr[data-plan-key]").forEach((row) => {
      const values = filled[row.dataset.planKey] || {};
      row.querySelectorAll("[data-plan-field]").forEach((input) => {
        if (typeof values[input.dataset.planField] === "string") input.value = values[input.dataset.planField];
      });
    });
  }

  function savePlan(state, section) {
    // A failure is shown by the answers' storage notice already.
    if (section.dataset.planSaving !== "no") store.put(planKey(state, section.dataset.planSource), JSON.stringify(planFields(section)));
  }

  async function exportAnswers(state) {
    const member = state.root.querySelector(".assessment-member").value;
    const group = state.root.querySelector(".assessment-group").value;
    const reply = await ask({ action: "export", definition: state.definition, answers: formAnswers(state.form), member, group });
    if (!reply.ok) return void (state.teamStatus.textContent = `Your answers could not be exported: ${reply.error}`);
    download(reply.result.filename, reply.result.text, "application/json");
    state.teamStatus.textContent = `Downloaded ${reply.result.filename}. Share it with whoever is combining the team's answers.`;
  }

  // -- the team view: files, links and rounds, kept until the reader clears them ----------

  const TEAM_PREFIX = "handbook:team:";

  function teamInputs(state) {
    return { files: state.teamFiles || [], links: state.teamLinks, rounds: state.teamRounds };
  }

  function keepTeam(state) {
    if (state.teamUnreadable) return " An earlier team view that could not be read is kept as it was, so this one is not kept.";
    if (store.put(TEAM_PREFIX + state.id, JSON.stringify({ schema: SCHEMA, ...teamInputs(state) }))) return "";
    return " This browser could not keep the team view: it will be gone when you leave the page.";
  }

  function restoreTeam(state) {
    const raw = store.get(TEAM_PREFIX + state.id);
    if (typeof raw !== "string") return;
    let kept = null;
    try {
      kept = JSON.parse(raw);
    } catch (error) {
      kept = null;
    }
    const lists = kept && kept.schema === SCHEMA && ["files", "links", "rounds"].every((k) => Array.isArray(kept[k]));
    if (!lists) {
      if (store.move(TEAM_PREFIX + state.id, raw)) {
        state.teamStatus.textContent = "A team view kept earlier could not be read, so it has been set aside.";
      } else {
        state.teamUnreadable = true;
        state.teamStatus.textContent = "A team view kept earlier could not be read. It is left as it was, and this page cannot keep a new one.";
      }
      return;
    }
    state.teamFiles = kept.files;
    state.teamLinks = kept.links;
    state.teamRounds = kept.rounds;
    combine(state, {}, "Showing the team view kept on this device…");
  }

  // Adds files, links or rounds and asks Python for the team view. Each addition is
  // accepted or refused by Python item by item; a failed reply adds nothing.
  function combine(state, added, message = "Combining answers…") {
    state.combining = state.combining.then(async () => {
      const next = {
        files: [...(state.teamFiles || []), ...(added.files || [])],
        links: [...state.teamLinks, ...(added.links || [])],
        rounds: [...state.teamRounds, ...(added.rounds || [])],
      };
      state.teamStatus.textContent = message;
      const names = [...(added.files || []), ...(added.links || []), ...(added.rounds || [])].map((item) => item.name).join(", ");
      const notAdded = names ? `Not added: ${names}.` : "The team view could not be shown.";
      let reply;
      try {
        reply = await ask({ action: "team", definition: state.definition, ...next, base: SITE_ROOT, today: isoToday() });
      } catch (error) {
        state.teamStatus.textContent = `${notAdded} The scoring engine is not running (${error.message}). Your answers are kept.`;
        return;
      }
      if (!reply.ok) return void (state.teamStatus.textContent = `${notAdded} ${reply.error}`);
      const keep = (list, indices) => list.filter((item, index) => indices.includes(index));
      state.teamFiles = keep(next.files, reply.result.accepted);
      state.teamLinks = keep(next.links, reply.result.accepted_links);
      state.teamRounds = keep(next.rounds, reply.result.accepted_rounds);
      state.team.innerHTML = reply.result.html;
      state.team.hidden = false;
      restorePlan(state, state.team);
      state.teamStatus.textContent = reply.result.announce + keepTeam(state);
    });
    return state.combining;
  }

  // A file that cannot be read is sent as null, so Python names it in its refusal.
  const readFiles = (input) => Promise.all([...input.files].map(async (file) => ({
    name: file.name,
    size: file.size,
    text: await file.slice(0, READ_CAP).text().catch(() => null),
  })));

  async function importFiles(state, input) {
    const files = await readFiles(input);
    input.value = "";
    return combine(state, { files });
  }

  async function importRounds(state, input) {
    const rounds = await readFiles(input);
    input.value = "";
    return combine(state, { rounds }, "Comparing with the earlier round…");
  }

  function addLink(state, text, name) {
    // The whole pasted address goes to Python, which reads the part after the "#".
    return combine(state, { links: [{ name: name || `link ${state.teamLinks.length + 1}`, fragment: String(text) }] });
  }

  async function copyLink(state) {
    const member = state.root.querySelector(".assessment-member").value;
    const group = state.root.querySelector(".assessment-group").value;
    const reply = await ask({ action: "link", definition: state.definition, answers: formAnswers(state.form), member, group });
    if (!reply.ok) return void (state.teamStatus.textContent = `The link could not be made: ${reply.error}`);
    const url = `${location.origin}${location.pathname}#${reply.result.fragment}`;
    const output = state.root.querySelector(".assessment-link-output");
    output.value = url;
    output.hidden = false;
    output.labels.forEach((label) => { label.hidden = false; });
    try {
      await navigator.clipboard.writeText(url);
      state.teamStatus.textContent = `The link is copied (${url.length} characters). Send it to whoever is combining the team's answers.`;
    } catch (error) {
      output.select();
      state.teamStatus.textContent = "Copy the link shown below and send it to whoever is combining the team's answers.";
    }
  }

  // A link opened on this page: Python checks it, the reader chooses what to do with it.
  async function offerLink(state, fragment) {
    history.replaceState(null, "", location.pathname + location.search); // a reload must not offer it again
    const reply = await ask({ action: "open_link", definition: state.definition, fragment });
    const offer = state.root.querySelector(".assessment-link-offer");
    if (!reply.ok || !reply.result.ok) {
      state.teamStatus.textContent = reply.ok ? reply.result.message : `The link could not be read: ${reply.error}`;
      return;
    }
    offer.querySelector(".assessment-link-message").textContent = reply.result.message;
    offer.hidden = false;
    state.linkOffer = { fragment, answers: reply.result.answers };
    offer.querySelector("button").focus();
  }

  function acceptLink(state, use) {
    const offer = state.root.querySelector(".assessment-link-offer");
    const link = state.linkOffer;
    if (!link) return;
    if (!use) {
      offer.hidden = true;
      state.linkOffer = null;
      return void addLink(state, link.fragment, "a link you opened");
    }
    const mine = formAnswers(state.form);
    if (Object.keys(mine).length && !window.confirm("Replace your own answers with the ones in this link? A copy of yours is set aside first.")) return;
    const record = JSON.stringify({ schema: SCHEMA, assessment: state.id, version: state.version, answers: mine });
    if (Object.keys(mine).length && !store.copy(STORE_PREFIX + state.id, record)) {
      return void (state.teamStatus.textContent = "Your own answers could not be copied aside (this browser's storage refused), so they have not been replaced.");
    }
    offer.hidden = true;
    state.linkOffer = null;
    state.form.reset();
    restore(state.form, link.answers);
    const problem = save(state);
    if (problem) state.notice = problem;
    paintProgress(state);
    refresh(state);
    state.teamStatus.textContent = "The answers from the link are now your own. Your earlier answers were set aside on this device.";
  }

  async function saveRound(state) {
    const label = state.root.querySelector(".assessment-round-label").value;
    const reply = await ask({ action: "save_round", definition: state.definition, ...teamInputs(state), label, today: isoToday() });
    if (!reply.ok) return void (state.teamStatus.textContent = `The round could not be saved: ${reply.error}`);
    download(reply.result.filename, reply.result.text, "application/json");
    state.teamStatus.textContent = `Downloaded ${reply.result.filename}. Add it next time to see what has changed.`;
  }

  async function printWorkshop(state, minutes) {
    const section = state.team.querySelector(".action-plan");
    const request = {
      action: "workshop", definition: state.definition, ...teamInputs(state), minutes,
      filled: section ? planFields(section) : {},
      name: state.root.querySelector(".assessment-report-name").value,
      today: isoToday(),
    };
    const reply = await ask(request);
    if (!reply.ok) return void (state.teamStatus.textContent = `The workshop pack could not be made: ${reply.error}`);
    printHtml(state, reply.result.html, reply.result.title);
  }

  function clearTeam(state) {
    if (!window.confirm("Clear the team view? The files and links you added are removed from this device.")) return;
    store.remove(TEAM_PREFIX + state.id); // the reader asked
    store.remove(planKey(state, "team"));
    Object.assign(state, { teamFiles: [], teamLinks: [], teamRounds: [] });
    state.team.innerHTML = "";
    state.team.hidden = true;
    state.teamStatus.textContent = "The team view has been cleared from this device.";
  }

  async function exportPlan(state, button, format) {
    const section = button.closest(".action-plan");
    const source = section.dataset.planSource;
    const request = { action: "export_plan", definition: state.definition, format, source, filled: planFields(section) };
    if (source === "team") Object.assign(request, teamInputs(state));
    else request.answers = formAnswers(state.form);
    const reply = await ask(request);
    const status = section.querySelector(".plan-status");
    if (!reply.ok) return void (status.textContent = `The plan could not be exported: ${reply.error}`);
    if (format === "csv") {
      download(reply.result.filename, reply.result.text, reply.result.type);
      status.textContent = `Downloaded ${reply.result.filename}.`;
    } else {
      try {
        await navigator.clipboard.writeText(reply.result.text);
        status.textContent = "The plan is copied as Markdown: paste it into a document or a wiki.";
      } catch (error) {
        status.textContent = "Your browser did not allow copying. Use the CSV download instead.";
      }
    }
  }

  function clear(state) {
    if (!window.confirm("Clear all your answers to this assessment? This cannot be undone.")) return;
    state.form.reset();
    state.latest++;
    state.notice = "";
    state.saving = true; // the reader asked: their answers, and anything left in place, go
    [STORE_PREFIX + state.id, planKey(state, "answers"), planKey(state, "team")].forEach(store.remove);
    state.result.innerHTML = "";
    state.result.hidden = true;
    say(state, "Your answers have been cleared from this device.");
  }

  // A call the engine could not answer: the status line beside the button says so.
  const engineDown = (status) => (error) => {
    if (status) status.textContent = `This could not be done: the scoring engine is not running (${error.message}). Your answers are kept.`;
  };
  const planStatus = (button) => button.closest(".action-plan").querySelector(".plan-status");

  const rootOf = (target) => target instanceof Element && target.closest(".assessment[data-assessment]");

  document.addEventListener("input", (event) => {
    const root = rootOf(event.target);
    if (!root) return;
    const section = event.target.closest(".action-plan");
    if (section) return void savePlan(widget(root), section);
    // Typed text is saved as it is typed; the result follows on the change event.
    const state = widget(root);
    if (event.target.closest("form") && event.target.type !== "radio") save(state);
  });

  document.addEventListener("change", (event) => {
    const root = rootOf(event.target);
    if (!root) return;
    if (event.target.matches(".assessment-import")) return void importFiles(widget(root), event.target);
    if (!event.target.closest("form")) return;
    const state = widget(root);
    const problem = save(state);
    if (problem) state.notice = problem;
    refresh(state);
  });

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest("[data-action]");
    const root = button && rootOf(button);
    if (!root) return;
    const state = widget(root);
    const action = button.dataset.action;
    if (action === "show") refresh(state).then(() => state.result.hidden || state.result.focus());
    else if (action === "retry") refresh(state);
    else if (action === "clear") clear(state);
    else if (action === "add-row") {
      const row = addRow(button.closest("[data-rows]"));
      if (row) row.querySelector("[name]").focus();
      else button.disabled = true;
    }
    // A failed engine is reported through its state; nothing more to do here.
    else if (action === "export") exportAnswers(state).catch(engineDown(state.teamStatus));
    else if (action === "plan-csv") exportPlan(state, button, "csv").catch(engineDown(planStatus(button)));
    else if (action === "plan-markdown") exportPlan(state, button, "markdown").catch(engineDown(planStatus(button)));
  });

  // -- progress, printed reports, and table rows (issue 11) ---------------------------------
  // Counting answered questions is data moving; the words around the numbers are the
  // template's, and every report is Python's HTML.

  function isAnswered(question) {
    return [...question.querySelectorAll("input, textarea")].some((field) =>
      field.type === "radio" || field.type === "checkbox" ? field.checked : field.value.trim() !== "");
  }

  function paintProgress(state, current) {
    const bar = state.root.querySelector(".assessment-progress");
    if (!bar) return;
    const questions = [...state.form.querySelectorAll("[data-progress-question]")];
    const answered = questions.filter(isAnswered);
    bar.querySelector(".assessment-progress-line > strong [data-progress-count]").textContent = answered.length;
    bar.querySelector("progress").value = answered.length;
    state.root.querySelectorAll("[data-progress-section]").forEach((section) => {
      const id = section.dataset.progressSection;
      const done = answered.filter((question) => question.dataset.progressIn === id).length;
      const total = questions.filter((question) => question.dataset.progressIn === id).length;
      section.querySelector("[data-progress-count]").textContent = done;
      section.dataset.progressDone = String(done === total);
      if (current !== undefined && bar.contains(section)) section.hidden = id !== current;
    });
  }

  function isoToday() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  // Asks Python for the report (or the plan alone) and prints it; the browser's print
  // dialog offers "Save as PDF". The page's own title names the PDF while printing.
  async function printReport(state, source, only) {
    const container = source === "team" ? state.team : state.result;
    const section = container.querySelector(".action-plan");
    const request = {
      action: "report", definition: state.definition, source, only,
      filled: section ? planFields(section) : {},
      name: state.root.querySelector(".assessment-report-name").value,
      today: isoToday(),
    };
    if (source === "team") Object.assign(request, teamInputs(state));
    else request.answers = formAnswers(state.form);
    const status = state.root.querySelector(".assessment-report-status");
    const reply = await ask(request);
    if (!reply.ok) return void (status.textContent = `The report could not be made: ${reply.error}`);
    printHtml(state, reply.result.html, reply.result.title);
  }

  function printHtml(state, html, heading) {
    const report = state.root.querySelector(".assessment-report");
    report.innerHTML = html;
    const title = document.title;
    document.title = heading;
    document.body.dataset.printing = "report";
    state.root.dataset.reportPrinting = "";
    window.addEventListener("afterprint", () => {
      document.title = title;
      delete document.body.dataset.printing;
      delete state.root.dataset.reportPrinting;
    }, { once: true });
    window.print();
  }

  // My own earlier results: kept on this device, sent with each score so Python shows the change.
  const MINE_PREFIX = "handbook:mine:";

  async function saveMine(state) {
    const status = state.root.querySelector(".assessment-report-status");
    const reply = await ask({ action: "save_mine", definition: state.definition, answers: formAnswers(state.form), today: isoToday() });
    if (!reply.ok) return void (status.textContent = `Your result could not be saved: ${reply.error}`);
    download(reply.result.filename, reply.result.text, "application/json");
    status.textContent = `Downloaded ${reply.result.filename}. Next time, add it under "Compare with a result I saved earlier".`;
  }

  async function compareMine(state, input) {
    const files = await readFiles(input);
    input.value = "";
    state.mine = [...(state.mine || []), ...files];
    store.put(MINE_PREFIX + state.id, JSON.stringify({ schema: SCHEMA, rounds: state.mine }));
    return refresh(state);
  }

  // A paper copy: the statements with empty boxes, for people answering without a device.
  function printPaper(state) {
    document.body.dataset.printing = "paper";
    state.root.dataset.paperPrinting = "";
    window.addEventListener("afterprint", () => {
      delete document.body.dataset.printing;
      delete state.root.dataset.paperPrinting;
    }, { once: true });
    window.print();
  }

  // Rows move by swapping the values of two rows' fields, so names and labels stay in order.
  function rowValues(row) {
    return [...row.querySelectorAll("[name]")].map((field) => field.value);
  }

  function setRowValues(row, values) {
    row.querySelectorAll("[name]").forEach((field, index) => { field.value = values[index] || ""; });
  }

  function moveRow(state, button, step) {
    const row = button.closest("tr");
    const rows = [...row.parentElement.querySelectorAll("tr")];
    const index = rows.indexOf(row);
    if (step === 0) {
      rows.slice(index).forEach((current, k) => setRowValues(current, rows[index + k + 1] ? rowValues(rows[index + k + 1]) : []));
    } else {
      const other = rows[index + step];
      if (!other) return;
      const values = rowValues(row);
      setRowValues(row, rowValues(other));
      setRowValues(other, values);
      other.querySelector(`[data-action="${button.dataset.action}"]`).focus();
    }
    const problem = save(state);
    if (problem) state.notice = problem;
    refresh(state);
  }

  async function exportRows(state) {
    const status = state.root.querySelector(".assessment-rows-status");
    const reply = await ask({ action: "rows_export", definition: state.definition, answers: formAnswers(state.form) });
    if (!reply.ok) return void (status.textContent = `The rows could not be downloaded: ${reply.error}`);
    download(reply.result.filename, reply.result.text, "application/json");
    status.textContent = reply.result.announce;
  }

  async function importRows(state, input) {
    const files = await readFiles(input);
    input.value = "";
    const status = state.root.querySelector(".assessment-rows-status");
    const reply = await ask({ action: "rows_import", definition: state.definition, answers: formAnswers(state.form), files });
    if (!reply.ok) return void (status.textContent = `The rows could not be added: ${reply.error}`);
    if (reply.result.added) {
      state.form.querySelectorAll("[data-rows] [name]").forEach((field) => { field.value = ""; });
      restore(state.form, reply.result.answers);
      const problem = save(state);
      if (problem) state.notice = problem;
      refresh(state);
    }
    status.textContent = reply.result.announce;
  }

  const areaOf = (target) => target.closest("[data-progress-in]")?.dataset.progressIn || "";

  document.addEventListener("input", (event) => {
    const root = rootOf(event.target);
    if (root && event.target.closest("form")) paintProgress(widget(root), areaOf(event.target));
  });

  document.addEventListener("focusin", (event) => {
    const root = rootOf(event.target);
    if (root && event.target.closest("form")) paintProgress(widget(root), areaOf(event.target));
  });

  document.addEventListener("change", (event) => {
    const root = rootOf(event.target);
    if (!root) return;
    if (event.target.closest("form")) paintProgress(widget(root), areaOf(event.target));
    if (event.target.matches(".assessment-rows-import")) importRows(widget(root), event.target).catch(() => {});
    if (event.target.matches(".assessment-round-import")) importRounds(widget(root), event.target).catch(() => {});
    if (event.target.matches(".assessment-mine-import")) compareMine(widget(root), event.target).catch(() => {});
  });

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest("[data-action]");
    const root = button && rootOf(button);
    if (!root) return;
    const state = widget(root);
    const action = button.dataset.action;
    const inTeam = Boolean(button.closest(".assessment-team"));
    if (action === "report") printReport(state, "answers").catch(() => {});
    else if (action === "team-report") printReport(state, "team").catch(() => {});
    else if (action === "plan-print") printReport(state, inTeam ? "team" : "answers", "plan").catch(() => {});
    else if (action === "row-up") moveRow(state, button, -1);
    else if (action === "row-down") moveRow(state, button, 1);
    else if (action === "row-remove") moveRow(state, button, 0);
    else if (action === "rows-export") exportRows(state).catch(() => {});
    else if (action === "copy-link") copyLink(state).catch(() => {});
    else if (action === "add-link") {
      const input = root.querySelector(".assessment-link-input");
      if (input.value.trim()) addLink(state, input.value.trim()).catch(() => {});
      input.value = "";
    } else if (action === "link-add" || action === "link-use") acceptLink(state, action === "link-use");
    else if (action === "save-round") saveRound(state).catch(() => {});
    else if (action === "workshop-60" || action === "workshop-90") printWorkshop(state, Number(action.slice(9))).catch(() => {});
    else if (action === "clear-team") clearTeam(state);
    else if (action === "paper") printPaper(state);
    else if (action === "save-mine") saveMine(state).catch(engineDown(state.root.querySelector(".assessment-report-status")));
  });

  // The first touch of any widget starts Python, so it is ready by the first answer (and a
  // tool coming into view starts it sooner: see the next block).
  // After a failure only an answer or "Try again" starts it again: a press on "Try again"
  // must not hide the button before its click lands.
  const warmUp = (event) => {
    if (engine.state === "idle" && rootOf(event.target)) startEngine().catch(() => {});
  };
  document.addEventListener("focusin", warmUp);
  document.addEventListener("pointerdown", warmUp);

  // -- start sooner: when a tool comes near the viewport ----------------------------------
  // Separate from the rest on purpose. A toolkit page is its tool: Python starts as soon as
  // the form is on screen. On a topic page with an embedded tool, it starts when the tool
  // comes within one screen height of the viewport. A page with no tool never starts it.
  const NEAR = "100% 0px"; // one viewport height above and below
  const nearView = "IntersectionObserver" in window
    ? new IntersectionObserver((entries) => {
      if (engine.state === "idle" && entries.some((entry) => entry.isIntersecting)) startEngine().catch(() => {});
      if (engine.state !== "idle") nearView.disconnect();
    }, { rootMargin: NEAR })
    : null;

  function startWhenNear() {
    if (!nearView) return;
    nearView.disconnect(); // the previous page's forms, under instant navigation
    if (engine.state !== "idle") return;
    document.querySelectorAll(".assessment[data-assessment]").forEach((tool) => nearView.observe(tool));
  }

  if (window.document$) window.document$.subscribe(startWhenNear);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startWhenNear);
  else startWhenNear();

  engine.listeners.add(() => {
    document.querySelectorAll(".assessment[data-assessment]").forEach((root) => paintEngine(widget(root)));
  });

  function bindAll() {
    document.querySelectorAll(".assessment[data-assessment]").forEach(widget);
  }

  if (window.document$) window.document$.subscribe(bindAll);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bindAll);
  else bindAll();
})();
