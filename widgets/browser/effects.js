// What a reply asks of the browser itself, as Python wrote it: a file to download, text to
// copy, a document to print on its own.
(() => {
  "use strict";

  function download({ filename, text, type }) {
    const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` })), download: filename });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  function copyText(text, output) { // true once copied; `output`, if any, shows the text too, to copy by hand
    if (output) Object.assign(output, { value: text, hidden: false }).labels.forEach((label) => { label.hidden = false; });
    return navigator.clipboard.writeText(text).then(() => true, () => (output?.select(), false));
  }

  function printAlone(root, mode, printout) { // Python's report (`printout`), or the form as a paper copy
    const title = document.title, flag = mode === "paper" ? "paperPrinting" : "reportPrinting";
    if (printout) root.querySelector("[data-region=report]").innerHTML = printout.html;
    if (printout) document.title = printout.title; // it names the PDF
    document.body.dataset.printing = mode;
    root.dataset[flag] = "";
    window.addEventListener("afterprint", () => { document.title = title; delete document.body.dataset.printing; delete root.dataset[flag]; }, { once: true });
    window.print();
  }

  Object.assign((window.handbookGlue ||= {}), { download, copyText, printAlone });
})();
