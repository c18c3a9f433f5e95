// Fixes to Material's markup and behaviour that its templates give no option for.
import { keyboardScroll } from "../utilities/dom.js";

// Material's search overlay is a role="dialog" without a name; name it after its input.
const search = document.querySelector(".md-search[role=dialog]");
const input = search?.querySelector("input[aria-label]");
if (search && input && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", input.getAttribute("aria-label"));

// Material searches on key presses (keyup) only, so a term pasted with the mouse found nothing until
// another key was pressed; every change of the text (typing, pasting, dropping) now runs the search.
const query = document.querySelector(".md-search__input");
query?.addEventListener("input", () => query.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true })));

// A section with its own index page names its navigation after the arrow that opens it, which has no text, so every
// such navigation had the same empty name (screen readers list them all as one); each is named by its title instead.
for (const nav of document.querySelectorAll("nav.md-nav[aria-labelledby]")) {
  const arrow = document.getElementById(nav.getAttribute("aria-labelledby"));
  const title = nav.querySelector(":scope > .md-nav__title")?.textContent.trim();
  if (arrow && !arrow.textContent.trim() && title) {
    nav.removeAttribute("aria-labelledby");
    nav.setAttribute("aria-label", title);
  }
}

// Material puts each table of a page in a box that scrolls sideways when the table is wider than the page (a phone),
// once the page has loaded (its document$): the box takes the table's name (generator/blocks/tables.py) and is a tab
// stop while it scrolls, so the keyboard can scroll it.
window.document$?.subscribe(() => {
  for (const box of document.querySelectorAll(".md-typeset__scrollwrap:not([role])")) {
    const name = box.querySelector("table[aria-label]")?.getAttribute("aria-label");
    if (name) keyboardScroll(box, name);
  }
});
