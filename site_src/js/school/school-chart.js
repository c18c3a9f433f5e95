// Charts of the school summary as inline SVG (like chart.js): every label sits inside the SVG box,
// each chart has a title and a text description, and the page repeats every figure in a table.

import { svg } from "../utilities/dom.js";

let chartCount = 0;

function frame(width, height, title, description, ...children) {
  const id = `school-chart-${++chartCount}`;
  return svg("svg", {
    class: "kasibi-chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${id}-title ${id}-desc`,
  }, svg("title", { id: `${id}-title` }, title), svg("desc", { id: `${id}-desc` }, description), ...children);
}

// One stacked bar per row (a scale): its bands side by side, each as wide as its share of the teachers,
// with the percentage written inside when there is room; the legend (band labels) on top.
// rows: [{title, parts: [{label, count}]}], all rows with the same bands in the same order.
export function stackedBars(rows, title) {
  const width = 640, row = 50, barY = 20, barHeight = 22, legend = 28;
  const description = rows.map((r) => `${r.title}: ${r.parts.map((p) => `${p.label} ${p.count}`).join(", ")}`).join("; ");
  // The legend flows left to right and wraps (a label's width estimated from its length).
  let x = 0, line = 0;
  const key = (rows[0]?.parts ?? []).map((part, n) => {
    const room = 30 + part.label.length * 8.5;
    if (x && x + room > width) [x, line] = [0, line + 1];
    const at = x;
    x += room;
    return svg("g", null,
      svg("rect", { x: at, y: 4 + line * legend, width: 14, height: 14, class: `kasibi-chart__band--${n % 6}` }),
      svg("text", { x: at + 20, y: 16 + line * legend, class: "kasibi-chart__small" }, part.label));
  });
  const top = (line + 1) * legend;
  return frame(width, top + rows.length * row + 4, title, description, ...key, ...rows.map((r, index) => {
    const y = top + index * row;
    const total = r.parts.reduce((sum, p) => sum + p.count, 0) || 1;
    let done = 0;
    return svg("g", { class: "kasibi-chart__row" },
      svg("text", { x: 0, y: y + 14, class: "kasibi-chart__label" }, r.title),
      r.parts.flatMap((part, n) => {
        const w = (part.count / total) * width;
        const left = done;
        done += w;
        const percent = Math.round((100 * part.count) / total);
        return [
          svg("rect", { x: left, y: y + barY, width: w, height: barHeight, class: `kasibi-chart__band--${n % 6}` },
            svg("title", null, `${part.label}: ${part.count} (${percent}%)`)),
          w >= 34 ? svg("text", { x: left + w / 2, y: y + barY + 16, "text-anchor": "middle", class: "kasibi-chart__inside" },
            `${percent}%`) : null,
        ];
      }),
    );
  }));
}

// A heat map: rows × columns of shares (0…1), darker for more, the percentage written in each cell.
// cells[r][c] is null where a figure may not be shown.
export function heatMap(rowTitles, columnTitles, cells, title) {
  const left = 190, top = 52, cellW = 150, cellH = 30;
  const width = left + cellW * columnTitles.length, height = top + cellH * rowTitles.length + 4;
  const description = rowTitles.map((r, i) => `${r}: ${columnTitles.map((c, j) =>
    `${c} ${cells[i][j] === null ? "—" : `${Math.round(cells[i][j] * 100)}%`}`).join(", ")}`).join("; ");
  return frame(width, height, title, description,
    // A long title ("Педагог-зерттеуші") goes on two lines, split after its hyphen.
    columnTitles.map((c, j) => {
      const x = left + j * cellW + cellW / 2;
      const lines = c.length > 16 && c.includes("-") ? [c.slice(0, c.indexOf("-") + 1), c.slice(c.indexOf("-") + 1)] : [c];
      return svg("text", { x, y: top - 8 - 16 * (lines.length - 1), "text-anchor": "middle", class: "kasibi-chart__small" },
        lines.map((line, n) => svg("tspan", { x, dy: n ? 16 : 0 }, line)));
    }),
    rowTitles.map((r, i) => svg("g", null,
      svg("text", { x: left - 8, y: top + i * cellH + 20, "text-anchor": "end", class: "kasibi-chart__small" }, r),
      columnTitles.flatMap((_, j) => {
        const share = cells[i][j];
        const x = left + j * cellW, y = top + i * cellH;
        const shade = share === null ? "var(--kasibi-line)" : `color-mix(in srgb, #00695c ${Math.round(share * 100)}%, #fff)`;
        return [
          svg("rect", { x: x + 1, y: y + 1, width: cellW - 2, height: cellH - 2, style: `fill: ${shade}` }),
          svg("text", {
            x: x + cellW / 2, y: y + 20, "text-anchor": "middle",
            class: `kasibi-chart__cell-text${share !== null && share > 0.55 ? " is-dark" : ""}`,
          }, share === null ? "—" : `${Math.round(share * 100)}%`),
        ];
      }),
    )),
  );
}
