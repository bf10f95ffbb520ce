// Compiled from src/verification/region.ts by `npm run build`: edit the source, not this file.

// src/verification/region.ts
import { crc32, deflateSync } from "node:zlib";
import { escapeXml, fitText } from "../plot/text.js";
import { ForwardModel } from "./forward.js";
function levelSetGrid(model, rho, cells, axes = [0, 1], through = new Array(model.stateDim).fill(0)) {
  const f = new ForwardModel(model);
  const { boxLo, boxUp } = model.spec;
  const [a, b] = axes;
  const w0 = (boxUp[a] - boxLo[a]) / cells;
  const w1 = (boxUp[b] - boxLo[b]) / cells;
  const inside = new Uint8Array(cells * cells);
  const x = Float64Array.from(through);
  let count = 0;
  for (let j = 0; j < cells; j++) {
    x[b] = boxLo[b] + (j + 0.5) * w1;
    for (let i = 0; i < cells; i++) {
      x[a] = boxLo[a] + (i + 0.5) * w0;
      if (f.value(x) < rho) {
        inside[j * cells + i] = 1;
        count++;
      }
    }
  }
  const total = (boxUp[a] - boxLo[a]) * (boxUp[b] - boxLo[b]);
  return {
    cells,
    inside,
    area: count / (cells * cells) * total,
    share: count / (cells * cells),
    axes,
    through
  };
}
function rollout(model, x0, steps) {
  const f = new ForwardModel(model);
  const x = Float64Array.from(x0);
  const next = new Float64Array(x.length);
  const out = [Array.from(x)];
  for (let k = 0; k < steps; k++) {
    f.stepClosedLoop(x, next);
    x.set(next);
    out.push(Array.from(x));
  }
  return out;
}
function ticks(lo, hi, count = 5) {
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}
function legendOf(plot) {
  const [a, b] = plot.grid.axes;
  const slice = plot.model.stateDim > 2 ? ` (slice through ${plot.grid.through.map((v, i) => i === a || i === b ? "·" : String(v)).join(", ")})` : "";
  return [
    `shaded: V < rho, ${(plot.grid.share * 100).toFixed(1)} % of the plot${slice}`,
    ...plot.trajectories?.length ? [`red: closed-loop trajectories from the dots${plot.model.stateDim > 2 ? " (projected)" : ""}`] : [],
    `${plot.counterexamples?.length ? "x: counterexamples; " : ""}grey: the box B`
  ];
}
function regionSvg(plot, size = 480) {
  const { boxLo, boxUp } = plot.model.spec;
  const [a, b] = plot.grid.axes;
  const left = 80;
  const right = 24;
  const width = left + size + right;
  const margin = 8;
  const title = fitText(plot.title, width - 2 * margin, 15);
  const titleLine = Math.ceil(title.size * 1.3);
  const top = 56 + (title.lines.length - 1) * titleLine;
  const legendSize = 11;
  const legendLines = legendOf(plot).flatMap((entry) => {
    const fitted = fitText(entry, size + right - margin, legendSize);
    return fitted.lines.map((line) => ({ line, size: fitted.size }));
  });
  const bottom = Math.max(112, 64 + 16 * legendLines.length);
  const height = top + size + bottom;
  const sx = (v) => left + (v - boxLo[a]) / (boxUp[a] - boxLo[a]) * size;
  const sy = (v) => top + size - (v - boxLo[b]) / (boxUp[b] - boxLo[b]) * size;
  const { cells, inside } = plot.grid;
  const cell = size / cells;
  const parts = [];
  for (let j = 0; j < cells; j++) {
    let i = 0;
    while (i < cells) {
      if (!inside[j * cells + i]) {
        i++;
        continue;
      }
      const start = i;
      while (i < cells && inside[j * cells + i]) i++;
      parts.push(
        `<rect x="${(left + start * cell).toFixed(2)}" y="${(top + size - (j + 1) * cell).toFixed(2)}" width="${((i - start) * cell).toFixed(2)}" height="${cell.toFixed(2)}"/>`
      );
    }
  }
  const clip = (p) => [
    Math.min(boxUp[a], Math.max(boxLo[a], p[a])),
    Math.min(boxUp[b], Math.max(boxLo[b], p[b]))
  ];
  const paths = (plot.trajectories ?? []).map(
    (t) => `<polyline fill="none" stroke="#c0392b" stroke-width="1.2" points="${t.map((p) => {
      const [u, v] = clip(p);
      return `${sx(u).toFixed(1)},${sy(v).toFixed(1)}`;
    }).join(" ")}"/>`
  );
  const starts = (plot.trajectories ?? []).map((t) => {
    const [u, v] = clip(t[0]);
    return `<circle cx="${sx(u).toFixed(1)}" cy="${sy(v).toFixed(1)}" r="3" fill="#c0392b"/>`;
  });
  const cex = (plot.counterexamples ?? []).map((p) => {
    const x = sx(p[a]);
    const y = sy(p[b]);
    return `<path d="M${x - 5},${y - 5}L${x + 5},${y + 5}M${x - 5},${y + 5}L${x + 5},${y - 5}" stroke="#000" stroke-width="2"/>`;
  });
  const [lx, ly] = plot.labels ?? [`x${a + 1}`, `x${b + 1}`];
  const xTicks = ticks(boxLo[a], boxUp[a]).map(
    (v) => `<line x1="${sx(v).toFixed(1)}" y1="${top + size}" x2="${sx(v).toFixed(1)}" y2="${top + size + 6}" stroke="#333"/><text x="${sx(v).toFixed(1)}" y="${top + size + 20}" text-anchor="middle">${v}</text>`
  );
  const yTicks = ticks(boxLo[b], boxUp[b]).map(
    (v) => `<line x1="${left - 6}" y1="${sy(v).toFixed(1)}" x2="${left}" y2="${sy(v).toFixed(1)}" stroke="#333"/><text x="${left - 9}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end">${v}</text>`
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>
${title.lines.map((line, i) => `<text x="${width / 2}" y="${24 + i * titleLine}" font-size="${title.size}" text-anchor="middle">${escapeXml(line)}</text>`).join("\n")}
<rect x="${left}" y="${top}" width="${size}" height="${size}" fill="#f4f4f4" stroke="#333"/>
<g fill="#7fb3d5" shape-rendering="crispEdges">${parts.join("")}</g>
${paths.join("\n")}
${starts.join("\n")}
${cex.join("\n")}
${xTicks.join("\n")}
${yTicks.join("\n")}
<text x="${left + size / 2}" y="${top + size + 40}" text-anchor="middle">${escapeXml(lx)}</text>
<text x="20" y="${top + size / 2}" transform="rotate(-90 20 ${top + size / 2})" text-anchor="middle">${escapeXml(ly)}</text>
${legendLines.map(({ line, size: s }, i) => `<text x="${left}" y="${top + size + 62 + 16 * i}" fill="#444" font-size="${s}">${escapeXml(line)}</text>`).join("\n")}
</svg>
`;
}
function regionPng(plot) {
  const { cells, inside } = plot.grid;
  const { boxLo: lo, boxUp: hi } = plot.model.spec;
  const [a, b] = plot.grid.axes;
  const boxLo = [lo[a], lo[b]];
  const boxUp = [hi[a], hi[b]];
  const rgb = new Uint8Array(cells * cells * 3).fill(244);
  const paint = (i, j, r, g, b2) => {
    if (i < 0 || j < 0 || i >= cells || j >= cells) return;
    const k = ((cells - 1 - j) * cells + i) * 3;
    rgb[k] = r;
    rgb[k + 1] = g;
    rgb[k + 2] = b2;
  };
  for (let j = 0; j < cells; j++)
    for (let i = 0; i < cells; i++) if (inside[j * cells + i]) paint(i, j, 127, 179, 213);
  const cell = (p) => [
    Math.floor((p[a] - boxLo[0]) / (boxUp[0] - boxLo[0]) * cells),
    Math.floor((p[b] - boxLo[1]) / (boxUp[1] - boxLo[1]) * cells)
  ];
  for (const t of plot.trajectories ?? []) for (const p of t) paint(...cell(p), 192, 57, 43);
  for (const p of plot.counterexamples ?? []) {
    const [i, j] = cell(p);
    for (let d = -3; d <= 3; d++) {
      paint(i + d, j + d, 0, 0, 0);
      paint(i + d, j - d, 0, 0, 0);
    }
  }
  const raw = Buffer.alloc(cells * (cells * 3 + 1));
  for (let row = 0; row < cells; row++) {
    raw[row * (cells * 3 + 1)] = 0;
    Buffer.from(rgb.buffer, row * cells * 3, cells * 3).copy(raw, row * (cells * 3 + 1) + 1);
  }
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body) >>> 0, 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(cells, 0);
  header.writeUInt32BE(cells, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0))
  ]);
}
export {
  levelSetGrid,
  regionPng,
  regionSvg,
  rollout,
  ticks
};
