// Accessibility fixes to Material's markup that its templates give no option for.
// Material's search overlay is a role="dialog" without a name; name it after its input.
const search = document.querySelector(".md-search[role=dialog]");
const input = search?.querySelector("input[aria-label]");
if (search && input && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", input.getAttribute("aria-label"));
