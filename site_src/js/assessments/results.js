// "My results": every saved completion on this device, grouped by instrument, with the report,
// a trend across attempts, comparison of two attempts (by the Python engine), delete, export, import.
// Each record is drawn on its own: one that cannot be drawn (damaged, or saved by hand or by another
// version) says so in one line and can still be exported and deleted.

import { calendarControl } from "./calendar.js";
import { trendChart } from "./chart.js";
import { h } from "../utilities/dom.js";
import { formatNumber, localDate, localDateTime } from "../utilities/numbers.js";
import { EngineClient } from "../engine/engine-client.js";
import { BUILD } from "../build.js";
import { dataUrl, lang, pageUrl } from "../utilities/paths.js";
import { isIdent, isTimestamp, validRecord, validResult } from "../storage/record-check.js";
import { renderComparison, renderResult } from "./report.js";
import { shareButton } from "./share.js";
import * as store from "../storage/store.js";
import { t } from "../utilities/strings.js";
import { wordButton } from "../documents/word-layout.js";
import { ImportError, MAX_BYTES, csvFor, download, exportFile, fileName, merge, parseImport } from "../storage/transfer.js";

const day = localDate;
// Two results of one day differ by their time: «02.12.2026 13:57».
const dayTime = localDateTime;
const sameRecord = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const instrumentOf = (record) => (isIdent(record?.instrument) ? record.instrument : "");

// A stored result's links are not trusted: each scale's guide is taken from the instrument as this
// site publishes it (none when the instrument or the scale is unknown here).
function relinked(result, instrument) {
  const guides = new Map((instrument?.scales ?? []).map((s) => [s.id, s.guide ?? ""]));
  const guide = (scaleId) => guides.get(scaleId) ?? "";
  const copy = structuredClone(result);
  for (const scale of copy.scales ?? []) scale.guide = guide(scale.id);
  if (copy.next_step) copy.next_step.guide = guide(copy.next_step.scale);
  if (copy.ladder?.next) copy.ladder.next.guide = guide(copy.ladder.next.scale);
  return copy;
}

// The buttons of `part` (one saved result, or a comparison): print it alone as the one-page report, or
// download it as Word (`word`: the report's title, sources, file name and engine).
function reportActions(t, part, word) {
  const button = h("button", { type: "button", class: "md-button", "data-action": "print-report" }, t("action.print_report"));
  button.addEventListener("click", () => {
    part.setAttribute("data-print-target", "");
    window.addEventListener("afterprint", () => part.removeAttribute("data-print-target"), { once: true });
    window.print();
  });
  return h("div", { class: "kasibi-actions kasibi-report__actions" }, button, wordButton(part, word));
}

function headline(t, result) {
  if (result.ladder) return t("result.ladder_place", { label: result.ladder.label });
  if (result.growth_zone) {
    const zone = result.scales.find((s) => s.id === result.growth_zone);
    return `${t("result.growth_zone")}: ${zone?.title ?? ""}`;
  }
  if (result.scales?.length === 1) return `${result.scales[0].title}: ${formatNumber(result.scales[0].value)} — ${result.scales[0].band_label}`;
  return t("results.card_saved", { title: result.title });
}

function trend(t, title, records) {
  const scored = records.filter((r) => r.result.scales?.length);
  if (scored.length < 2) return null;
  const series = scored[0].result.scales.map((scale) => ({
    title: scale.title, min: scale.min, max: scale.max,
    points: scored.map((r) => ({ label: day(r.completed_at), value: r.result.scales.find((s) => s.id === scale.id)?.value ?? scale.min })),
  }));
  return h("figure", { class: "kasibi-trend" }, trendChart(series, t("results.trend", { title })),
    h("figcaption", null, series.map((s, n) => h("span", { class: `kasibi-legend kasibi-chart__series--${n % 6}` }, s.title))));
}

class ResultsPage {
  constructor(root) {
    this.root = root;
    this.t = t;
    this.client = null; // the engine, started on first use
    this.list = root.querySelector("[data-results-list]");
    this.notice = root.querySelector("[data-notice]");
    root.querySelector("[data-action=export]").addEventListener("click", () => this.exportAll());
    root.querySelector("[data-action=import]").addEventListener("change", (event) => this.importFile(event.target));
    root.querySelector("[data-action=delete-all]").addEventListener("click", () => this.deleteAll());
    this.catalogue = fetch(dataUrl("instruments/index.json")).then((r) => r.json())
      .then((list) => new Map(list.map((i) => [i.id, i])));
    this.instruments = new Map(); // id → the compiled instrument (a promise; null when it cannot be had)
    this.said = new Map(); // a record saved in another language (as JSON) → its result in this page's
    this.saved = new WeakMap(); // a record as shown → as it was saved
    document.addEventListener("kasibi:restored", () => this.render());
    this.render();
  }

