// Everything the teacher enters stays in this browser (localStorage), in versioned records:
//   kasibi:v1:draft:<instrument id> → {format, instrument, instrument_version, saved_at, answers, result}
//   kasibi:v1:history              → {format, records: [{id, instrument, instrument_version, title,
//                                      completed_at, answers, result}]}
// A value that cannot be read is set aside under kasibi:v1:corrupt:… (never deleted) and reported.
// When the record format changes, FORMAT goes up and UPGRADES[n] turns format n into n + 1, so
// results saved years ago still open.

export const FORMAT = 1;
const UPGRADES = {};
const PREFIX = "kasibi:v1:";
const HISTORY = `${PREFIX}history`;

function storage() {
  try {
    const probe = `${PREFIX}probe`;
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    return null;
  }
}

const local = storage();

export const available = local !== null;

export function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function upgrade(data) {
  let current = data;
  while (isPlainObject(current) && Number.isInteger(current.format) && current.format < FORMAT && UPGRADES[current.format]) {
    current = UPGRADES[current.format](current);
  }
  if (!isPlainObject(current) || current.format !== FORMAT) throw new Error("unknown format");
  return current;
}

function setAside(key, raw, name) {
  local.setItem(`${PREFIX}corrupt:${name}:${Date.now()}`, raw);
  local.removeItem(key);
}

function write(key, value) {
  try {
    local.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

// Read one record: {status: "empty" | "ok" | "corrupt", record?}; a record that fails `fits` is set aside.
function loadRecord(key, name, fits) {
  if (!local) return { status: "empty" };
  const raw = local.getItem(key);
  if (raw === null) return { status: "empty" };
  try {
    const record = upgrade(JSON.parse(raw));
    if (!fits(record)) throw new Error("unexpected shape");
    return { status: "ok", record };
  } catch {
    setAside(key, raw, name);
    return { status: "corrupt" };
  }
}

export function loadDraft(instrumentId) {
  return loadRecord(`${PREFIX}draft:${instrumentId}`, instrumentId,
    (record) => record.instrument === instrumentId && isPlainObject(record.answers));
}

export function saveDraft(instrumentId, instrumentVersion, answers, result) {
  if (!local) return false;
  return write(`${PREFIX}draft:${instrumentId}`, {
    format: FORMAT,
    instrument: instrumentId,
    instrument_version: instrumentVersion,
    saved_at: new Date().toISOString(),
    answers,
    result: result ?? null,
  });
}

export function clearDraft(instrumentId) {
  if (local) local.removeItem(`${PREFIX}draft:${instrumentId}`);
}

// {status: "ok" | "corrupt", records}
export function loadHistory() {
  const loaded = loadRecord(HISTORY, "history", (history) => Array.isArray(history.records));
  return { status: loaded.status === "corrupt" ? "corrupt" : "ok", records: loaded.record?.records ?? [] };
}

export function saveHistory(records) {
  if (!local) return false;
  const sorted = [...records].sort((a, b) => a.completed_at.localeCompare(b.completed_at));
  return write(HISTORY, { format: FORMAT, records: sorted });
}

function newId() {
  return crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export function addToHistory(instrumentId, instrumentVersion, title, answers, result) {
  const record = {
    id: newId(),
    instrument: instrumentId,
    instrument_version: instrumentVersion,
    title,
    completed_at: new Date().toISOString(),
    answers,
    result,
  };
  const { records } = loadHistory();
  return saveHistory([...records, record]) ? record : null;
}

// Hand-over between pages (e.g. a self-assessment result → the development plan template).
export function putPrefill(target, data) {
  return local ? write(`${PREFIX}prefill:${target}`, { format: FORMAT, created_at: new Date().toISOString(), data }) : false;
}

export function takePrefill(target) {
  if (!local) return null;
  const key = `${PREFIX}prefill:${target}`;
  const raw = local.getItem(key);
  local.removeItem(key);
  try {
    return raw === null ? null : upgrade(JSON.parse(raw)).data;
  } catch {
    return null;
  }
}

// Filled templates: kasibi:v1:doc:<template id> → {format, template_version, current, copies: {name: {values, updated}}}
export function loadDocument(templateId) {
  return loadRecord(`${PREFIX}doc:${templateId}`, templateId,
    (record) => isPlainObject(record.copies) && typeof record.current === "string");
}

export function saveDocument(templateId, record) {
  return local ? write(`${PREFIX}doc:${templateId}`, { ...record, format: FORMAT }) : false;
}
