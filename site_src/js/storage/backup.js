// The backup file: everything this site keeps on this device (saved results, unfinished answers, every
// filled template's named copies) in one JSON file the teacher keeps elsewhere and restores on any
// device. Restore checks the whole file first and changes nothing when any part is unsound; then it
// merges: what is only in the file is added, what is only here stays, a copy of the same name with
// other values is kept under a new name, and the same file restored twice adds nothing.
// Where this browser may erase the data (storage not persisted; Safari's seven days without a visit),
// a notice offers a backup, at most once a week.

import { BUILD } from "../build.js";
import { h } from "../utilities/dom.js";
import { dataUrl, edition } from "../utilities/paths.js";
import { localDate } from "../utilities/numbers.js";
import { isTimestamp, linksOnSite, validAnswers, validCopy, validResult } from "./record-check.js";
import * as store from "./store.js";
import { t } from "../utilities/strings.js";
import { FILE_KIND as RESULTS_KIND, ImportError, checkRecords, download, fileName, merge } from "./transfer.js";

export const BACKUP_KIND = "kasibi-backup";
const BACKUP_FORMAT = 1;
export const MAX_BACKUP_BYTES = 20 * 1024 * 1024;
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_COPIES = 500;

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const own = (object, key) => (Object.hasOwn(object, key) ? object[key] : undefined);
const known = (kind) => new Set(Object.keys(edition.pages).filter((k) => k.startsWith(`${kind}:`)).map((k) => k.slice(kind.length + 1)));

export function backupFile() {
  return {
    kind: BACKUP_KIND, format: BACKUP_FORMAT, made_at: new Date().toISOString(), site_version: BUILD.version,
    about: t("backup.about"), ...store.everything(),
  };
}

export function downloadBackup() {
  const text = JSON.stringify(backupFile(), null, 1);
  download(fileName(t("backup.file_name", { date: localDate(new Date().toISOString()) }), "json"), text, "application/json");
  store.noteBackup({ made_at: new Date().toISOString() });
  document.dispatchEvent(new CustomEvent("kasibi:backup"));
}

// A part of the file that fails its check names itself: «Жоспар» template, «cycle-self-assessment» draft.
const refuse = (part, name) => {
  throw new ImportError("backup.bad_part", { part: t(`backup.part.${part}`), name: String(name).slice(0, 80) });
};

function checkDrafts(drafts, instruments) {
  if (!store.isPlainObject(drafts)) refuse("drafts", "—");
  const checked = {};
  for (const [id, draft] of Object.entries(drafts)) {
    if (!instruments.has(id) || !store.isPlainObject(draft) || draft.instrument !== id || !validAnswers(draft.answers) ||
      !Number.isInteger(draft.instrument_version) || !isTimestamp(draft.saved_at)) refuse("drafts", id);
    const result = draft.result ?? null;
    if (result !== null && !(validResult(result) && linksOnSite(result) && result.instrument === id)) refuse("drafts", id);
    store.putOwn(checked, id, {
      format: store.FORMAT, instrument: id, instrument_version: draft.instrument_version, saved_at: draft.saved_at,
      answers: draft.answers, result,
    });
  }
  return checked;
}

function checkDocuments(documents, templates) {
  if (!store.isPlainObject(documents)) refuse("documents", "—");
  const checked = {};
  for (const [id, record] of Object.entries(documents)) {
    if (!templates.has(id) || !store.isPlainObject(record) || !store.isPlainObject(record.copies) ||
      typeof record.current !== "string" || !Number.isInteger(record.template_version)) refuse("documents", id);
    const names = Object.keys(record.copies);
    if (names.length > MAX_COPIES) refuse("documents", id);
    const copies = {};
    for (const name of names) {
      const copy = record.copies[name];
      if (!validCopy(name, copy)) refuse("documents", `${id}: ${name}`);
      store.putOwn(copies, name, {
        values: copy.values, updated: copy.updated ?? null, ...(copy.prefill === undefined ? {} : { prefill: copy.prefill }),
      });
    }
    store.putOwn(checked, id, { format: store.FORMAT, template_version: record.template_version, current: record.current, copies });
  }
  return checked;
}

// The attestation page's choices: category ids of the route sheets, school years, short texts.
export const CATEGORIES = ["pedagog", "moderator", "sarapshy", "zertteushi", "sheber"];
const CHOICES = { held: "category", sought: "category", from: "year", to: "year", teacher: "text", school: "text", subject: "text" };

