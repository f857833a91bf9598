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
    // Every page, once this one has given the reader what it is for: on a page with a tool after
    // its first result (Python's runtime has arrived by then), on any other once it is idle.
    // The worker also keeps this page, which it may not have seen (fetched before it took over).
    let asked = false;
    const post = (message) => navigator.serviceWorker.ready.then((registration) => registration.active?.postMessage(message));
    const keepPages = () => asked || ((asked = true), post("cache-pages"));
    const keepAll = () => {
      post({ keep: location.href });
      const results = [...document.querySelectorAll(".assessment[data-assessment] .assessment-result")];
      if (!results.length) return void (self.requestIdleCallback || setTimeout)(keepPages, { timeout: 5000 });
      const shown = () => results.some((result) => !result.hidden);
      if (shown()) return void keepPages();
      const observer = new MutationObserver(() => shown() && (observer.disconnect(), keepPages()));
      results.forEach((result) => observer.observe(result, { attributes: true, attributeFilter: ["hidden"] }));
    };
    const onPage = () => (keepRuntime(), keepAll());
    if (window.document$) window.document$.subscribe(onPage);
    else addEventListener("load", onPage, { once: true });
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
