// Entry point on every page: brings each server-rendered instrument form to life.
// The form works as plain HTML; this adds autosave, restore, and scoring in a Pyodide worker.

import { clearAnswers, readAnswers, requiredItems, sameAnswers, writeAnswers } from "./answers.js";
import { h } from "../utilities/dom.js";
import { formatFixed, localDate } from "../utilities/numbers.js";
import { EngineClient } from "../engine/engine-client.js";
import { lang, pageUrl, siteUrl, version } from "../utilities/paths.js";
import { validRecord } from "../storage/record-check.js";
import { renderComparison, renderMessage, renderResult } from "./report.js";
import { shareButton } from "./share.js";
import * as store from "../storage/store.js";
import { t } from "../utilities/strings.js";
import { wordButton } from "../documents/word-layout.js";

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
    this.typing = false; // the last change was typed, not clicked
    this.engine = engine;
    this.t = t;
    this.form = root.querySelector("form[data-instrument]");
    // Attributes and methods whose names have capitals only: an item id may be the name of any
    // lower-case form property (form.dataset, form.before, form.reset; see answers.js).
    this.id = this.form.getAttribute("data-instrument");
    this.version = Number(this.form.getAttribute("data-version"));
    this.src = siteUrl(this.form.getAttribute("data-src"));
    this.report = root.querySelector("[data-result]");
    this.body = root.querySelector("[data-result-body]");
    this.progress = root.querySelector("[data-progress]");
    this.required = requiredItems(this.form);
    this.notice = h("p", { class: "kasibi-notice", role: "status", hidden: "" });
    this.form.insertAdjacentElement("beforebegin", this.notice);
    this.request = 0;
    this.scored = null; // {answers, result}: the last result and the very answers it was computed from
    this.queued = null; // what waits for a result that fits the current answers (save, open the plan)
    this.restore();
    this.form.addEventListener("input", (event) => this.changed(event.target));
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
      // The draft's result stands for its answers only if every answer still fits the form.
      if (saved?.complete && saved.instrument_version === this.version && sameAnswers(this.answers, draft.record.answers)) {
        this.scored = { answers: this.answers, result: saved };
      }
      if (Object.keys(this.answers).length) this.say(this.t("storage.restored"));
    } else {
      this.answers = readAnswers(this.form);
    }
    this.update();
  }

  changed(control) {
    // Typing fires on every key: score once it pauses. A click or a tick is scored at once.
    this.typing = control.matches("textarea, input:not([type=radio], [type=checkbox])");
    this.answers = readAnswers(this.form);
    store.saveDraft(this.id, this.version, this.answers, this.fresh() ? this.scored.result : null);
    this.update();
  }

  // The result on record fits the answers in the form.
  fresh() {
    return this.scored !== null && sameAnswers(this.scored.answers, this.answers);
  }

  missing() {
    return this.required.filter((name) => !Object.hasOwn(this.answers, name));
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
      this.queued = null; // nothing can be saved for answers that have no result
      const sections = new Set(missing.map((name) => this.form.querySelector(`[name="${CSS.escape(name)}"]`)
        .closest(".kasibi-section").querySelector("legend").textContent));
      this.setStatus("pending", `${this.t("result.pending")} ${this.t("result.missing", { sections: [...sections].join(", ") })}`);
      return;
    }
    if (this.fresh()) {
      if (this.report.dataset.status !== "done") this.show(this.scored.result);
      return;
    }
    if (this.engine.state === "failed") {
      this.setStatus("error", this.t("engine.failed", { reason: this.engine.failure }));
      return;
    }
    this.outdated(this.engine.state === "ready" ? "result.recalculating" : "result.recalculating_later");
    if (this.engine.state === "ready") this.pause = setTimeout(() => this.score(), this.typing ? SCORE_PAUSE_MS : 0);
  }

  // The answers differ from the ones scored: a report on screen stays, marked as being recalculated.
  outdated(key) {
    this.report.dataset.status = "pending";
    const report = this.body.querySelector(".kasibi-how");
    if (!report) {
      renderMessage(this.body, this.t(key === "result.recalculating" ? key : "result.waiting"));
      return;
    }
    const banner = this.body.querySelector("[data-recalculating]") ??
      h("p", { class: "kasibi-notice", role: "status", "data-recalculating": "" });
    banner.textContent = this.t(key);
    this.body.prepend(banner);
  }

  async score() {
    const request = ++this.request;
    const answers = this.answers;
    try {
      const result = await this.engine.score(this.src, answers);
      if (request !== this.request) return;
      this.scored = { answers, result };
      if (!this.fresh()) return; // changed while scoring: the draft keeps the newer answers, not these
      store.saveDraft(this.id, this.version, answers, result);
      this.show(result);
    } catch (error) {
      if (request === this.request && !this.fresh()) this.setStatus("error", this.t("result.error", { reason: error.message }));
    }
  }

  show(result) {
    renderResult(this.body, this.t, result, { actions: this.actions(result), date: localDate(new Date()) });
    this.report.dataset.status = "done";
    this.compareWithLastSaved(result);
    const queued = this.queued;
    this.queued = null;
    queued?.(this.scored);
  }

  // Run `action` with the result that fits the answers in the form: now, or as soon as it is computed.
  whenFresh(action) {
    if (this.fresh()) {
      action(this.scored);
      return;
    }
    this.queued = action;
    this.body.querySelector("[data-save-status]")?.replaceChildren(this.t("action.save_waiting"));
  }

  // Saves the answers with the result computed from them, never a result of other answers.
  save({ answers, result }) {
    const record = store.addToHistory(this.id, this.version, result.title, answers, result, lang);
    this.body.querySelector("[data-save-status]")?.replaceChildren(record
      ? this.t("action.saved", { date: localDate(record.completed_at) })
      : this.t("action.save_failed"));
    const button = this.body.querySelector("[data-action=save]");
    if (record && button) button.disabled = true;
    if (record) this.body.dispatchEvent(new CustomEvent("kasibi:kept", { bubbles: true })); // backup.js may offer a backup
  }

  // Save to "my results", and for results that feed a plan, open the plan prefilled.
  actions(result) {
    const status = h("p", { class: "kasibi-note", role: "status", "data-save-status": "" });
    const save = h("button", { type: "button", class: "md-button md-button--primary", "data-action": "save" },
      this.t("action.save"));
    save.addEventListener("click", () => this.whenFresh((scored) => this.save(scored)));
    const report = h("button", { type: "button", class: "md-button", "data-action": "print-report" }, this.t("action.print_report"));
    report.addEventListener("click", () => window.print());
    const word = wordButton(this.body, {
      title: result.title, sources: result.sources, name: `${result.title} — ${localDate(new Date())}`, engine: () => this.engine,
    });
    const buttons = [save, report, word, h("a", { class: "md-button", href: pageUrl("my-results") }, this.t("action.my_results"))];
    if (result.scales?.length || result.kind === "survey") buttons.push(shareButton(this.scored, () => this.engine));
    const planPage = result.plan && pageUrl(`template:${result.plan}`);
    if (planPage && result.next_step) {
      const plan = h("a", { class: "md-button", href: planPage, "data-action": "plan" },
        this.t("action.plan"));
      plan.addEventListener("click", (event) => {
        if (this.fresh()) {
          store.putPrefill(this.scored.result.plan, planPrefill(this.scored.result));
          return;
        }
        event.preventDefault();
        this.whenFresh((scored) => {
          if (!scored.result.next_step) return;
          store.putPrefill(scored.result.plan, planPrefill(scored.result));
          window.location.assign(planPage);
        });
      });
      buttons.push(plan);
    }
    return h("div", { class: "kasibi-actions kasibi-report__actions" }, ...buttons,
      h("p", { class: "kasibi-note" }, this.t("action.save_note")), status);
  }

  async compareWithLastSaved(result) {
    const earlier = store.loadHistory().records
      .filter((r) => validRecord(r) && r.instrument === this.id && r.result.scales?.length);
    const last = earlier.at(-1);
    if (!last || !result.scales?.length || this.engine.state !== "ready") return;
    try {
      const comparison = await this.engine.compare(last.result, result);
      if (this.scored?.result !== result || !this.fresh()) return;
      const date = localDate(last.completed_at);
      this.body.querySelector("[data-compare]")?.remove();
      this.body.querySelector(".kasibi-how").before(renderComparison(this.t, comparison, date));
    } catch {
      // A comparison is a bonus; the report stands without it.
    }
  }

  // The engine has (re)started: a result restored from a draft of another engine version is recomputed.
  engineReady(engineVersion) {
    if (this.scored && this.scored.result.engine !== engineVersion) this.scored = null;
    this.update();
  }

  clear() {
    if (!window.confirm(this.t("action.clear_confirm"))) return;
    clearAnswers(this.form);
    store.clearDraft(this.id);
    this.request++;
    this.answers = {};
    this.scored = null;
    this.queued = null;
    this.update();
    this.say(this.t("action.cleared"));
  }
}

