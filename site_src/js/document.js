// Fillable document templates: autosave into named copies (e.g. one route sheet per school year),
// restore, the source's example, completion of marked sheets and the filled Word file, both
// computed by the Python in the worker (generator/documents.py, generator/docx.py).

import { h } from "./dom.js";
import { EngineClient } from "./engine-client.js";
import { siteUrl } from "./paths.js";
import * as store from "./store.js";
import { t } from "./strings.js";
import { download } from "./transfer.js";

// Values are read from and written to inputs named "block", "block:field" or "block:row:column".
function readValues(form) {
  const values = {};
  for (const input of form.elements) {
    if (!input.name) continue;
    const [block, second, column] = input.name.split(":");
    if (second === undefined) values[block] = input.value;
    else if (column === undefined) (values[block] ??= {})[second] = input.value;
    else ((values[block] ??= [])[Number(second)] ??= {})[column] = input.value;
  }
  for (const [block, value] of Object.entries(values)) {
    if (Array.isArray(value)) values[block] = Array.from(value, (row) => row ?? {});
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
    this.record = saved.status === "ok" ? saved.record
      : { template_version: this.version, current: this.t("doc.copy_default", { n: 1 }), copies: {} };
    this.record.copies[this.record.current] ??= { values: {}, updated: null };
    this.applyPrefill();
    this.fillSelect();
    this.show(this.record.copies[this.record.current].values);
    if (saved.status === "ok" && !this.prefilled && Object.keys(this.current().values).length) this.say(this.t("doc.restored"));
  }

  // A self-assessment result can open this template prefilled (e.g. the growth zone into the plan).
  async applyPrefill() {
    const data = store.takePrefill(this.id);
    if (!data) return;
    const template = await this.template;
    const name = this.t("doc.copy_prefill", { source: data.source, date: data.date });
    const values = {};
    for (const [key, target] of Object.entries(template.prefill)) {
      const value = data[key];
      if (value === undefined || (Array.isArray(value) && !value.length)) continue;
      const [blockId, column] = target.split(".");
      const block = template.blocks.find((b) => b.id === blockId) ??
        template.blocks.find((b) => b.type === "fields" && b.fields.some((f) => f.id === target));
      if (!block) continue;
      if (block.type === "table") values[block.id] = (Array.isArray(value) ? value : [value]).map((v) => ({ [column]: v }));
      else if (block.type === "fields") (values[block.id] ??= {})[target] = [value].flat().join("\n");
      else values[block.id] = [value].flat().join("\n");
    }
    this.prefilled = true;
    this.record.copies[name] = { values, updated: new Date().toISOString() };
    this.record.current = name;
    this.persist();
    this.fillSelect();
    this.show(values);
    this.say(this.t("doc.prefilled", { name }));
  }

  current() {
    return this.record.copies[this.record.current];
  }

  persist() {
    this.record.template_version = this.version;
    if (!store.saveDocument(this.id, this.record)) this.say(this.t("storage.unavailable"));
  }

  fillSelect() {
    this.select.replaceChildren(...Object.keys(this.record.copies).map((name) =>
      h("option", { value: name, selected: name === this.record.current ? "" : null }, name)));
  }

  // Put values into the form, adding rows to repeatable tables as needed.
  show(values) {
    this.form.reset();
    for (const table of this.form.querySelectorAll("[data-repeatable]")) {
      const wanted = Math.max(values[table.dataset.block]?.length ?? 0, table.querySelectorAll("tbody tr").length);
      while (table.querySelectorAll("tbody tr").length < wanted) this.addRow(table);
    }
    for (const input of this.form.elements) {
      if (!input.name) continue;
      const [block, second, column] = input.name.split(":");
      const value = second === undefined ? values[block]
        : column === undefined ? values[block]?.[second] : values[block]?.[Number(second)]?.[column];
      if (typeof value === "string") input.value = value;
    }
    this.updateCompletion();
  }

  // Saved on every change; the completion (computed in Python) only changes with a mark or a row.
  changed(target) {
    this.current().values = readValues(this.form);
    this.current().updated = new Date().toISOString();
    this.persist();
    if (!target || target.matches("select")) this.updateCompletion();
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
    this.record.current = name;
    this.persist();
    this.show(this.current().values);
    this.say("");
  }

  newCopy() {
    const input = this.root.querySelector("[data-copy-name]");
    const name = input.value.trim() || this.t("doc.copy_default", { n: Object.keys(this.record.copies).length + 1 });
    if (this.record.copies[name]) {
      this.say(this.t("doc.copy_exists", { name }));
      return;
    }
    input.value = "";
    this.record.copies[name] = { values: {}, updated: new Date().toISOString() };
    this.record.current = name;
    this.persist();
    this.fillSelect();
    this.show({});
  }

  deleteCopy() {
    const name = this.record.current;
    if (!window.confirm(this.t("doc.delete_copy_confirm", { name }))) return;
    delete this.record.copies[name];
    const [next] = Object.keys(this.record.copies);
    this.record.current = next ?? this.t("doc.copy_default", { n: 1 });
    this.record.copies[this.record.current] ??= { values: {}, updated: null };
    this.persist();
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

  async updateCompletion() {
    if (!this.form.querySelector("select[name]")) return;
    try {
      const done = await this.engine.request({ type: "completion", src: this.src, values: readValues(this.form) });
      if (done) {
        this.completionLine.textContent = this.t("doc.completion", done);
        this.completionLine.hidden = false;
      }
    } catch {
      this.completionLine.hidden = true;
    }
  }

  async downloadDocx() {
    try {
      const bytes = await this.engine.request({ type: "docx", src: this.src, values: readValues(this.form) });
      const name = `${this.id}-${this.record.current}`.replace(/[^\p{L}\p{N}._-]+/gu, "-");
      download(`${name}.docx`, bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    } catch (error) {
      this.say(this.t("doc.docx_failed", { reason: error.message }));
    }
  }
}

const roots = [...document.querySelectorAll("[data-template-root]")];
if (roots.length) {
  const engine = new EngineClient({ onReady: () => pages.forEach((p) => p.updateCompletion()), onFailed: () => {} });
  const pages = roots.map((root) => new DocumentPage(root, engine));
}