export function checkAttestation(choices) {
  if (choices === null || choices === undefined) return null;
  if (!store.isPlainObject(choices)) refuse("attestation", "—");
  const checked = {};
  for (const [name, kind] of Object.entries(CHOICES)) {
    const value = choices[name];
    if (value === undefined || value === "") continue;
    const fits = kind === "category" ? CATEGORIES.includes(value)
      : kind === "year" ? Number.isInteger(value) && value >= 2000 && value <= 2100
        : typeof value === "string" && value.length <= 300;
    if (!fits) refuse("attestation", name);
    checked[name] = value;
  }
  return checked;
}

// The whole file, checked: {results, drafts, documents}. A results export (kasibi-results) restores its results.
export function parseBackup(text, instruments, templates = known("template")) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ImportError("import.not_json");
  }
  if (!store.isPlainObject(data) || ![BACKUP_KIND, RESULTS_KIND].includes(data.kind)) throw new ImportError("backup.not_ours");
  if (!Number.isInteger(data.format) || data.format < 1) throw new ImportError("backup.not_ours");
  if (data.format > (data.kind === BACKUP_KIND ? BACKUP_FORMAT : store.FORMAT)) throw new ImportError("import.format");
  if (data.kind === RESULTS_KIND) {
    return { results: checkRecords(data.records, instruments), drafts: {}, documents: {}, attestation: null };
  }
  return {
    results: checkRecords(data.results, instruments),
    drafts: checkDrafts(data.drafts, instruments),
    documents: checkDocuments(data.documents, templates),
    attestation: checkAttestation(data.attestation),
  };
}

// `wanted`, or "wanted (2)", "wanted (3)"… whichever the copies do not have.
function freeName(copies, wanted) {
  let name = wanted;
  for (let n = 2; Object.hasOwn(copies, name); n++) name = `${wanted} (${n})`;
  return name;
}

function mergeDocument(mine, theirs, renamed, templateId) {
  const copies = {};
  for (const [name, copy] of Object.entries(mine?.copies ?? {})) store.putOwn(copies, name, copy);
  let added = 0;
  for (const [name, copy] of Object.entries(theirs.copies)) {
    if (Object.values(copies).some((c) => same(c.values, copy.values))) continue; // already here, under any name
    const target = freeName(copies, name);
    store.putOwn(copies, target, copy);
    added += 1;
    if (target !== name) renamed.push({ template: templateId, from: name, to: target });
  }
  const record = { ...(mine ?? theirs), format: store.FORMAT, copies };
  if (!Object.hasOwn(copies, record.current)) record.current = Object.keys(copies)[0] ?? "";
  return { record, added };
}

// What restoring `file` onto `device` (both as store.everything() gives them) writes, and what it says.
export function planRestore(device, file) {
  const results = merge(device.results, file.results);
  const drafts = {};
  const documents = {};
  const counts = { results: results.added, results_renamed: results.renamed, drafts: 0, drafts_kept: 0, copies: 0 };
  const renamed = [];
  for (const [id, draft] of Object.entries(file.drafts)) {
    const mine = own(device.drafts, id);
    if (!mine) {
      store.putOwn(drafts, id, draft);
      counts.drafts += 1;
    } else if (!same(mine.answers, draft.answers)) counts.drafts_kept += 1; // this device's unfinished answers stay
  }
  for (const [id, theirs] of Object.entries(file.documents)) {
    const { record, added } = mergeDocument(own(device.documents, id), theirs, renamed, id);
    if (added) store.putOwn(documents, id, record);
    counts.copies += added;
  }
  // The attestation choices come with the file only to a device that has made none.
  const attestation = file.attestation && !device.attestation ? file.attestation : null;
  const write = { results: results.added ? results.records : null, drafts, documents, attestation };
  return { write, counts: { ...counts, attestation: attestation ? 1 : 0 }, renamed };
}

async function templateTitle(id) {
  try {
    return (await (await fetch(dataUrl(`templates/${id}.json`))).json()).title;
  } catch {
    return id;
  }
}

async function report(status, { counts, renamed }) {
  const nothing = !counts.results && !counts.drafts && !counts.copies && !counts.attestation;
  const titles = await Promise.all(renamed.map((r) => templateTitle(r.template)));
  status.replaceChildren(
    h("p", null, t(nothing ? "backup.nothing_new" : "backup.restored", counts)),
    counts.drafts_kept ? h("p", null, t("backup.drafts_kept", { n: counts.drafts_kept })) : "",
    counts.results_renamed ? h("p", null, t("import.renamed", { n: counts.results_renamed })) : "",
    renamed.length ? h("ul", null, renamed.map((r, n) => h("li", null, t("backup.renamed_copy", { ...r, template: titles[n] })))) : "",
  );
}

