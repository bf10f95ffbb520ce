// Compiled from app/loop/plot.ts by `npm run build`: edit the source, not this file.

// app/loop/plot.ts
import { escapeXml } from "../../src/plot/text.js";
var W = 640;
var H = 380;
var M = { left: 60, right: 30, top: 36, bottom: 60 };
function returnsSvg(name, rounds, final) {
  const points = rounds.map((r) => ({
    label: `${r.round}: ${r.version}`,
    mean: r.real.meanReturn,
    std: r.real.stdReturn,
    note: r.outcome
  }));
  if (final)
    points.push({
      label: `final: ${final.version}`,
      mean: final.real.meanReturn,
      std: final.real.stdReturn,
      note: ""
    });
  const ys = points.flatMap((p) => [p.mean - p.std, p.mean + p.std]);
  const yMin = Math.min(0, ...ys);
  const yMax = Math.max(1, ...ys) * 1.05;
  const n = Math.max(1, points.length);
  const px = (i) => M.left + (i + 0.5) / n * (W - M.left - M.right);
  const py = (y) => H - M.bottom - (y - yMin) / (yMax - yMin || 1) * (H - M.top - M.bottom);
  const parts = [`<rect width="${W}" height="${H}" fill="white"/>`];
  parts.push(
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(name)}: real return per round</text>`
  );
  for (let k = 0; k <= 5; k++) {
    const y = yMin + (yMax - yMin) * k / 5;
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/>`);
    parts.push(
      `<text x="${M.left - 6}" y="${py(y) + 4}" text-anchor="end" font-size="11">${y.toFixed(0)}</text>`
    );
  }
  parts.push(
    `<polyline points="${points.map((p, i) => `${px(i)},${py(p.mean)}`).join(" ")}" fill="none" stroke="#1f77b4" stroke-width="2"/>`
  );
  points.forEach((p, i) => {
    parts.push(
      `<line x1="${px(i)}" x2="${px(i)}" y1="${py(p.mean - p.std)}" y2="${py(p.mean + p.std)}" stroke="#1f77b4"/>`
    );
    parts.push(`<circle cx="${px(i)}" cy="${py(p.mean)}" r="4" fill="#1f77b4"/>`);
    parts.push(
      `<text x="${px(i)}" y="${H - M.bottom + 16}" text-anchor="middle" font-size="11">${escapeXml(p.label)}</text>`
    );
    if (p.note)
      parts.push(
        `<text x="${px(i)}" y="${H - M.bottom + 30}" text-anchor="middle" font-size="10" fill="#666">${escapeXml(p.note)}</text>`
      );
  });
  parts.push(
    `<text x="14" y="${(M.top + H - M.bottom) / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${(M.top + H - M.bottom) / 2})">mean episode return (± std)</text>`
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">
${parts.join("\n")}
</svg>
`;
}
export {
  returnsSvg
};
