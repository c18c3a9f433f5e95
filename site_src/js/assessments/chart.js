// Inline SVG charts for reports: they print, scale and need no library. Each has a title and a
// text description, and the report beside it repeats every value in a table.
// Every label is measured (a canvas with the page's font), wrapped to its room and the drawing's box
// (viewBox) is made to hold all of it, so no label is cut on a phone, on a desktop or on paper.

import { svg } from "../utilities/dom.js";
import { formatNumber } from "../utilities/numbers.js";

let chartCount = 0;
const LABEL = 15; // font sizes in the drawing's units; the drawing scales as a whole
const SMALL = 13;
const PAD = 6;
const ZOOM = 1.25; // CSS pixels per drawing unit at most: 13 units read as the page's 16 px text

let context;
function textWidth(text, size, bold = false) {
  context ??= document.createElement("canvas").getContext("2d");
  context.font = `${bold ? 700 : 400} ${size}px ${getComputedStyle(document.body).fontFamily || "sans-serif"}`;
  return context.measureText(text).width * 1.04; // a margin for hinting and kerning differences
}

// Words into lines of at most `room` wide (a word longer than that gets a line of its own).
function wrap(text, room, size, bold = false) {
  const lines = [];
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && textWidth(`${last} ${word}`, size, bold) <= room) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.length ? lines : [""];
}

// A text of one or more lines; `y` is the first line's baseline.
function label(lines, x, y, size, attrs = {}) {
  const bold = attrs.class === "kasibi-chart__label";
  return svg("text", { x, y, "font-size": size, "font-weight": bold ? 700 : null, ...attrs },
    lines.map((line, n) => svg("tspan", { x, dy: n ? size * 1.25 : 0 }, line)));
}

// The box the text of `lines` takes, for an anchor of start, middle or end at (x, y).
function extent(lines, x, y, size, anchor, bold = false) {
  const width = Math.max(...lines.map((line) => textWidth(line, size, bold)));
  const left = anchor === "end" ? x - width : anchor === "middle" ? x - width / 2 : x;
  return { left, right: left + width, top: y - size, bottom: y + (lines.length - 1) * size * 1.25 + size * 0.3 };
}

function frame(box, title, description, ...children) {
  const id = `chart-${++chartCount}`;
  const [x, y, width, height] = [box.left - PAD, box.top - PAD, box.right - box.left + 2 * PAD, box.bottom - box.top + 2 * PAD];
  // Its natural size (width, height) keeps a small drawing from being blown up on a wide screen;
  // a narrow one shrinks it to fit (max-width in site.css).
  return svg("svg", {
    class: "kasibi-chart", viewBox: `${x} ${y} ${width} ${height}`, width: Math.round(width * ZOOM), height: Math.round(height * ZOOM),
    role: "img", "aria-labelledby": `${id}-title ${id}-desc`,
  }, svg("title", { id: `${id}-title` }, title), svg("desc", { id: `${id}-desc` }, description), ...children);
}

const union = (boxes) => ({
  left: Math.min(...boxes.map((b) => b.left)), right: Math.max(...boxes.map((b) => b.right)),
  top: Math.min(...boxes.map((b) => b.top)), bottom: Math.max(...boxes.map((b) => b.bottom)),
});

const valueText = (scale) => `${formatNumber(scale.value)} / ${formatNumber(scale.max)}`;

function describe(scales) {
  return scales.map((s) => `${s.title}: ${s.band_label} (${valueText(s)})`).join("; ");
}

// How far along its bar (or spoke) a value is. A scale of positive numbers is drawn from zero, like the
// «3 / 5» beside it, so its lowest level (1 of 1–5) is a fifth of the bar, not an empty one.
function share(scale, value = scale.value) {
  const base = Math.min(0, scale.min);
  const span = scale.max - base;
  return span > 0 ? Math.min(1, Math.max(0, (value - base) / span)) : 1;
}

