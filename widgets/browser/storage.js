// What the page keeps in localStorage, under one rule: nothing a reader stored is removed or
// overwritten unless a copy of it is confirmed, or the reader asked. When no copy can be made,
// the record is left as it is and the tool works without saving, and says so (glue.js).
(() => {
  "use strict";

  const KEYS = { answers: "handbook:answers:", plan: "handbook:plan:", team: "handbook:team:", mine: "handbook:mine:", shown: "handbook:shown:" };
  const SCHEMA = 1;

  const store = {
    get(key) { try { return localStorage.getItem(key); } catch { return undefined; } }, // undefined: cannot be read
    put(key, text) { try { localStorage.setItem(key, text); return localStorage.getItem(key) === text; } catch { return false; } },
    remove(key) { try { localStorage.removeItem(key); return true; } catch { return false; } }, // after a copy, or when asked
    copy(key, text) { // a confirmed copy of `text` under a new set-aside key, never over an earlier copy
      const name = `handbook:set-aside:${key.replace(/^handbook:(answers:)?/, "")}:${new Date().toISOString()}`;
      let aside = name;
      for (let n = 2; typeof store.get(aside) === "string"; n++) aside = `${name}-${n}`;
      return store.put(aside, text);
    },
    move: (key, text) => store.copy(key, text) && store.remove(key), // false, and nothing changed, if no copy
    read(key, usable) { // {raw, value} when usable, {raw} when not, {blocked} when storage cannot be read
      const raw = store.get(key);
      if (typeof raw !== "string") return { blocked: raw === undefined };
      try { const value = JSON.parse(raw); if (usable(value)) return { raw, value }; } catch { /* not JSON */ }
      return { raw };
    },
  };

  const isMapping = (value) => Boolean(value) && typeof value === "object" && !Array.isArray(value);
  const record = (id, version, answers, extra = {}) => JSON.stringify({ schema: SCHEMA, assessment: id, version, answers, ...extra });

  // One record per assessment: {schema, assessment, version, answers: {id: value}}. What comes
  // back names the template's sentence for the reader (`notice`), not the sentence itself.
  function loadAnswers(id) {
    const key = KEYS.answers + id;
    const found = store.read(key, (v) => isMapping(v) && v.schema === SCHEMA && v.assessment === id && isMapping(v.answers));
    if (found.blocked) return { answers: {}, notice: "notSaving", saving: false };
    if (!found.raw) return { answers: {}, saving: true };
    const moved = !found.value && store.move(key, found.raw);
    if (!found.value) return { answers: {}, saving: moved, notice: moved ? "unreadableSetAside" : "unreadableLeft" };
    const answers = {}, odd = []; // odd: of a type no form field gives, so set aside with the whole record
    for (const [name, value] of Object.entries(found.value.answers)) {
      if (typeof value === "string" || typeof value === "number") answers[name] = String(value);
      else if (Array.isArray(value) && value.every((item) => typeof item === "string")) answers[name] = value;
      else odd.push(name);
    }
    return { answers, raw: found.raw, odd, saving: true };
  }

  // Any other record of this schema: {raw, value} when every field named in `lists` is a list.
  const loadRecord = (key, lists) => store.read(key, (v) => isMapping(v) && v.schema === SCHEMA && lists.every((k) => Array.isArray(v[k])));
  const keepRecord = (key, fields) => store.put(key, JSON.stringify({ schema: SCHEMA, ...fields }));
  // A kept record of lists replaced by what Python accepted. Items kept before and left out now
  // (a newer version of the tool, a limit reached) are set aside first; with no copy, nothing changes.
  function replaceRecord(key, fields) {
    const old = store.read(key, isMapping), now = new Set(Object.values(fields).flat().map((item) => JSON.stringify(item)));
    const dropped = old.value ? Object.values(old.value).filter(Array.isArray).flat().filter((item) => !now.has(JSON.stringify(item))) : [];
    const names = dropped.map((item) => (isMapping(item) && typeof item.name === "string" ? item.name : "?"));
    if (dropped.length && !store.copy(key, old.raw)) return { kept: false, names, aside: false };
    return { kept: keepRecord(key, fields), names, aside: dropped.length > 0 };
  }
  const saveAnswers = (id, version, answers) => store.put(KEYS.answers + id, record(id, version, answers, { saved: new Date().toISOString() }));

  Object.assign((window.handbookGlue ||= {}), { KEYS, store, isMapping, record, loadAnswers, saveAnswers, loadRecord, keepRecord, replaceRecord });
})();
