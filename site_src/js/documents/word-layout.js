// Reports as Word files: a report is laid out as a template of fixed tables (no fields to fill) and
// written by the site's Word writer in the worker (generator/browser/docx.py, message "layout-docx").
// The school report builds its tables from the report model; a teacher's one-page report is read
// from the report as drawn, so the Word file holds what the printout holds.

import { h } from "../utilities/dom.js";
import { t } from "../utilities/strings.js";
import { download, fileName } from "../storage/transfer.js";

const WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

// A template-shaped document of `tables` ({title, head, rows}); a table with no rows is a paragraph.
export function layout({ id, title, sources, tables }) {
  const blocks = tables.map(({ title: caption, head, rows }, n) => ({
    id: `t${n}`, type: "table", title: caption,
    columns: head.map((label, c) => ({ id: `c${c}`, label, type: "fixed", width: c ? 2 : 4, hint: "" })),
    rows: rows.map((row) => Object.fromEntries(row.map((cell, c) => [`c${c}`, cell]))), repeatable: false, min_rows: 0,
  }));
  return { id, title, sources, orientation: "portrait", labels: { sources: t("doc.sources"), completion: "" }, marks: {}, blocks };
}

export async function downloadWord(engine, document, name) {
  download(fileName(name, "docx"), await engine.layoutDocx(document), WORD);
}

// «Word (.docx)» for a drawn report: `engine()` gives the engine client, `name` the file's name.
export function wordButton(body, { title, sources, name, engine }) {
  const button = h("button", { type: "button", class: "md-button", "data-action": "report-docx" }, t("action.report_docx"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await downloadWord(engine(), reportLayout(body, title, sources), name);
    } catch (error) {
      window.alert(t("result.error", { reason: error.message }));
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

const text = (element) => element.textContent.replace(/\s+/g, " ").trim();
// The parts the printout leaves out (print.css): the buttons, every statement, the evidence lists, charts.
const SKIPPED = ".kasibi-report__actions, .kasibi-card, .kasibi-evidence, .kasibi-chart, svg, figure, .kasibi-band-text";

// A teacher's one-page report (or a comparison of two), read from its drawn body (report.js).
export function reportLayout(body, title, sources = []) {
  const tables = [];
  let caption = "";
  const paragraph = (line) => line && tables.push({ title: caption, head: [line], rows: [] });
  const take = (element) => {
    if (element.matches(SKIPPED)) return;
    if (element.matches("h3, h4")) {
      const next = element.nextElementSibling;
      if (!next?.matches(SKIPPED)) caption = text(element);
      return;
    }
    if (element.matches(".kasibi-report__meta")) {
      const name = element.querySelector("[data-report-name]")?.value.trim();
      if (name) paragraph(`${t("report.name")}: ${name}`);
      element.querySelectorAll("p").forEach((p) => paragraph(text(p)));
    } else if (element.matches("table")) {
      const keep = (cells) => [...cells].slice(0, element.querySelectorAll("thead th").length - 1 || undefined).map(text);
      tables.push({ title: caption, head: keep(element.querySelectorAll("thead th")),
        rows: [...element.querySelectorAll("tbody tr")].map((row) => keep(row.cells)) });
    } else if (element.matches("ul, ol")) {
      tables.push({ title: caption, head: [caption || "—"], rows: [...element.children].map((li) => [text(li)]) });
    } else if (element.matches("section, div") && element.children.length) {
      [...element.children].forEach(take);
      return;
    } else {
      paragraph(text(element));
    }
    caption = "";
  };
  [...body.children].forEach(take);
  return layout({ id: "result-report", title, sources, tables });
}
