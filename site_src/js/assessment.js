// Entry point on every page: brings each server-rendered instrument form to life.
// The form works as plain HTML; this adds autosave, restore, and scoring in a Pyodide worker.

import { readAnswers, requiredItems, writeAnswers } from "./answers.js";
import { h } from "./dom.js";
import { EngineClient } from "./engine-client.js";
import { pageUrl, siteUrl, version } from "./paths.js";
import { validRecord } from "./record-check.js";
import { renderComparison, renderMessage, renderResult } from "./report.js";
import * as store from "./store.js";
import { t } from "./strings.js";

// What the development plan receives from a result: the growth zone and what to do about it.
function planPrefill(result) {
  const zone = result.scales.find((s) => s.id === result.growth_zone);
  return {
    source: result.title,
    date: new Date().toISOString().slice(0, 10),
    growth_zone: `${zone.title} — ${zone.band_label}`,
    next_step: result.next_step.next ? `${result.next_step.next.label}: ${result.next_step.next.text}` : result.next_step.at_top,
    methods: Object.values(result.focus ?? {}).flat(),
    evidence: (result.evidence ?? []).find((e) => e.scale === result.growth_zone)?.missing ?? [],
  };
}

const SCORE_PAUSE_MS = 250;

class InstrumentPage {
  constructor(root, engine) {
    this.root = root;
    this.engine = engine;
    this.t = t;
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
    clearTimeout(this.pause); // a score asked for before this change no longer fits the answers
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
      // Typing in a text answer fires on every key: score once the typing pauses, not per key.
      this.pause = setTimeout(() => this.score(), SCORE_PAUSE_MS);
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
    this.body.append(this.actions(result));
    this.report.dataset.status = "done";
    this.compareWithLastSaved(result);
  }

  // Save to "my results", and for results that feed a plan, open the plan prefilled.
  actions(result) {
    const status = h("p", { class: "kasibi-note", role: "status" });
    const save = h("button", { type: "button", class: "md-button md-button--primary", "data-action": "save" },
      this.t("action.save"));
    save.addEventListener("click", () => {
      const record = store.addToHistory(this.id, this.version, result.title, this.answers, result);
      status.replaceChildren(record
        ? this.t("action.saved", { date: new Date(record.completed_at).toLocaleDateString("kk-KZ") })
        : this.t("action.save_failed"));
      if (record) save.disabled = true;
    });
    const buttons = [save, h("a", { class: "md-button", href: pageUrl("my-results") }, this.t("action.my_results"))];
    const planPage = result.plan && pageUrl(`template:${result.plan}`);
    if (planPage && result.next_step) {
      const plan = h("a", { class: "md-button", href: planPage, "data-action": "plan" },
        this.t("action.plan"));
      plan.addEventListener("click", () => store.putPrefill(result.plan, planPrefill(result)));
      buttons.push(plan);
    }
    return h("div", { class: "kasibi-actions kasibi-report__actions" }, ...buttons, status);
  }

  async compareWithLastSaved(result) {
    const earlier = store.loadHistory().records
      .filter((r) => validRecord(r) && r.instrument === this.id && r.result.scales?.length);
    const last = earlier.at(-1);
    if (!last || !result.scales?.length || this.engine.state !== "ready") return;
    try {
      const comparison = await this.engine.compare(last.result, result);
      if (this.result !== result) return;
      const date = new Date(last.completed_at).toLocaleDateString("kk-KZ");
      this.body.querySelector("[data-compare]")?.remove();
      this.body.querySelector(".kasibi-how").before(renderComparison(this.t, comparison, date));
    } catch {
      // A comparison is a bonus; the report stands without it.
    }
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

function statusLine(root, state, text, engineVersion = "") {
  const line = root.querySelector("[data-engine-status]");
  line.dataset.engineStatus = state;
  line.dataset.siteVersion = version;
  if (engineVersion) line.dataset.engineVersion = engineVersion;
  line.textContent = text;
}

const roots = [...document.querySelectorAll("[data-instrument-root]")];
if (roots.length) {
  const pages = [];
  const engine = new EngineClient({
    onReady: ({ engine: engineVersion, wasmType }) => {
      const note = wasmType ? ` ${t("engine.wasm_type", { type: wasmType })}` : "";
      for (const page of pages) {
        statusLine(page.root, "ready", page.t("engine.ready") + note, engineVersion);
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
