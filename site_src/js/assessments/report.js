// Turn the engine's result JSON into the report: where the teacher stands, how it was
// computed, and what to do next. Every text comes from the result or the string catalogue;
// everything is built as DOM text, so no text from a result is ever parsed as markup.

import { barChart, ladderChart, radarChart } from "./chart.js";
import { h, scrollBox } from "../utilities/dom.js";
import { formatDelta, formatNumber } from "../utilities/numbers.js";
import { siteUrl } from "../utilities/paths.js";
import { isSitePage } from "../storage/record-check.js";

// Links go only to pages of this site, whatever a result (perhaps from storage or a file) says.
function guideLink(t, href, label) {
  return isSitePage(href) ? h("a", { href: siteUrl(href) }, label ?? t("result.read_guide")) : null;
}

function titleOf(result, scaleId) {
  return result.scales?.find((s) => s.id === scaleId)?.title ?? scaleId;
}

function list(items) {
  return h("ul", null, items.map((item) => h("li", null, item)));
}

// The one sentence that matters, first: where she stands, her growth zone, the next step.
function headline(t, strongest, zone, step) {
  const next = step?.next ? ` ${t("result.headline_step", { stage: step.title, label: step.next.label })}` : "";
  return h("p", { class: "kasibi-headline", "data-headline": "" },
    t("result.headline_zone", { strongest, zone: zone.title, band: zone.band_label }) + next);
}

function summary(t, result) {
  const rows = [];
  if (result.growth_zone) {
    const strongest = result.all_equal ? t("result.all_equal") : result.strongest.map((id) => titleOf(result, id)).join(", ");
    const zone = result.scales.find((s) => s.id === result.growth_zone);
    rows.push(headline(t, strongest, zone, result.next_step));
    if (result.floor) rows.push(h("p", { class: "kasibi-note" }, t("result.floor", { label: result.floor.label })));
    rows.push(h("dl", { class: "kasibi-summary" },
      h("dt", null, t("result.strongest")), h("dd", null, strongest),
      h("dt", null, t("result.growth_zone")), h("dd", { "data-growth-zone": result.growth_zone },
        `${zone.title} — ${zone.band_label}`),
    ));
    if (zone.band_text) rows.push(h("p", null, zone.band_text));
    if (result.growth_zone_ties.length > 1 && !result.all_equal) {
      const stages = result.growth_zone_ties.map((id) => titleOf(result, id)).join(", ");
      rows.push(h("p", { class: "kasibi-note" }, t("result.growth_zone_tie", { stages })));
    }
  } else if (result.floor) {
    rows.push(h("p", { class: "kasibi-floor" }, t("result.floor", { label: result.floor.label })));
  } else if (result.scales?.length === 1) {
    const [only] = result.scales;
    rows.push(h("p", { class: "kasibi-floor", "data-band": only.band }, `${only.title}: ${formatNumber(only.value)} / ${formatNumber(only.max)} — ${only.band_label}`));
    if (only.band_text) rows.push(h("p", null, only.band_text));
  }
  return rows;
}

