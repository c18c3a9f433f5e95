// Entry on every page: what this site keeps on this device. The footer (and My results) opens a
// dialog that counts it by kind, deletes all of it, and turns the shared-computer choice on or off
// (on: records live in this tab's sessionStorage and go when it is closed, as every page then says;
// off: the browser is asked to keep them). Also starts the storage alert and the two-tab handling.

import "../storage/storage-notice.js";
import "../assessments/tabs.js";
import { backupControls } from "../storage/backup.js";
import { h } from "../utilities/dom.js";
import * as store from "../storage/store.js";
import { t } from "../utilities/strings.js";

const KINDS = ["results", "drafts", "documents", "prefills", "corrupt", "other"];

function counted() {
  const counts = store.inventory();
  return KINDS.filter((kind) => counts[kind]).map((kind) => t(`device.count.${kind}`, { n: counts[kind], copies: counts.copies }));
}

function reloadEmptied() {
  // Nothing deleted comes back from the page itself (the prototype's reset: an item may be named "reset").
  for (const form of document.forms) HTMLFormElement.prototype.reset.call(form);
  location.reload();
}

function deleteEverything() {
  const lines = counted();
  if (!lines.length || !window.confirm(t("device.delete_confirm", { list: lines.map((line) => `• ${line}`).join("\n") }))) return;
  store.deleteEverything();
  reloadEmptied();
}

function toggleShared(box, status) {
  if (!window.confirm(t(box.checked ? "device.shared_on_confirm" : "device.shared_off_confirm"))) {
    box.checked = store.shared;
    return;
  }
  if (!store.setShared(box.checked)) {
    box.checked = store.shared;
    status.textContent = t("device.move_failed");
    return;
  }
  if (!box.checked) store.askToKeep();
  location.reload();
}

// Whether the browser keeps this site's data when space runs short (navigator.storage needs https).
async function keeping(line) {
  const kept = await navigator.storage?.persisted?.().catch(() => false);
  const ask = h("button", { type: "button", class: "md-button" }, t("device.keep"));
  ask.addEventListener("click", async () => {
    await store.askToKeep();
    keeping(line);
  });
  line.replaceChildren(t(kept ? "device.kept" : "device.not_kept"), " ", kept || !navigator.storage?.persist ? "" : ask);
}

function dialog() {
  const lines = counted();
  const status = h("p", { role: "status", "data-device-status": "" });
  const box = h("input", { type: "checkbox", "data-device-shared": "", checked: store.shared ? "" : null });
  box.addEventListener("change", () => toggleShared(box, status));
  const remove = h("button", { type: "button", class: "md-button", "data-action": "delete-everything", disabled: lines.length ? null : "" },
    t("device.delete"));
  remove.addEventListener("click", deleteEverything);
  const close = h("button", { type: "button", class: "md-button md-button--primary" }, t("device.close"));
  const keep = h("p", { "data-device-keep": "" });
  const panel = h("dialog", { class: "kasibi-device-dialog", "aria-labelledby": "kasibi-device-title", "data-device-dialog": "" },
    h("h2", { id: "kasibi-device-title" }, t("device.open")),
    lines.length ? [h("p", null, t("device.intro")), h("ul", { "data-device-counts": "" }, lines.map((line) => h("li", null, line)))]
      : h("p", { "data-device-counts": "" }, t("device.empty")),
    backupControls(),
    h("p", null, remove),
    h("p", null, h("label", null, box, " ", t("device.shared"))),
    store.shared ? h("p", { class: "kasibi-device-shared" }, t("device.shared_note")) : keep,
    status,
    h("p", null, close));
  close.addEventListener("click", () => panel.close());
  panel.addEventListener("close", () => panel.remove());
  if (!store.shared) keeping(keep);
  document.body.append(panel);
  panel.showModal();
}

function opener(extraClass = "") {
  const button = h("button", { type: "button", class: `md-button ${extraClass}`.trim(), "data-action": "device-data" }, t("device.open"));
  button.addEventListener("click", dialog);
  return button;
}

for (const slot of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-device]"))) {
  slot.replaceChildren(opener("kasibi-device__open"), store.shared ? h("span", { class: "kasibi-device__shared" }, t("device.shared_note")) : "");
  slot.hidden = false;
}
document.querySelector("[data-results-root] [data-action=delete-all]")?.after(opener());

// Where the teacher types, a shared computer says so above the form too.
if (store.shared) {
  for (const root of document.querySelectorAll("[data-instrument-root], [data-template-root], [data-results-root]")) {
    root.prepend(h("p", { class: "kasibi-notice kasibi-device-shared", "data-shared-note": "" }, t("device.shared_note")));
  }
}

// Another tab turned the choice on or off: this page's records have moved, so it opens afresh.
store.watchDevice(() => location.reload());
