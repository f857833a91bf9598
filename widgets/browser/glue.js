// Browser glue for the handbook's self-assessments. It only moves data and paints: answers go
// from the form to localStorage and to the Python worker, and each reply's effects (HTML to
// paint, a file to download, a sentence to say: see Reply in widgets/protocol.py) are applied
// as Python decided them. The sentences it says itself are the template's (.assessment-texts).
// It uses engine.js, storage.js, form.js and effects.js, loaded before it (mkdocs.yml).
(() => {
  "use strict";

  const { engine, startEngine, ask, SITE_ROOT, KEYS, store, isMapping, record, loadAnswers, saveAnswers, loadRecord, replaceRecord } = window.handbookGlue;
  const { formAnswers, addRow, restore, moveRow, paintProgress, readFiles, download, copyText, printAlone } = window.handbookGlue;

  function save(state) {
    if (!state.saving) return state.notice;
    return saveAnswers(state.id, state.version, formAnswers(state.form)) ? "" : text(state, "notSaving");
  }

  function changed(state, area, answers) { // answers typed, or given by Python: saved, counted and scored
    if (answers) [state.form.reset(), restore(state.form, answers)];
    const problem = save(state);
    if (problem) state.notice = problem;
    paintProgress(state.root, state.form, area);
    refresh(state);
  }

  // -- one widget: its state is made the first time it is seen. Events are handled once, at the
  // document, so a widget works whatever order instant navigation swaps content and announces it in.

  const widgets = new WeakMap();
  engine.onChange = () => document.querySelectorAll(".assessment[data-assessment]").forEach((root) => paintEngine(widget(root)));
  const text = (state, name, values = {}) => state.texts.dataset[name].replace(/\{(\w+)\}/g, (_, key) => values[key]);
  const region = (state, name) => state.root.querySelector(`[data-region="${name}"]`);
  const say = (state, said) => { state.status.textContent = [said, state.notice].filter(Boolean).join(" "); };

  function widget(root) {
    if (widgets.has(root)) return widgets.get(root);
    const $ = (selector) => root.querySelector(selector);
    const state = {
      root, id: root.dataset.assessment, version: Number(root.dataset.version), latest: 0, mine: [], inputs: { files: [], links: [], rounds: [], shown: {} },
      definition: root.dataset.definition, hash: root.dataset.definitionHash, // the text as the worker reads it, and its name
      form: $("form"), status: $(".assessment-status"), texts: $(".assessment-texts"), result: $("[data-region=result]"), teamStatus: $(".assessment-team-status"),
      combining: Promise.resolve(), // team updates run one after another, so none is lost
    };
    widgets.set(root, state);
    const saved = loadAnswers(state.id);
    Object.assign(state, { notice: saved.notice ? text(state, saved.notice) : "", saving: saved.saving });
    const unmatched = Object.keys(restore(state.form, saved.answers));
    if (unmatched.length || saved.odd?.length) { // what fits is kept; the whole record is copied aside first
      const what = [unmatched.length && text(state, "changed", { names: unmatched.join(", ") }), saved.odd.length && text(state, "odd", { names: saved.odd.join(", ") })];
      state.saving = store.copy(KEYS.answers + state.id, saved.raw);
      if (state.saving) save(state);
      state.notice = text(state, state.saving ? "setAside" : "notUsed", { what: what.filter(Boolean).join(". ") });
    }
    const mine = loadRecord(KEYS.mine + state.id, ["rounds"]);
    if (mine.value) state.mine = mine.value.rounds; // unreadable: left where it is, and not used
    paintEngine(state);
    paintProgress(root, state.form);
    if (state.notice && engine.state === "idle") say(state, "");
    // Saved answers: show their result on return, without a click (this starts Python).
    if (engine.state !== "failed" && Object.keys(formAnswers(state.form)).length) refresh(state);
    if (state.teamStatus) restoreTeam(state);
    if (state.teamStatus && location.hash.startsWith("#answers=")) {
      send(state, { kind: "open_link", fragment: location.hash.slice(1) }, state.teamStatus);
      history.replaceState(null, "", location.pathname + location.search); // a reload must not offer it again
    }
    return state;
  }

  function paintEngine(state) { // a retry after a failure keeps the failure's text, help and button, so the form stays put
    const again = engine.state === "loading" && engine.again;
    state.root.querySelector("[data-action=retry]").hidden = engine.state !== "failed" && !again;
    Object.assign(state.root.dataset, { engine: engine.state, engineAgain: again });
    if (engine.started) state.root.dataset.engineStart = engine.started;
    if (engine.state === "loading" && !again) say(state, text(state, "loading"));
    if (engine.state === "ready" && state.result.hidden) say(state, text(state, "ready"));
    if (engine.state === "failed") say(state, text(state, "failed", { error: engine.error }));
  }

  function tell(state, origin, said) { // on the status line of the part that asked (a plan, the team, the rows, the reports) or the tool's
    const line = origin.closest(".action-plan, .assessment-team, .assessment-rows-file, .assessment-reporting")?.querySelector(":scope > [role=status]");
    if (line) line.textContent = said;
    else say(state, said);
  }

  async function refresh(state, compared = state.mine) { // `compared`: my earlier results, kept once Python accepts them
    const latest = ++state.latest;
    const reply = await ask(state, { kind: "score", ...answersOf(state), rounds: compared, base: SITE_ROOT, today: isoToday() }).catch(() => null);
    if (!reply || latest !== state.latest || !state.root.isConnected) return; // a failure shows as the engine's state
    const accepted = reply.mine || [];
    const keptBefore = typeof store.get(KEYS.mine + state.id) === "string";
    if ((compared !== state.mine || accepted.length !== state.mine.length) && (accepted.length || keptBefore)) {
      state.mine = accepted;
      const done = replaceRecord(KEYS.mine + state.id, { rounds: accepted });
      if (done.names.length) state.notice = text(state, done.aside ? "keptAside" : "notKeptAside", { names: done.names.join(", ") });
    }
    apply(state, reply, state.form);
  }

  async function send(state, request, origin) {
    const reply = await ask(state, request).catch((error) => {
      const lead = request.adding?.length ? text(state, "notAdded", { names: request.adding.join(", ") }) : text(state, request.adding ? "notShown" : "notDone");
      tell(state, origin, `${lead} ${text(state, "engineDown", { error: error.message })}`);
    });
    if (reply) apply(state, reply, origin);
  }

  async function apply(state, reply, origin) { // a reply's effects, in the order of Reply in widgets/protocol.py
    let said = reply.say || "";
    for (const [name, html] of Object.entries(reply.paint || {})) restorePlan(state, Object.assign(region(state, name), { innerHTML: html, hidden: false }));
    if (reply.keep) said = [said, keepTeam(state, reply.keep)].filter(Boolean).join(" ");
    if (reply.answers) changed(state, undefined, reply.answers);
    if (reply.download) download(reply.download);
    if (reply.copy) said = (await copyText(reply.copy.text, reply.copy.field && region(state, reply.copy.field))) ? reply.copy.done : reply.copy.failed;
    if (reply.print) printAlone(state.root, "report", reply.print);
    if (reply.offer) offer(state, reply.offer);
    if (said) tell(state, origin, said);
  }

  // -- plans, the team view and links, kept on this device until the reader clears them ------

  const planKey = (state, section) => `${KEYS.plan}${state.id}:${section.dataset.planSource}`;
  const planFields = (section) => Object.fromEntries([...(section?.querySelectorAll("tr[data-plan-key]") || [])].map((row) =>
    [row.dataset.planKey, Object.fromEntries([...row.querySelectorAll("[data-plan-field]")].map((input) => [input.dataset.planField, input.value]))]));

  function restorePlan(state, part) {
    const section = part.querySelector(".action-plan");
    const found = section ? store.read(planKey(state, section), isMapping) : {};
    // Unreadable plan details are copied aside before typing replaces them, or left alone.
    if (found.raw && !found.value && !store.copy(planKey(state, section), found.raw)) section.dataset.planSaving = "no";
    section?.querySelectorAll("tr[data-plan-key] [data-plan-field]").forEach((input) => {
      const value = found.value?.[input.closest("tr").dataset.planKey]?.[input.dataset.planField];
      if (typeof value === "string") input.value = value;
    });
  }

  function keepTeam(state, kept) { // what Python accepted: kept here, and sent again next time
    const { shown = {}, ...inputs } = kept; // what has been shown: kept apart, so clearing the view keeps it
    state.inputs = { ...inputs, shown };
    if (Object.keys(shown.sets || {}).length) store.put(KEYS.shown + state.id, JSON.stringify(shown)); // only once something was shown
    if (state.teamUnreadable) return text(state, "teamUnkept");
    const done = replaceRecord(KEYS.team + state.id, inputs);
    const aside = done.names.length ? text(state, done.aside ? "keptAside" : "notKeptAside", { names: done.names.join(", ") }) : "";
    return [done.kept ? "" : text(state, "teamNotKept"), aside].filter(Boolean).join(" ");
  }

  function restoreTeam(state) {
    const key = KEYS.team + state.id;
    const found = loadRecord(key, ["files", "links", "rounds"]), { files, links, rounds } = found.value || {};
    state.inputs.shown = store.read(KEYS.shown + state.id, isMapping).value || {};
    if (found.value) state.inputs = { files, links, rounds, shown: state.inputs.shown };
    if (found.value) return combine(state, {}, "teamShowing");
    if (!found.raw) return;
    state.teamUnreadable = !store.move(key, found.raw);
    state.teamStatus.textContent = text(state, state.teamUnreadable ? "teamLeft" : "teamSetAside");
  }

  function combine(state, added, message = "combining") { // Python accepts or refuses each addition
    state.combining = state.combining.then(() => {
      const inputs = Object.fromEntries(Object.entries(state.inputs).map(([k, list]) => [k, Array.isArray(list) ? [...list, ...(added[k] || [])] : list]));
      const adding = Object.values(added).flat().map((item) => item.name);
      state.teamStatus.textContent = text(state, message);
      return send(state, { kind: "team", ...inputs, adding, base: SITE_ROOT, today: isoToday() }, state.teamStatus);
    });
  }

  function offer(state, link) { // a link opened on this page, checked by Python: the reader chooses
    const box = Object.assign(region(state, "link-offer"), { hidden: false });
    box.querySelector(".assessment-link-message").textContent = link.message;
    state.offer = link;
    box.querySelector("button").focus();
  }

  function acceptLink(state, use) {
    const link = state.offer, mine = formAnswers(state.form), replacing = use && Object.keys(mine).length;
    if (!link || (replacing && !window.confirm(text(state, "confirmReplace")))) return;
    if (replacing && !store.copy(KEYS.answers + state.id, record(state.id, state.version, mine))) return void (state.teamStatus.textContent = text(state, "notReplaced"));
    region(state, "link-offer").hidden = true;
    state.offer = null;
    if (!use) return combine(state, { links: [{ name: text(state, "openedLink"), fragment: link.fragment }] });
    changed(state, undefined, link.answers);
    state.teamStatus.textContent = text(state, "replaced");
  }

  function clearPart(state, part, keys, confirm) { // only once the reader confirms: then the stored copies go
    if (!window.confirm(text(state, confirm))) return false;
    keys.forEach((key) => store.remove(key));
    Object.assign(region(state, part), { innerHTML: "", hidden: true });
    return true;
  }

  // -- what each control does: a request for Python (the ones that return one), or something done here --

  const isoToday = (now = new Date()) => [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n) => String(n).padStart(2, "0")).join("-");
  const value = (state, selector) => state.root.querySelector(selector).value;
  const answersOf = (state) => ({ answers: formAnswers(state.form) });
  const who = (state) => ({ ...answersOf(state), member: value(state, ".assessment-member"), group: value(state, ".assessment-group") });
  const sourced = (state, source) => ({ source, ...(source === "team" ? state.inputs : answersOf(state)) });
  const planIn = (state, source) => planFields(region(state, source === "team" ? "team" : "result").querySelector(".action-plan"));
  const titled = (state) => ({ name: value(state, ".assessment-report-name"), today: isoToday() });
  const report = (state, source) => ({ kind: "report", ...sourced(state, source), filled: planIn(state, source), ...titled(state) });
  const sourceOf = (button) => button.closest(".action-plan").dataset.planSource;
  const planFile = (format) => (state, button) => ({ kind: "export_plan", format, ...sourced(state, sourceOf(button)), filled: planIn(state, sourceOf(button)) });
  const workshop = (minutes) => (state) => ({ kind: "workshop", ...state.inputs, minutes, filled: planIn(state, "team"), ...titled(state) });
  const rowMove = (step) => (state, button) => moveRow(button, step) && changed(state);
  const plans = (state) => [`${KEYS.plan}${state.id}:answers`, `${KEYS.plan}${state.id}:team`];

  const ACTIONS = {
    show: (state) => void refresh(state).then(() => state.result.hidden || state.result.focus()),
    retry: (state) => void refresh(state),
    clear(state) {
      if (!clearPart(state, "result", [KEYS.answers + state.id, ...plans(state)], "confirmClear")) return;
      state.form.reset();
      Object.assign(state, { latest: state.latest + 1, notice: "", saving: true }); // the reader asked: what was left in place goes too
      say(state, text(state, "cleared"));
    },
    paper: (state) => printAlone(state.root, "paper"),
    "add-row"(state, button) {
      const row = addRow(button.closest("[data-rows]"));
      if (row) row.querySelector("[name]").focus();
      else button.disabled = true;
    },
    "row-up": rowMove(-1),
    "row-down": rowMove(1),
    "row-remove": rowMove(0),
    "rows-export": (state) => ({ kind: "rows_export", ...answersOf(state) }),
    "rows-import": async (state, input) => ({ kind: "rows_import", ...answersOf(state), files: await readFiles(input) }),
    report: (state) => report(state, "answers"),
    "team-report": (state) => report(state, "team"),
    "plan-print": (state, button) => ({ ...report(state, sourceOf(button)), only: "plan" }),
    "plan-csv": planFile("csv"),
    "plan-markdown": planFile("markdown"),
    "save-mine": (state) => ({ kind: "save_mine", ...answersOf(state), today: isoToday() }),
    async "compare-mine"(state, input) { // my own earlier results: kept here once Python accepts them, and sent with each score
      refresh(state, [...state.mine, ...(await readFiles(input))]);
    },
    "forget-mine"(state) {
      if (!window.confirm(text(state, "confirmForgetMine"))) return;
      store.remove(KEYS.mine + state.id);
      state.mine = [];
      refresh(state).then(() => say(state, text(state, "mineForgotten")));
    },
    export: (state) => ({ kind: "export", ...who(state) }),
    "copy-link": (state) => ({ kind: "link", ...who(state), page: location.origin + location.pathname }),
    "add-link"(state, button) { // the whole pasted address goes to Python, which reads the part after the "#"
      const input = button.parentElement.querySelector(".assessment-link-input"), fragment = input.value.trim();
      input.value = "";
      if (fragment) combine(state, { links: [{ name: text(state, "linkName", { n: state.inputs.links.length + 1 }), fragment }] });
    },
    "link-add": (state) => acceptLink(state, false),
    "link-use": (state) => acceptLink(state, true),
    "import-files": async (state, input) => combine(state, { files: await readFiles(input) }),
    "import-rounds": async (state, input) => combine(state, { rounds: await readFiles(input) }, "comparing"),
    "save-round": (state) => ({ kind: "save_round", ...state.inputs, label: value(state, ".assessment-round-label"), today: isoToday() }),
    "workshop-60": workshop(60),
    "workshop-90": workshop(90),
    "clear-team"(state) {
      if (!clearPart(state, "team", [KEYS.team + state.id, plans(state)[1]], "confirmClearTeam")) return;
      state.inputs = { files: [], links: [], rounds: [], shown: state.inputs.shown };
      state.teamStatus.textContent = text(state, "teamCleared");
    },
  };

  const rootOf = (target) => target instanceof Element && target.closest(".assessment[data-assessment]");
  const areaOf = (target) => target.closest("[data-progress-in]")?.dataset.progressIn || "";

  function act(event, selector) { // one dispatch for buttons and file inputs; true when a control took the event
    const control = event.target instanceof Element && event.target.closest(selector), root = control && rootOf(control);
    if (!root || !ACTIONS[control.dataset.action]) return false;
    const state = widget(root);
    Promise.resolve(ACTIONS[control.dataset.action](state, control)).then((request) => request && send(state, request, control));
    return true;
  }

  document.addEventListener("click", (event) => act(event, "button[data-action]"));

  document.addEventListener("change", (event) => {
    const root = !act(event, "input[type=file][data-action]") && rootOf(event.target);
    if (root && event.target.closest("form")) changed(widget(root), areaOf(event.target));
  });

  document.addEventListener("input", (event) => {
    const root = rootOf(event.target), state = root && widget(root), section = root && event.target.closest(".action-plan");
    // Plan details are saved as typed (a failure is shown by the answers' notice already), and so is typed text.
    if (section && section.dataset.planSaving !== "no") store.put(planKey(state, section), JSON.stringify(planFields(section)));
    if (section || !root || !event.target.closest("form")) return;
    if (event.target.type !== "radio") save(state); // the result follows on the change event
    paintProgress(root, state.form, areaOf(event.target));
  });

  // The first touch of a tool starts Python, so it is ready by the first answer. After a failure
  // only an answer or "Try again" starts it again: a press must not hide the button before its click lands.
  const warmUp = (event) => {
    const root = rootOf(event.target);
    if (root && engine.state === "idle") startEngine().catch(() => {});
    if (root && event.type === "focusin" && event.target.closest("form")) paintProgress(root, widget(root).form, areaOf(event.target));
  };
  ["focusin", "pointerdown"].forEach((type) => document.addEventListener(type, warmUp));

  // Sooner still: a toolkit page is its tool, so Python starts when the form is on screen; a tool
  // on a topic page starts it within one screen height of the viewport; a page with no tool never does.
  const nearView = "IntersectionObserver" in window ? new IntersectionObserver((entries) => {
    if (engine.state === "idle" && entries.some((entry) => entry.isIntersecting)) startEngine().catch(() => {});
    if (engine.state !== "idle") nearView.disconnect();
  }, { rootMargin: "100% 0px" }) : null;

  function bindAll() {
    nearView?.disconnect(); // the previous page's forms, under instant navigation
    const tools = document.querySelectorAll(".assessment[data-assessment]");
    if (engine.state === "idle") tools.forEach((tool) => nearView?.observe(tool));
    tools.forEach(widget);
  }

  // The first page is bound here too: Material never announces one opened from a disk (file://).
  window.document$?.subscribe(bindAll);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bindAll);
  else bindAll();
})();
