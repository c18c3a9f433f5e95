// Build DOM from data with text nodes only: nothing from answers, storage or results is parsed as HTML.

const SVG = "http://www.w3.org/2000/svg";

function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG, tag), attrs, children);
}

// A box that scrolls sideways (a table wider than a phone) is a named group and, while it scrolls, a tab stop: the
// keyboard reaches it and scrolls it with the arrow keys. A box that fits the page is no tab stop.
let sizes;
export function keyboardScroll(box, name) {
  sizes ??= new ResizeObserver((entries) => {
    for (const { target } of entries) /** @type {HTMLElement} */ (target).tabIndex = target.scrollWidth > target.clientWidth ? 0 : -1;
  });
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", name);
  box.tabIndex = 0; // until it is measured
  sizes.observe(box);
  return box;
}

// A table drawn by a script, in the box Material puts a page's tables in (it scrolls sideways when the table is wide).
export function scrollBox(name, table) {
  return keyboardScroll(h("div", { class: "md-typeset__scrollwrap" }, h("div", { class: "md-typeset__table" }, table)), name);
}
