// Fillable document templates: autosave into named copies (e.g. one route sheet per school year),
// restore, the source's example, completion of marked sheets and the filled Word file, both
// computed by the Python in the worker (generator/browser/documents.py, docx.py).

import { h } from "../utilities/dom.js";
import { EngineClient } from "../engine/engine-client.js";
import { siteUrl } from "../utilities/paths.js";
import * as store from "../storage/store.js";
import { t } from "../utilities/strings.js";
import { download, fileName } from "../storage/transfer.js";

// Values are read from and written to inputs named "block", "block:field" or "block:row:column".
// A block id may be a name the form or Object already has ("reset", "elements", "constructor"), so
// controls are found with querySelectorAll (never form.elements / form[name]) and keys with Object.hasOwn.
const controls = (form) => form.querySelectorAll("input[name], select[name], textarea[name]");
const own = (object, key, make) => (Object.hasOwn(object, key) ? object[key] : store.putOwn(object, key, make()));

function readValues(form) {
  const values = {};
  for (const input of controls(form)) {
    const [block, second, column] = input.name.split(":");
    if (second === undefined) values[block] = input.value;
    else if (column === undefined) own(values, block, () => ({}))[second] = input.value;
    else own(own(values, block, () => []), Number(second), () => ({}))[column] = input.value;
  }
  for (const [block, value] of Object.entries(values)) {
    if (Array.isArray(value)) values[block] = Array.from(value, (row) => row ?? {});
  }
  return values;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// The template's values a result hands over (template.prefill: result key → "block" or "block.column").
function prefillValues(template, data) {
  const values = {};
  for (const [key, target] of Object.entries(template.prefill)) {
    const value = data[key];
    if (value === undefined || (Array.isArray(value) && !value.length)) continue;
    const [blockId, column] = target.split(".");
    const block = template.blocks.find((b) => b.id === blockId) ??
      template.blocks.find((b) => b.type === "fields" && b.fields.some((f) => f.id === target));
    if (!block) continue;
    if (block.type === "table") values[block.id] = (Array.isArray(value) ? value : [value]).map((v) => ({ [column]: v }));
    else if (block.type === "fields") own(values, block.id, () => ({}))[target] = [value].flat().join("\n");
    else values[block.id] = [value].flat().join("\n");
  }
  return values;
}

class DocumentPage {
  constructor(root, engine) {
    this.root = root;
    this.engine = engine;
    this.t = t;
    this.id = root.dataset.templateRoot;
    this.src = siteUrl(root.dataset.src);
    this.version = Number(root.dataset.version);
    this.form = root.querySelector("form.kasibi-doc");
    this.notice = root.querySelector("[data-notice]");
    this.select = root.querySelector("[data-copy-select]");
    this.completionLine = root.querySelector("[data-completion]");
    this.template = fetch(this.src).then((response) => response.json());
    root.querySelector("[data-copies]").hidden = false;
    for (const hidden of root.querySelectorAll(".kasibi-actions [hidden]")) hidden.hidden = false;
    this.restore();
    this.form.addEventListener("input", (event) => this.changed(event.target));
    this.form.addEventListener("click", (event) => this.tableAction(event));
    this.select.addEventListener("change", () => this.switchTo(this.select.value));
    const on = (action, handler) => root.querySelector(`[data-action=${action}]`)?.addEventListener("click", handler);
    on("new-copy", () => this.newCopy());
    on("delete-copy", () => this.deleteCopy());
    on("docx", () => this.downloadDocx());
    on("print", () => window.print());
    on("example", () => this.fillExample());
    on("clear", () => this.clear());
  }

  say(text) {
    this.notice.textContent = text;
    this.notice.hidden = !text;
  }

  restore() {
    if (!store.available) this.say(this.t("storage.unavailable"));
    const saved = store.loadDocument(this.id);
    if (saved.status === "corrupt") this.say(this.t("storage.corrupt"));
    if (saved.status === "newer") this.say(this.t("storage.newer"));
    this.record = saved.status === "ok" ? saved.record : { current: "", copies: {} };
    this.open(this.record.current);
    this.fillSelect();
    this.show(this.current().values);
    if (saved.status === "ok" && Object.keys(this.current().values).length) this.say(this.t("doc.restored"));
    this.applyPrefill();
    store.watchDocument(this.id, (record) => this.changedElsewhere(record));
  }

  // This tab shows copy `name` (or the first one, or a new empty one); only this tab's choice.
  open(name) {
    this.name = Object.hasOwn(this.record.copies, name) ? name
      : Object.keys(this.record.copies)[0] ?? this.t("doc.copy_default", { n: 1 });
    own(this.record.copies, this.name, () => ({ values: {}, updated: null }));
  }

  // A self-assessment result can open this template prefilled (e.g. the growth zone into the plan).
  // The same result opens the copy it made before (with whatever was typed since); another result
  // gets a copy of its own. Nothing typed is replaced.
  async applyPrefill() {
    const data = store.takePrefill(this.id);
    if (!data) return;
    const values = prefillValues(await this.template, data);
    const made = Object.keys(this.record.copies).find((name) => same(this.record.copies[name].prefill, values));
    if (made) {
      this.switchTo(made);
      this.say(this.t("doc.prefill_reopened", { name: made }));
      return;
    }
    const name = this.freeName(this.t("doc.copy_prefill", { source: data.source, date: data.date }));
    const start = this.kept();
    for (const [block, value] of Object.entries(values)) {
      start[block] = Object.hasOwn(start, block) ? { ...start[block], ...value } : value;
    }
    store.putOwn(this.record.copies, name, { values: start, prefill: values, updated: new Date().toISOString() });
    this.name = name;
    this.persist(true);
    this.fillSelect();
    this.show(start);
    this.say(this.t("doc.prefilled", { name }));
  }

  // `wanted`, or "wanted (2)", "wanted (3)"… whichever no copy has.
  freeName(wanted) {
    let name = wanted;
    for (let n = 2; Object.hasOwn(this.record.copies, name); n++) name = `${wanted} (${n})`;
    return name;
  }

  // Another tab changed this template's copies: take its list, and show the newest text of this
  // tab's copy (or, when that copy was deleted there, the copy that tab opened).
  changedElsewhere(stored) {
    const had = this.name;
    const written = Boolean(this.current().updated);
    this.record = { current: stored?.current ?? "", copies: stored?.copies ?? {} };
    const kept = Object.hasOwn(this.record.copies, had);
    this.open(kept ? had : this.record.current);
    this.fillSelect();
    if (same(readValues(this.form), this.current().values) && (kept || !written)) return;
    this.show(this.current().values);
    this.say(kept || !written ? this.t("doc.changed_elsewhere", { name: this.name }) : this.t("doc.deleted_elsewhere", { name: had }));
  }

  current() {
    return this.record.copies[this.name];
  }

  // Writes this tab's copy only (and, with `open`, that it is the copy to show next time).
  persist(open = false) {
    const saved = store.saveCopy(this.id, this.version, this.name, this.current(), open);
    if (!saved) this.say(this.t("storage.not_saved"));
    else if (this.notice.textContent === this.t("storage.not_saved")) this.say("");
    if (saved) this.root.dispatchEvent(new CustomEvent("kasibi:kept", { bubbles: true })); // backup.js may offer a backup
    return saved;
  }

  fillSelect() {
    this.select.replaceChildren(...Object.keys(this.record.copies).map((name) =>
      h("option", { value: name, selected: name === this.name ? "" : null }, name)));
  }

  // Put values into the form, adding rows to repeatable tables as needed.
  show(values) {
    for (const input of controls(this.form)) input.value = input.defaultValue;
    for (const table of this.form.querySelectorAll("[data-repeatable]")) {
      const wanted = Math.max((Object.hasOwn(values, table.dataset.block) ? values[table.dataset.block].length : 0), table.querySelectorAll("tbody tr").length);
      while (table.querySelectorAll("tbody tr").length < wanted) this.addRow(table);
    }
    const at = (object, key) => (object && Object.hasOwn(object, key) ? object[key] : undefined);
    for (const input of controls(this.form)) {
      const [block, second, column] = input.name.split(":");
      const value = second === undefined ? at(values, block)
        : column === undefined ? at(at(values, block), second) : at(at(at(values, block), Number(second)), column);
      if (typeof value === "string") input.value = value;
    }
    this.updateCompletion();
  }

  // Saved on every change; the completion (computed in Python) only changes with a mark or a row.
  changed(target) {
    this.current().values = readValues(this.form);
    this.current().updated = new Date().toISOString();
    this.persist();
    const tooLong = target ? this.tooLong([target]) : null;
    if (tooLong) this.say(tooLong);
    if (!target || target.matches("select")) this.updateCompletion();
  }

  // What the Word writer would refuse, said before it is asked: a text over its limit, too many rows.
  tooLong(inputs = controls(this.form)) {
    const limit = Number(this.form.getAttribute("data-text-limit"));
    const input = [...inputs].find((i) => i.name && i.value.length > limit);
    if (input) {
      const label = input.getAttribute("aria-label") ?? input.labels?.[0]?.textContent ?? input.name;
      return this.t("doc.too_long", { label: label.trim(), length: input.value.length, limit });
    }
    const rowLimit = Number(this.form.getAttribute("data-row-limit"));
    const table = [...this.form.querySelectorAll("[data-repeatable]")]
      .find((t) => t.querySelectorAll("tbody tr").length > rowLimit);
    return table ? this.t("doc.too_many_rows", { rows: table.querySelectorAll("tbody tr").length, limit: rowLimit }) : null;
  }

  tableAction(event) {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const table = button.closest("[data-repeatable]");
    if (button.dataset.action === "add-row") this.addRow(table);
    if (button.dataset.action === "remove-row") {
      button.closest("tr").remove();
      this.renumber(table);
    }
    if (table) this.changed();
  }

  addRow(table) {
    const rows = table.querySelectorAll("tbody tr");
    const copy = rows[0].cloneNode(true);
    for (const input of copy.querySelectorAll("input, textarea, select")) input.value = "";
    table.querySelector("tbody").append(copy);
    this.renumber(table);
  }

  renumber(table) {
    [...table.querySelectorAll("tbody tr")].forEach((row, n) => {
      row.dataset.row = n;
      for (const input of row.querySelectorAll("[name]")) {
        const [block, , column] = input.name.split(":");
        input.name = `${block}:${n}:${column}`;
      }
    });
  }

  switchTo(name) {
    this.open(name);
    store.openCopy(this.id, this.version, this.name);
    this.fillSelect();
    this.show(this.current().values);
    this.say("");
  }

  // What a new copy starts with: the header fields that stay the same from copy to copy (name, subject,
  // school: `keep` in the template, data-keep on the page), as this tab's copy has them.
  kept() {
    const from = this.current().values;
    const values = {};
    for (const input of this.form.querySelectorAll("[data-keep][name]")) {
      const [block, field] = input.name.split(":");
      const group = Object.hasOwn(from, block) ? from[block] : null;
      const value = group && typeof group === "object" && Object.hasOwn(group, field) ? group[field] : "";
      if (typeof value === "string" && value) own(values, block, () => ({}))[field] = value;
    }
    return values;
  }

  newCopy() {
    const input = this.root.querySelector("[data-copy-name]");
    for (const [name, copy] of Object.entries(store.loadDocument(this.id).record?.copies ?? {})) {
      own(this.record.copies, name, () => copy); // a copy made in another tab keeps its name
    }
    const name = input.value.trim() || this.freeName(this.t("doc.copy_default", { n: Object.keys(this.record.copies).length + 1 }));
    if (Object.hasOwn(this.record.copies, name)) {
      this.say(this.t("doc.copy_exists", { name }));
      return;
    }
    input.value = "";
    const values = this.kept();
    store.putOwn(this.record.copies, name, { values, updated: new Date().toISOString() });
    this.name = name;
    this.persist(true);
    this.fillSelect();
    this.show(values);
  }

  deleteCopy() {
    const name = this.name;
    if (!window.confirm(this.t("doc.delete_copy_confirm", { name }))) return;
    store.deleteCopy(this.id, this.version, name);
    delete this.record.copies[name];
    this.open("");
    this.fillSelect();
    this.show(this.current().values);
  }

  async fillExample() {
    const template = await this.template;
    if (Object.keys(this.current().values).length && !window.confirm(this.t("doc.example_confirm"))) return;
    const values = Object.fromEntries(template.blocks.filter((b) => b.example?.length).map((b) => [b.id, b.example]));
    this.show(values);
    this.changed();
  }

  clear() {
    if (!window.confirm(this.t("doc.clear_confirm"))) return;
    this.show({});
    this.changed();
  }

  // Only the answer to the latest request is shown (an earlier copy's count never lands on a new one);
  // a sheet with no marked row yet has nothing done: 0 %.
  async updateCompletion() {
    if (!this.form.querySelector("select[name]") || !this.engine.started) return; // counted once it starts
    const asked = (this.completionAsked = (this.completionAsked ?? 0) + 1);
    try {
      const done = await this.engine.completion(this.src, readValues(this.form));
      if (asked !== this.completionAsked) return;
      this.completionLine.textContent = this.t("doc.completion", done ?? { percent: 0, done: 0, partly: 0, not: 0, empty: 0 });
      this.completionLine.hidden = false;
    } catch {
      if (asked === this.completionAsked) this.completionLine.hidden = true;
    }
  }

  async downloadDocx() {
    const tooLong = this.tooLong();
    if (tooLong) {
      this.say(tooLong);
      return;
    }
    try {
      const bytes = await this.engine.docx(this.src, readValues(this.form));
      const { title } = await this.template;
      download(fileName(`${title} — ${this.name}`, "docx"), bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    } catch (error) {
      this.say(this.t("doc.docx_failed", { reason: error.message }));
    }
  }
}

const IDLE_START_MS = 2000; // after load, the engine waits at most this long for the browser to be idle

// The engine of a template page starts once the page has loaded, or sooner when the teacher first
// asks for it: the Word file and the completion count need it, the first paint does not.
class EngineWhenNeeded {
  constructor(onReady) {
    this.onReady = onReady;
    this.client = null;
    const start = () => this.get();
    const soon = () => (window.requestIdleCallback ? requestIdleCallback(start, { timeout: IDLE_START_MS }) : setTimeout(start));
    if (document.readyState === "complete") soon();
    else addEventListener("load", soon, { once: true });
  }

  get started() {
    return this.client !== null;
  }

  get() {
    return (this.client ??= new EngineClient({ onReady: this.onReady, onFailed: () => {} }));
  }

  completion(src, values) {
    return this.get().completion(src, values);
  }

  docx(src, values) {
    return this.get().docx(src, values);
  }
}

const roots = [...document.querySelectorAll("[data-template-root]")];
if (roots.length) {
  const engine = new EngineWhenNeeded(() => pages.forEach((p) => p.updateCompletion()));
  const pages = roots.map((root) => new DocumentPage(root, engine));
}
