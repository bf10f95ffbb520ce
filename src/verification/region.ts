import { crc32, deflateSync } from 'node:zlib';
import { ForwardModel } from './forward.ts';
import type { LyapunovModel } from './model.ts';

/**
 * The estimated size of a certified region and its picture. The area is a midpoint-rule estimate
 * of |{x ∈ B : V(x) < ρ}| (not itself a proof); the proof is the certificate.
 */

export interface LevelSetGrid {
  readonly cells: number;
  /** Row-major [cells × cells], 1 where V(midpoint) < ρ; row 0 is the lowest x₂. */
  readonly inside: Uint8Array;
  readonly area: number;
  readonly share: number;
}

export function levelSetGrid(model: LyapunovModel, rho: number, cells: number): LevelSetGrid {
  const f = new ForwardModel(model);
  const { boxLo, boxUp } = model.spec;
  const w0 = (boxUp[0]! - boxLo[0]!) / cells;
  const w1 = (boxUp[1]! - boxLo[1]!) / cells;
  const inside = new Uint8Array(cells * cells);
  const x = new Float64Array(2);
  let count = 0;
  for (let j = 0; j < cells; j++) {
    x[1] = boxLo[1]! + (j + 0.5) * w1;
    for (let i = 0; i < cells; i++) {
      x[0] = boxLo[0]! + (i + 0.5) * w0;
      if (f.value(x) < rho) {
        inside[j * cells + i] = 1;
        count++;
      }
    }
  }
  const total = (boxUp[0]! - boxLo[0]!) * (boxUp[1]! - boxLo[1]!);
  return { cells, inside, area: (count / (cells * cells)) * total, share: count / (cells * cells) };
}

/** Closed-loop trajectory from x0 for `steps` steps (float model). */
export function rollout(model: LyapunovModel, x0: readonly number[], steps: number): number[][] {
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

export interface RegionPlot {
  readonly title: string;
  readonly model: LyapunovModel;
  readonly grid: LevelSetGrid;
  readonly counterexamples?: readonly (readonly number[])[];
  readonly trajectories?: readonly (readonly (readonly number[])[])[];
  readonly labels?: readonly [string, string];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** SVG of the sublevel set inside B (filled runs of grid cells), trajectories and counterexamples. */
export function regionSvg(plot: RegionPlot, size = 480): string {
  const { boxLo, boxUp } = plot.model.spec;
  const pad = 50;
  const sx = (v: number) => pad + ((v - boxLo[0]!) / (boxUp[0]! - boxLo[0]!)) * size;
  const sy = (v: number) => pad + size - ((v - boxLo[1]!) / (boxUp[1]! - boxLo[1]!)) * size;
  const { cells, inside } = plot.grid;
  const cell = size / cells;
  const parts: string[] = [];
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
        `<rect x="${(pad + start * cell).toFixed(2)}" y="${(pad + size - (j + 1) * cell).toFixed(2)}" width="${((i - start) * cell).toFixed(2)}" height="${cell.toFixed(2)}"/>`,
      );
    }
  }
  const paths = (plot.trajectories ?? []).map(
    (t) =>
      `<polyline fill="none" stroke="#c0392b" stroke-width="1.2" points="${t.map((p) => `${sx(p[0]!).toFixed(1)},${sy(p[1]!).toFixed(1)}`).join(' ')}"/>`,
  );
  const starts = (plot.trajectories ?? []).map(
    (t) => `<circle cx="${sx(t[0]![0]!).toFixed(1)}" cy="${sy(t[0]![1]!).toFixed(1)}" r="3" fill="#c0392b"/>`,
  );
  const cex = (plot.counterexamples ?? []).map((p) => {
    const x = sx(p[0]!);
    const y = sy(p[1]!);
    return `<path d="M${x - 5},${y - 5}L${x + 5},${y + 5}M${x - 5},${y + 5}L${x + 5},${y - 5}" stroke="#000" stroke-width="2"/>`;
  });
  const [lx, ly] = plot.labels ?? ['x1', 'x2'];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size + 2 * pad}" height="${size + 2 * pad}" font-family="sans-serif" font-size="12">
<rect x="0" y="0" width="${size + 2 * pad}" height="${size + 2 * pad}" fill="#fff"/>
<text x="${pad}" y="20" font-size="14">${escapeXml(plot.title)}</text>
<rect x="${pad}" y="${pad}" width="${size}" height="${size}" fill="#f4f4f4" stroke="#333"/>
<g fill="#7fb3d5" shape-rendering="crispEdges">${parts.join('')}</g>
${paths.join('\n')}
${starts.join('\n')}
${cex.join('\n')}
<text x="${pad + size / 2}" y="${size + pad + 35}" text-anchor="middle">${escapeXml(lx)} [${boxLo[0]}, ${boxUp[0]}]</text>
<text x="15" y="${pad + size / 2}" transform="rotate(-90 15 ${pad + size / 2})" text-anchor="middle">${escapeXml(ly)} [${boxLo[1]}, ${boxUp[1]}]</text>
<text x="${pad + size}" y="${size + pad + 35}" text-anchor="end" fill="#555">shaded: V &lt; rho (${(plot.grid.share * 100).toFixed(1)} % of B); lines: closed loop; x: counterexamples</text>
</svg>
`;
}

/** PNG of the same picture as a raster (one pixel per grid cell), for viewers without SVG. */
export function regionPng(plot: RegionPlot): Buffer {
  const { cells, inside } = plot.grid;
  const { boxLo, boxUp } = plot.model.spec;
  const rgb = new Uint8Array(cells * cells * 3).fill(244);
  const paint = (i: number, j: number, r: number, g: number, b: number) => {
    if (i < 0 || j < 0 || i >= cells || j >= cells) return;
    const k = ((cells - 1 - j) * cells + i) * 3;
    rgb[k] = r;
    rgb[k + 1] = g;
    rgb[k + 2] = b;
  };
  for (let j = 0; j < cells; j++)
    for (let i = 0; i < cells; i++) if (inside[j * cells + i]) paint(i, j, 127, 179, 213);
  const cell = (p: readonly number[]): [number, number] => [
    Math.floor(((p[0]! - boxLo[0]!) / (boxUp[0]! - boxLo[0]!)) * cells),
    Math.floor(((p[1]! - boxLo[1]!) / (boxUp[1]! - boxLo[1]!)) * cells),
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
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
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
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
