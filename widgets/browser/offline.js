// Registers the handbook's service worker (sw.js at the site root), so the site and its
// tools work offline once visited; or, when mkdocs.yml sets `extra: offline: false`, removes
// any worker and cache an earlier build left. The setting reaches the page as
// <meta name="handbook-offline" content="on|off"> (overrides/main.html). Loaded from a file,
// so it runs under a policy that forbids inline script. Stored answers are never touched.
(() => {
  if (!("serviceWorker" in navigator)) return;
  const script = document.currentScript;
  if (!script) return;
  const root = new URL("../../", script.src); // this file is assets/widgets/offline.js
  const setting = document.querySelector('meta[name="handbook-offline"]');
  const on = setting && setting.content === "on";
  if (on) {
    // After the page has loaded, so that the worker's first download does not slow the page.
    const register = () =>
      navigator.serviceWorker.register(new URL("sw.js", root), { scope: root.pathname }).catch((error) => {
        console.warn("The handbook could not be kept for offline use:", error);
      });
    // A page with a tool asks the worker to keep Python's runtime as well (every page, under
    // Material's instant navigation too); a page without one never does.
    const keepRuntime = () => {
      if (!document.querySelector(".assessment[data-assessment]")) return;
      navigator.serviceWorker.ready.then((registration) => registration.active?.postMessage("cache-runtime"));
    };
    if (window.document$) window.document$.subscribe(keepRuntime);
    else addEventListener("load", keepRuntime, { once: true });
    if (document.readyState === "complete") register();
    else addEventListener("load", register, { once: true });
    return;
  }
  (async () => {
    const registration = await navigator.serviceWorker.getRegistration(root.href);
    if (registration && registration.scope === root.href) await registration.unregister();
    if (!("caches" in self)) return;
    for (const name of await caches.keys()) {
      if (name.startsWith(`handbook:${root.href}:`)) await caches.delete(name);
    }
  })().catch((error) => console.warn("The handbook's offline copy could not be removed:", error));
})();
