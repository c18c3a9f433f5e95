// A classic script in the <head> of pages with forms: it starts the Python engine's worker before
// the rest of the page loads, so Pyodide downloads and compiles while the page is still parsing.
// Messages that arrive before the page's code listens are kept for it (engine-client.js).
(function () {
  var worker = new Worker(new URL("worker.js", /** @type {HTMLScriptElement} */ (document.currentScript).src), { type: "module" });
  var early = { worker: worker, messages: [], error: null };
  worker.onmessage = function (event) { early.messages.push(event.data); };
  worker.onerror = function (event) { event.preventDefault(); early.error = event.message || "worker"; };
  window.kasibiEngine = early;
})();
