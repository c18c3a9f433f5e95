// The attestation page: the teacher picks the category she holds and the one she seeks and the period;
// the checklist of the category sought (attestation/checklist.yml, compiled by the build) says, from what
// this device keeps, which pieces of her pack are present (what, when) and which are missing (with a link
// to the page that makes each). The choices are kept on the device and travel in the backup file.

import { h } from "../utilities/dom.js";
import { EngineClient } from "../engine/engine-client.js";
import { localDate, localDateTime } from "../utilities/numbers.js";
import { dataUrl, pageUrl, siteUrl } from "../utilities/paths.js";
import { validRecord } from "../storage/record-check.js";
import { renderResult } from "../assessments/report.js";
import * as store from "../storage/store.js";
import { t } from "../utilities/strings.js";
import { download, fileName } from "../storage/transfer.js";
import { reportLayout } from "./word-layout.js";

const CHOICES = ["held", "category", "from", "to", "teacher", "school", "subject"];
const YEARS = new Set(["from", "to"]);
const stored = (name) => (name === "category" ? "sought" : name); // the page's field → the record's name

// A school year starts on 1 September: the period from..to covers 1.9.from – 31.8.(to + 1).
function inPeriod(iso, choices) {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return false;
  const start = choices.from ? Date.UTC(choices.from, 8, 1) : -Infinity;
  const end = choices.to ? Date.UTC(choices.to + 1, 8, 1) : Infinity;
  return time >= start && time < end;
}

const texts = (value) => (typeof value === "string" ? [value]
  : Array.isArray(value) ? value.flatMap(texts) : store.isPlainObject(value) ? Object.values(value).flatMap(texts) : []);
const filled = (copy) => texts(copy?.values).some((text) => text.trim());

// What this device keeps that the checklist counts, once per drawing.
function kept(choices) {
  const { results, documents } = store.everything();
  const copies = (templateId) => Object.entries(documents[templateId]?.copies ?? {})
    .filter(([, copy]) => filled(copy) && (!copy.updated || inPeriod(copy.updated, choices)));
  const saved = (instrumentId) => results.filter((r) => validRecord(r) && r.instrument === instrumentId && inPeriod(r.completed_at, choices));
  return { copies, saved };
}

