// Entry point on every page: brings each server-rendered instrument form to life.
// The form works as plain HTML; this adds autosave, restore, and scoring in a Pyodide worker.

import { readAnswers, requiredItems, writeAnswers } from "./answers.js";
import { h } from "./dom.js";
import { EngineClient } from "./engine-client.js";
import { siteUrl } from "./paths.js";
import { renderMessage, renderResult } from "./report.js";
import * as store from "./store.js";
import { loadStrings } from "./strings.js";

class InstrumentPage {
  constructor(root, engine) {
    this.root = root;
    this.engine = engine;
    this.t = loadStrings(root);
    this.form = root.querySelector("form[data-instrument]");
    this.id = this.form.dataset.instrument;
    this.version = Number(this.form.dataset.version);
    this.src = siteUrl(this.form.dataset.src);
    this.report = root.querySelector("[data-result]");
    this.body = root.querySelector("[data-result-body]");
    this.progress = root.querySelector("[data-progress]");
    this.required = requiredItems(this.form);
    this.notice = h("p", { class: "kasibi-notice", role: "status", hidden: "" });
    this.form.before(this.notice);
    this.request = 0;
    this.restore();
    this.form.addEventListener("change", () => this.changed());
    this.form.addEventListener("input", () => this.changed());
    root.querySelector("[data-action=clear]").addEventListener("click", () => this.clear());
    root.querySelector("[data-action=print]").addEventListener("click", () => window.print());
    // Paper has no clicks: print the evidence lists opened.
    window.addEventListener("beforeprint", () => {
      for (const details of this.report.querySelectorAll("details")) details.open = true;
    });
  }

  say(text) {
    this.notice.textContent = text;
    this.notice.hidden = !text;
  }

  setStatus(status, text) {
    this.report.dataset.status = status;
    if (text) renderMessage(this.body, text);
  }

  restore() {
    if (!store.available) this.say(this.t("storage.unavailable"));
    const draft = store.loadDraft(this.id);
    if (draft.status === "corrupt") this.say(this.t("storage.corrupt"));
    if (draft.status === "ok") {
      this.answers = writeAnswers(this.form, draft.record.answers);
      const saved = draft.record.result;
      if (saved && saved.complete && saved.instrument_version === this.version) this.show(saved);
      if (Object.keys(this.answers).length) this.say(this.t("storage.restored"));
    } else {
      this.answers = readAnswers(this.form);
    }
    this.update();
  }

  changed() {
    this.answers = readAnswers(this.form);
    this.result = null;
    store.saveDraft(this.id, this.version, this.answers, null);
    this.update();
  }

  missing() {
    return this.required.filter((name) => !(name in this.answers));
  }

  update() {
    const missing = this.missing();
    this.progress.textContent = this.t("progress", {
      answered: this.required.length - missing.length, required: this.required.length,
    });
    if (!missing.length) {
      this.progress.append(" ", h("a", { href: `#${this.report.getAttribute("aria-labelledby")}` }, this.t("result.go")));
    }
    if (missing.length) {
      const sections = new Set(missing.map((name) => this.form.querySelector(`[name="${CSS.escape(name)}"]`)
        .closest(".kasibi-section").querySelector("legend").textContent));
      this.setStatus("pending", `${this.t("result.pending")} ${this.t("result.missing", { sections: [...sections].join(", ") })}`);
      return;
    }
    if (this.result) return;
    if (this.engine.state === "failed") {
      this.setStatus("error", this.t("engine.failed", { reason: this.engine.failure }));
    } else if (this.engine.state === "ready") {
      this.score();
    } else if (this.report.dataset.status !== "done") {
      this.setStatus("pending", this.t("result.waiting"));
    }
  }

  async score() {
    const request = ++this.request;
    try {
      const result = await this.engine.score(this.src, this.answers);
      if (request !== this.request) return;
      this.result = result;
      store.saveDraft(this.id, this.version, this.answers, result);
      this.show(result);
    } catch (error) {
      if (request === this.request) this.setStatus("error", this.t("result.error", { reason: error.message }));
    }
  }

  show(result) {
    this.result = result;
    renderResult(this.body, this.t, result);
    this.report.dataset.status = "done";
  }

  clear() {
    if (!window.confirm(this.t("action.clear_confirm"))) return;
    this.form.reset();
    store.clearDraft(this.id);
    this.request++;
    this.answers = {};
    this.result = null;
    this.update();
    this.say(this.t("action.cleared"));
  }
}

function statusLine(root, state, text) {
  const line = root.querySelector("[data-engine-status]");
  line.dataset.engineStatus = state;
  line.textContent = text;
}

const roots = [...document.querySelectorAll("[data-instrument-root]")];
if (roots.length) {
  const pages = [];
  const engine = new EngineClient({
    onReady: () => {
      for (const page of pages) {
        statusLine(page.root, "ready", page.t("engine.ready"));
        page.update();
      }
    },
    onFailed: (reason) => {
      engine.failure = reason;
      for (const page of pages) {
        statusLine(page.root, "failed", page.t("engine.failed", { reason }));
        page.update();
      }
    },
  });
  for (const root of roots) pages.push(new InstrumentPage(root, engine));
}
