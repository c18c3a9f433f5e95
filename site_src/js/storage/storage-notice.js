// Says at once, at the foot of the window, when something typed could not be kept (storage full or
// refused, or an unreadable record that had to stay in place), with one button that downloads it;
// and when records were saved by a newer version of the site (they are left untouched).

import { h } from "../utilities/dom.js";
import { onProblem, unsavedValues } from "./store.js";
import { t } from "../utilities/strings.js";
import { download } from "./transfer.js";

const UNSAVED = { full: "alert.full", denied: "alert.denied", damaged: "alert.damaged", newer: "alert.newer_unsaved" };

const problems = new Map();
const text = h("p");
const button = h("button", { type: "button", class: "md-button md-button--primary", "data-action": "download-unsaved" },
  t("alert.download"));
const bar = h("div", { class: "kasibi-storage-alert", role: "alert", "data-storage-alert": "", hidden: "" }, text, button);

button.addEventListener("click", () => {
  const file = { kind: "kasibi-unsaved", saved_at: new Date().toISOString(), values: unsavedValues() };
  download(`kasibi-saqtalmagan-${file.saved_at.slice(0, 10)}.json`, JSON.stringify(file, null, 1), "application/json");
});

function render() {
  const unsaved = [...problems.values()].find((p) => p.value !== undefined);
  const newer = [...problems.values()].some((p) => p.reason === "newer");
  bar.hidden = !unsaved && !newer;
  bar.dataset.reason = unsaved?.reason ?? (newer ? "newer" : "");
  text.textContent = unsaved ? t(UNSAVED[unsaved.reason]) : t("storage.newer");
  button.hidden = !unsaved;
}

document.body.append(bar);
onProblem((key, problem) => {
  if (problem) problems.set(key, problem);
  else problems.delete(key);
  render();
});
