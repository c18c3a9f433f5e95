// Turn the engine's result JSON into the report: where the teacher stands, how it was
// computed, and what to do next. Every text comes from the result or the string catalogue.

import { barChart } from "./chart.js";
import { h } from "./dom.js";
import { siteUrl } from "./paths.js";

function guideLink(t, href, label) {
  return href ? h("a", { href: siteUrl(href) }, label ?? t("result.read_guide")) : null;
}

function titleOf(result, scaleId) {
  return result.scales.find((s) => s.id === scaleId)?.title ?? scaleId;
}

function summary(t, result) {
  const rows = [];
  if (result.floor) rows.push(h("p", { class: "kasibi-floor" }, t("result.floor", { label: result.floor.label })));
  if (result.growth_zone) {
    const strongest = result.all_equal ? t("result.all_equal") : result.strongest.map((id) => titleOf(result, id)).join(", ");
    rows.push(h("dl", { class: "kasibi-summary" },
      h("dt", null, t("result.strongest")), h("dd", null, strongest),
      h("dt", null, t("result.growth_zone")), h("dd", { "data-growth-zone": result.growth_zone },
        titleOf(result, result.growth_zone)),
    ));
    if (result.growth_zone_ties.length > 1 && !result.all_equal) {
      const stages = result.growth_zone_ties.map((id) => titleOf(result, id)).join(", ");
      rows.push(h("p", { class: "kasibi-note" }, t("result.growth_zone_tie", { stages })));
    }
  }
  return rows;
}

function profile(t, result) {
  return [
    h("h3", null, t("result.profile")),
    barChart(result.scales, t("result.chart_title", { title: result.title })),
    h("table", { "data-profile": "" },
      h("tbody", null, result.scales.map((scale) => h("tr", { "data-scale": scale.id },
        h("th", { scope: "row" }, scale.title),
        h("td", { "data-band": scale.band }, scale.band_label),
        h("td", null, guideLink(t, scale.guide)),
      ))),
    ),
  ];
}

function nextStep(t, result) {
  const step = result.next_step;
  if (!step) return [];
  return [h("section", { class: "kasibi-next" },
    h("h3", null, `${t("result.next_step")}: ${step.title}`),
    h("p", null, h("strong", null, `${t("result.now")} (${step.current.label}): `), step.current.text),
    step.next
      ? h("p", { "data-next-label": step.next.label }, h("strong", null, `${t("result.next")} (${step.next.label}): `),
        step.next.text)
      : h("p", null, step.at_top),
    h("p", null, guideLink(t, step.guide)),
  )];
}

function focus(t, result) {
  const methods = result.focus?.methods ?? [];
  if (!methods.length) return [];
  return [h("h3", null, t("result.methods")), h("ul", null, methods.map((m) => h("li", null, m)))];
}

function evidence(t, result) {
  if (!result.evidence?.length) return [];
  const list = (items) => (items.length ? h("ul", null, items.map((x) => h("li", null, x))) : h("p", null, t("result.evidence_none")));
  return [
    h("h3", null, t("result.evidence")),
    ...result.evidence.map((e) => h("details", { class: "kasibi-evidence", open: e.scale === result.growth_zone ? "" : null },
      h("summary", null, e.title),
      h("div", { class: "kasibi-evidence__cols" },
        h("div", null, h("h4", null, t("result.evidence_missing")), list(e.missing)),
        h("div", null, h("h4", null, t("result.evidence_have")), list(e.have)),
      ),
    )),
  ];
}

function howComputed(t, result) {
  const sources = result.sources ?? [];
  const p = result.provenance;
  return [h("section", { class: "kasibi-how" },
    h("h3", null, t("result.how")),
    h("p", { "data-provenance": p.kind }, h("strong", null, t(`provenance.${p.kind}`))),
    h("p", null, p.method),
    p.citation ? h("p", null, p.citation) : null,
    sources.length ? h("p", null, `${t("result.sources")}: ${sources.join("; ")}`) : null,
    h("p", { class: "kasibi-note" }, t("result.engine", { version: result.engine })),
  )];
}

export function renderResult(body, t, result) {
  body.replaceChildren(
    ...summary(t, result),
    ...nextStep(t, result),
    ...focus(t, result),
    ...profile(t, result),
    ...evidence(t, result),
    ...howComputed(t, result),
  );
}

export function renderMessage(body, text) {
  body.replaceChildren(h("p", null, text));
}
