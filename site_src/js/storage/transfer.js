// Moving results between computers: one JSON file with every saved result, CSV per instrument,
// and a strict import. An imported file is data, never code: it is size-checked, parsed, checked
// field by field, and merged only when all of it is sound; otherwise nothing changes.

import { formatNumber, localDateTime } from "../utilities/numbers.js";
import { isTimestamp, linksOnSite, validRecord } from "./record-check.js";
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

// Spreadsheets run a cell whose text starts with = + - @ (or a tab or line break): whatever made the text
// (a typed answer, a list of ticks joined, a title from an imported file), it gets a leading apostrophe.
// Only a number keeps its minus sign; numbers have a decimal comma, as Excel reads them in kk and ru.
function cell(value) {
  const text = typeof value === "number" ? formatNumber(value) : Array.isArray(value) ? value.join("; ") : String(value ?? "");
  const safe = typeof value !== "number" && /^[=+\-@\t\r\n]/.test(text) ? `'${text}` : text;
  return /[",\n\r;]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

// An answer as the form showed it: the option's words, not its code (the code when the instrument is unknown).
function answerText(item, answer) {
  const text = (value) => item?.options?.find((o) => o.value === value)?.text ?? value;
  return Array.isArray(answer) ? answer.map(text) : item?.type === "text" ? answer : text(answer);
}

// One instrument's results for Excel in a Kazakh or Russian locale: `;` between cells, UTF-8 with a BOM,
// the questions and answers in words, dates in this computer's time. The JSON export stays the machine copy.
export function csvFor(records, labels, instrument = null) {
  const known = new Map((instrument?.sections ?? []).flatMap((s) => s.items).map((item) => [item.id, item]));
  const scales = [...new Map(records.flatMap((r) => r.result?.scales ?? []).map((s) => [s.id, s.title])).entries()];
  const items = [...new Set([...known.keys(), ...records.flatMap((r) => Object.keys(r.answers))])]
    .filter((id) => records.some((r) => Object.hasOwn(r.answers, id)));
  const header = [labels.date, labels.version, ...scales.flatMap(([, title]) => [title, `${title}: ${labels.band}`]),
    ...items.map((id) => known.get(id)?.prompt ?? id)];
  const rows = records.map((r) => {
    const byScale = new Map((r.result?.scales ?? []).map((s) => [s.id, s]));
    return [
      localDateTime(r.completed_at), r.instrument_version,
      ...scales.flatMap(([id]) => [byScale.get(id)?.value ?? "", byScale.get(id)?.band_label ?? ""]),
      ...items.map((id) => (Object.hasOwn(r.answers, id) ? answerText(known.get(id), r.answers[id]) : "")),
    ];
  });
  return `\uFEFF${[header, ...rows].map((row) => row.map(cell).join(";")).join("\r\n")}\r\n`;
}

// A file name Windows accepts: no \ / : * ? " < > | or control characters, no trailing dot or space,
// not a device name (CON, NUL, COM1…), not too long; «:» in a title reads as a dash.
export function fileName(name, extension) {
  let stem = String(name).replace(/\s*:\s+/g, " — ").replace(/[\u0000-\u001f<>:"/\\|?*]+/g, " ")
    .replace(/\s+/g, " ").trim().slice(0, 150).replace(/[. ]+$/, "");
  if (!stem || /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(stem)) stem = `_${stem}`;
  return `${stem}.${extension}`;
}

// The earliest a record may be dated, and how far ahead of this computer's clock another's may run.
const EARLIEST = Date.UTC(2020, 0, 1);
const CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

function plausibleDate(iso) {
  const time = Date.parse(iso);
  return time >= EARLIEST && time <= Date.now() + CLOCK_SKEW_MS;
}

// Parse and check a whole file; throws ImportError with a catalogue key for the message. An imported
// result is never trusted: every field the report reads is checked, and its links must be the site's own.
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
  return checkRecords(data.records, catalogue);
}

// Saved results from a file, each checked as the report will read it; throws ImportError on the first unsound one.
export function checkRecords(records, catalogue) {
  if (!Array.isArray(records) || records.length > MAX_RECORDS) throw new ImportError("import.not_ours");
  records.forEach((record, index) => {
    const n = index + 1;
    if (isPlainObject(record) && !(isTimestamp(record.completed_at) && plausibleDate(record.completed_at))) {
      throw new ImportError("import.bad_date", { n, date: String(record.completed_at).slice(0, 40) });
    }
    if (!validRecord(record) || !catalogue.has(record.instrument) || !linksOnSite(record.result)) {
      throw new ImportError("import.bad_record", { n });
    }
  });
  return records;
}

// "abc" → "abc-2" (or -3, …): the first id of that stem not yet taken.
function freeId(id, taken) {
  for (let n = 2; ; n += 1) {
    const candidate = `${id.slice(0, 56)}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

// The same attempt (instrument, time and answers) is not added twice. A record whose id is taken by a
// different attempt (in this browser or earlier in the file) is added under a new id, and counted.
export function merge(existing, incoming) {
  const key = (r) => `${r.instrument}|${r.completed_at}|${JSON.stringify(r.answers)}`;
  const kept = existing.filter(isPlainObject);
  const ids = new Set(kept.map((r) => r.id));
  const keys = new Set(kept.map(key));
  const added = [];
  let renamed = 0;
  for (const record of incoming) {
    if (keys.has(key(record))) continue;
    const fresh = ids.has(record.id) ? { ...record, id: freeId(record.id, ids) } : record;
    if (fresh !== record) renamed += 1;
    ids.add(fresh.id);
    keys.add(key(fresh));
    added.push(fresh);
  }
  return { records: [...existing, ...added], added: added.length, duplicates: incoming.length - added.length, renamed };
}
