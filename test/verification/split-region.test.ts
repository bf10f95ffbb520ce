import { describe, expect, it } from 'vitest';
import { splitRegion } from '../../src/verification/parallel.ts';

/** The verifier's task grid (parallel.ts): only the state axes are cut, the uncertainty stays whole. */
describe('splitting a region into tasks', () => {
  const volume = (lo: readonly number[], up: readonly number[]) =>
    lo.reduce((v, l, i) => v * (up[i]! - l), 1);
  // The rig's delay model: 4 state axes, then 5 uncertainty axes.
  const box = {
    lo: [-2.4, -0.8, -5, -8, 1.18, 1.5, 0.93, -0.41, -4.16],
    up: [2.4, 0.8, 5, 8, 1.22, 2.5, 0.97, 0.41, 4.16],
  };

  it('cuts a 9-dimensional box along its state axes only, into pieces that tile it', () => {
    const tasks = splitRegion([box], 32, 4);
    expect(tasks.length).toBe(16);
    for (const t of tasks)
      for (let i = 4; i < 9; i++) {
        expect(t.lo[i]).toBe(box.lo[i]);
        expect(t.up[i]).toBe(box.up[i]);
      }
    const sum = tasks.reduce((s, t) => s + volume(t.lo, t.up), 0);
    expect(sum).toBeCloseTo(volume(box.lo, box.up), 6);
    // Every state point of the box lies in one task (the grid's cells meet at shared faces).
    const probe = [0.3, -0.1, 2, -7.5];
    const holding = tasks.filter((t) => probe.every((v, i) => v >= t.lo[i]! && v <= t.up[i]!));
    expect(holding).toHaveLength(1);
  });

  it('cutting every axis alike leaves such a box whole (one task for two workers)', () => {
    expect(splitRegion([box], 32)).toHaveLength(1);
  });
});
