import { describe, expect, it } from 'vitest';
import { controllerPlugins } from '../../app/plugins.ts';
import { ConstantController } from '../../controllers/basic/constant.ts';
import { diagonal, multiply, transpose } from '../../controllers/classical/linalg.ts';
import { holdOverSteps, linearizePhysicsStep } from '../../controllers/classical/linearize.ts';
import { LqrController, lqrControllerPlugin, solveDiscreteRiccati } from '../../controllers/classical/lqr.ts';
import { createEnv } from '../../sim/envs/index.ts';
import { SimModel } from '../../sim/model.ts';
import { closedLoop, configureFor } from './closed-loop.ts';

describe('LQR', () => {
  it('is registered as controller kind `lqr`', () => {
    expect(controllerPlugins).toContain(lqrControllerPlugin);
  });

  it('solves the discrete Riccati equation (the fixed point holds)', async () => {
    const sim = await SimModel.load('cartpole');
    const sys = holdOverSteps(linearizePhysicsStep(sim, [0, 0], [0]), 10);
    sim.dispose();
    const Q = diagonal([1, 10, 1, 1]);
    const R = diagonal([0.1]);
    const { P, K } = solveDiscreteRiccati(sys, Q, R);
    const { A, B } = sys;
    // Residual of P = Q + A'P(A - BK).
    const closed = A.map((v, i) => v - multiply(B, K, 4, 1, 4)[i]!);
    const rhs = multiply(multiply(transpose(A, 4, 4), P, 4, 4, 4), closed, 4, 4, 4).map((v, i) => v + Q[i]!);
    for (let i = 0; i < 16; i++)
      expect(Math.abs(rhs[i]! - P[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(P[i]!)));
    // The upright cartpole is unstable open loop and stable closed loop.
    expect(spectralRadius(A, 4)).toBeGreaterThan(1);
    expect(spectralRadius(closed, 4)).toBeLessThan(1);
  });

  it('keeps the pendulum upright for 10 s from a 0.3 rad push, with saturated torque', async () => {
    const env = await createEnv('pendulum', { initialState: { qpos: [0.3], qvel: [0.5] }, resetNoise: 0 });
    const lqr = new LqrController({ model: 'pendulum', q: [10, 1], r: [0.1] });
    await configureFor(lqr, env);
    let worstLate = 0;
    const final = await closedLoop(env, lqr, 10, (obs, t) => {
      if (t > 5) worstLate = Math.max(worstLate, Math.abs(obs[0]!));
    });
    expect(worstLate).toBeLessThan(1e-3);
    expect(Math.abs(final[1]!)).toBeLessThan(1e-3);
    env.dispose();
  });

  it('keeps the cartpole upright and centred for 10 s from a perturbed start', async () => {
    const env = await createEnv('cartpole', {
      initialState: { qpos: [0.3, 0.2], qvel: [0, -0.3] },
      resetNoise: 0,
    });
    const lqr = new LqrController({ model: 'cartpole', q: [1, 10, 1, 1], r: [0.1] });
    await configureFor(lqr, env);
    let worstAngle = 0;
    const final = await closedLoop(env, lqr, 10, (obs) => {
      worstAngle = Math.max(worstAngle, Math.abs(obs[1]!));
    });
    expect(worstAngle).toBeLessThan(0.3);
    expect(Math.abs(final[0]!)).toBeLessThan(0.01);
    expect(Math.abs(final[1]!)).toBeLessThan(0.001);
    env.dispose();
  });

  it('the same start falls without it (the test can fail)', async () => {
    const env = await createEnv('cartpole', {
      initialState: { qpos: [0.3, 0.2], qvel: [0, -0.3] },
      resetNoise: 0,
    });
    const idle = new ConstantController([0]);
    await configureFor(idle, env);
    let worstAngle = 0;
    await closedLoop(env, idle, 3, (obs) => {
      worstAngle = Math.max(worstAngle, Math.abs(obs[1]!));
    });
    expect(worstAngle).toBeGreaterThan(1);
    env.dispose();
  });

  it('refuses a robot whose observation is not the model state', async () => {
    const env = await createEnv('pendulum');
    const lqr = new LqrController({ model: 'cartpole' });
    await expect(configureFor(lqr, env)).rejects.toThrow(/observation has 2 signals, expected 4/);
    const badWeights = new LqrController({ model: 'pendulum', q: [1, 1, 1] });
    await expect(configureFor(badWeights, env)).rejects.toThrow(/q has 3 weights, expected 2/);
    await expect(configureFor(new LqrController({ model: 'pendelum' }), env)).rejects.toThrow(/known models/);
    env.dispose();
  });

  it('validates its options with zod', () => {
    expect(lqrControllerPlugin.schema.safeParse({ model: 'cartpole', r: [0] }).success).toBe(false);
    expect(lqrControllerPlugin.schema.safeParse({ model: 'cartpole', gain: 3 }).success).toBe(false);
  });
});

/** Spectral radius by Gelfand's formula rho(A) = lim ||A^k||^(1/k), with k = 2^10 by repeated squaring. */
function spectralRadius(A: Float64Array, n: number): number {
  let M: Float64Array = A.slice();
  let logScale = 0;
  let k = 1;
  for (let i = 0; i < 10; i++) {
    M = multiply(M, M, n, n, n);
    k *= 2;
    const norm = Math.sqrt(M.reduce((s, v) => s + v * v, 0));
    logScale = 2 * logScale + Math.log(norm);
    M = M.map((v) => v / norm);
  }
  return Math.exp(logScale / k);
}
