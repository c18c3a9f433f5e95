// The school summary page: the methodologist chooses the teachers' share files (many files, a folder,
// zips of them, or other schools' summaries); the Python in the worker (generator/browser/aggregate.py,
// the module the CLI uses) aggregates them and builds the report with its privacy rules applied;
// this draws it, and offers the summary file, print, the Word report and the school's plan prefilled.
// Nothing leaves the browser. Every figure comes from the report model, never from the files.

import { BUILD } from "../build.js";
import { h } from "../utilities/dom.js";
import { EngineClient } from "../engine/engine-client.js";
import { pageUrl } from "../utilities/paths.js";
import { heatMap, stackedBars } from "./school-chart.js";
import * as store from "../storage/store.js";
import { t } from "../utilities/strings.js";
import { download } from "../storage/transfer.js";
import { downloadWord, layout } from "../documents/word-layout.js";

const PLAN = "school-methodological-plan";
const today = () => new Date().toISOString().slice(0, 10);

class SchoolPage {
  constructor(root) {
    this.root = root;
    this.result = root.querySelector("[data-school-result]");
    this.notice = root.querySelector("[data-notice]");
    this.files = [];
    this.earlier = "";
    this.run = 0;
    this.engine = new EngineClient({ onReady: () => {}, onFailed: () => {} });
    const picked = (input, earlier = false) => input.addEventListener("change", () => {
      const files = [...input.files];
      input.value = "";
      if (earlier) this.chooseEarlier(files[0]);
      else this.choose(files);
    });
    picked(root.querySelector("[data-school-files]"));
    picked(root.querySelector("[data-school-folder]"));
    picked(root.querySelector("[data-school-earlier]"), true);
    root.addEventListener("dragover", (event) => {
      event.preventDefault();
      root.classList.add("is-dragging");
    });
    root.addEventListener("dragleave", () => root.classList.remove("is-dragging"));
    root.addEventListener("drop", (event) => {
      event.preventDefault();
      root.classList.remove("is-dragging");
      this.choose([...event.dataTransfer.files]);
    });
  }

  say(text) {
    this.notice.textContent = text;
    this.notice.hidden = !text;
  }

  status(status, ...children) {
    this.result.dataset.status = status;
    if (children.length) this.result.replaceChildren(...children.filter(Boolean));
  }

  // Files from a folder keep their path inside it: a rejected file is named so it can be found.
  // All of them are read in one go (one Blob of them all), each then a view of its own bytes.
  async choose(files) {
    if (!files.length) return;
    const whole = new Uint8Array(await new Blob(files).arrayBuffer());
    let at = 0;
    this.files = files.map((file) => ({ name: file.webkitRelativePath || file.name, bytes: whole.subarray(at, (at += file.size)) }));
    this.aggregated = null;
    await this.update();
  }

  async chooseEarlier(file) {
    if (!file) return;
    this.earlier = await file.text();
    if (this.files.length) await this.update();
  }

  async update() {
    const run = ++this.run;
    this.status("pending", h("p", null, t("school.working", { n: this.files.length })));
    try {
      this.aggregated ??= await this.engine.aggregate(this.files);
      const { summary, named } = this.aggregated;
      const report = await this.engine.schoolReport(summary, this.earlier, named);
      if (run !== this.run) return;
      this.report = report;
      this.status("done", ...this.draw(report));
    } catch (error) {
      if (run === this.run) this.status("error", h("p", { class: "kasibi-notice" }, t("school.failed", { reason: error.message })));
    }
  }

  draw(report) {
    return [
      this.actions(report),
      h("h2", null, t("school.report_title")),
      h("p", null, this.countedLine(report)),
      report.earlier === "rejected" ? h("p", { class: "kasibi-notice" }, t("school.earlier_rejected")) : null,
      report.earlier === "used" ? h("p", { class: "kasibi-note" }, t("school.earlier_used")) : null,
      ...report.instruments.map((instrument) => drawInstrument(instrument)),
      drawNamed(report.named),
      drawRejected(report.rejected),
    ];
  }

  countedLine(report) {
    return t("school.counted", { n: report.counted, files: this.files.length, date: today() });
  }

