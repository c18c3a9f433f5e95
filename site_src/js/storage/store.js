// Everything the teacher enters stays in this browser, in versioned records:
//   kasibi:v1:draft:<instrument id> → {format, instrument, instrument_version, saved_at, answers, result}
//   kasibi:v1:history              → {format, records: [{id, instrument, instrument_version, title,
//                                      completed_at, answers, result, lang?}]} (lang: the page's, kk if absent)
//   kasibi:v1:doc:<template id>    → {format, template_version, current, copies: {name: {values, updated, prefill?}}}
//   kasibi:v1:prefill:<template id> → {format, created_at, data} (a result handed to a template page)
//   kasibi:v1:seen:<name>          → when this browser was shown a one-time note (install.js): not a record
//   kasibi:v1:language             → the language chosen with the language switch (language.js): not a record
//   kasibi:v1:backup               → {format, made_at, reminded_at} (when this device last made a backup file)
//   kasibi:v1:attestation          → {format, held, sought, from, to, teacher, school, subject} (the attestation page)
// On a shared computer (kasibi:v1:device = "shared") the records live in sessionStorage: they go
// when the tab is closed. Otherwise they live in localStorage.
//
// Rules that keep what was typed: reading never writes (a full storage still reads); every write
// reads the record first and changes only what this tab changed (another tab's copy or answer
// stays); a value that cannot be read is set aside under kasibi:v1:corrupt:… or, when even that
// cannot be written, left where it is and never overwritten; a record of a newer format (saved by
// a newer version of the site) is left untouched. What could not be written is reported through
// onProblem, with the value, so the page can offer it as a file.
// When the record format changes, FORMAT goes up and UPGRADES[n] turns format n into n + 1, so
// results saved years ago still open.

import { sameAnswers } from "../assessments/answers.js";

export const FORMAT = 1;
const UPGRADES = {};
const SITE = "kasibi:"; // every key this site writes starts so
const PREFIX = `${SITE}v1:`;
const HISTORY = `${PREFIX}history`;
const DEVICE = `${PREFIX}device`; // "shared" while the teacher says this is a shared computer
const SEEN = `${PREFIX}seen:`;
const LANGUAGE = `${PREFIX}language`;
const isRecord = (key) => key.startsWith(SITE) && key !== DEVICE && key !== LANGUAGE && !key.startsWith(SEEN);

// A storage area that can be read, or null; availability never depends on a write succeeding.
/** @param {"localStorage" | "sessionStorage"} name */
function readable(name) {
  try {
    const area = window[name];
    area.getItem(DEVICE);
    return area;
  } catch {
    return null;
  }
}

const persistent = readable("localStorage");
const session = readable("sessionStorage");
export const shared = persistent?.getItem(DEVICE) === "shared";
const area = shared ? session : persistent;

export const available = area !== null;