// start: how the ready engine started ("snapshot" or "start", worker.js), for IT staff and the tests.
function statusLine(root, state, text, { engineVersion = "", start = "" } = {}) {
  const line = root.querySelector("[data-engine-status]");
  line.dataset.engineStatus = state;
  line.dataset.siteVersion = version;
  if (engineVersion) line.dataset.engineVersion = engineVersion;
  if (start) line.dataset.engineStart = start;
  line.textContent = text;
}

// "4,2 / 13,5 МБ (31 %)" while the engine's files arrive.
function downloadText({ loaded, total }) {
  const mb = (bytes) => formatFixed(bytes / 1e6, 1);
  return t("engine.loading", { loaded: mb(loaded), total: mb(total), percent: Math.floor((100 * loaded) / total) });
}

const roots = [...document.querySelectorAll("[data-instrument-root]")];
if (roots.length) {
  const pages = [];
  const engine = new EngineClient({
    onProgress: (progress) => {
      const text = progress.downloads ? downloadText(progress) : t("engine.preparing"); // downloaded: starting
      for (const page of pages) statusLine(page.root, "preparing", text);
    },
    onReady: ({ engine: engineVersion, from: start, wasmType }) => {
      const note = wasmType ? ` ${t("engine.wasm_type", { type: wasmType })}` : "";
      for (const page of pages) {
        statusLine(page.root, "ready", page.t("engine.ready") + note, { engineVersion, start });
        page.engineReady(engineVersion);
      }
    },
    onFailed: (reason, /** @type {{scriptType?: {file: string, type: string}}} */ { scriptType } = {}) => {
      engine.failure = reason;
      const note = scriptType ? ` ${t("engine.script_type", scriptType)}` : "";
      for (const page of pages) {
        statusLine(page.root, "failed", page.t("engine.failed", { reason }) + note);
        page.update();
      }
    },
  });
  for (const root of roots) pages.push(new InstrumentPage(root, engine));
}