function ladder(t, result) {
  const placement = result.ladder;
  if (!placement) return [];
  const next = placement.next;
  return [
    h("p", { class: "kasibi-floor", "data-placement": placement.rank }, t("result.ladder_place", { label: placement.label })),
    h("p", { class: "kasibi-note" }, t("result.ladder_rule", { threshold: formatNumber(placement.threshold) })),
    next ? h("section", { class: "kasibi-next" },
      h("h3", null, t("result.ladder_next", { label: next.title })),
      next.missing.length ? [h("h4", null, t("result.ladder_missing")), list(next.missing)] : null,
      Object.values(next.lists).flat().length ? [h("h4", null, t("result.recommended")), list(Object.values(next.lists).flat())] : null,
      h("p", null, guideLink(t, next.guide)),
    ) : h("p", null, t("result.ladder_top")),
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
  const items = Object.values(result.focus ?? {}).flat();
  if (!items.length) return [];
  return [h("h3", null, t("result.methods", { title: titleOf(result, result.growth_zone) })), list(items)];
}

function gaps(t, result) {
  const open = (result.gaps ?? []).filter((g) => g.items.length);
  if (!open.length) return result.gaps ? [h("p", null, t("result.gaps_none"))] : [];
  return [h("h3", null, t("result.gaps")), ...open.map((g) => h("details", { class: "kasibi-evidence", open: g.scale === result.growth_zone ? "" : null },
    h("summary", null, `${g.title} (${g.items.length})`), list(g.items)))];
}

function profile(t, result) {
  if (!result.scales?.length || result.chart === "none") return [];
  const title = t("result.chart_title", { title: result.title });
  const chart = result.chart === "radar" ? radarChart(result.scales, title)
    : result.chart === "ladder" && result.ladder ? ladderChart(result.ladder, title)
      : barChart(result.scales, title);
  return [
    h("h3", null, t("result.profile")),
    chart,
    scrollBox(t("result.profile"), h("table", { "data-profile": "", "aria-label": t("result.profile") },
      h("thead", null, h("tr", null, h("th", { scope: "col" }, t("compare.scale")), h("th", { scope: "col" }, t("result.col_band")),
        h("th", { scope: "col" }, t("result.col_value")), h("th", { scope: "col" }, t("result.col_guide")))),
      h("tbody", null, result.scales.map((scale) => h("tr", { "data-scale": scale.id },
        h("th", { scope: "row" }, scale.title),
        h("td", { "data-band": scale.band }, scale.band_label,
          scale.band_text ? h("span", { class: "kasibi-band-text" }, scale.band_text) : null),
        h("td", { class: "kasibi-profile__value" }, `${formatNumber(scale.value)} / ${formatNumber(scale.max)}`),
        h("td", null, guideLink(t, scale.guide)),
      ))),
    )),
  ];
}

function evidence(t, result) {
  if (!result.evidence?.length) return [];
  const column = (items) => (items.length ? list(items) : h("p", null, t("result.evidence_none")));
  return [
    h("h3", null, t("result.evidence")),
    ...result.evidence.map((e) => h("details", { class: "kasibi-evidence", open: e.scale === result.growth_zone ? "" : null },
      h("summary", null, e.title),
      h("div", { class: "kasibi-evidence__cols" },
        h("div", null, h("h4", null, t("result.evidence_missing")), column(e.missing)),
        h("div", null, h("h4", null, t("result.evidence_have")), column(e.have)),
      ),
    )),
  ];
}

function card(t, result) {
  if (!result.card) return [];
  let section = null;
  const rows = [];
  for (const entry of result.card) {
    if (entry.section !== section) {
      section = entry.section;
      rows.push(h("h4", null, section));
    }
    rows.push(h("dl", { class: "kasibi-card" }, h("dt", null, entry.prompt), h("dd", null, entry.answer)));
  }
  return [h("h3", null, t(result.kind === "survey" ? "result.card_survey" : "result.card")), ...rows];
}

function howComputed(t, result) {
  const p = result.provenance;
  const sources = result.sources ?? [];
  return [h("section", { class: "kasibi-how" },
    h("h3", null, t("result.how")),
    h("p", { "data-provenance": p.kind }, h("strong", null, t(`provenance.${p.kind}`))),
    h("p", null, p.method),
    p.citation ? h("p", null, p.citation) : null,
    sources.length ? h("p", null, `${t("result.sources")}: ${sources.join("; ")}`) : null,
    h("p", { class: "kasibi-note" }, t("result.engine", { version: result.engine })),
  )];
}

// What a printed copy needs above everything: whose result, which instrument and version, when.
function meta(t, result, date) {
  return h("div", { class: "kasibi-report__meta" },
    h("label", { class: "kasibi-report__name" }, t("report.name"),
      h("span", { class: "kasibi-report__hint" }, t("report.name_hint")), h("input", { type: "text", "data-report-name": "", maxlength: "120", autocomplete: "name" })),
    h("p", null, t("report.meta", { title: result.title, version: result.instrument_version, date })),
  );
}

// `actions` (buttons for this result) go right after the headline; `date` is when it was completed.
export function renderResult(body, t, result, { actions = null, date = "" } = {}) {
  const lead = [...summary(t, result), ...ladder(t, result)];
  body.replaceChildren(
    ...lead.slice(0, 1),
    ...(actions ? [actions] : []),
    meta(t, result, date),
    ...lead.slice(1),
    ...nextStep(t, result),
    ...focus(t, result),
    ...gaps(t, result),
    ...profile(t, result),
    ...evidence(t, result),
    ...card(t, result),
    ...howComputed(t, result),
  );
}

// What rose and what fell since an earlier saved result (engine.compare's JSON).
export function renderComparison(t, comparison, earlierDate) {
  const arrow = { up: "↑", down: "↓", same: "=" };
  return h("section", { class: "kasibi-compare", "data-compare": "" },
    h("h3", null, t("compare.title", { date: earlierDate })),
    comparison.same_version ? null : h("p", { class: "kasibi-note" }, t("compare.other_version")),
    scrollBox(t("compare.title", { date: earlierDate }), h("table", { "aria-label": t("compare.title", { date: earlierDate }) },
      h("thead", null, h("tr", null, h("th", null, t("compare.scale")), h("th", null, t("compare.before")),
        h("th", null, t("compare.after")), h("th", null, t("compare.change")))),
      h("tbody", null, comparison.changes.map((c) => h("tr", { "data-direction": c.direction },
        h("th", { scope: "row" }, c.title),
        h("td", null, `${c.before_band} (${formatNumber(c.before)})`),
        h("td", null, `${c.after_band} (${formatNumber(c.after)})`),
        h("td", null, `${arrow[c.direction]} ${formatDelta(c.delta)}`),
      ))),
    )),
    h("p", null, comparison.rose.length || comparison.fell.length
      ? t("compare.summary", { rose: comparison.rose.length, fell: comparison.fell.length })
      : t("compare.unchanged")),
  );
}

export function renderMessage(body, text) {
  body.replaceChildren(h("p", null, text));
}
