import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModel, rigWithDelay, variants } from '../../controllers/hybrid/cartpole/make.ts';
import { certify, statementOf } from '../../src/verification/certificate.ts';
import { CommandRateBounder, commandRateAt } from '../../src/verification/command-rate.ts';
import { ForwardModel } from '../../src/verification/forward.ts';
import { type LyapunovModel, modelHashes, parseModel, searchDim } from '../../src/verification/model.ts';
import { boxIn } from './fixtures.ts';

/**
 * A delayed command relative to the current one (`uncertainty.previous_command_within`): the
 * delayed-command dimension is an offset from u(x), and the proof adds the command-rate condition
 * |u(x⁺) − u(x)| ≤ Δ − s that carries "the previous command is within Δ of u(x)" on.
 */

async function rig(within?: number): Promise<LyapunovModel> {
  const { previous_command_within: _, ...anywhere } = rigWithDelay.uncertainty!;
  const uncertainty = within === undefined ? anywhere : { ...anywhere, previous_command_within: within };
  return parseModel(await buildModel({ ...rigWithDelay, uncertainty }, 150), 'rig-delay.json');
}

/** The nominal MuJoCo cart-pole with a 4 ms input delay, the previous command within `within`. */
async function simWithDelay(rho: number, innerLevel: number, within: number): Promise<LyapunovModel> {
  const json = await buildModel({ ...variants.sim, innerLevel }, rho);
  return parseModel(
    {
      ...json,
      uncertainty: { input_delay: 0.004, previous_command_within: within },
      assumptions: { ...json.assumptions!, delay: 0.004 },
    },
    'sim-delay.json',
  );
}

describe('a delayed command relative to the current one', () => {
  it('is an offset dimension of ±(Δ + s) with the rate bound Δ − s, named in the statement and the hashes', async () => {
    const model = await rig(4);
    const dim = model.uncertainty.at(-1)!;
    expect(dim.kind).toBe('delayed-command');
    if (dim.kind !== 'delayed-command' || !dim.relative) throw new Error('not relative');
    // s = Σ|K_i|·0.0025: the LQR's gain magnitudes sum to 64.4.
    const s = dim.up - 4;
    expect(s).toBeCloseTo(0.0025 * 64.436, 3);
    expect(dim.lo).toBe(-dim.up);
    expect(dim.relative.within).toBe(4);
    expect(dim.relative.rateBound).toBeLessThan(4 - s);
    expect(dim.relative.rateBound).toBeCloseTo(4 - s, 12);
    const statement = statementOf(model, 150);
    expect(statement).toContain('delayed-command offset in');
    expect(statement).toContain(`|u(x+) - u(x)| <= ${dim.relative.rateBound}`);
    expect(statement).toContain('within 4 of u(x)');
    expect(modelHashes(model).uncertainty).not.toBe(modelHashes(await rig()).uncertainty);
  });

  it('refuses a bound without a delay, or one the estimate error`s command shift uses up', async () => {
    const json = (await rig(4)).source;
    expect(() =>
      parseModel(
        {
          ...json,
          uncertainty: { ...json.uncertainty!, input_delay: 0 },
          assumptions: { ...json.assumptions!, delay: 0 },
        },
        'rig.json',
      ),
    ).toThrow(
      'rig.json: uncertainty.previous_command_within needs uncertainty.input_delay > 0 (it bounds the delayed command)',
    );
    expect(() =>
      parseModel(
        { ...json, uncertainty: { ...json.uncertainty!, previous_command_within: 0.1 } },
        'rig.json',
      ),
    ).toThrow(
      /rig\.json: uncertainty\.previous_command_within 0\.1 must exceed the estimate error's command shift 0\.16/,
    );
  });

  it('applies u(x) + offset during the delayed substeps: the same period as the absolute model`s', async () => {
    const relative = new ForwardModel(await rig(4));
    const absolute = new ForwardModel(await rig());
    const k = relative.model.uncertainty.length - 1;
    const a = new Float64Array(4);
    const b = new Float64Array(4);
    fc.assert(
      fc.property(
        fc.tuple(
          fc.double({ min: -2, max: 2, noNaN: true }),
          fc.double({ min: -0.8, max: 0.8, noNaN: true }),
          fc.double({ min: -4, max: 4, noNaN: true }),
          fc.double({ min: -6, max: 6, noNaN: true }),
        ),
        fc.double({ min: -20, max: 20, noNaN: true }),
        fc.double({ min: -4, max: 4, noNaN: true }),
        (x, u, offset) => {
          relative.uncertain[k] = offset;
          absolute.uncertain[k] = u + offset;
          relative.stepOpenLoop(x, u, a);
          absolute.stepOpenLoop(x, u, b);
          for (let i = 0; i < 4; i++) expect(a[i]).toBe(b[i]);
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });

  it('the rate bounder contains |u(x⁺) − u(x)| sampled in every box, and is tight on small ones', async () => {
    const model = await rig(4);
    const dims = searchDim(model);
    const rate = new CommandRateBounder(model);
    const f = new ForwardModel(model);
    const next = new Float64Array(4);
    let tight = 0;
    let small = 0;
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: dims, maxLength: dims }),
        fc.double({ min: -4, max: -0.5, noNaN: true }),
        fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: dims, maxLength: dims }), {
          minLength: 1,
          maxLength: 8,
        }),
        (centre, logWidth, points) => {
          const { lo, hi } = boxIn(model, centre, logWidth);
          const bound = rate.upper(lo, hi);
          let sampled = 0;
          for (const p of points) {
            const x = Array.from(lo, (l, i) => l + p[i]! * (hi[i]! - l));
            const r = commandRateAt(f, x, next);
            expect(r).toBeLessThanOrEqual(bound + 1e-12);
            expect(rate.lowerAt(x)).toBeLessThanOrEqual(r + 1e-12);
            sampled = Math.max(sampled, r);
          }
          if (logWidth < -3) {
            small++;
            if (bound <= sampled + 0.05) tight++;
          }
        },
      ),
      { numRuns: 300, seed: 8 },
    );
    // On boxes a thousandth of B wide the bound is within 0.05 N of what the box attains.
    expect(small).toBeGreaterThan(50);
    expect(tight).toBe(small);
  });

  it('a bound the loop cannot keep is refuted with a confirmed command-rate counterexample', async () => {
    const model = await rig(1);
    const { certificate } = await certify(model, { workers: 1 });
    expect(certificate.result).toBe('counterexample');
    expect(certificate.counterexample?.reason).toBe('command-rate');
    const x = certificate.counterexample!.x;
    const f = new ForwardModel(model);
    expect(f.value(x)).toBeLessThanOrEqual(150);
    expect(commandRateAt(f, x, new Float64Array(4))).toBeGreaterThan(new CommandRateBounder(model).limit);
  });

  it('verifies the MuJoCo cart-pole with a 4 ms delay and the previous command within 1 N, and not without the bound', async () => {
    const model = await simWithDelay(10, 2, 1);
    const { certificate } = await certify(model, { workers: 1, timeLimitSeconds: 240 });
    expect(certificate.result).toBe('verified');
    expect(certificate.statement).toContain('|u(x+) - u(x)| <= 1');
    // The same loop with the previous command anywhere in ±20 N: V can rise.
    const json = model.source;
    const anywhere = parseModel(
      { ...json, uncertainty: { input_delay: 0.004 }, assumptions: { ...json.assumptions!, delay: 0.004 } },
      'sim-delay.json',
    );
    expect((await certify(anywhere, { workers: 1, timeLimitSeconds: 60 })).certificate.result).toBe(
      'counterexample',
    );
  }, 300_000);
});