// One row per scale: its title, a bar with a tick at every band boundary (so the bar reads as steps,
// Педагог … Педагог-шебер, rather than as a score), and under it the band and the value.
export function barChart(scales, title) {
  const width = 400, barHeight = 16, line = LABEL * 1.25;
  let y = LABEL;
  const rows = scales.map((scale) => {
    const titleLines = wrap(scale.title, width, LABEL, true);
    const barY = y + (titleLines.length - 1) * line + 8;
    const valueLines = wrap(`${scale.band_label} (${valueText(scale)})`, width, SMALL);
    const valueY = barY + barHeight + SMALL + 4;
    const row = svg("g", { class: "kasibi-chart__row" },
      label(titleLines, 0, y, LABEL, { class: "kasibi-chart__label" }),
      svg("rect", { x: 0, y: barY, width, height: barHeight, rx: 3, class: "kasibi-chart__track" }),
      svg("rect", { x: 0, y: barY, width: Math.max(4, share(scale) * width), height: barHeight, rx: 3, class: "kasibi-chart__bar" }),
      // A scale that starts above zero gets a tick at its start too: the steps then read evenly.
      [...(scale.min > 0 ? [scale.min] : []), ...(scale.ticks ?? [])].map((tick) => {
        const x = share(scale, tick) * width;
        return svg("line", { x1: x, x2: x, y1: barY, y2: barY + barHeight, class: "kasibi-chart__tick" });
      }),
      label(valueLines, 0, valueY, SMALL, { class: "kasibi-chart__value" }),
    );
    y = valueY + (valueLines.length - 1) * SMALL * 1.25 + LABEL + 18;
    return row;
  });
  return frame({ left: 0, right: width, top: 0, bottom: y - LABEL - 12 }, title, describe(scales), ...rows);
}

// A wheel (radar): one spoke per scale, the value along it; rings at quarters of the range. Each label
// sits beyond its spoke's end, wrapped to a few words a line.
export function radarChart(scales, title) {
  const radius = 120, room = 110;
  const angle = (i) => -Math.PI / 2 + (2 * Math.PI * i) / scales.length;
  const point = (i, r) => [r * Math.cos(angle(i)), r * Math.sin(angle(i))];
  const rings = [0.25, 0.5, 0.75, 1].map((q) => svg("polygon", {
    points: scales.map((_, i) => point(i, q * radius).join(",")).join(" "), class: "kasibi-chart__ring",
  }));
  const spokes = scales.map((_, i) => {
    const [x, y] = point(i, radius);
    return svg("line", { x1: 0, y1: 0, x2: x, y2: y, class: "kasibi-chart__ring" });
  });
  const shape = svg("polygon", {
    points: scales.map((s, i) => point(i, Math.max(0.02, share(s)) * radius).join(",")).join(" "),
    class: "kasibi-chart__area",
  });
  const boxes = [{ left: -radius, right: radius, top: -radius, bottom: radius }];
  const labels = scales.map((s, i) => {
    const [x, y] = point(i, radius + 12);
    const anchor = Math.abs(x) < 10 ? "middle" : x > 0 ? "start" : "end";
    const lines = wrap(`${s.title} (${formatNumber(s.value)})`, room, LABEL);
    const height = (lines.length - 1) * LABEL * 1.25;
    // Above the centre the label grows upwards from the spoke's end, below it downwards.
    const baseline = y < -10 ? y - height : y > 10 ? y + LABEL : y + LABEL / 3 - height / 2;
    boxes.push(extent(lines, x, baseline, LABEL, anchor));
    return label(lines, x, baseline, LABEL, { "text-anchor": anchor, class: "kasibi-chart__small" });
  });
  return frame(union(boxes), title, describe(scales), ...rings, ...spokes, shape, ...labels);
}

