// The attestation page: the teacher picks the category she holds and the one she seeks and the period;
// the checklist of the category sought (attestation/checklist.yml, compiled by the build) says, from what
// this device keeps, which pieces of her pack are present (what, when) and which are missing (with a link
// to the page that makes each). The choices are kept on the device and travel in the backup file.

import { h } from "./dom.js";
import { localDate } from "./numbers.js";
import { pageUrl, siteUrl } from "./paths.js";
import { validRecord } from "./record-check.js";
import * as store from "./store.js";
import { t } from "./strings.js";

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
// the value (case aside); levels take the widest named, kinds the first (as generator/checklist.py recognise()).
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

function choicesOf(form) {
  const choices = {};
  for (const name of CHOICES) {
    const value = form.elements[name]?.value?.trim() ?? "";
    if (value) choices[stored(name)] = YEARS.has(name) ? Number(value) : value;
  }
  return choices;
}

async function start(root) {
  const checklist = await fetch(siteUrl(root.dataset.src)).then((r) => r.json());
  const form = root.querySelector("[data-portfolio-choices]");
  const list = root.querySelector("[data-portfolio-list]");
  const summary = root.querySelector("[data-portfolio-summary]");
  const saved = store.loadAttestation() ?? {};
  for (const name of CHOICES) {
    const value = saved[stored(name)];
    if (value !== undefined && form.elements[name]) form.elements[name].value = String(value);
  }
  const draw = () => {
    const choices = choicesOf(form);
    const category = choices.sought ?? form.elements.category.value;
    const found = kept(choices);
    const rows = checklist.items.map((item) => [item, needFor(item, category)]).filter(([, need]) => need > 0)
      .map(([item, need]) => row(item, need, found, checklist, choices));
    list.replaceChildren(...rows);
    const present = rows.filter((r) => r.dataset.status === "present").length;
    summary.textContent = t("portfolio.summary", { present, total: rows.length });
    root.dataset.ready = "";
  };
  form.addEventListener("input", () => {
    store.saveAttestation(choicesOf(form));
    draw();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  document.addEventListener("kasibi:restored", draw);
  addEventListener("storage", draw);
  draw();
}

for (const root of document.querySelectorAll("[data-portfolio]")) start(root);