  actions(report) {
    const button = (kind, label, handler) => {
      const b = h("button", { type: "button", class: "md-button", "data-school-download": kind }, label);
      b.addEventListener("click", handler);
      return b;
    };
    const status = h("p", { class: "kasibi-note", role: "status" });
    const docx = button("docx", t("school.docx"), async () => {
      status.textContent = t("school.docx_making");
      try {
        await downloadWord(this.engine, wordDocument(report, this.countedLine(report)), `kasibi-mektep-${today()}`);
        status.textContent = "";
      } catch (error) {
        status.textContent = t("school.failed", { reason: error.message });
      }
    });
    const planPage = pageUrl(`template:${PLAN}`);
    const prefill = planPrefill(report);
    const plan = prefill && planPage ? h("a", { class: "md-button", href: planPage, "data-school-download": "plan" },
      t("school.plan")) : null;
    plan?.addEventListener("click", () => store.putPrefill(PLAN, prefill));
    return h("div", { class: "kasibi-actions", "data-school-actions": "" },
      button("summary", t("school.download_summary"), () =>
        download(`kasibi-jiyntyq-${today()}.json`, this.aggregated.summary, "application/json")),
      button("print", t("school.print"), () => window.print()),
      docx, plan, status);
  }
}

// What the school's plan receives (templates/school-methodological-plan.yml, prefill): the priority
// stages, their forms and methods (Table 1) and the administration's steps (Table 2).
function planPrefill(report) {
  const cycle = report.instruments.find((i) => i.priorities?.length);
  if (!cycle) return null;
  return {
    source: t("school.plan_source", { n: cycle.n }),
    date: today(),
    priorities: cycle.priorities.map((p) => t("school.plan_priority", { title: p.title, count: p.count, n: cycle.n })),
    methods: [...new Set(cycle.priorities.flatMap((p) => p.forms ?? []))],
    admin_steps: [...new Set(cycle.priorities.flatMap((p) => p.admin_steps ?? []))],
  };
}

// Every figure of an instrument as tables (title, head, rows of text): the page draws them as HTML
// and the Word report writes the same tables, so paper and screen never differ.
// Scales that share their bands go in one chart and one table (an instrument may mix band sets).
function scaleGroups(instrument) {
  const groups = new Map();
  for (const scale of instrument.scales ?? []) {
    const key = scale.bands.map((b) => b.label).join("\n");
    groups.set(key, [...(groups.get(key) ?? []), scale]);
  }
  return [...groups.values()];
}

function tablesOf(instrument) {
  const tables = scaleGroups(instrument).map((scales) => ({
    key: "scales", title: t("school.chart_bands", { title: instrument.title }),
    head: [t("school.scale"), t("school.median"), t("school.quartiles"), ...scales[0].bands.map((b) => b.label)],
    rows: scales.map((s) => [s.title, String(s.median), `${s.q1}–${s.q3}`, ...s.bands.map((b) => `${b.count} (${b.percent}%)`)]),
  }));
  if (instrument.growth_zones?.length) {
    tables.push({
      key: "growth", title: t("school.growth_zones"), head: [t("school.stage"), t("school.teachers")],
      rows: instrument.growth_zones.map((g) => [g.title, `${g.count} (${g.percent}%)`]),
    });
  }
  for (const p of instrument.priorities ?? []) {
    tables.push({
      key: "priority", title: t("school.priority", { title: p.title }), head: [t("school.forms"), t("school.admin_steps")],
      rows: Array.from({ length: Math.max(p.forms?.length ?? 0, p.admin_steps?.length ?? 0) },
        (_, n) => [p.forms?.[n] ?? "", p.admin_steps?.[n] ?? ""]),
    });
  }
  for (const q of instrument.questions ?? []) {
    tables.push({
      key: "question", title: q.prompt, head: [t("school.option"), t("school.teachers")],
      rows: q.options.map((o) => [o.label, `${o.count} (${o.percent}%)`]),
    });
  }
  if (instrument.comparison?.length) {
    const arrow = { up: "↑", down: "↓", same: "=" };
    tables.push({
      key: "compare", title: t("school.compare"),
      head: [t("school.scale"), t("school.before"), t("school.after"), t("school.change")],
      rows: instrument.comparison.map((c) => [c.title, String(c.before), String(c.after),
        `${arrow[c.direction]} ${c.delta > 0 ? "+" : ""}${c.delta}`]),
    });
  }
  return tables;
}