export function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// object[key] = value as an own property, whatever the key: a copy the teacher names "__proto__" is a
// copy like any other (a plain assignment would set the prototype, and the copy would vanish from JSON).
export function putOwn(object, key, value) {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export function upgrade(data) {
  let current = data;
  while (isPlainObject(current) && Number.isInteger(current.format) && current.format < FORMAT && UPGRADES[current.format]) {
    current = UPGRADES[current.format](current);
  }
  if (!isPlainObject(current) || current.format !== FORMAT) throw new Error("unknown format");
  return current;
}

// Keys whose last write failed, or that hold what must not be overwritten:
// key → {reason: "full" | "denied" | "newer" | "damaged", value: what could not be written}.
const problems = new Map();
const listeners = new Set();

function setProblem(key, problem) {
  if (problem) problems.set(key, problem);
  else if (!problems.delete(key)) return;
  for (const listener of listeners) listener(key, problem);
}

// listener(key, problem | null): called now for each current problem, then on every change.
export function onProblem(listener) {
  listeners.add(listener);
  for (const [key, problem] of problems) listener(key, problem);
}

export function unsavedValues() {
  return Object.fromEntries([...problems].filter(([, p]) => p.value !== undefined).map(([key, p]) => [key, p.value]));
}

const isQuota = (error) => error?.name === "QuotaExceededError" || error?.code === 22 || error?.code === 1014;

function write(key, value) {
  try {
    area.setItem(key, JSON.stringify(value));
    setProblem(key, null);
    return true;
  } catch (error) {
    setProblem(key, { reason: isQuota(error) ? "full" : "denied", value });
    return false;
  }
}

// A damaged value moves to kasibi:v1:corrupt:…; when that cannot be written it stays where it is.
function setAside(key, raw, name) {
  try {
    area.setItem(`${PREFIX}corrupt:${name}:${Date.now()}`, raw);
  } catch {
    return false;
  }
  area.removeItem(key);
  return true;
}

function parsed(raw) {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

const isNewer = (data) => isPlainObject(data) && Number.isInteger(data.format) && data.format > FORMAT;

// Read one record: {status: "empty" | "ok" | "corrupt" | "newer", record?, kept?}. A record that
// fails `fits` is set aside (kept: true when it had to stay in place); a newer one is left alone.
function loadRecord(key, name, fits) {
  const raw = area?.getItem(key) ?? null;
  if (raw === null) return { status: "empty" };
  const data = parsed(raw);
  if (isNewer(data)) {
    if (!problems.has(key)) setProblem(key, { reason: "newer" });
    return { status: "newer" };
  }
  try {
    const record = upgrade(data);
    if (!fits(record)) throw new Error("unexpected shape");
    return { status: "ok", record };
  } catch {
    const kept = !setAside(key, raw, name);
    if (kept && !problems.has(key)) setProblem(key, { reason: "damaged" });
    return { status: "corrupt", kept };
  }
}

// Read-modify-write: `change(record or null)` gives the record to write. Nothing is written over a
// record of a newer format or a damaged one that could not be set aside.
function update(key, name, fits, change) {
  if (!area) return false;
  const loaded = loadRecord(key, name, fits);
  const value = change(loaded.record ?? null);
  if (loaded.status === "newer" || loaded.kept) {
    setProblem(key, { reason: loaded.status === "newer" ? "newer" : "damaged", value });
    return false;
  }
  return write(key, value);
}

function remove(key) {
  if (!area || isNewer(parsed(area.getItem(key)))) return false;
  area.removeItem(key);
  setProblem(key, null);
  return true;
}

// Calls `changed(newValue)` when another tab changes `key` (newValue null when it was removed),
// and when this page comes back from the back-forward cache.
function watch(key, changed) {
  if (!area) return;
  addEventListener("storage", (event) => {
    if (event.storageArea === area && (event.key === key || event.key === null)) changed(area.getItem(key));
  });
  addEventListener("pageshow", (event) => event.persisted && changed(area.getItem(key)));
}

// Drafts. A tab writes only the answers it changed since it last read or wrote the draft, so a
// second tab of the same instrument keeps its own answers.
const draftKey = (instrumentId) => `${PREFIX}draft:${instrumentId}`;
const fitsDraft = (instrumentId) => (record) => record.instrument === instrumentId && isPlainObject(record.answers);
const known = new Map(); // instrument id → the answers as this tab last read or wrote them

export function loadDraft(instrumentId) {
  const loaded = loadRecord(draftKey(instrumentId), instrumentId, fitsDraft(instrumentId));
  known.set(instrumentId, loaded.record?.answers ?? {});
  return loaded;
}

function changedItems(before, after) {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((name) => !same(before[name], after[name]));
}

export function saveDraft(instrumentId, instrumentVersion, answers, result) {
  const base = known.get(instrumentId) ?? {};
  const changes = changedItems(base, answers);
  if (!changes.length && !result && known.has(instrumentId)) return true; // nothing new to keep
  let merged;
  const written = update(draftKey(instrumentId), instrumentId, fitsDraft(instrumentId), (stored) => {
    merged = { ...(stored?.answers ?? {}) };
    for (const name of changes) {
      if (Object.hasOwn(answers, name)) merged[name] = answers[name];
      else delete merged[name];
    }
    return {
      format: FORMAT,
      instrument: instrumentId,
      instrument_version: instrumentVersion,
      saved_at: new Date().toISOString(),
      answers: merged,
      result: sameAnswers(merged, answers) ? result ?? null : null, // a result only beside the answers it scores
    };
  });
  if (written) known.set(instrumentId, merged);
  return written;
}

export function clearDraft(instrumentId) {
  if (remove(draftKey(instrumentId))) known.set(instrumentId, {});
}

// changed(answers) when another tab changed this instrument's draft ({} when it was cleared).
export function watchDraft(instrumentId, changed) {
  watch(draftKey(instrumentId), (raw) => {
    let answers = {};
    try {
      answers = raw === null ? {} : upgrade(JSON.parse(raw)).answers;
    } catch {
      return; // a damaged value is dealt with when it is next read
    }
    if (!isPlainObject(answers) || same(answers, known.get(instrumentId) ?? {})) return;
    known.set(instrumentId, answers);
    changed(answers);
  });
}

// {status: "ok" | "corrupt" | "newer", records}
export function loadHistory() {
  const loaded = loadRecord(HISTORY, "history", (history) => Array.isArray(history.records));
  return { status: loaded.status === "empty" ? "ok" : loaded.status, records: loaded.record?.records ?? [] };
}

const sortedHistory = (records) => ({
  format: FORMAT,
  // String(): a damaged record (no date, or not an object) sorts too, and stays
  records: [...records].sort((a, b) => String(a?.completed_at).localeCompare(String(b?.completed_at))),
});

export function saveHistory(records) {
  return update(HISTORY, "history", (history) => Array.isArray(history.records), () => sortedHistory(records));
}

function newId() {
  return crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export function addToHistory(instrumentId, instrumentVersion, title, answers, result, lang) {
  const record = {
    id: newId(),
    instrument: instrumentId,
    instrument_version: instrumentVersion,
    title,
    completed_at: new Date().toISOString(),
    answers,
    result,
    lang,
  };
  const added = update(HISTORY, "history", (history) => Array.isArray(history.records),
    (history) => sortedHistory([...(history?.records ?? []), record]));
  if (added) askToKeep();
  return added ? record : null;
}

// Hand-over between pages (e.g. a self-assessment result → the development plan template).
export function putPrefill(target, data) {
  return area ? write(`${PREFIX}prefill:${target}`, { format: FORMAT, created_at: new Date().toISOString(), data }) : false;
}

export function takePrefill(target) {
  if (!area) return null;
  const key = `${PREFIX}prefill:${target}`;
  const raw = area.getItem(key);
  area.removeItem(key);
  try {
    return raw === null ? null : upgrade(JSON.parse(raw)).data;
  } catch {
    return null;
  }
}

// Filled templates, one record per template with named copies. Each change reads the record and
// changes one copy (or which copy opens first), so a copy made in another tab stays.
const docKey = (templateId) => `${PREFIX}doc:${templateId}`;
const fitsDocument = (record) => isPlainObject(record.copies) && typeof record.current === "string";

export function loadDocument(templateId) {
  return loadRecord(docKey(templateId), templateId, fitsDocument);
}

function changeDocument(templateId, version, change) {
  return update(docKey(templateId), templateId, fitsDocument, (stored) => {
    const record = stored ?? { current: "", copies: {} };
    change(record);
    return { ...record, format: FORMAT, template_version: version };
  });
}

// Write one copy ({values, updated, prefill?}); `open` also makes it the copy shown on the next visit.
export function saveCopy(templateId, version, name, copy, open = false) {
  return changeDocument(templateId, version, (record) => {
    putOwn(record.copies, name, copy);
    if (open || !record.current) record.current = name;
  });
}

export function openCopy(templateId, version, name) {
  return changeDocument(templateId, version, (record) => {
    if (Object.hasOwn(record.copies, name)) record.current = name;
  });
}

export function deleteCopy(templateId, version, name) {
  return changeDocument(templateId, version, (record) => {
    delete record.copies[name];
    if (record.current === name) record.current = Object.keys(record.copies)[0] ?? "";
  });
}

// changed(record | null) when another tab changed this template's copies.
export function watchDocument(templateId, changed) {
  watch(docKey(templateId), (raw) => {
    try {
      const record = raw === null ? null : upgrade(JSON.parse(raw));
      if (record === null || fitsDocument(record)) changed(record);
    } catch {
      // a damaged value is dealt with when it is next read
    }
  });
}

// Everything a backup file carries, as this device keeps it: saved results, drafts and filled templates
// (only records that read; a damaged or newer one stays where it is and is not in the file).
export function everything() {
  const drafts = {};
  const documents = {};
  for (const key of area ? Object.keys(area) : []) {
    const [kind, id] = key.slice(PREFIX.length).split(":");
    if (!key.startsWith(PREFIX) || !id) continue;
    if (kind === "draft") {
      const loaded = loadRecord(key, id, fitsDraft(id));
      if (loaded.status === "ok") putOwn(drafts, id, loaded.record);
    } else if (kind === "doc") {
      const loaded = loadRecord(key, id, fitsDocument);
      if (loaded.status === "ok") putOwn(documents, id, loaded.record);
    }
  }
  return { results: loadHistory().records, drafts, documents, attestation: loadAttestation() };
}

// Writes a restore all at once: {results, drafts: {id: record}, documents: {id: record}}. When any write
// fails (a full storage), every key written is put back as it was and false is returned.
export function restore({ results, drafts, documents, attestation = null }) {
  if (!area) return false;
  const writes = [
    ...(results ? [[HISTORY, sortedHistory(results)]] : []),
    ...(attestation ? [[ATTESTATION, { ...attestation, format: FORMAT }]] : []),
    ...Object.entries(drafts).map(([id, record]) => [draftKey(id), record]),
    ...Object.entries(documents).map(([id, record]) => [docKey(id), record]),
  ];
  const before = writes.map(([key]) => [key, area.getItem(key)]);
  try {
    for (const [key, value] of writes) area.setItem(key, JSON.stringify(value));
  } catch {
    for (const [key, raw] of before) {
      if (raw === null) area.removeItem(key);
      else area.setItem(key, raw);
    }
    return false;
  }
  for (const [key] of writes) setProblem(key, null);
  known.clear();
  return true;
}

// The attestation page's choices: the category held and sought, the period, the cover's texts (null: none yet).
const ATTESTATION = `${PREFIX}attestation`;
export function loadAttestation() {
  const loaded = loadRecord(ATTESTATION, "attestation", isPlainObject);
  return loaded.status === "ok" ? loaded.record : null;
}

export function saveAttestation(choices) {
  return update(ATTESTATION, "attestation", isPlainObject, () => ({ ...choices, format: FORMAT }));
}

// When this device last made a backup file, and last reminded the teacher to: {made_at?, reminded_at?}.
const BACKUP = `${PREFIX}backup`;
export function backupState() {
  const data = parsed(area?.getItem(BACKUP) ?? null);
  return isPlainObject(data) ? data : {};
}

export function noteBackup(change) {
  return area ? write(BACKUP, { ...backupState(), ...change, format: FORMAT }) : false;
}

// Everything this site keeps on this device, in both storage areas.
/** @returns {[Storage, string][]} every record of the site in either storage area, with its area */
function siteKeys() {
  return [persistent, session].filter(Boolean).flatMap((store) =>
    Object.keys(store).filter(isRecord).map((key) => /** @type {[Storage, string]} */ ([store, key])));
}

// Counts by kind: results (saved records), drafts, documents and their copies, prefills, corrupt, other.
export function inventory() {
  const counts = { results: 0, drafts: 0, documents: 0, copies: 0, prefills: 0, corrupt: 0, other: 0 };
  for (const [store, key] of siteKeys()) {
    const kind = key.slice(PREFIX.length).split(":")[0];
    const data = parsed(store.getItem(key));
    if (key === HISTORY) counts.results += Array.isArray(data?.records) ? data.records.length : 1;
    else if (kind === "draft") counts.drafts += 1;
    else if (kind === "doc") {
      counts.documents += 1;
      counts.copies += isPlainObject(data?.copies) ? Object.keys(data.copies).length : 1;
    } else if (kind === "prefill") counts.prefills += 1;
    else if (key === BACKUP) continue; // a date, not the teacher's data
    else if (kind === "corrupt") counts.corrupt += 1;
    else counts.other += 1;
  }
  return counts;
}

// Deletes every record this site stored on this device (the shared-computer setting stays).
export function deleteEverything() {
  for (const [store, key] of siteKeys()) store.removeItem(key);
  problems.clear();
  known.clear();
}

// Turns the shared-computer choice on or off, moving this tab's records to where they belong
// (localStorage → this tab's sessionStorage, or back). Returns false, changing nothing, when the
// records do not fit where they are going.
export function setShared(on) {
  if (!persistent || !session || on === shared) return on === shared;
  const [from, to] = on ? [persistent, session] : [session, persistent];
  const keys = Object.keys(from).filter(isRecord);
  try {
    for (const key of keys) to.setItem(key, from.getItem(key));
    if (on) persistent.setItem(DEVICE, "shared");
    else persistent.removeItem(DEVICE);
  } catch {
    for (const key of keys) to.removeItem(key);
    return false;
  }
  for (const key of keys) from.removeItem(key);
  return true;
}

// One-time notes of this browser (kasibi:v1:seen:<name>): kept in localStorage whatever the shared-computer
// choice, never counted, moved or deleted with the teacher's records. Unwritable storage: the note shows again.
export function hasSeen(name) {
  return (persistent?.getItem(`${SEEN}${name}`) ?? null) !== null;
}

export function markSeen(name) {
  try {
    persistent?.setItem(`${SEEN}${name}`, new Date().toISOString());
  } catch {
    // full or refused
  }
}

// The language the reader chose (a preference of this browser, like the notes above), or null.
export function chosenLanguage() {
  return persistent?.getItem(LANGUAGE) ?? null;
}

export function chooseLanguage(lang) {
  try {
    persistent?.setItem(LANGUAGE, lang);
  } catch {
    // full or refused: the switch still works, the site's home page opens in its first language
  }
}

// Another tab turned the shared-computer choice on or off: this page's records moved.
export function watchDevice(changed) {
  addEventListener("storage", (event) => {
    if (event.storageArea === persistent && (event.key === DEVICE || event.key === null)) changed();
  });
}

// On a personal device, ask the browser to keep the data when it runs short of space.
// (navigator.storage is missing outside secure contexts, e.g. an intranet site over http.)
let asked = null;
export function askToKeep() {
  if (shared || !navigator.storage?.persist) return Promise.resolve(null);
  asked ??= navigator.storage.persist().catch(() => false);
  return asked;
}
