// The page's side of the scoring worker: one worker per page, started as early as possible (by
// engine-boot.js in the page's head, or here) so Pyodide loads while the teacher answers; the page
// never waits on it.
//
// A worker can die (a crash, the browser closing it) or get stuck without a word, so the client
// keeps watch while it loads or has requests open: it pings the worker and expects to hear from
// it; while files download it expects bytes to keep arriving, however slowly. A worker that falls
// silent or whose download stalls is replaced once, and its open requests are sent again once.

import { PING, REPLY, REQUEST } from "./messages.js";
import { lang, workerUrl } from "../utilities/paths.js";
import { wrongScriptType } from "./script-type.js";

const WATCH_MS = 2_000; // how often a busy worker is pinged and checked
const SILENCE_MS = 30_000; // ready, requests open, no word for this long: dead or stuck
// Starting, each of Pyodide's steps blocks the worker: seconds on a school PC, tens of seconds on an old one
// that is busy. Replacing a worker that is only slow starts it all again, so a start is given longer.
const START_SILENCE_MS = 120_000;
const STALL_MS = 30_000; // downloads open, the worker answering, and not one byte for this long: the link is stuck
const ANSWERING_MS = 3 * WATCH_MS; // heard within this: the worker is free to count bytes (not blocked)
const STARTS = 2; // a worker that fails to start or dies is started once more
const SENDS = 2; // each request is sent at most twice
// Fired on window once the engine is ready or has failed: the offline copy waits for it (offline.js).
export const SETTLED_EVENT = "kasibi-engine-settled";

export class EngineClient {
  /**
   * @param {object} handlers
   * @param {(ready: import("./messages.js").Ready) => void} handlers.onReady
   * @param {(reason: string, details?: {scriptType?: {file: string, type: string}}) => void} handlers.onFailed
   * @param {(progress: import("./messages.js").Progress) => void} [handlers.onProgress]
   */
  constructor({ onReady, onFailed, onProgress = () => {} }) {
    this.pending = new Map(); // id → {message, resolve, reject, sends}
    this.nextId = 1;
    this.state = "preparing";
    this.starts = 0;
    this.onReady = onReady;
    this.onFailed = onFailed;
    this.onProgress = onProgress;
    const early = window.kasibiEngine;
    window.kasibiEngine = null; // one client takes the early worker
    this.start(early);
    this.watchdog = setInterval(() => this.watch(), WATCH_MS);
  }

  start(early = null) {
    this.starts++;
    this.state = "preparing";
    this.dying = false;
    this.heard = false; // whether this worker ever said a word
    this.lastHeard = Date.now();
    this.lastByte = Date.now();
    this.downloads = 0;
    let worker;
    try {
      worker = early?.worker ?? new Worker(workerUrl, { type: "module" });
    } catch (error) {
      queueMicrotask(() => this.fail(String(error?.message ?? error)));
      return;
    }
    this.worker = worker;
    const current = (handler) => (event) => worker === this.worker && handler(event);
    worker.onmessage = current(({ data }) => this.receive(data));
    // A worker script that cannot load (404, wrong MIME, no module workers) or that throws ends here.
    worker.onerror = current((event) => {
      event.preventDefault?.();
      this.died(event.message || "worker");
    });
    worker.onmessageerror = current(() => this.died("messageerror"));
    if (early) {
      queueMicrotask(() => {
        if (worker !== this.worker) return;
        for (const message of early.messages) this.receive(message);
        if (early.error) this.died(early.error);
      });
    }
  }