// The id of the level or kind a typed value names: an entry is named when one of its words begins a word of
// the value (case aside); levels take the widest named, kinds the first (as generator/formats/checklist.py recognise()).
const escapeRe = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
function recognise(value, entries, widest = false) {
  const text = String(value ?? "").toLocaleLowerCase("kk");
  const named = entries.filter((entry) => entry.words.some((word) =>
    new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRe(word.toLocaleLowerCase("kk"))}`, "u").test(text))).map((entry) => entry.id);
  return named.length ? named[widest ? named.length - 1 : 0] : "";
}

// The log's rows that count for an item: of its kinds, at its level or a wider one, dated within the period.
function logRows(item, found, checklist, choices) {
  const rank = new Map(checklist.levels.map((level) => [level.id, level.rank]));
  const rows = found.copies(item.ref).flatMap(([, copy]) => (Array.isArray(copy.values.log) ? copy.values.log : []));
  return rows.filter((row) => store.isPlainObject(row) && texts(row).some((text) => text.trim()) &&
    (!item.level || (rank.get(recognise(row.level, checklist.levels, true)) ?? -1) >= rank.get(item.level)) &&
    (!item.kinds.length || item.kinds.includes(recognise(row.kind, checklist.kinds))) &&
    (!/^\d{4}-\d{2}-\d{2}$/.test(row.date ?? "") || inPeriod(`${row.date}T12:00:00Z`, choices)));
}

// {present, what}: what makes the item present, said in words.
function status(item, need, found, checklist, choices) {
  if (item.kind === "instrument") {
    const records = found.saved(item.ref);
    const last = records.at(-1);
    return { present: records.length >= need, what: last ? t("portfolio.saved_result", { n: records.length, date: localDate(last.completed_at) }) : "" };
  }
  if (item.kind === "template") {
    const copies = found.copies(item.ref);
    return { present: copies.length >= need, what: copies.length ? t("portfolio.copies", { n: copies.length, names: copies.map(([name]) => `«${name}»`).join(", ") }) : "" };
  }
  const rows = logRows(item, found, checklist, choices);
  return { present: rows.length >= need, what: rows.length ? t("portfolio.log_rows", { n: rows.length }) : "" };
}

function maker(item) {
  const key = item.kind === "instrument" ? `assessment:${item.ref}` : `template:${item.ref}`; // the log is a template
  return pageUrl(key);
}

const needFor = (item, category) => (Object.hasOwn(item.categories, category) ? item.categories[category] : 0);

function row(item, need, found, checklist, choices) {
  const { present, what } = status(item, need, found, checklist, choices);
  const link = maker(item);
  return h("li", { "data-portfolio-item": item.id, "data-status": present ? "present" : "missing" },
    h("strong", null, item.label), need > 1 ? ` (${t("portfolio.need", { n: need })})` : "", " — ",
    h("span", { class: present ? "kasibi-portfolio__present" : "kasibi-portfolio__missing" },
      t(present ? "portfolio.present" : "portfolio.missing")),
    what ? h("span", null, ` ${what}`) : "",
    !present && link ? h("span", null, " ", h("a", { href: link }, t(item.kind === "instrument" ? "portfolio.make_result" : "portfolio.make_copy"))) : "",
    h("br"), h("small", { class: "kasibi-note" }, item.basis === "suggestion" ? t("portfolio.suggestion") : t("portfolio.source", { source: item.source }),
      item.basis !== "suggestion" && item.min_basis === "suggestion" && need > 1 ? ` ${t("portfolio.count_suggested")}` : "",
      item.note ? ` ${item.note}` : ""));
}

// The pack's parts, in the checklist's order: the latest result of each self-assessment asked for, every filled
// copy of each template asked for, and the achievements log last. Each is {key, label, kind, ...}.
function candidates(checklist, category, found) {
  const parts = new Map();
  const log = [];
  for (const item of checklist.items.filter((i) => needFor(i, category) > 0)) {
    if (item.kind === "instrument") {
      const record = found.saved(item.ref).at(-1);
      if (record) parts.set(`result:${record.id}`, { kind: "result", record, label: t("pack.result_part", { title: record.title, date: localDate(record.completed_at) }) });
    } else {
      for (const [name, copy] of found.copies(item.ref)) {
        const key = `copy:${item.ref}:${name}`;
        const label = item.kind === "achievements" ? t("pack.log_part", { name }) : t("pack.copy_part", { title: item.label, name });
        const part = { kind: "copy", template: item.ref, name, copy, label };
        if (item.kind === "achievements") log.push([key, part]);
        else parts.set(key, part);
      }
    }
  }
  for (const [key, part] of log) if (!parts.has(key)) parts.set(key, part);
  return parts;
}

const engine = (() => {
  let client = null;
  return () => (client ??= new EngineClient({ onReady: () => {}, onFailed: () => {} }));
})();
const instrumentUrl = (id) => dataUrl(`instruments/${id}.json`).href;
const templateOf = (id) => fetch(dataUrl(`templates/${id}.json`)).then((r) => r.json());

// Each chosen part as the Word writer takes it, and as the page prints it. A result is scored again by the
// engine from its answers (what is stored is never trusted), then drawn as its one-page report.
async function packParts(chosen) {
  const parts = [];
  for (const part of chosen) {
    if (part.kind === "result") {
      const result = await engine().score(instrumentUrl(part.record.instrument), part.record.answers);
      const body = h("div", { class: "kasibi-report__body" });
      renderResult(body, t, result, { date: localDateTime(part.record.completed_at) });
      parts.push({ word: { template: reportLayout(body, result.title, result.sources), values: {} }, print: body });
    } else {
      const template = await templateOf(part.template);
      parts.push({ word: { template, values: part.copy.values }, print: printedCopy(template, part.copy.values, part.name) });
    }
  }
  return parts;
}

// A filled copy on paper: its blocks as tables of what was typed.
function printedCopy(template, values, name) {
  const cells = (row, columns) => columns.map((c) => h("td", null, String(row?.[c.id] ?? "")));
  return h("div", null, h("h2", null, `${template.title} — ${name}`), template.blocks.map((block) => {
    const value = values[block.id];
    if (block.type === "fields") {
      return h("table", null, h("tbody", null, block.fields.map((f) => h("tr", null, h("th", { scope: "row" }, f.label), h("td", null, String(value?.[f.id] ?? ""))))));
    }
    if (block.type === "table") {
      const rows = Array.isArray(value) ? value : [];
      const fixed = block.rows ?? [];
      return h("div", null, block.title ? h("h3", null, block.title) : "", h("table", null,
        h("thead", null, h("tr", null, block.columns.map((c) => h("th", { scope: "col" }, c.label)))),
        h("tbody", null, Array.from({ length: Math.max(rows.length, fixed.length) }, (_, n) => h("tr", null, cells({ ...fixed[n], ...rows[n] }, block.columns))))));
    }
    return h("div", null, h("h3", null, block.label), h("p", { class: "kasibi-pack__text" }, String(value ?? "")));
  }));
}

function cover(checklist, choices) {
  const title = (id) => checklist.categories.find((c) => c.id === id)?.title ?? "";
  const line = (key, value) => (value ? [t(key, { value })] : []);
  return {
    title: t("pack.title", { sought: title(choices.sought) }),
    lines: [
      ...line("pack.teacher", choices.teacher), ...line("pack.school", choices.school), ...line("pack.subject", choices.subject),
      ...line("pack.held", title(choices.held)),
      ...(choices.from && choices.to ? [t("pack.period", { from: choices.from, to: choices.to + 1 })] : []),
    ],
    contents: t("pack.contents"),
    evidence_title: t("pack.evidence"),
  };
}

// What she attaches on paper: the log's evidence column, as typed.
const evidenceOf = (chosen) => chosen.filter((p) => p.kind === "copy" && Array.isArray(p.copy.values.log))
  .flatMap((p) => p.copy.values.log.map((row) => [row?.title, row?.evidence].filter((x) => typeof x === "string" && x.trim()).join(": ")))
  .filter((line) => line.includes(": "));

function choicesOf(form) {
  const choices = {};
  for (const name of CHOICES) {
    const value = form.elements[name]?.value?.trim() ?? "";
    if (value) choices[stored(name)] = YEARS.has(name) ? Number(value) : value;
  }
  return choices;
}

// A field the teacher changed before this script ran (a slow PC) keeps her value over the saved one.
function changedByHand(field) {
  if (!(field instanceof HTMLSelectElement)) return field.value !== field.defaultValue;
  const first = [...field.options].findIndex((option) => option.defaultSelected);
  return field.selectedIndex !== Math.max(first, 0);
}

function restoreChoices(form) {
  const saved = store.loadAttestation() ?? {};
  let touched = false;
  for (const name of CHOICES) {
    const field = form.elements[name];
    const value = saved[stored(name)];
    if (!field) continue;
    if (changedByHand(field)) touched = true;
    else if (value !== undefined) field.value = String(value);
  }
  if (touched) store.saveAttestation(choicesOf(form));
}

async function start(root) {
  const form = root.querySelector("[data-portfolio-choices]");
  restoreChoices(form);
  // Saved from the first change on, while the checklist is still on its way.
  let draw = () => {};
  form.addEventListener("input", () => {
    store.saveAttestation(choicesOf(form));
    draw();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  const checklist = await fetch(siteUrl(root.dataset.src)).then((r) => r.json());
  const list = root.querySelector("[data-portfolio-list]");
  const summary = root.querySelector("[data-portfolio-summary]");
  draw = () => {
    const choices = choicesOf(form);
    const category = choices.sought ?? form.elements.category.value;
    const found = kept(choices);
    drawParts(category, found);
    const rows = checklist.items.map((item) => [item, needFor(item, category)]).filter(([, need]) => need > 0)
      .map(([item, need]) => row(item, need, found, checklist, choices));
    list.replaceChildren(...rows);
    const present = rows.filter((r) => r.dataset.status === "present").length;
    summary.textContent = t("portfolio.summary", { present, total: rows.length });
    root.dataset.ready = "";
  };
  const partsList = root.querySelector("[data-pack-parts]");
  const status = root.querySelector("[data-pack-status]");
  const printed = root.querySelector("[data-pack-print]");
  let offered = new Map();
  const drawParts = (category, found) => {
    const before = new Map([...partsList.querySelectorAll("input")].map((box) => [box.value, box.checked]));
    offered = candidates(checklist, category, found);
    partsList.replaceChildren(...[...offered].map(([key, part]) => {
      const up = h("button", { type: "button", class: "md-button", "aria-label": t("pack.up_label", { name: part.label }) }, t("pack.up"));
      const li = h("li", { "data-pack-part": key }, h("label", null,
        h("input", { type: "checkbox", value: key, checked: before.get(key) ?? true ? "" : null }), " ", part.label), " ", up);
      up.addEventListener("click", () => li.previousElementSibling?.before(li));
      return li;
    }));
    if (!offered.size) partsList.replaceChildren(h("li", null, t("pack.empty")));
  };
  const chosen = () => [...partsList.querySelectorAll("input:checked")].map((box) => offered.get(box.value)).filter(Boolean);
  async function build() {
    const parts = chosen();
    status.textContent = t("pack.preparing");
    const made = await packParts(parts);
    return { parts, made, cover: { ...cover(checklist, choicesOf(form)), evidence: evidenceOf(parts) } };
  }
  root.querySelector("[data-portfolio-download=docx]").addEventListener("click", async (event) => {
    event.target.disabled = true;
    try {
      const { made, cover: front } = await build();
      const bytes = await engine().packDocx({ cover: front, parts: made.map((m) => m.word) });
      download(fileName(t("pack.file_name", { name: choicesOf(form).teacher ?? front.title }), "docx"), bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
      status.textContent = t("pack.done", { n: made.length });
    } catch (error) {
      status.textContent = t("pack.failed", { reason: error.message });
    } finally {
      event.target.disabled = false;
    }
  });
  root.querySelector("[data-portfolio-print]").addEventListener("click", async () => {
    try {
      const { made, cover: front } = await build();
      printed.replaceChildren(
        h("section", { class: "kasibi-pack__cover" }, h("h1", null, front.title), front.lines.map((line) => h("p", null, line))),
        h("section", { class: "kasibi-pack__part" }, h("h2", null, front.contents),
          h("ol", null, made.map((m) => h("li", null, m.word.template.title)))),
        ...made.map((m) => h("section", { class: "kasibi-pack__part" }, m.print)),
        h("section", { class: "kasibi-pack__part" }, h("h2", null, front.evidence_title),
          h("ul", null, (front.evidence.length ? front.evidence : ["—"]).map((line) => h("li", null, line)))));
      status.textContent = t("pack.done", { n: made.length });
      printed.hidden = false;
      printed.setAttribute("data-print-target", "");
      window.addEventListener("afterprint", () => {
        printed.hidden = true;
        printed.removeAttribute("data-print-target");
      }, { once: true });
      window.print();
    } catch (error) {
      status.textContent = t("pack.failed", { reason: error.message });
    }
  });
  document.addEventListener("kasibi:restored", draw);
  addEventListener("storage", draw);
  draw();
}

for (const root of document.querySelectorAll("[data-portfolio]")) start(root);
