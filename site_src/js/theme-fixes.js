// Fixes to Material's markup and behaviour that its templates give no option for.
// Material's search overlay is a role="dialog" without a name; name it after its input.
const search = document.querySelector(".md-search[role=dialog]");
const input = search?.querySelector("input[aria-label]");
if (search && input && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", input.getAttribute("aria-label"));

// Material searches on key presses (keyup) only, so a term pasted with the mouse found nothing until
// another key was pressed; every change of the text (typing, pasting, dropping) now runs the search.
const query = document.querySelector(".md-search__input");
query?.addEventListener("input", () => query.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true })));