  receive(data) {
    const now = Date.now();
    if (now - this.lastHeard > ANSWERING_MS) this.lastByte = now; // it was busy, not counting: a stall counts from now
    this.heard = true;
    this.lastHeard = now;
    if (data.type === REPLY.progress) {
      if (data.loaded > (this.loaded ?? 0) || data.downloads !== this.downloads) this.lastByte = Date.now();
      this.loaded = data.loaded;
      this.downloads = data.downloads;
      if (this.state === "preparing") this.onProgress(data);
    } else if (data.type === REPLY.ready) {
      this.state = "ready";
      this.starts = 0;
      this.engineVersion = data.engine;
      this.onReady(data);
      dispatchEvent(new Event(SETTLED_EVENT));
    } else if (data.type === REPLY.failed) {
      if (data.scriptType) this.fail(data.reason, { scriptType: data.scriptType });
      else this.died(data.reason);
    } else if (this.pending.has(data.id)) {
      const { resolve, reject } = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (data.type === REPLY.result) resolve(data.result);
      else reject(new Error(data.reason));
    }
  }

  watch() {
    if (this.state === "failed" || this.dying || (this.state === "ready" && !this.pending.size)) return;
    const now = Date.now();
    const starting = this.state === "preparing";
    const answering = now - this.lastHeard <= ANSWERING_MS;
    if (now - this.lastHeard > (starting ? START_SILENCE_MS : SILENCE_MS)) this.died("no answer");
    else if (starting && answering && this.downloads > 0 && now - this.lastByte > STALL_MS) this.died("stalled");
    else this.worker.postMessage({ type: PING });
  }

  // The worker is dead, stuck or could not start: start another once, then give up.
  async died(reason) {
    if (this.state === "failed" || this.dying) return;
    this.dying = true;
    this.worker?.terminate();
    if (!this.heard) {
      // A worker that never said a word may be a script the server gives the wrong type.
      const type = await wrongScriptType(workerUrl);
      if (this.state === "failed") return;
      if (type) {
        this.fail(`worker.js: ${type}`, { scriptType: { file: ".js", type } });
        return;
      }
    }
    if (this.starts >= STARTS) {
      this.fail(reason);
      return;
    }
    this.start();
    for (const [id, entry] of this.pending) {
      if (entry.sends >= SENDS) {
        this.pending.delete(id);
        entry.reject(new Error(reason));
      } else {
        entry.sends++;
        this.worker.postMessage({ ...entry.message, id });
      }
    }
  }

  fail(reason, details = {}) {
    if (this.state === "failed") return;
    this.state = "failed";
    this.failure = reason;
    clearInterval(this.watchdog);
    this.worker?.terminate();
    for (const { reject } of this.pending.values()) reject(new Error(reason));
    this.pending.clear();
    this.onFailed(reason, details);
    dispatchEvent(new Event(SETTLED_EVENT));
  }

  /** @param {import("./messages.js").Request} message */
  request(message) {
    if (this.state === "failed") return Promise.reject(new Error(this.failure ?? "engine unavailable"));
    if (this.state === "ready" && !this.pending.size) this.lastHeard = Date.now(); // the watch starts now
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { message, resolve, reject, sends: 1 });
      this.worker.postMessage({ ...message, id });
    });
  }

  // One method per request of messages.js.
  score(src, answers) {
    return this.request({ type: REQUEST.score, src, answers });
  }

  compare(older, newer) {
    return this.request({ type: REQUEST.compare, older, newer });
  }

  // A template's completion of marked sheets, and its filled Word file (generator/browser/documents.py, docx.py).
  completion(src, values) {
    return this.request({ type: REQUEST.completion, src, values });
  }

  docx(src, values) {
    return this.request({ type: REQUEST.docx, src, values });
  }

  // The school level (generator/browser/aggregate.py): a teacher's file, the summary, its report, its Word file.
  share(src, answers, result, facts, shareId, month) {
    return this.request({ type: REQUEST.share, src, answers, result, facts, shareId, month });
  }

  shareContents(src, facts) {
    return this.request({ type: REQUEST.shareContents, src, facts });
  }

  aggregate(files) {
    return this.request({ type: REQUEST.aggregate, files, lang });
  }

  schoolReport(summary, earlier = "", named = "") {
    return this.request({ type: REQUEST.report, summary, earlier, named, lang });
  }

  layoutDocx(document) {
    return this.request({ type: REQUEST.layoutDocx, document });
  }

  packDocx(pack) {
    return this.request({ type: REQUEST.packDocx, pack });
  }
}
