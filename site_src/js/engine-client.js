// The page's side of the scoring worker: one worker per page, started as early as possible (by
// engine-boot.js in the page's head, or here) so Pyodide loads while the teacher answers; the page
// never waits on it.

import { workerUrl } from "./paths.js";

export class EngineClient {
  constructor({ onReady, onFailed }) {
    this.pending = new Map();
    this.nextId = 1;
    this.state = "preparing";
    this.onReady = onReady;
    this.onFailed = onFailed;
    const early = window.kasibiEngine;
    window.kasibiEngine = null; // one client takes the early worker
    try {
      this.worker = early?.worker ?? new Worker(workerUrl, { type: "module" });
    } catch (error) {
      queueMicrotask(() => this.fail(String(error?.message ?? error)));
      return;
    }
    this.worker.onmessage = ({ data }) => this.receive(data);
    // A worker script that cannot load (404, wrong MIME, no module workers) ends here.
    this.worker.onerror = (event) => {
      event.preventDefault?.();
      this.fail(event.message || "worker");
    };
    if (early) {
      queueMicrotask(() => {
        if (early.error) this.fail(early.error);
        for (const message of early.messages) this.receive(message);
      });
    }
  }

  receive(data) {
    if (data.type === "ready") {
      this.state = "ready";
      this.engineVersion = data.engine;
      this.onReady(data);
    } else if (data.type === "failed") {
      this.fail(data.reason);
    } else if (this.pending.has(data.id)) {
      const { resolve, reject } = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (data.type === "result") resolve(data.result);
      else reject(new Error(data.reason));
    }
  }

  fail(reason) {
    if (this.state === "failed") return;
    this.state = "failed";
    this.worker?.terminate();
    for (const { reject } of this.pending.values()) reject(new Error(reason));
    this.pending.clear();
    this.onFailed(reason);
  }

  request(message) {
    if (this.state === "failed") return Promise.reject(new Error("engine unavailable"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  score(src, answers) {
    return this.request({ type: "score", src, answers });
  }

  compare(older, newer) {
    return this.request({ type: "compare", older, newer });
  }
}
