// «Мектепке беру»: a teacher's result as a small file for the school (generator/browser/aggregate.py
// share_json). A dialog first says in plain Kazakh what the file holds and lets her add, or not,
// a few facts; the file is made by the Python in the worker and saved only when she says so.
// Free-text answers never go into it; her name only when she ticks named mode and types it.

import { BUILD } from "../build.js";
import { h } from "../utilities/dom.js";
import { dataUrl } from "../utilities/paths.js";
import { EngineClient } from "../engine/engine-client.js";
import { t } from "../utilities/strings.js";
import { download } from "../storage/transfer.js";

// Each optional fact's values and their Kazakh labels, as the school's files define them
// (generator/browser/aggregate.py FACTS, written into build.js by the build).
const FACTS = BUILD.facts;

const instrumentUrl = (id) => dataUrl(`instruments/${id}.json`).href;
let ownClient = null;
const ownEngine = () => (ownClient ??= new EngineClient({ onReady: () => {}, onFailed: () => {} }));

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function select(name, label) {
  return h("label", { class: "kasibi-share__fact" }, label,
    h("select", { name },
      h("option", { value: "" }, t("share.not_given")),
      FACTS[name].map((value) => h("option", { value }, t(`fact.${name}.${value}`)))));
}

// What the file will hold (generator/browser/school_share.py, share_contents), said in the page's language.
function contentLines(held) {
  const facts = Object.entries(held.facts).map(([fact, value]) => `${t(`share.${fact}`)} — ${t(`fact.${fact}.${value}`)}`);
  return [
    t("share.contents.instrument", { title: held.title, version: held.version }),
    t("share.contents.answers", { n: held.answers }),
    held.texts ? t("share.contents.texts", { n: held.texts }) : null,
    t(held.growth_zone ? "share.contents.scales_zone" : "share.contents.scales"),
    t("share.contents.month"),
    facts.length ? t("share.contents.facts", { list: facts.join("; ") }) : t("share.contents.no_facts"),
    held.name ? t("share.contents.name", { name: held.name }) : t("share.contents.no_name"),
  ].filter(Boolean);
}

// The facts the teacher chose: only those given; the name only in named mode.
function chosenFacts(form) {
  const facts = {};
  for (const name of Object.keys(FACTS)) {
    const value = form.querySelector(`[name=${name}]`).value;
    if (value) facts[name] = value;
  }
  const name = form.querySelector("[name=name]").value.trim();
  if (form.querySelector("[name=named]").checked && name) facts.name = name;
  return facts;
}

async function openDialog(record, src, engineClient) {
  const contents = h("ul", { "data-share-contents": "" });
  const status = h("p", { class: "kasibi-note", role: "status", "data-share-status": "" });
  const nameInput = h("input", { type: "text", name: "name", maxlength: "80", autocomplete: "name", disabled: "" });
  const named = h("input", { type: "checkbox", name: "named" });
  const save = h("button", { type: "submit", class: "md-button md-button--primary", "data-share-save": "" },
    t("share.save"));
  const cancel = h("button", { type: "button", class: "md-button", value: "cancel" }, t("share.cancel"));
  const form = h("form", { method: "dialog", class: "kasibi-share__form" },
    h("h2", null, t("share.title")),
    h("p", null, t("share.intro")),
    h("h3", null, t("share.contents")),
    contents,
    h("fieldset", null, h("legend", null, t("share.facts")),
      h("p", { class: "kasibi-note" }, t("share.facts_note")),
      select("category", t("share.category")),
      select("subject", t("share.subject")),
      select("experience", t("share.experience")),
      h("label", { class: "kasibi-share__named" }, named, t("share.named")),
      h("label", { class: "kasibi-share__fact" }, t("share.name"), nameInput),
      h("p", { class: "kasibi-note" }, t("share.named_note"))),
    status,
    h("div", { class: "kasibi-actions" }, save, cancel));
  const dialog = h("dialog", { class: "kasibi-share md-typeset", "data-share-dialog": "" }, form);
  document.body.append(dialog);
  const refresh = async () => {
    try {
      const lines = contentLines(await engineClient.shareContents(src, chosenFacts(form)));
      contents.replaceChildren(...lines.map((line) => h("li", null, line)));
    } catch (error) {
      status.textContent = t("share.failed", { reason: error.message });
    }
  };
  named.addEventListener("change", () => {
    nameInput.disabled = !named.checked;
    if (named.checked) nameInput.focus();
    refresh();
  });
  form.addEventListener("change", refresh);
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    save.disabled = true;
    status.textContent = t("share.making");
    try {
      const month = new Date().toISOString().slice(0, 7);
      const text = await engineClient.share(src, record.answers, record.result, chosenFacts(form), randomId(), month);
      download(`kasibi-mektepke-${record.result.instrument}-${month}.json`, text, "application/json");
      status.textContent = t("share.saved");
      setTimeout(() => dialog.close(), 1500);
    } catch (error) {
      status.textContent = t("share.failed", { reason: error.message });
      save.disabled = false;
    }
  });
  dialog.showModal();
  await refresh();
}

// The button for one scored result, record = {answers, result}; engine() gives the page's engine
// client when it has one (it is asked for only on a click, so a list of results starts no worker).
export function shareButton(record, engine = ownEngine) {
  const button = h("button", { type: "button", class: "md-button", "data-action": "share" }, t("share.button"));
  button.addEventListener("click", () => openDialog(record, instrumentUrl(record.result.instrument), engine()));
  return button;
}
