import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { heatMapSvg, learningCurvesSvg } from '../../app/train/plots.ts';
import { textsOffCanvas } from '../support/svg.ts';

/** The training and loop plots keep every text on the canvas, as the region plots do. */
describe('training plots read on their own', () => {
  it('wrap a long title and long legend labels instead of running off the canvas', () => {
    const points = [[0, 1, 0.5] as const, [1000, 3, 0.4] as const];
    const svg = learningCurvesSvg(
      'closed loop on the weak-motor cartpole rig: real return per round, sim-only to oracle, three learner seeds',
      'real return',
      [
        { label: 'H2O seed 2, shipped settings (gamma 0.99)', color: '#1f77b4', points },
        { label: 'naive mixing under the same gate', color: '#ff7f0e', points },
      ],
    );
    expect(svg).toContain('naive mixing');
    expect(textsOffCanvas(svg)).toEqual([]);
    // The wrapped title sits above the plot: below its last line come the gridlines, not more text.
    const titleBaselines = [
      ...svg.matchAll(/<text x="320" y="([\d.]+)" text-anchor="middle" font-size="14">/g),
    ].map((m) => Number(m[1]));
    expect(titleBaselines.length).toBeGreaterThan(1);
    const topGridline = Math.min(
      ...[...svg.matchAll(/<line x1="60" x2="490" y1="([\d.]+)"/g)].map((m) => Number(m[1])),
    );
    expect(Math.max(...titleBaselines)).toBeLessThan(topGridline);
    const map = heatMapSvg(
      'mean importance weight w of the final discriminators over the river',
      [[0.2, 0.8]],
      {
        xMin: 0,
        xMax: 2,
        yMin: -1,
        yMax: 1,
      },
    );
    expect(textsOffCanvas(map)).toEqual([]);
  });

  it('the committed closed-loop plots keep their text on the canvas', () => {
    const dir = join(import.meta.dirname, '..', '..', 'bench', 'results');
    for (const file of ['closed-loop.svg', 'closed-loop-arm.svg'])
      expect(textsOffCanvas(readFileSync(join(dir, file), 'utf8')), file).toEqual([]);
  });
});
