// Moving results between computers: one JSON file with every saved result, CSV per instrument,
// and a strict import. An imported file is data, never code: it is size-checked, parsed, checked
// field by field, and merged only when all of it is sound; otherwise nothing changes.

import { FORMAT, isPlainObject, upgrade } from "./store.js";

export const FILE_KIND = "kasibi-results";
export const MAX_BYTES = 5 * 1024 * 1024;
const MAX_RECORDS = 2000;

export class ImportError extends Error {
  constructor(key, values = {}) {
    super(key);
    this.key = key;
    this.values = values;
  }
}

export function exportFile(records) {
  return { kind: FILE_KIND, format: FORMAT, exported_at: new Date().toISOString(), records };
}

export function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Spreadsheets run cells that start with = + - @; such text gets a leading apostrophe.
function cell(value) {
  let text = Array.isArray(value) ? value.join("; ") : value === null || value === undefined ? "" : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvFor(records, labels) {
  const scales = [...new Map(records.flatMap((r) => r.result?.scales ?? []).map((s) => [s.id, s.title])).entries()];
  const items = [...new Set(records.flatMap((r) => Object.keys(r.answers)))];
  const header = [labels.date, labels.version, ...scales.flatMap(([, title]) => [title, `${title}: ${labels.band}`]), ...items];
  const rows = records.map((r) => {
    const byScale = new Map((r.result?.scales ?? []).map((s) => [s.id, s]));
    return [
      r.completed_at, r.instrument_version,
      ...scales.flatMap(([id]) => [byScale.get(id)?.value ?? "", byScale.get(id)?.band_label ?? ""]),
      ...items.map((id) => r.answers[id] ?? ""),
    ];
  });
  return `\uFEFF${[header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n")}\r\n`;
}

const ID = /^[A-Za-z0-9-]{1,64}$/;
const ITEM = /^[a-z0-9-]{1,80}$/;

function validAnswer(value) {
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value === "string") return value.length <= 20000;
  return Array.isArray(value) && value.length <= 100 &&
    value.every((v) => (typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && v.length <= 200));
}

function validScale(s) {
  return isPlainObject(s) && typeof s.id === "string" && typeof s.title === "string" && Number.isFinite(s.value) &&
    Number.isFinite(s.min) && Number.isFinite(s.max) && typeof s.band_label === "string";
}

// The fields a report reads, with their types; the report builds text nodes only, so this guards
// against crashes and nonsense, not against markup.
export function validResult(result, instrument) {
  return isPlainObject(result) && result.instrument === instrument && result.complete === true &&
    typeof result.title === "string" && isPlainObject(result.provenance) &&
    typeof result.provenance.method === "string" && typeof result.provenance.kind === "string" &&
    (result.scales === undefined || (Array.isArray(result.scales) && result.scales.every(validScale))) &&
    (result.card === undefined || (Array.isArray(result.card) && result.card.every((c) => isPlainObject(c) &&
      typeof c.prompt === "string" && typeof c.answer === "string"))) &&
    JSON.stringify(result).length <= 200_000;
}

function validRecord(record, catalogue) {
  const fields = ["id", "instrument", "instrument_version", "title", "completed_at", "answers", "result"];
  return isPlainObject(record) && Object.keys(record).every((k) => fields.includes(k)) &&
    ID.test(record.id ?? "") && catalogue.has(record.instrument) &&
    Number.isInteger(record.instrument_version) && record.instrument_version > 0 && record.instrument_version < 1000 &&
    typeof record.title === "string" && record.title.length <= 300 &&
    typeof record.completed_at === "string" && record.completed_at.length <= 40 &&
    !Number.isNaN(Date.parse(record.completed_at)) &&
    isPlainObject(record.answers) && Object.keys(record.answers).length <= 300 &&
    Object.entries(record.answers).every(([k, v]) => ITEM.test(k) && validAnswer(v)) &&
    validResult(record.result, record.instrument);
}

// Parse and check a whole file; throws ImportError with a catalogue key for the message.
export function parseImport(text, catalogue) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ImportError("import.not_json");
  }
  if (!isPlainObject(data) || data.kind !== FILE_KIND) throw new ImportError("import.not_ours");
  try {
    data = upgrade(data);
  } catch {
    throw new ImportError("import.format");
  }
  if (!Array.isArray(data.records) || data.records.length > MAX_RECORDS) throw new ImportError("import.not_ours");
  const bad = data.records.findIndex((record) => !validRecord(record, catalogue));
  if (bad >= 0) throw new ImportError("import.bad_record", { n: bad + 1 });
  return data.records;
}

// Records already present (same id, or the same instrument, time and answers) are not added twice.
export function merge(existing, incoming) {
  const key = (r) => `${r.instrument}|${r.completed_at}|${JSON.stringify(r.answers)}`;
  const ids = new Set(existing.map((r) => r.id));
  const keys = new Set(existing.map(key));
  const added = [];
  for (const record of incoming) {
    if (ids.has(record.id) || keys.has(key(record))) continue;
    ids.add(record.id);
    keys.add(key(record));
    added.push(record);
  }
  return { records: [...existing, ...added], added: added.length, duplicates: incoming.length - added.length };
}
