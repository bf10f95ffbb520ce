import { describe, expect, it } from 'vitest';
import { parseDynamics } from '../../sim/dynamics.ts';
import { createEnv } from '../../sim/envs/index.ts';
import { SimModel } from '../../sim/model.ts';

/** Observations of a fixed open-loop rollout under some dynamics parameters. */
async function trajectory(
  model: string,
  dynamics: unknown,
  steps = 100,
  options: { controlDt?: number } = {},
): Promise<Float64Array> {
  const e = await createEnv(model, { dynamics, resetNoise: 0, ...options });
  try {
    const o = e.observation.signals.length;
    const a = e.action.signals.length;
    const obs = new Float64Array(o);
    const act = new Float64Array(a);
    const out = new Float64Array(o * steps);
    e.reset(obs, 0);
    for (let k = 0; k < steps; k++) {
      for (let i = 0; i < a; i++)
        act[i] = 0.3 * Math.sin(0.2 * k + i) * Math.min(1, e.action.signals[i]!.upper);
      e.step(act, obs);
      out.set(obs, k * o);
    }
    return out;
  } finally {
    e.dispose();
  }
}

function maxDifference(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('dynamics parameters', () => {
  const cases: [string, string, unknown][] = [
    ['gravity vector', 'pendulum', { gravity: [0, 0, -5] }],
    ['gravity scale', 'cartpole', { gravityScale: 1.5 }],
    ['friction scale', 'hopper', { frictionScale: 0.1 }],
    ['mass scale (all bodies)', 'cartpole', { massScale: 2 }],
    ['mass scale (one body)', 'cartpole', { massScale: { pole: 3 } }],
    ['damping scale', 'pendulum', { dampingScale: 20 }],
    ['actuator gain scale', 'cartpole', { actuatorGainScale: 0.5 }],
    ['gear scale', 'arm', { gearScale: 0.5 }],
    ['timestep', 'cartpole', { timestep: 0.001 }],
    ['action delay', 'cartpole', { actionDelay: 2 }],
    ['observation noise', 'pendulum', { observationNoise: 0.01 }],
  ];
  for (const [what, model, dynamics] of cases) {
    it(`${what} changes the ${model} trajectory`, async () => {
      const nominal = await trajectory(model, {});
      const changed = await trajectory(model, dynamics);
      expect(maxDifference(nominal, changed)).toBeGreaterThan(1e-4);
      // And the nominal run itself is reproducible, so the difference is the parameter's doing.
      expect(maxDifference(nominal, await trajectory(model, {}))).toBe(0);
    });
  }

  it('delays actions by whole control ticks', async () => {
    const e = await createEnv('cartpole', { dynamics: { actionDelay: 2 }, resetNoise: 0 });
    const obs = new Float64Array(4);
    e.reset(obs);
    const applied: number[] = [];
    for (const force of [5, 6, 7, 8]) {
      e.step(Float64Array.of(force), obs);
      applied.push(e.appliedAction[0]!);
    }
    expect(applied).toEqual([0, 0, 5, 6]);
    e.dispose();
  });

  it('adds observation noise without touching the physical state', async () => {
    const noisy = await createEnv('pendulum', { dynamics: { observationNoise: [0.1, 0] }, resetNoise: 0 });
    const clean = await createEnv('pendulum', { resetNoise: 0 });
    const a = new Float64Array(2);
    const b = new Float64Array(2);
    noisy.reset(a, 3);
    clean.reset(b, 3);
    for (let k = 0; k < 20; k++) {
      noisy.step(new Float64Array(1), a);
      clean.step(new Float64Array(1), b);
    }
    expect(a[0]).not.toBe(b[0]);
    expect(a[1]).toBe(b[1]); // zero std for the second signal
    expect(Array.from(noisy.data.qpos)).toEqual(Array.from(clean.data.qpos));
    noisy.dispose();
    clean.dispose();
  });

  it('mass changes go through mj_setConst (derived constants follow)', async () => {
    const nominal = await SimModel.load('cartpole');
    const heavy = nominal.withDynamics({ massScale: { pole: 4 } });
    const pole = heavy.id('body', 'pole');
    const cart = heavy.id('body', 'cart');
    expect(heavy.model.body_mass[pole]).toBeCloseTo(4 * nominal.model.body_mass[pole]!, 12);
    // body_subtreemass is computed by mj_setConst; it must include the heavier pole.
    expect(heavy.model.body_subtreemass[cart]).toBeCloseTo(1 + 0.4, 12);
    expect(nominal.model.body_subtreemass[cart]).toBeCloseTo(1.1, 12);
    // The pristine model stays untouched and randomising twice does not compound.
    const again = heavy.withDynamics({ massScale: { pole: 4 } });
    expect(again.model.body_mass[pole]).toBeCloseTo(heavy.model.body_mass[pole]!, 12);
    for (const s of [again, heavy, nominal]) s.dispose();
  });

  it('rejects bad parameters with the field and the expectation', () => {
    expect(() => parseDynamics({ timestep: -1 })).toThrow(/dynamics\.timestep: .*>0/);
    expect(() => parseDynamics({ gravity: [0, 0] })).toThrow(/dynamics\.gravity/);
    expect(() => parseDynamics({ frictionScale: 1, bogus: 2 })).toThrow(/bogus/);
    expect(() => parseDynamics({ actionDelay: 1.5 })).toThrow(/dynamics\.actionDelay/);
  });

  it('rejects an unknown body in massScale, listing the bodies', async () => {
    await expect(SimModel.load('cartpole', { massScale: { wheel: 2 } })).rejects.toThrow(
      "no body named 'wheel' (known: world, cart, pole)",
    );
  });

  it('rejects observation noise of the wrong length', async () => {
    await expect(createEnv('pendulum', { dynamics: { observationNoise: [0.1, 0.1, 0.1] } })).rejects.toThrow(
      /observationNoise has 3 values, expected 2/,
    );
  });
});
