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
<text x="${pad}" y="20" font-size="14">${plot.title}</text>
<rect x="${pad}" y="${pad}" width="${size}" height="${size}" fill="#f4f4f4" stroke="#333"/>
<g fill="#7fb3d5" shape-rendering="crispEdges">${parts.join('')}</g>
${paths.join('\n')}
${starts.join('\n')}
${cex.join('\n')}
<text x="${pad + size / 2}" y="${size + pad + 35}" text-anchor="middle">${lx} [${boxLo[0]}, ${boxUp[0]}]</text>
<text x="15" y="${pad + size / 2}" transform="rotate(-90 15 ${pad + size / 2})" text-anchor="middle">${ly} [${boxLo[1]}, ${boxUp[1]}]</text>
<text x="${pad + size}" y="${size + pad + 35}" text-anchor="end" fill="#555">shaded: V &lt; rho (${(plot.grid.share * 100).toFixed(1)} % of B); lines: closed loop; x: counterexamples</text>
</svg>
`;
}
