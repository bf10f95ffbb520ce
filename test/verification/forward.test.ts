import { describe, expect, it } from 'vitest';
import { ForwardModel } from '../../src/verification/forward.ts';
import { parseModel } from '../../src/verification/model.ts';
import { rawFixture } from './fixtures.ts';

describe('forward model of the published pendulum models', () => {
  for (const name of ['pendulum_u6', 'pendulum_u075'] as const) {
    it(`${name} reproduces the published test vectors to 1e-9`, () => {
      const raw = rawFixture(name);
      const f = new ForwardModel(parseModel(raw, name));
      const next = new Float64Array(2);
      expect(raw.test_vectors.length).toBeGreaterThan(0);
      for (const tv of raw.test_vectors as {
        x: number[];
        V: number;
        u: number;
        x_next: number[];
        V_next: number;
      }[]) {
        const u = f.stepClosedLoop(tv.x, next);
        expect(f.value(tv.x)).toBeCloseTo(tv.V, 9);
        expect(u).toBeCloseTo(tv.u, 9);
        expect(next[0]).toBeCloseTo(tv.x_next[0]!, 9);
        expect(next[1]).toBeCloseTo(tv.x_next[1]!, 9);
        expect(f.value(next)).toBeCloseTo(tv.V_next, 9);
      }
      expect(f.value([0, 0])).toBe(0);
    });
  }

  it('names the bad field of a malformed model', () => {
    const raw = rawFixture('pendulum_u6');
    raw.controller.layers[1]!.bias.pop();
    expect(() => parseModel(raw, 'broken')).toThrow(
      /broken: controller.layers\[1\]: bias has 7 entries, expected 8/,
    );
    const raw2 = rawFixture('pendulum_u6');
    raw2.spec.rho = -1;
    expect(() => parseModel(raw2, 'broken')).toThrow(/spec.rho/);
  });
});
