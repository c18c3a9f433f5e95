// One self-assessment open in two tabs: each tab saves only the answers it changed (store.saveDraft),
// so neither overwrites the other's; when the other tab changes the draft, this tab shows the
// answers as they now stand, rescored through the form's own input handling, and says so.

import { clearAnswers, writeAnswers } from "./answers.js";
import { h } from "../utilities/dom.js";
import { watchDraft } from "../storage/store.js";
import { t } from "../utilities/strings.js";

for (const form of document.querySelectorAll("form[data-instrument]")) {
  const notice = h("p", { class: "kasibi-notice", role: "status", "data-tab-notice": "", hidden: "" });
  // Not form.before / form.reset / form.dataset: an item id may shadow them (see answers.js).
  form.insertAdjacentElement("beforebegin", notice);
  watchDraft(form.getAttribute("data-instrument"), (answers) => {
    clearAnswers(form);
    writeAnswers(form, answers);
    form.dispatchEvent(new Event("input", { bubbles: true }));
    notice.textContent = t("storage.changed_elsewhere");
    notice.hidden = false;
  });
}
