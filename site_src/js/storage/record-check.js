// What a saved record and its result must look like before anything reads them. A result comes from
// the engine, but one read from storage or from an imported file may have been edited by hand: every
// field the report, the headline, the charts, the comparison and the CSV read is checked here (type,
// length, and that the scale ids it refers to exist), so a bad record is refused or shown as damaged,
// never half drawn.

import { isPlainObject } from "./store.js";

const IDENT = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const RECORD_ID = /^[A-Za-z0-9-]{1,64}$/;
const ITEM = /^[a-z0-9-]{1,80}$/;
// A page of this site, relative to its root: "model/cycle/action.html#levels". No scheme, host, "..".
const SITE_PAGE = /^(?:[a-z0-9][a-z0-9_-]*\/)*[a-z0-9][a-z0-9_-]*\.html(?:#[A-Za-z0-9_-]+)?$/;
// An instant as Date.toISOString() writes it (milliseconds optional), in UTC.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/;

export const isSitePage = (href) => typeof href === "string" && SITE_PAGE.test(href);

// A real calendar instant in that exact form (2026-02-31 is refused, not read as 3 March).
export function isTimestamp(value) {
  if (typeof value !== "string" || !TIMESTAMP.test(value)) return false;
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 19) === value.slice(0, 19);
}

const has = (object, key) => Object.hasOwn(object, key);
const text = (max = 5000) => (v) => typeof v === "string" && v.length <= max;
export const isIdent = (v) => typeof v === "string" && v.length <= 80 && IDENT.test(v);
const id = isIdent;
const number = (v) => Number.isFinite(v);
const bool = (v) => typeof v === "boolean";
const oneOf = (...values) => (v) => values.includes(v);
const nullable = (check) => (v) => v === null || check(v);
const list = (check, max = 500) => (v) => Array.isArray(v) && v.length <= max && v.every((x) => check(x));
const texts = list(text());
const named = (check) => (v) => isPlainObject(v) && Object.keys(v).length <= 50 && Object.values(v).every(check);

// An object with these fields (each passing its check), and these when present; other fields are ignored.
function shape(required, optional = {}) {
  return (v) => isPlainObject(v) &&
    Object.entries(required).every(([key, check]) => has(v, key) && check(v[key])) &&
    Object.entries(optional).every(([key, check]) => !has(v, key) || check(v[key]));
}

const guide = text(300); // never drawn as it stands: the report links only the instrument's own pages
const labelled = shape({ label: text(300), text: text() });

const scale = shape(
  { id, title: text(300), value: number, min: number, max: number, band: text(80), band_label: text(300) },
  { band_text: text(), ticks: list(number, 50), guide },
);

const fields = shape(
  {
    instrument: id, instrument_version: Number.isInteger, engine: text(40), title: text(300),
    kind: oneOf("assessment", "survey"), chart: oneOf("bars", "radar", "ladder", "none"), complete: oneOf(true),
    provenance: shape({ kind: oneOf("source", "published", "authored"), method: text() }, { citation: text() }),
  },
  {
    plan: text(80), sources: texts, scales: list(scale, 100),
    floor: shape({ label: text(300) }),
    growth_zone: id, strongest: list(id), growth_zone_ties: list(id), all_equal: bool,
    next_step: shape({ scale: id, title: text(300), current: labelled, next: nullable(labelled), guide }, { at_top: text() }),
    focus: named(texts),
    gaps: list(shape({ scale: id, title: text(300), items: texts })),
    evidence: list(shape({ scale: id, title: text(300), have: texts, missing: texts })),
    ladder: shape({
      rank: Number.isInteger, label: text(300), threshold: number,
      steps: list(shape({ scale: id, title: text(300), value: number, reached: bool }), 50),
      next: nullable(shape({ scale: id, title: text(300), missing: texts, lists: named(texts), guide })),
    }),
    card: list(shape({ prompt: text(), answer: text(20_000) }, { section: text(300), item: id }), 1000),
  },
);