  async instrument(id) {
    if (!this.instruments.has(id)) {
      this.instruments.set(id, this.catalogue.then(async (catalogue) => {
        if (!catalogue.has(id)) return null;
        const response = await fetch(dataUrl(`instruments/${id}.json`));
        if (!response.ok) throw new Error(response.statusText);
        return response.json();
      }).catch(() => {
        this.instruments.delete(id); // a failed fetch is tried again next time
        return null;
      }));
    }
    return this.instruments.get(id);
  }

  say(text) {
    this.notice.textContent = text;
    this.notice.hidden = !text;
  }

  // The Python engine is only needed to compare two attempts; it starts on first use.
  engine() {
    this.client ??= new EngineClient({ onReady: () => {}, onFailed: () => {} });
    return this.client;
  }

  records() {
    const history = store.loadHistory();
    if (history.status === "corrupt") this.say(this.t("storage.corrupt"));
    if (history.status === "newer") this.say(this.t("storage.newer"));
    return history.records.map((record) => this.inPageLanguage(record));
  }

  // A result saved on a page in another language is shown in this page's: the engine scores its answers again with
  // this page's instrument, which gives the same numbers (engine.py: compute) in this language's words (describe).
  // Until then, and whenever that cannot be done (another version of the instrument), it shows as it was saved.
  inPageLanguage(record) {
    if (!validRecord(record) || (record.lang ?? BUILD.first) === lang) return record;
    const key = JSON.stringify(record);
    const said = this.said.get(key);
    if (said) {
      const shown = { ...record, title: said.title, result: said };
      this.saved.set(shown, record);
      return shown;
    }
    if (said === undefined) {
      // all of them, then one drawing (the list says it is busy meanwhile)
      this.said.set(key, null);
      this.list.setAttribute("aria-busy", "true");
      this.waiting = (this.waiting ?? 0) + 1;
      this.sayAgain(key, record).finally(() => {
        this.waiting -= 1;
        if (this.waiting) return;
        this.list.removeAttribute("aria-busy");
        this.render();
      });
    }
    return record;
  }

  async sayAgain(key, record) {
    try {
      const result = await this.engine().score(dataUrl(`instruments/${record.instrument}.json`).href, record.answers);
      if (validResult(result) && result.instrument_version === record.instrument_version) this.said.set(key, result);
    } catch {
      // the engine could not start: the result stays in the words it was saved with
    }
  }

  render() {
    const records = this.records();
    if (!records.length) {
      this.list.replaceChildren(h("p", null, this.t("results.empty")),
        h("p", null, h("a", { href: pageUrl("assessments") }, this.t("results.go_assess"))));
      return;
    }
    const groups = new Map(); // a record that names no instrument goes under ""
    for (const record of records) groups.set(instrumentOf(record), [...(groups.get(instrumentOf(record)) ?? []), record]);
    this.list.replaceChildren(...[...groups].map(([id, group]) => this.group(id, group)));
  }

  deleteButton(record) {
    const remove = h("button", { type: "button", class: "md-button" }, this.t("results.delete"));
    remove.addEventListener("click", () => this.remove(record));
    return remove;
  }

  brokenRow(record) {
    const date = isTimestamp(record?.completed_at) ? day(record.completed_at) : "—";
    return h("li", { "data-broken": "" }, h("div", { class: "kasibi-saved__row" },
      h("p", { class: "kasibi-saved kasibi-note" }, this.t("results.broken", { date })), this.deleteButton(record)));
  }

  reportActions(part, { title, sources }, when) {
    return reportActions(this.t, part, { title, sources, name: `${title} — ${when}`, engine: () => this.engine() });
  }

  // The report is drawn when the row is first opened, with the instrument's own links.
  async draw(body, record) {
    const instrument = await this.instrument(record.instrument);
    try {
      renderResult(body, this.t, relinked(record.result, instrument),
        { actions: this.reportActions(body, record.result, dayTime(record.completed_at)), date: dayTime(record.completed_at) });
      body.append(calendarControl(record));
    } catch {
      body.replaceChildren(h("p", { class: "kasibi-note" }, this.t("results.broken", { date: day(record.completed_at) })));
    }
  }