// A ladder: one step per level, bottom to top; reached steps filled, the placement marked.
export function ladderChart(ladder, title) {
  const step = 46, rise = 36, steps = ladder.steps.length;
  const texts = ladder.steps.map((s, i) => `${i === ladder.rank - 1 ? "▶ " : ""}${s.title}`);
  const boxWidth = Math.max(180, ...texts.map((text) => textWidth(text, LABEL, true) + 20));
  const height = steps * step;
  const description = ladder.steps.map((s) => `${s.title}: ${Math.round(s.value)}%`).join("; ");
  const boxes = [{ left: 0, right: boxWidth, top: 0, bottom: height }];
  const drawn = ladder.steps.map((s, i) => {
    const y = height - (i + 1) * step;
    const x = i * rise;
    const percent = `${Math.round(s.value)}%`;
    boxes.push(extent([percent], x + boxWidth + 10, y + 24, SMALL, "start"));
    return svg("g", { class: `kasibi-chart__step${s.reached ? " is-reached" : ""}${i === ladder.rank - 1 ? " is-here" : ""}` },
      svg("rect", { x, y, width: boxWidth, height: step - 8, rx: 4, class: "kasibi-chart__stepbox" }),
      label([texts[i]], x + 10, y + 24, LABEL, { class: "kasibi-chart__label" }),
      label([percent], x + boxWidth + 10, y + 24, SMALL, { class: "kasibi-chart__small" }),
    );
  });
  boxes.push({ left: 0, right: (steps - 1) * rise + boxWidth, top: 0, bottom: height });
  return frame(union(boxes), title, description, ...drawn);
}

// Change over time: one line per scale across saved results (oldest left). The date under a point is
// left out when it would run into the one before it; the first and the last are always shown.
export function trendChart(series, title) {
  const points = series[0]?.points ?? [];
  const { min, max } = series[0] ?? { min: 0, max: 1 };
  const axis = [formatNumber(max), formatNumber(min)];
  const left = Math.max(...axis.map((text) => textWidth(text, SMALL))) + 10;
  const width = 440, right = width - 4, top = 8, bottom = 180;
  const x = (i) => left + (points.length > 1 ? (i * (right - left)) / (points.length - 1) : 0);
  const y = (v) => top + (1 - (max > min ? (v - min) / (max - min) : 0)) * (bottom - top);
  const description = series.map((s) => `${s.title}: ${s.points.map((p) => `${p.label} ${formatNumber(p.value)}`).join(", ")}`).join("; ");
  const boxes = [{ left: 0, right: width, top: 0, bottom }];
  const dates = [];
  let reached = -Infinity;
  points.forEach((p, i) => {
    const last = i === points.length - 1;
    const anchor = points.length === 1 ? "start" : i === 0 ? "start" : last ? "end" : "middle";
    const box = extent([p.label], x(i), bottom + 22, SMALL, anchor);
    if (box.left < reached + 8 && !last) return;
    if (box.left < reached + 8) dates.pop(); // the last date replaces the one it would run into
    reached = box.right;
    boxes.push(box);
    dates.push(label([p.label], x(i), bottom + 22, SMALL, { "text-anchor": anchor, class: "kasibi-chart__small" }));
  });
  return frame(union(boxes), title, description,
    svg("line", { x1: left, x2: right, y1: y(min), y2: y(min), class: "kasibi-chart__ring" }),
    label([axis[0]], left - 6, y(max) + 4, SMALL, { "text-anchor": "end", class: "kasibi-chart__small" }),
    label([axis[1]], left - 6, y(min) + 4, SMALL, { "text-anchor": "end", class: "kasibi-chart__small" }),
    ...dates,
    ...series.map((s, n) => svg("g", { class: `kasibi-chart__series kasibi-chart__series--${n % 6}` },
      svg("polyline", { points: s.points.map((p, i) => `${x(i)},${y(p.value)}`).join(" "), class: "kasibi-chart__line" }),
      ...s.points.map((p, i) => svg("circle", { cx: x(i), cy: y(p.value), r: 4, class: "kasibi-chart__dot" })),
    )),
  );
}
