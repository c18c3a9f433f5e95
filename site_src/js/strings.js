// The interface strings of the page's language, embedded by the build (site_src/i18n/<lang>.yml, `ui`).

export function loadStrings(root) {
  const node = root.querySelector("script.kasibi-strings");
  const table = node ? JSON.parse(node.textContent) : {};
  // t(key, {name: value}) fills {name} placeholders; an unknown key shows itself, never breaks the page.
  return (key, values = {}) =>
    (table[key] ?? key).replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
