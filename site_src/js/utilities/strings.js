// The interface strings of the page's language (site_src/i18n/<lang>.yml, `ui`), from the generated build module.

import { edition } from "./paths.js";

const UI = edition.ui;

// t(key, {name: value}) fills {name} placeholders; an unknown key shows itself, never breaks the page.
export function t(key, values = {}) {
  return fill(UI, key, values);
}

// The same from another catalogue (build-<lang>.js), for a page that speaks a second language.
export function fill(strings, key, values = {}) {
  return (strings[key] ?? key).replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
