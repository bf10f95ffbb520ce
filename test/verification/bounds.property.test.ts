import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBounder, createBoxBounds } from '../../src/verification/bounds.ts';
import { ForwardModel } from '../../src/verification/forward.ts';
import { intervalActivation } from '../../src/verification/interval.ts';
import { DualArith } from '../../src/verification/interval-ad.ts';
import { LinearBox, LinVec } from '../../src/verification/linear.ts';
import { parseModel } from '../../src/verification/model.ts';
import { cosInterval, down, sinInterval, up } from '../../src/verification/rounding.ts';
import { fixture, rawFixture } from './fixtures.ts';

/** The published |u| ≤ 6 pendulum with its controller's hidden layers read as tanh instead. */
function tanhControllerModel() {
  const raw = rawFixture('pendulum_u6');
  return parseModel({ ...raw, controller: { ...raw.controller, activation: 'tanh' } }, 'tanh pendulum');
}

/** Boxes of every scale inside B = [−12, 12]², plus points inside them (as fractions). */
const boxAndPoints = fc.record({
  cx: fc.double({ min: -11.9, max: 11.9, noNaN: true }),
  cy: fc.double({ min: -11.9, max: 11.9, noNaN: true }),
  logWidth: fc.double({ min: -6, max: 1, noNaN: true }),
  aspect: fc.double({ min: 0.2, max: 5, noNaN: true }),
  points: fc.array(
    fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
    { minLength: 1, maxLength: 20 },
  ),
});