// What the fields must agree on: values within their scales, every scale id named is a scale of the result.
function consistent(result) {
  const scales = result.scales ?? [];
  const ids = new Set(scales.map((s) => s.id));
  const known = (scaleId) => ids.has(scaleId);
  const zone = result.growth_zone;
  return scales.every((s) => s.min <= s.value && s.value <= s.max) &&
    (zone === undefined || (known(zone) && Array.isArray(result.strongest) && result.strongest.every(known) &&
      Array.isArray(result.growth_zone_ties) && result.growth_zone_ties.every(known) && bool(result.all_equal))) &&
    (!result.next_step || (known(result.next_step.scale) && (result.next_step.next !== null || has(result.next_step, "at_top")))) &&
    (!result.ladder || (result.ladder.rank >= 0 && result.ladder.rank <= result.ladder.steps.length)) &&
    [...(result.gaps ?? []), ...(result.evidence ?? [])].every((g) => known(g.scale));
}

export function validResult(result) {
  return fields(result) && consistent(result) && JSON.stringify(result).length <= 200_000;
}

// Every link a result carries points at a page of this site (or is empty).
export function linksOnSite(result) {
  const guides = [...(result.scales ?? []).map((s) => s.guide), result.next_step?.guide, result.ladder?.next?.guide];
  return guides.every((href) => href === undefined || href === "" || isSitePage(href));
}

function validAnswer(value) {
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value === "string") return value.length <= 20_000;
  return Array.isArray(value) && value.length <= 100 &&
    value.every((v) => (typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && v.length <= 200));
}

// A draft's or a record's answers: item ids, each answer a number, a text or a list of choices.
export function validAnswers(answers) {
  return isPlainObject(answers) && Object.keys(answers).length <= 300 &&
    Object.entries(answers).every(([k, v]) => ITEM.test(k) && validAnswer(v));
}

const RECORD_FIELDS = ["id", "instrument", "instrument_version", "title", "completed_at", "answers", "result", "lang"];
const LANG = /^[a-z]{2}$/; // the language of the page the result was saved on (absent: the site's first)

// A record as "My results" keeps it: its own fields and a result of the same instrument and version.
export function validRecord(record) {
  return isPlainObject(record) && Object.keys(record).every((k) => RECORD_FIELDS.includes(k)) &&
    typeof record.id === "string" && RECORD_ID.test(record.id) && id(record.instrument) &&
    Number.isInteger(record.instrument_version) && record.instrument_version > 0 && record.instrument_version < 1000 &&
    text(300)(record.title) && isTimestamp(record.completed_at) &&
    (!has(record, "lang") || LANG.test(record.lang)) &&
    validAnswers(record.answers) && validResult(record.result) && record.result.instrument === record.instrument &&
    record.result.instrument_version === record.instrument_version;
}

// A filled template's values as the page reads and writes them: block → text, {field: text} or
// [{column: text}]; ids as the template's own, texts as long as a teacher may type (the Word writer
// says its own, lower, limit before it is asked).
const VALUE_TEXT = 100_000;
const valueText = text(VALUE_TEXT);
const cells = (v) => isPlainObject(v) && Object.keys(v).length <= 100 &&
  Object.entries(v).every(([k, x]) => ITEM.test(k) && valueText(x));
const blockValue = (v) => valueText(v) || cells(v) || list(cells, 1000)(v);

export function validValues(values) {
  return isPlainObject(values) && Object.keys(values).length <= 200 &&
    Object.entries(values).every(([k, v]) => ITEM.test(k) && blockValue(v));
}

// One named copy of a filled template: its name (any text a teacher types, without line breaks), values,
// when it was last changed, and the result it was started from.
export function validCopy(name, copy) {
  return typeof name === "string" && name.length > 0 && name.length <= 200 && !/[\r\n]/.test(name) &&
    isPlainObject(copy) && validValues(copy.values) &&
    (copy.updated === null || copy.updated === undefined || isTimestamp(copy.updated)) &&
    (copy.prefill === undefined || validValues(copy.prefill));
}
