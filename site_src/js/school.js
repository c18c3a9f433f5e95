// The school summary page: the methodologist chooses the teachers' share files (many files, a folder,
// zips of them, or other schools' summaries); the Python in the worker (generator/browser/aggregate.py,
// the module the CLI uses) aggregates them and builds the report with its privacy rules applied;
// this draws it, and offers the summary file, print, the Word report and the school's plan prefilled.
// Nothing leaves the browser. Every figure comes from the report model, never from the files.

import { h } from "./dom.js";
import { EngineClient } from "./engine-client.js";
import { pageUrl } from "./paths.js";
import { heatMap, stackedBars } from "./school-chart.js";
import * as store from "./store.js";
import { t } from "./strings.js";
import { download } from "./transfer.js";

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
    if (children.length) this.result.replaceChildren(...children);
  }

  // Files from a folder keep their path inside it: a rejected file is named so it can be found.
  async choose(files) {
    if (!files.length) return;
    this.files = await Promise.all(files.map(async (file) => ({
      name: file.webkitRelativePath || file.name, bytes: await file.arrayBuffer(),
    })));
    this.summary = null;
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
      this.summary ??= await this.engine.aggregate(this.files);
      const report = await this.engine.schoolReport(this.summary, this.earlier);
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
      h("p", null, t("school.counted", { n: report.counted, files: this.files.length, date: today() })),
      ...report.instruments.map((instrument) => drawInstrument(instrument)),
      drawNamed(report.named),
      drawRejected(report.rejected),
    ];
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
        const bytes = await this.engine.schoolDocx(report);
        download(`kasibi-mektep-${today()}.docx`, bytes,
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        status.textContent = "";
      } catch (error) {
        status.textContent = t("school.failed", { reason: error.message });
      }
    });
    const planPage = pageUrl(`template:${PLAN}`);
    const plan = report.plan && planPage ? h("a", { class: "md-button", href: planPage, "data-school-download": "plan" },
      t("school.plan")) : null;
    plan?.addEventListener("click", () => store.putPrefill(PLAN, { ...report.plan, date: today() }));
    return h("div", { class: "kasibi-actions", "data-school-actions": "" },
      button("summary", t("school.download_summary"), () =>
        download(`kasibi-jiyntyq-${today()}.json`, this.summary, "application/json")),
      button("print", t("school.print"), () => window.print()),
      docx, plan, status);
  }
}

function table(head, rows) {
  return h("table", null,
    h("thead", null, h("tr", null, head.map((cell) => h("th", null, cell)))),
    h("tbody", null, rows.map((row) => h("tr", null, row.map((cell, n) => (n ? h("td", null, cell) : h("th", { scope: "row" }, cell)))))));
}

function hiddenNote(text) {
  return h("p", { class: "kasibi-school__hidden", "data-school-hidden": "" }, text);
}

function drawScales(instrument) {
  const scales = instrument.scales ?? [];
  if (!scales.length) return [];
  return [
    stackedBars(scales.map((s) => ({ title: s.title, parts: s.bands })), t("school.chart_bands", { title: instrument.title })),
    table([t("school.scale"), t("school.median"), t("school.quartiles"), ...scales[0].bands.map((b) => b.label)],
      scales.map((s) => [s.title, String(s.median), `${s.q1}–${s.q3}`, ...s.bands.map((b) => `${b.count} (${b.percent}%)`)])),
  ];
}

function drawCycle(instrument) {
  const parts = [];
  if (instrument.growth_zones?.length) {
    parts.push(h("h4", null, t("school.growth_zones")),
      table([t("school.stage"), t("school.teachers")],
        instrument.growth_zones.map((g) => [g.title, `${g.count} (${g.percent}%)`])));
  }
  const heat = instrument.heat_map;
  if (heat) {
    parts.push(h("h4", null, t("school.heat_title")),
      heatMap(heat.rows, heat.columns, heat.cells, t("school.heat_title")));
  }
  for (const priority of instrument.priorities ?? []) {
    parts.push(h("section", { class: "kasibi-next", "data-priority": priority.id },
      h("h4", null, t("school.priority", { title: priority.title })),
      priority.forms?.length ? [h("p", null, h("strong", null, t("school.forms"))),
        h("ul", null, priority.forms.map((f) => h("li", null, f)))] : null,
      priority.admin_steps?.length ? [h("p", null, h("strong", null, t("school.admin_steps"))),
        h("ul", null, priority.admin_steps.map((s) => h("li", null, s)))] : null));
  }
  return parts;
}

function drawSurvey(instrument) {
  if (!instrument.questions?.length) return [];
  return [h("h4", null, t("school.frequencies")), ...instrument.questions.map((q) =>
    h("details", { class: "kasibi-evidence", open: "" }, h("summary", null, q.prompt),
      table([t("school.option"), t("school.teachers")], q.options.map((o) => [o.label, `${o.count} (${o.percent}%)`]))))];
}

function drawComparison(instrument) {
  const changes = instrument.comparison;
  if (!changes?.length) return [];
  const arrow = { up: "↑", down: "↓", same: "=" };
  return [h("h4", null, t("school.compare")),
    table([t("school.scale"), t("school.before"), t("school.after"), t("school.change")],
      changes.map((c) => [c.title, String(c.before), String(c.after), `${arrow[c.direction]} ${c.delta > 0 ? "+" : ""}${c.delta}`]))];
}

function drawInstrument(instrument) {
  const head = h("h3", null, `${instrument.title} — ${t("school.teachers_n", { n: instrument.n })}`);
  if (instrument.hidden) {
    return h("section", { class: "kasibi-school__instrument", "data-school-instrument": instrument.id },
      head, hiddenNote(t("school.too_few", { min: instrument.min_group })));
  }
  return h("section", { class: "kasibi-school__instrument", "data-school-instrument": instrument.id },
    head, ...drawScales(instrument), ...drawCycle(instrument), ...drawSurvey(instrument), ...drawComparison(instrument));
}

function drawNamed(named) {
  if (!named) return null;
  return h("section", { "data-school-named": "" },
    h("h3", null, t("school.named_title")),
    h("p", { class: "kasibi-note" }, t("school.named_note")),
    named.pairs?.length ? [h("h4", null, t("school.pairs")), table([t("school.stage"), t("school.mentor"), t("school.mentee")],
      named.pairs.map((p) => [p.title, p.mentor, p.mentee]))] : null,
    named.groups?.length ? [h("h4", null, t("school.groups")), table([t("school.stage"), t("school.members")],
      named.groups.map((g) => [g.title, g.members.join(", ")]))] : null);
}

function drawRejected(rejected) {
  if (!rejected?.length) return null;
  return h("section", { class: "kasibi-school__rejected", "data-school-rejected": "" },
    h("h3", null, t("school.rejected", { n: rejected.length })),
    h("ul", null, rejected.map((r) => h("li", { "data-reason": r.code }, `${r.name}: ${r.reason}`))));
}

for (const root of document.querySelectorAll("[data-school]")) new SchoolPage(root);