describe('sound bounds contain sampled true values', () => {
  for (const name of ['pendulum_u6', 'pendulum_u075', 'pendulum_u6 with a tanh controller'] as const) {
    for (const method of ['ibp', 'linear'] as const) {
      it(`${name} / ${method}: V, g and x⁺ over random boxes`, () => {
        const model = name === 'pendulum_u6 with a tanh controller' ? tanhControllerModel() : fixture(name);
        const bounder = createBounder(model, method);
        const f = new ForwardModel(model);
        const out = createBoxBounds(2);
        const next = new Float64Array(2);
        const lo = new Float64Array(2);
        const hi = new Float64Array(2);
        let checkedG = 0;
        fc.assert(
          fc.property(boxAndPoints, ({ cx, cy, logWidth, aspect, points }) => {
            const w = 10 ** logWidth;
            lo[0] = Math.max(-12, cx - w);
            hi[0] = Math.min(12, cx + w);
            lo[1] = Math.max(-12, cy - w * aspect);
            hi[1] = Math.min(12, cy + w * aspect);
            // ρ = ∞ forces the full computation so g and x⁺ bounds are always checked.
            const full = bounder.bound(lo, hi, Number.POSITIVE_INFINITY, out);
            expect(full).toBe(true);
            for (const [a, b] of points) {
              const x = [lo[0]! + a * (hi[0]! - lo[0]!), lo[1]! + b * (hi[1]! - lo[1]!)];
              expect(f.value(x)).toBeGreaterThanOrEqual(out.vLo);
              f.stepClosedLoop(x, next);
              expect(next[0]).toBeGreaterThanOrEqual(out.xnLo[0]!);
              expect(next[0]).toBeLessThanOrEqual(out.xnHi[0]!);
              expect(next[1]).toBeGreaterThanOrEqual(out.xnLo[1]!);
              expect(next[1]).toBeLessThanOrEqual(out.xnHi[1]!);
              expect(f.decrease(x)).toBeLessThanOrEqual(out.gUp);
              checkedG++;
            }
          }),
          { numRuns: 400, seed: 7 },
        );
        expect(checkedG).toBeGreaterThan(400);
      });
    }
  }

  it('linear bounds are tighter than intervals on small boxes (the reason to have them)', () => {
    const model = fixture('pendulum_u075');
    const ibp = createBounder(model, 'ibp');
    const lin = createBounder(model, 'linear');
    const a = createBoxBounds(2);
    const b = createBoxBounds(2);
    const lo = [0.5, -0.5];
    const hi = [0.51, -0.49];
    ibp.bound(lo, hi, Number.POSITIVE_INFINITY, a);
    lin.bound(lo, hi, Number.POSITIVE_INFINITY, b);
    expect(b.gUp).toBeLessThan(a.gUp);
    expect(b.gUp).toBeLessThan(0);
  });

  it('activation relaxations (ReLU, LeakyReLU, |z|) contain the function on random linear inputs', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.constantFrom(0, 0.01, -1, 0.5),
        fc.array(
          fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })),
          { minLength: 1, maxLength: 10 },
        ),
        (a0, a1, b, slope, points) => {
          const box = new LinearBox(2);
          const lo = [-1, -1];
          const hi = [1, 1];
          box.set(lo, hi);
          const z = new LinVec(2, 1);
          const out = new LinVec(2, 1);
          z.aLo.set([a0, a1]);
          z.aUp.set([a0, a1]);
          z.bLo[0] = b;
          z.bUp[0] = b;
          box.concretize(z, 0);
          box.activation(z, out, slope);
          for (const [x0, x1] of points) {
            const zv = a0 * x0 + a1 * x1 + b;
            const sv = Math.max(zv, slope * zv);
            const l = out.aLo[0]! * x0 + out.aLo[1]! * x1 + out.bLo[0]!;
            const u = out.aUp[0]! * x0 + out.aUp[1]! * x1 + out.bUp[0]!;
            // Evaluating the bound lines in floats adds a few ulps of noise of its own.
            const tol = 1e-12 * (1 + Math.abs(sv));
            expect(sv).toBeGreaterThanOrEqual(l - tol);
            expect(sv).toBeLessThanOrEqual(u + tol);
            expect(sv).toBeGreaterThanOrEqual(out.lo[0]!);
            expect(sv).toBeLessThanOrEqual(out.hi[0]!);
          }
          const ilo = Float64Array.of(z.lo[0]!);
          const ihi = Float64Array.of(z.hi[0]!);
          intervalActivation(ilo, ihi, 1, slope);
          for (const [x0, x1] of points) {
            const zv = a0 * x0 + a1 * x1 + b;
            const sv = Math.max(zv, slope * zv);
            expect(sv).toBeGreaterThanOrEqual(ilo[0]! - 1e-12);
            expect(sv).toBeLessThanOrEqual(ihi[0]! + 1e-12);
          }
        },
      ),
      { numRuns: 500, seed: 3 },
    );
  });

  it('tanh relaxations contain tanh on random linear inputs, on either side of 0 and across it', () => {
    let sides = 0;
    fc.assert(
      fc.property(
        fc.double({ min: -4, max: 4, noNaN: true }),
        fc.double({ min: -4, max: 4, noNaN: true }),
        fc.double({ min: -6, max: 6, noNaN: true }),
        fc.double({ min: -6, max: 0, noNaN: true }),
        fc.array(
          fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })),
          { minLength: 1, maxLength: 10 },
        ),
        (a0, a1, b, logRadius, points) => {
          const r = 10 ** logRadius;
          const box = new LinearBox(2);
          box.set([-r, -r], [r, r]);
          const z = new LinVec(2, 1);
          const out = new LinVec(2, 1);
          z.aLo.set([a0, a1]);
          z.aUp.set([a0, a1]);
          z.bLo[0] = b;
          z.bUp[0] = b;
          box.concretize(z, 0);
          if (z.lo[0]! >= 0 || z.hi[0]! <= 0) sides++;
          box.tanhOne(z, 0, out, 0);
          for (const [t0, t1] of points) {
            const x0 = t0 * r;
            const x1 = t1 * r;
            const tv = Math.tanh(a0 * x0 + a1 * x1 + b);
            const l = out.aLo[0]! * x0 + out.aLo[1]! * x1 + out.bLo[0]!;
            const u = out.aUp[0]! * x0 + out.aUp[1]! * x1 + out.bUp[0]!;
            const tol = 1e-12;
            expect(tv).toBeGreaterThanOrEqual(l - tol);
            expect(tv).toBeLessThanOrEqual(u + tol);
            expect(tv).toBeGreaterThanOrEqual(out.lo[0]!);
            expect(tv).toBeLessThanOrEqual(out.hi[0]!);
          }
        },
      ),
      { numRuns: 2000, seed: 11 },
    );
    // Both kinds of interval were exercised: one-sided (chord and tangent) and across 0 (parallel).
    expect(sides).toBeGreaterThan(200);
    expect(sides).toBeLessThan(1800);
  });

  it('tanh relaxations are tight on a small interval: both lines within 1e-6 of tanh', () => {
    const box = new LinearBox(1);
    box.set([-1e-3], [1e-3]);
    for (const centre of [-2, -0.3, 0, 0.4, 1.5]) {
      const z = new LinVec(1, 1);
      const out = new LinVec(1, 1);
      z.aLo[0] = 1;
      z.aUp[0] = 1;
      z.bLo[0] = centre;
      z.bUp[0] = centre;
      box.concretize(z, 0);
      box.tanhOne(z, 0, out, 0);
      expect(out.hi[0]! - out.lo[0]!).toBeLessThan(2.1e-3);
      for (const x of [-1e-3, 0, 1e-3]) {
        const tv = Math.tanh(centre + x);
        expect(tv - (out.aLo[0]! * x + out.bLo[0]!)).toBeLessThan(1e-6);
        expect(out.aUp[0]! * x + out.bUp[0]! - tv).toBeLessThan(1e-6);
      }
    }
  });

  it('interval derivatives of tanh and (leaky) ReLU contain every secant slope over the interval', () => {
    const ar = new DualArith(1);
    let across = 0;
    fc.assert(
      fc.property(
        // Uniform grids: fast-check's doubles favour the ends of a range, which seldom straddle 0.
        fc.integer({ min: -5000, max: 5000 }).map((v) => v / 1000),
        fc.integer({ min: 0, max: 4000 }).map((v) => v / 1000),
        fc.constantFrom('tanh', 0, 0.01, 0.5),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 })), {
          minLength: 1,
          maxLength: 10,
        }),
        (lo, width, kind, pairs) => {
          const hi = lo + width;
          ar.reset();
          const a = ar.input(lo, hi, 0);
          const slope = typeof kind === 'number' ? kind : 0;
          const d = typeof kind === 'number' ? ar.leakyRelu(a, slope) : ar.tanh(a);
          const f = (z: number) => (typeof kind === 'number' ? Math.max(z, slope * z) : Math.tanh(z));
          for (const [s, t] of pairs) {
            const p = lo + (s / 1000) * width;
            const q = lo + (t / 1000) * width;
            expect(f(p)).toBeGreaterThanOrEqual(d.lo);
            expect(f(p)).toBeLessThanOrEqual(d.hi);
            if (Math.abs(q - p) < 1e-9) continue;
            const secant = (f(q) - f(p)) / (q - p);
            if (kind !== 'tanh' && Math.min(p, q) < 0 && Math.max(p, q) > 0) across++;
            expect(secant).toBeGreaterThanOrEqual(d.gLo[0]! - 1e-9);
            expect(secant).toBeLessThanOrEqual(d.gHi[0]! + 1e-9);
          }
        },
      ),
      { numRuns: 2000, seed: 13 },
    );
    // Pairs on both sides of a ReLU's kink, where its derivative is not one number.
    expect(across).toBeGreaterThan(100);
  });

  it('sin and cos enclosures contain sampled values, and rounding moves outward', () => {
    const out = new Float64Array(2);
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 8, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (l, w, t) => {
          const x = l + t * w;
          sinInterval(l, l + w, out);
          expect(Math.sin(x)).toBeGreaterThanOrEqual(out[0]!);
          expect(Math.sin(x)).toBeLessThanOrEqual(out[1]!);
          cosInterval(l, l + w, out);
          expect(Math.cos(x)).toBeGreaterThanOrEqual(out[0]!);
          expect(Math.cos(x)).toBeLessThanOrEqual(out[1]!);
          expect(up(x)).toBeGreaterThan(x);
          expect(down(x)).toBeLessThan(x);
        },
      ),
      { numRuns: 1000, seed: 11 },
    );
  });
});
