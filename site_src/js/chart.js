// Inline SVG charts for reports: they print, scale and need no library.

import { svg } from "./dom.js";

let chartCount = 0;

// One row per scale: its title and band above a bar from the scale's min to its value, with a tick at every
// band boundary, so the bar reads as steps (Педагог … Педагог-шебер) rather than as a score.
export function barChart(scales, title) {
  const id = `chart-${++chartCount}`;
  const row = 54, width = 480, barY = 24, barHeight = 16;
  const height = scales.length * row + 4;
  const description = scales.map((s) => `${s.title}: ${s.band_label} (${s.value} / ${s.max})`).join("; ");
  return svg("svg", {
    class: "kasibi-chart", viewBox: `0 0 ${width} ${height}`, role: "img",
    "aria-labelledby": `${id}-title ${id}-desc`,
  },
  svg("title", { id: `${id}-title` }, title),
  svg("desc", { id: `${id}-desc` }, description),
  scales.map((scale, index) => {
    const y = index * row;
    const span = scale.max - scale.min;
    const share = span > 0 ? (scale.value - scale.min) / span : 1;
    return svg("g", { class: "kasibi-chart__row" },
      svg("text", { x: 0, y: y + 16, class: "kasibi-chart__label" }, scale.title),
      svg("text", { x: width, y: y + 16, class: "kasibi-chart__value", "text-anchor": "end" }, scale.band_label),
      svg("rect", { x: 0, y: y + barY, width, height: barHeight, rx: 3, class: "kasibi-chart__track" }),
      svg("rect", { x: 0, y: y + barY, width: Math.max(8, share * width), height: barHeight, rx: 3, class: "kasibi-chart__bar" }),
      (scale.ticks ?? []).map((tick) => {
        const x = span > 0 ? ((tick - scale.min) / span) * width : 0;
        return svg("line", { x1: x, x2: x, y1: y + barY, y2: y + barY + barHeight, class: "kasibi-chart__tick" });
      }),
    );
  }));
}