async function restoreFrom(input, status, instruments) {
  const [file] = input.files;
  input.value = "";
  if (!file) return;
  let plan;
  try {
    if (file.size > MAX_BACKUP_BYTES) throw new ImportError("import.too_big", { mb: MAX_BACKUP_BYTES / 1024 / 1024 });
    plan = planRestore(store.everything(), parseBackup(await file.text(), await instruments()));
    if (!store.restore(plan.write)) throw new ImportError("action.save_failed");
  } catch (error) {
    status.replaceChildren(h("p", null, error instanceof ImportError ? t(error.key, error.values) : t("import.not_json")));
    return;
  }
  document.dispatchEvent(new CustomEvent("kasibi:restored"));
  await report(status, plan);
}

const instrumentList = () => fetch(dataUrl("instruments/index.json")).then((r) => r.json())
  .then((list) => new Map(list.map((i) => [i.id, i])));

function lastBackupText() {
  const made = store.backupState().made_at;
  return t("backup.last", { date: isTimestamp(made) ? localDate(made) : t("backup.never") });
}

// The backup's buttons and the date of the last one: on My results and in the stored-data dialog.
export function backupControls() {
  const last = h("p", { "data-backup-last": "" }, lastBackupText());
  const status = h("div", { role: "status", "data-backup-status": "" });
  const save = h("button", { type: "button", class: "md-button md-button--primary", "data-backup-download": "" }, t("backup.download"));
  save.addEventListener("click", downloadBackup);
  const input = h("input", { type: "file", accept: ".json,application/json" });
  input.addEventListener("change", () => restoreFrom(input, status, instrumentList));
  document.addEventListener("kasibi:backup", () => last.replaceChildren(lastBackupText()));
  return h("div", { class: "kasibi-backup" }, h("p", null, t("backup.intro")), last,
    h("div", { class: "kasibi-actions" }, save, h("label", { class: "md-button kasibi-file", "data-backup-restore": "" }, t("backup.restore"), input)),
    status);
}

// Whether this browser may erase what is kept here without asking: storage not persisted, or Safari
// (WebKit outside Chromium), which erases a site's data after seven days without a visit unless the
// site was added to the Home Screen.
async function atRisk() {
  if (store.shared || !store.available) return false;
  const installed = navigator.standalone === true || matchMedia("(display-mode: standalone)").matches;
  const ua = navigator.userAgent;
  const safari = /AppleWebKit/.test(ua) && !/Chrome|Chromium|Android/.test(ua);
  if (safari && !installed) return true;
  return !(await navigator.storage?.persisted?.().catch(() => false));
}

// The notice offering a backup where the data is at risk: after a result is saved or a copy changed, and
// on My results; at most once a week, whatever the page.
export async function remindIfAtRisk(where) {
  if (!where) return;
  const { reminded_at: reminded } = store.backupState();
  const due = !(isTimestamp(reminded) && Date.now() - Date.parse(reminded) < WEEK_MS);
  // Nothing yet: nothing to lose (counted only when due: this runs on every change of a template copy).
  const something = () => {
    const counts = store.inventory();
    return counts.results + counts.drafts + counts.documents > 0;
  };
  const show = due && !document.querySelector("[data-backup-reminder]") && something() && (await atRisk());
  where.dataset.backupChecked = ""; // the page has decided (tests wait for it)
  if (!show) return;
  const save = h("button", { type: "button", class: "md-button md-button--primary", "data-backup-download": "" }, t("backup.download"));
  const later = h("button", { type: "button", class: "md-button" }, t("backup.later"));
  const notice = h("div", { class: "kasibi-notice kasibi-backup-reminder", role: "status", "data-backup-reminder": "" },
    h("p", null, t("backup.at_risk")), h("p", null, lastBackupText()), h("div", { class: "kasibi-actions" }, save, later));
  save.addEventListener("click", () => {
    downloadBackup();
    notice.remove();
  });
  later.addEventListener("click", () => notice.remove());
  where.prepend(notice);
  store.noteBackup({ reminded_at: new Date().toISOString() });
}

const results = document.querySelector("[data-results-root]");
if (results) {
  results.querySelector(".kasibi-actions")?.after(backupControls());
  remindIfAtRisk(results);
}
// A saved result (assessment.js) or a changed template copy (document.js) says so with this event.
document.addEventListener("kasibi:kept", (event) => remindIfAtRisk(/** @type {Element} */ (event.target).closest?.("[data-instrument-root], [data-template-root]")));