  group(id, records) {
    const drawable = records.filter(validRecord);
    const title = drawable.at(-1)?.title ?? this.t("results.unreadable_group");
    const compare = h("button", { type: "button", class: "md-button", disabled: "" }, this.t("results.compare"));
    const output = h("div", { "data-compare-output": "" });
    const chosen = [];
    const rows = records.map((record) => {
      if (!validRecord(record)) return this.brokenRow(record);
      const pick = h("input", { type: "checkbox", "aria-label": this.t("results.pick", { date: day(record.completed_at) }) });
      pick.addEventListener("change", () => {
        if (pick.checked) chosen.push(record);
        else chosen.splice(chosen.indexOf(record), 1);
        compare.disabled = chosen.length !== 2;
      });
      const body = h("div", { class: "kasibi-report__body" });
      const details = h("details", { class: "kasibi-saved", "data-record": record.id },
        h("summary", null, `${dayTime(record.completed_at)} — ${headline(this.t, record.result)}`), body);
      details.addEventListener("toggle", () => {
        if (details.open && !body.childElementCount) this.draw(body, record);
      });
      return h("li", null, h("div", { class: "kasibi-saved__row" }, pick, details,
        record.result.scales?.length || record.result.kind === "survey" ? shareButton(record, () => this.engine()) : null,
        this.deleteButton(record)));
    });
    compare.addEventListener("click", async () => {
      const [older, newer] = [...chosen].sort((a, b) => a.completed_at.localeCompare(b.completed_at));
      output.replaceChildren(h("p", null, this.t("engine.preparing")));
      try {
        const comparison = await this.engine().compare(older.result, newer.result);
        output.replaceChildren(renderComparison(this.t, comparison, dayTime(older.completed_at)),
          this.reportActions(output, { title: older.result.title, sources: older.result.sources },
            `${dayTime(older.completed_at)} – ${dayTime(newer.completed_at)}`));
      } catch (error) {
        output.replaceChildren(h("p", null, this.t("result.error", { reason: error.message })));
      }
    });
    const csv = h("button", { type: "button", class: "md-button" }, this.t("results.csv"));
    csv.addEventListener("click", async () => download(fileName(title, "csv"), csvFor(drawable, {
      date: this.t("results.col_date"), version: this.t("results.col_version"), band: this.t("results.col_band"),
    }, await this.instrument(id)), "text/csv;charset=utf-8"));
    const page = id && pageUrl(`assessment:${id}`);
    return h("section", { class: "kasibi-group", "data-instrument": id },
      h("h2", null, page ? h("a", { href: page }, title) : title),
      trend(this.t, title, drawable),
      h("ul", { class: "kasibi-saved-list" }, rows),
      h("div", { class: "kasibi-actions" }, drawable.some((r) => r.result.scales?.length) ? compare : null,
        drawable.length ? csv : null),
      output,
    );
  }

  // The record deleted is the one drawn (all of it compared: ids are not trusted to be unique), as it was saved.
  remove(record) {
    if (!window.confirm(this.t("results.delete_confirm"))) return;
    const saved = this.saved.get(record) ?? record;
    store.saveHistory(store.loadHistory().records.filter((r) => !sameRecord(r, saved)));
    this.render();
  }

  deleteAll() {
    if (!window.confirm(this.t("results.delete_all_confirm"))) return;
    store.saveHistory([]);
    this.say(this.t("results.deleted_all"));
    this.render();
  }

  exportAll() {
    const records = store.loadHistory().records;
    const name = `kasibi-natizheler-${new Date().toISOString().slice(0, 10)}.json`;
    download(name, JSON.stringify(exportFile(records), null, 1), "application/json");
    this.say(this.t("results.exported", { n: records.length }));
  }

  async importFile(input) {
    const [file] = input.files;
    input.value = "";
    if (!file) return;
    try {
      if (file.size > MAX_BYTES) throw new ImportError("import.too_big", { mb: MAX_BYTES / 1024 / 1024 });
      const incoming = parseImport(await file.text(), await this.catalogue);
      const { records, added, duplicates, renamed } = merge(store.loadHistory().records, incoming);
      if (!store.saveHistory(records)) throw new ImportError("action.save_failed");
      this.say([this.t("import.done", { added, duplicates }), renamed ? this.t("import.renamed", { n: renamed }) : ""]
        .join(" ").trim());
    } catch (error) {
      this.say(error instanceof ImportError ? this.t(error.key, error.values) : this.t("import.not_json"));
      return;
    }
    this.render();
  }
}

for (const root of document.querySelectorAll("[data-results-root]")) new ResultsPage(root);