function namedTables(named) {
  if (!named) return [];
  return [
    named.pairs?.length ? { key: "pairs", title: t("school.pairs"), head: [t("school.stage"), t("school.mentor"), t("school.mentee")],
      rows: named.pairs.map((p) => [p.title, p.mentor, p.mentee]) } : null,
    named.groups?.length ? { key: "groups", title: t("school.groups"), head: [t("school.stage"), t("school.members")],
      rows: named.groups.map((g) => [g.title, g.members.join(", ")]) } : null,
  ].filter(Boolean);
}

// The survey's questions: a table each on screen; on paper one line each, in columns.
function questionTables(instrument) {
  const tables = tablesOf(instrument).filter((x) => x.key === "question");
  if (!tables.length) return null;
  return h("div", { class: "kasibi-school__questions" }, h("h4", null, t("school.frequencies")),
    tables.map(drawTable),
    h("div", { class: "kasibi-school__print-lines" }, tables.map(({ title, rows }) =>
      h("p", null, h("strong", null, title), " ", rows.map((row) => row.join(" ")).join("; ")))));
}

// A wide table scrolls inside its own region, which the keyboard can reach.
function drawTable({ key, title, head, rows }) {
  return h("section", { "data-school-table": key },
    h("h4", null, title),
    h("div", { class: "kasibi-school__scroll", tabindex: "0", role: "region", "aria-label": title }, h("table", { class: "kasibi-school__table" },
      h("thead", null, h("tr", null, head.map((cell) => h("th", { scope: "col" }, cell)))),
      h("tbody", null, rows.map((row) => h("tr", null,
        row.map((cell, n) => (n ? h("td", null, cell) : h("th", { scope: "row" }, cell)))))))));
}

function charts(instrument) {
  const out = scaleGroups(instrument).map((scales) => stackedBars(scales.map((s) => ({
    title: `${s.title} — ${t("school.median_short", { median: s.median, q1: s.q1, q3: s.q3 })}`, parts: s.bands,
  })), t("school.chart_bands", { title: instrument.title })));
  const heat = instrument.heat_map;
  // a column is a category or a group (not given, the others merged): school_report.py, _heat_map
  const column = (key) => t(BUILD.facts.category.includes(key) ? `fact.category.${key}` : `school.group.${key}`);
  if (heat) out.push(h("h4", null, t("school.heat_title")), heatMap(heat.rows, heat.columns.map(column), heat.cells, t("school.heat_title")));
  return out;
}

function heading(instrument) {
  return `${instrument.title} — ${t("school.teachers_n", { n: instrument.n })}`;
}

function drawInstrument(instrument) {
  return h("section", { class: "kasibi-school__instrument", "data-school-instrument": instrument.id },
    h("h3", null, heading(instrument)),
    instrument.hidden
      ? h("p", { class: "kasibi-school__hidden", "data-school-hidden": "" }, t("school.too_few", { min: instrument.min_group }))
      : [...charts(instrument), ...tablesOf(instrument).filter((x) => x.key !== "question").map(drawTable),
        questionTables(instrument)]);
}

function drawNamed(named) {
  if (!named) return null;
  return h("section", { "data-school-named": "" },
    h("h3", null, t("school.named_title")), h("p", { class: "kasibi-note" }, t("school.named_note")),
    namedTables(named).map(drawTable));
}

function drawRejected(rejected) {
  if (!rejected?.length) return null;
  return h("section", { class: "kasibi-school__rejected", "data-school-rejected": "" },
    h("h3", null, t("school.rejected", { n: rejected.length })),
    h("ul", null, rejected.map((r) => h("li", { "data-reason": r.code }, `${r.name}: ${t(`school.refused.${r.code}`)}`))));
}

// The Word report: the same tables, one heading per instrument (word-layout.js).
function wordDocument(report, counted) {
  const tables = [];
  const note = (title, text) => tables.push({ title, head: [text], rows: [] });
  note(t("school.report_title"), counted);
  for (const instrument of report.instruments) {
    if (instrument.hidden) note(heading(instrument), t("school.too_few", { min: instrument.min_group }));
    else tablesOf(instrument).forEach((table, n) => tables.push({ ...table, title: n ? table.title : `${heading(instrument)}. ${table.title}` }));
  }
  if (report.named) tables.push(...namedTables(report.named));
  return layout({ id: "school-report", title: t("school.report_title"), sources: [t("school.word_sources")], tables });
}

for (const root of document.querySelectorAll("[data-school]")) new SchoolPage(root);
