// A reminder outside the browser: beside a saved result, an iCalendar (.ics) event for the next diagnosis
// (the recommendations repeat it; a year later unless the teacher picks another day), with the link to the
// instrument's page and a reminder the day before. No server, no account: the file goes to her calendar.

import { h } from "../utilities/dom.js";
import { pageUrl } from "../utilities/paths.js";
import { t } from "../utilities/strings.js";
import { download, fileName } from "../storage/transfer.js";

const two = (n) => String(n).padStart(2, "0");
const isoDay = (date) => `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}`;

// The same calendar day a year after `iso` (this computer's day), as a date input writes it: 2027-12-07.
export function yearAfter(iso) {
  const date = new Date(iso);
  return isoDay(new Date(Date.UTC(date.getFullYear() + 1, date.getMonth(), date.getDate())));
}

function dayAfter(day) {
  const [y, m, d] = day.split("-").map(Number);
  return isoDay(new Date(Date.UTC(y, m - 1, d + 1)));
}

// RFC 5545: text escapes \ ; , and line breaks; lines of at most 75 octets, continued by a line break and
// a space, never splitting a character (Kazakh letters take two octets).
const escaped = (text) => String(text).replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, "\\n");
const octets = (text) => new TextEncoder().encode(text).length;

function folded(line) {
  const parts = [""];
  for (const char of line) {
    const room = parts.length === 1 ? 75 : 74; // a continuation starts with its space
    if (octets(parts.at(-1) + char) > room) parts.push("");
    parts[parts.length - 1] += char;
  }
  return parts.join("\r\n ");
}

export function calendarEvent({ uid, day, summary, description, url }) {
  const stamp = `${new Date().toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;
  const lines = [
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kasibi//kk", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
    "BEGIN:VEVENT", `UID:${uid}`, `DTSTAMP:${stamp}`,
    `DTSTART;VALUE=DATE:${day.replaceAll("-", "")}`, `DTEND;VALUE=DATE:${dayAfter(day).replaceAll("-", "")}`,
    `SUMMARY:${escaped(summary)}`, `DESCRIPTION:${escaped(`${description}\n${url}`)}`, `URL:${url}`,
    "BEGIN:VALARM", "ACTION:DISPLAY", `DESCRIPTION:${escaped(summary)}`, "TRIGGER:-P1D", "END:VALARM",
    "END:VEVENT", "END:VCALENDAR",
  ];
  return `${lines.map(folded).join("\r\n")}\r\n`;
}

// «Күнтізбеге қосу» with the day it proposes (editable), for one saved result.
export function calendarControl(record) {
  const input = h("input", { type: "date", value: yearAfter(record.completed_at), "data-next-date": "" });
  const button = h("button", { type: "button", class: "md-button", "data-action": "calendar" }, t("calendar.add"));
  button.addEventListener("click", () => {
    const day = /^\d{4}-\d{2}-\d{2}$/.test(input.value) ? input.value : yearAfter(record.completed_at);
    const url = pageUrl(`assessment:${record.instrument}`) ?? pageUrl("assessments");
    const text = calendarEvent({
      uid: `${record.id}-next@kasibi`, day, url,
      summary: t("calendar.summary", { title: record.title }),
      description: t("calendar.description", { title: record.title }),
    });
    download(fileName(t("calendar.file_name", { title: record.title }), "ics"), text, "text/calendar;charset=utf-8");
  });
  return h("div", { class: "kasibi-actions kasibi-calendar" }, h("label", null, t("calendar.date"), " ", input), button);
}
