// Inline SVG charts for reports: they print, scale and need no library.

import { svg } from "./dom.js";

let chartCount = 0;

// Horizontal bars, one per scale, from the scale's min to its value; the band label sits at the bar's end.
export function barChart(scales, title) {
  const id = `chart-${++chartCount}`;
  const row = 44, labelWidth = 150, barWidth = 330, width = labelWidth + barWidth + 20;
  const height = scales.length * row + 10;
  const description = scales.map((s) => `${s.title}: ${s.band_label} (${s.value} / ${s.max})`).join("; ");
  return svg("svg", {
    class: "kasibi-chart", viewBox: `0 0 ${width} ${height}`, role: "img",
    "aria-labelledby": `${id}-title ${id}-desc`,
  },
  svg("title", { id: `${id}-title` }, title),
  svg("desc", { id: `${id}-desc` }, description),
  scales.map((scale, index) => {
    const y = 8 + index * row;
    const share = scale.max > scale.min ? (scale.value - scale.min) / (scale.max - scale.min) : 1;
    const length = Math.max(6, share * barWidth);
    return svg("g", { class: `kasibi-chart__row kasibi-chart__row--rank${scale.band_rank}` },
      svg("text", { x: 0, y: y + 22, class: "kasibi-chart__label" }, scale.title),
      svg("rect", { x: labelWidth, y: y + 4, width: barWidth, height: 26, rx: 4, class: "kasibi-chart__track" }),
      svg("rect", { x: labelWidth, y: y + 4, width: length, height: 26, rx: 4, class: "kasibi-chart__bar" }),
      svg("text", { x: labelWidth + 8, y: y + 22, class: "kasibi-chart__value" }, scale.band_label),
    );
  }));
}
