// Reading and writing a tool's form, which works before Python has loaded: its answers, its
// rows of a table, how many questions are answered, and the files a reader picks. Nothing here
// decides anything.
(() => {
  "use strict";

  const READ_CAP = 1000000; // characters read from a file at most; Python judges the rest

  function formAnswers(form) {
    const answers = {};
    for (const [name, value] of new FormData(form)) {
      const field = form.elements.namedItem(name);
      if (value && field.length !== undefined && field[0]?.type === "checkbox") (answers[name] = answers[name] || []).push(value);
      else if (value) answers[name] = value;
    }
    return answers;
  }

  function addRow(table) { // a copy of the last row, with the next index in every name and label
    const rows = table.querySelectorAll("tbody tr");
    if (rows.length >= Number(table.dataset.maxRows)) return null;
    const row = rows[rows.length - 1].cloneNode(true);
    row.querySelectorAll("[name]").forEach((field) => Object.assign(field, { name: field.name.replace(/\.\d+\./, `.${rows.length}.`), value: "" }));
    row.querySelectorAll("[aria-label]").forEach((el) => el.setAttribute("aria-label", el.getAttribute("aria-label").replace(/row \d+$/, `row ${rows.length + 1}`)));
    return table.querySelector("tbody").appendChild(row);
  }

  function restore(form, answers) { // into empty fields only, growing tables as needed; returns what fits no field
    const unmatched = {};
    for (const [name, value] of Object.entries(answers)) {
      const [rowsId, index, column] = name.split(".");
      const table = /^\d+$/.test(index || "") && form.querySelector(`[data-rows="${CSS.escape(rowsId)}"]`);
      const known = table && table.querySelector(`[name="${CSS.escape(`${rowsId}.0.${column}`)}"]`);
      while (known && !form.elements.namedItem(name) && addRow(table));
      const field = form.elements.namedItem(name);
      if (field instanceof HTMLSelectElement || field instanceof HTMLTextAreaElement || field?.type === "text") {
        const fits = !(field instanceof HTMLSelectElement) || [...field.options].some((option) => option.value === String(value));
        if (!field.value && fits) field.value = String(value); // a note or a cell: kept as written
        else if (!field.value) unmatched[name] = value;
        continue;
      }
      const inputs = field ? [...(field.length === undefined ? [field] : field)] : [];
      if (inputs.some((input) => input.checked)) continue; // the reader got there first
      const wanted = Array.isArray(value) ? value : [String(value)]; // a list only ever ticks boxes
      const boxes = wanted.map((item) => inputs.find((input) => input.value === item && (input.type === "checkbox" || wanted !== value)));
      if (boxes.every(Boolean)) boxes.forEach((box) => { box.checked = true; });
      else unmatched[name] = value;
    }
    return unmatched;
  }

  function moveRow(button, step) { // by swapping values, so names and labels stay in order; 0 removes the row
    const row = button.closest("tr"), rows = [...row.parentElement.children], at = rows.indexOf(row), other = rows[at + step];
    const values = (tr) => [...(tr?.querySelectorAll("[name]") || [])].map((field) => field.value);
    const put = (tr, list) => tr.querySelectorAll("[name]").forEach((field, k) => { field.value = list[k] || ""; });
    if (step === 0) rows.slice(at).forEach((tr, k) => put(tr, values(rows[at + k + 1])));
    if (step !== 0 && !other) return false;
    if (step !== 0) [values(other), values(row)].forEach((list, k) => put([row, other][k], list));
    other?.querySelector(`[data-action="${button.dataset.action}"]`).focus();
    return true;
  }

  function paintProgress(root, form, current) { // counting is data moving; the words are the template's
    const bar = root.querySelector(".assessment-progress");
    if (!bar) return;
    const questions = [...form.querySelectorAll("[data-progress-question]")];
    const done = questions.filter((q) => [...q.querySelectorAll("input, textarea")].some((f) => (/radio|checkbox/.test(f.type) ? f.checked : f.value.trim())));
    bar.querySelector(".assessment-progress-line > strong [data-progress-count]").textContent = bar.querySelector("progress").value = done.length;
    root.querySelectorAll("[data-progress-section]").forEach((section) => {
      const id = section.dataset.progressSection, count = (list) => list.filter((q) => q.dataset.progressIn === id).length;
      section.querySelector("[data-progress-count]").textContent = count(done);
      section.dataset.progressDone = String(count(done) === count(questions));
      if (current !== undefined && bar.contains(section)) section.hidden = id !== current;
    });
  }

  const readFiles = (input) => Promise.all([...input.files].map(async (file) => // unreadable: null, for Python to name
    ({ name: file.name, size: file.size, text: await file.slice(0, READ_CAP).text().catch(() => null) }))).finally(() => { input.value = ""; });

  Object.assign((window.handbookGlue ||= {}), { formAnswers, addRow, restore, moveRow, paintProgress, readFiles });
})();
