// Ends a page's run when its module graph fails to load or something throws uncaught, so an
// autostarted run (and the headless-Chromium test waiting on it) stops with the reason shown on the
// page instead of hanging. A plain script (served as is from public/), configured by the data-
// attributes of its own <script> tag:
//   data-flags="__demo"    sets window.__demoError = why and window.__demoDone = true (once)
//   data-object="__watch"  merges { error: why, done: true } into window.__watch
//   data-once              with data-object: nothing after the state says done
//   data-message="id"      the element that shows the reason (unhidden)
//   data-status="id"       an element whose text becomes 'failed'
// The page's module script calls pageAbort(why) from its onerror attribute.
(() => {
  const cfg = document.currentScript.dataset;
  window.pageAbort = (why) => {
    if (cfg.flags) {
      if (window[`${cfg.flags}Done`]) return;
      window[`${cfg.flags}Error`] = why;
      window[`${cfg.flags}Done`] = true;
    }
    if (cfg.object) {
      const state = window[cfg.object] || {};
      if (cfg.once !== undefined && state.done) return;
      window[cfg.object] = Object.assign(state, { error: why, done: true });
    }
    const el = cfg.message && document.getElementById(cfg.message);
    if (el) {
      el.textContent = why;
      el.hidden = false;
    }
    const status = cfg.status && document.getElementById(cfg.status);
    if (status) status.textContent = 'failed';
  };
  window.addEventListener('error', (e) => window.pageAbort(`uncaught: ${e.error?.stack || e.message}`));
  window.addEventListener('unhandledrejection', (e) => window.pageAbort(`unhandled rejection: ${e.reason?.stack || e.reason}`));
})();
