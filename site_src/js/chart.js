// Inline SVG charts for reports: they print, scale and need no library. Each has a title and a
// text description, and the report beside it repeats every value in a table.

import { svg } from "./dom.js";

let chartCount = 0;

function frame(width, height, title, description, ...children) {
  const id = `chart-${++chartCount}`;
  return svg("svg", {
    class: "kasibi-chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${id}-title ${id}-desc`,
  }, svg("title", { id: `${id}-title` }, title), svg("desc", { id: `${id}-desc` }, description), ...children);
}

function describe(scales) {
  return scales.map((s) => `${s.title}: ${s.band_label} (${s.value} / ${s.max})`).join("; ");
}

function share(scale, value = scale.value) {
  const span = scale.max - scale.min;
  return span > 0 ? (value - scale.min) / span : 1;
}

// One row per scale: its title and band above a bar from the scale's min to its value, with a tick at every
// band boundary, so the bar reads as steps (Педагог … Педагог-шебер) rather than as a score.
export function barChart(scales, title) {
  const row = 54, width = 480, barY = 24, barHeight = 16;
  return frame(width, scales.length * row + 4, title, describe(scales), ...scales.map((scale, index) => {
    const y = index * row;
    return svg("g", { class: "kasibi-chart__row" },
      svg("text", { x: 0, y: y + 16, class: "kasibi-chart__label" }, scale.title),
      svg("text", { x: width, y: y + 16, class: "kasibi-chart__value", "text-anchor": "end" }, scale.band_label),
      svg("rect", { x: 0, y: y + barY, width, height: barHeight, rx: 3, class: "kasibi-chart__track" }),
      svg("rect", { x: 0, y: y + barY, width: Math.max(8, share(scale) * width), height: barHeight, rx: 3,
        class: "kasibi-chart__bar" }),
      (scale.ticks ?? []).map((tick) => {
        const x = share(scale, tick) * width;
        return svg("line", { x1: x, x2: x, y1: y + barY, y2: y + barY + barHeight, class: "kasibi-chart__tick" });
      }),
    );
  }));
}

// A wheel (radar): one spoke per scale, the value along it; rings at quarters of the range.
export function radarChart(scales, title) {
  const size = 520, centre = size / 2, radius = 170;
  const angle = (i) => -Math.PI / 2 + (2 * Math.PI * i) / scales.length;
  const point = (i, r) => [centre + r * Math.cos(angle(i)), centre + r * Math.sin(angle(i))];
  const rings = [0.25, 0.5, 0.75, 1].map((q) => svg("polygon", {
    points: scales.map((_, i) => point(i, q * radius).join(",")).join(" "), class: "kasibi-chart__ring",
  }));
  const spokes = scales.map((_, i) => {
    const [x, y] = point(i, radius);
    return svg("line", { x1: centre, y1: centre, x2: x, y2: y, class: "kasibi-chart__ring" });
  });
  const shape = svg("polygon", {
    points: scales.map((s, i) => point(i, Math.max(0.02, share(s)) * radius).join(",")).join(" "),
    class: "kasibi-chart__area",
  });
  const labels = scales.map((s, i) => {
    const [x, y] = point(i, radius + 24);
    const anchor = Math.abs(x - centre) < 10 ? "middle" : x > centre ? "start" : "end";
    return svg("text", { x, y: y + 5, "text-anchor": anchor, class: "kasibi-chart__small" }, `${s.title} (${s.value})`);
  });
  return frame(size, size, title, describe(scales), ...rings, ...spokes, shape, ...labels);
}

// A ladder: one step per level, bottom to top; reached steps filled, the placement marked.
export function ladderChart(ladder, title) {
  const step = 46, width = 480, steps = ladder.steps.length, height = steps * step + 10;
  const description = ladder.steps.map((s) => `${s.title}: ${Math.round(s.value)}%`).join("; ");
  return frame(width, height, title, description, ...ladder.steps.map((s, i) => {
    const y = height - (i + 1) * step;
    const x = (i * (width - 220)) / Math.max(1, steps - 1);
    const here = i === ladder.rank - 1;
    return svg("g", { class: `kasibi-chart__step${s.reached ? " is-reached" : ""}${here ? " is-here" : ""}` },
      svg("rect", { x, y, width: 220, height: step - 8, rx: 4, class: "kasibi-chart__stepbox" }),
      svg("text", { x: x + 10, y: y + 24, class: "kasibi-chart__label" }, `${here ? "▶ " : ""}${s.title}`),
      svg("text", { x: x + 230, y: y + 24, class: "kasibi-chart__small" }, `${Math.round(s.value)}%`),
    );
  }));
}

// Change over time: one line per scale across saved results (oldest left).
export function trendChart(series, title) {
  const width = 520, height = 260, left = 40, right = 16, top = 16, bottom = 36;
  const points = series[0]?.points ?? [];
  const x = (i) => left + (points.length > 1 ? (i * (width - left - right)) / (points.length - 1) : 0);
  const { min, max } = series[0] ?? { min: 0, max: 1 };
  const y = (v) => top + (1 - (max > min ? (v - min) / (max - min) : 0)) * (height - top - bottom);
  const description = series.map((s) => `${s.title}: ${s.points.map((p) => `${p.label} ${p.value}`).join(", ")}`).join("; ");
  return frame(width, height, title, description,
    svg("line", { x1: left, x2: width - right, y1: y(min), y2: y(min), class: "kasibi-chart__ring" }),
    svg("text", { x: left - 6, y: y(max) + 4, "text-anchor": "end", class: "kasibi-chart__small" }, String(max)),
    svg("text", { x: left - 6, y: y(min) + 4, "text-anchor": "end", class: "kasibi-chart__small" }, String(min)),
    ...points.map((p, i) => svg("text", { x: x(i), y: height - 12, "text-anchor": "middle", class: "kasibi-chart__small" },
      p.label)),
    ...series.map((s, n) => svg("g", { class: `kasibi-chart__series kasibi-chart__series--${n % 6}` },
      svg("polyline", { points: s.points.map((p, i) => `${x(i)},${y(p.value)}`).join(" "), class: "kasibi-chart__line" }),
      ...s.points.map((p, i) => svg("circle", { cx: x(i), cy: y(p.value), r: 4, class: "kasibi-chart__dot" })),
    )),
  );
}
