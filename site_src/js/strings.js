// The interface strings of this build (site_src/i18n/<lang>.yml, `ui`), from the generated build module.

import { UI } from "./build.js";

// t(key, {name: value}) fills {name} placeholders; an unknown key shows itself, never breaks the page.
export function t(key, values = {}) {
  return (UI[key] ?? key).replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
