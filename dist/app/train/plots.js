// Compiled from app/train/plots.ts by `npm run build`: edit the source, not this file.

// app/train/plots.ts
import { escapeXml, fitText } from "../../src/plot/text.js";
var W = 640;
var H = 400;
var M = { left: 60, right: 150, top: 30, bottom: 45 };
function learningCurvesSvg(title, yLabel, curves, yRange, xLabel = "gradient updates") {
  const xs = curves.flatMap((c) => c.points.map((p) => p[0]));
  const ys = curves.flatMap((c) => c.points.flatMap((p) => [p[1] - p[2], p[1] + p[2]]));
  const xMax = Math.max(...xs, 1);
  const [yMin, yMax] = yRange ?? [Math.min(...ys), Math.max(...ys)];
  const px = (x) => M.left + x / xMax * (W - M.left - M.right);
  const titleSvg = titleLines(title, W, 14);
  const top = M.top + (titleSvg.length - 1) * 16;
  const py = (y) => H - M.bottom - (y - yMin) / (yMax - yMin || 1) * (H - top - M.bottom);
  const parts = [];
  parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="white"/>`);
  parts.push(...titleSvg);
  for (let k = 0; k <= 5; k++) {
    const y = yMin + (yMax - yMin) * k / 5;
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/>`);
    parts.push(
      `<text x="${M.left - 6}" y="${py(y) + 4}" text-anchor="end" font-size="11">${y.toFixed(0)}</text>`
    );
    const x = xMax * k / 5;
    parts.push(
      `<text x="${px(x)}" y="${H - M.bottom + 16}" text-anchor="middle" font-size="11">${x.toFixed(0)}</text>`
    );
  }
  parts.push(
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 8}" text-anchor="middle" font-size="12">${xLabel}</text>`
  );
  parts.push(
    `<text x="14" y="${(top + H - M.bottom) / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${(top + H - M.bottom) / 2})">${escapeXml(yLabel)}</text>`
  );
  let legendY = top + 10;
  curves.forEach((c) => {
    const upper = c.points.map((p) => `${px(p[0])},${py(p[1] + p[2])}`);
    const lower = c.points.map((p) => `${px(p[0])},${py(p[1] - p[2])}`).reverse();
    parts.push(
      `<polygon points="${[...upper, ...lower].join(" ")}" fill="${c.color}" fill-opacity="0.15" stroke="none"/>`
    );
    parts.push(
      `<polyline points="${c.points.map((p) => `${px(p[0])},${py(p[1])}`).join(" ")}" fill="none" stroke="${c.color}" stroke-width="2"/>`
    );
    const label = fitText(c.label, M.right - 40, 12);
    const ly = legendY;
    legendY += 6 + label.lines.length * (label.size + 2);
    parts.push(
      `<line x1="${W - M.right + 10}" x2="${W - M.right + 30}" y1="${ly}" y2="${ly}" stroke="${c.color}" stroke-width="3"/>`
    );
    parts.push(
      ...label.lines.map(
        (line, k) => `<text x="${W - M.right + 34}" y="${ly + 4 + k * (label.size + 2)}" font-size="${label.size}">${escapeXml(line)}</text>`
      )
    );
  });
  return svg(parts);
}
function heatMapSvg(title, values, extent, overlay = []) {
  const rows = values.length;
  const cols = values[0]?.length ?? 0;
  const size = 360;
  const left = 50;
  const top = 30;
  const cw = size / cols;
  const ch = size * (extent.yMax - extent.yMin) / (extent.xMax - extent.xMin) / rows;
  const height = ch * rows;
  const parts = [
    `<rect x="0" y="0" width="${left + size + 90}" height="${top + height + 50}" fill="white"/>`
  ];
  parts.push(...titleLines(title, left + size + 90, 14, top - 8));
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = Math.max(0, Math.min(1, values[r][c]));
      parts.push(
        `<rect x="${(left + c * cw).toFixed(2)}" y="${(top + height - (r + 1) * ch).toFixed(2)}" width="${(cw + 0.3).toFixed(2)}" height="${(ch + 0.3).toFixed(2)}" fill="${viridis(v)}"/>`
      );
    }
  }
  const sx = (x) => left + (x - extent.xMin) / (extent.xMax - extent.xMin) * size;
  const sy = (y) => top + height - (y - extent.yMin) / (extent.yMax - extent.yMin) * height;
  for (const o of overlay)
    parts.push(
      o.replace(/\{x:([-\d.]+)\}/g, (_, x) => sx(Number(x)).toFixed(1)).replace(/\{y:([-\d.]+)\}/g, (_, y) => sy(Number(y)).toFixed(1))
    );
  parts.push(`<text x="${left}" y="${top + height + 16}" font-size="11">x = ${extent.xMin}</text>`);
  parts.push(
    `<text x="${left + size}" y="${top + height + 16}" font-size="11" text-anchor="end">x = ${extent.xMax}</text>`
  );
  parts.push(`<text x="${left - 4}" y="${top + 10}" font-size="11" text-anchor="end">${extent.yMax}</text>`);
  parts.push(
    `<text x="${left - 4}" y="${top + height}" font-size="11" text-anchor="end">${extent.yMin}</text>`
  );
  for (let k = 0; k <= 10; k++) {
    parts.push(
      `<rect x="${left + size + 20}" y="${top + height - (k + 1) * height / 11}" width="16" height="${height / 11 + 0.5}" fill="${viridis(k / 10)}"/>`
    );
  }
  parts.push(`<text x="${left + size + 40}" y="${top + 10}" font-size="11">w = 1</text>`);
  parts.push(`<text x="${left + size + 40}" y="${top + height}" font-size="11">w = 0</text>`);
  return svg(parts, left + size + 90, top + height + 50);
}
function viridis(t) {
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37]
  ];
  const f = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(f));
  const u = f - i;
  const a = stops[i];
  const b = stops[i + 1];
  const c = a.map((v, k) => Math.round(v + u * (b[k] - v)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}
function titleLines(title, width, size, bottom) {
  const fitted = fitText(title, width - 12, size);
  const step = fitted.size + 2;
  const first = bottom === void 0 ? fitted.size + 4 : Math.max(fitted.size, bottom - (fitted.lines.length - 1) * step);
  return fitted.lines.map(
    (line, k) => `<text x="${width / 2}" y="${first + k * step}" text-anchor="middle" font-size="${fitted.size}">${escapeXml(line)}</text>`
  );
}
function svg(parts, width = W, height = H) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
${parts.join("\n")}
</svg>
`;
}
export {
  heatMapSvg,
  learningCurvesSvg
};
