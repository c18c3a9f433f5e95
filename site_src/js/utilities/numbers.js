// Numbers and times as a Kazakh (or Russian) reader writes them: a decimal comma («1,6 / 5»), at most
// two decimals, and local dates. Every number the site shows (reports, charts, comparisons, CSV) goes
// through here, so the page, the printout and the spreadsheet agree.

export function formatNumber(value, digits = 2) {
  if (typeof value !== "number" || !Number.isFinite(value)) return String(value ?? "");
  return String(Number(value.toFixed(digits))).replace(".", ",");
}

// Always `digits` decimals, for a figure that keeps its width as it grows: «4,0 / 13,5».
export function formatFixed(value, digits) {
  return Number.isFinite(value) ? value.toFixed(digits).replace(".", ",") : String(value ?? "");
}

// A change: «+0,5», «−1», «0».
export function formatDelta(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return String(value ?? "");
  const text = formatNumber(Math.abs(value));
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

// «02.12.2026 13:57» in this computer's time zone: what Excel in a kk or ru locale reads as a date-time.
export function localDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso ?? "");
  const two = (n) => String(n).padStart(2, "0");
  return `${two(date.getDate())}.${two(date.getMonth() + 1)}.${date.getFullYear()} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

// «02.12.2026»: the day of localDateTime.
export function localDate(iso) {
  return localDateTime(iso).slice(0, 10);
}
