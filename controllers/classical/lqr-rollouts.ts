import { createEnv } from '../../sim/envs/index.ts';
import { Rng } from '../../src/core/rng.ts';
import type { LqrController } from './lqr.ts';

export interface RolloutOptions {
  readonly episodes: number;
  readonly steps: number;
  /** Multiplies the task's initial-state randomisation (wide starts teach recovery). */
  readonly resetNoise: number;
  /** Std of the force noise added to what is applied (not to what is recorded), N. */
  readonly explorationStd: number;
  readonly seed: number;
  /** Control period; default: the model's rate. */
  readonly controlDt?: number;
}

/**
 * Rollouts of a configured LQR on the MuJoCo cartpole with noisy applied forces: the states visited
 * and the clean LQR force in each, the data a policy is distilled from.
 */
export async function noisyLqrRollouts(
  lqr: LqrController,
  o: RolloutOptions,
): Promise<{ x: Float64Array; u: Float64Array }> {
  const env = await createEnv('cartpole', {
    task: 'balance',
    resetNoise: o.resetNoise,
    seed: o.seed,
    ...(o.controlDt !== undefined ? { controlDt: o.controlDt } : {}),
  });
  const rng = new Rng(o.seed);
  const states: number[] = [];
  const forces: number[] = [];
  const obs = new Float64Array(4);
  const next = new Float64Array(4);
  const clean = new Float64Array(1);
  const applied = new Float64Array(1);
  try {
    for (let e = 0; e < o.episodes; e++) {
      env.reset(obs, o.seed + e);
      for (let t = 0; t < o.steps; t++) {
        lqr.update(obs, t * env.dt, clean);
        states.push(...obs);
        forces.push(clean[0]!);
        applied[0] = clean[0]! + o.explorationStd * rng.normal();
        const result = env.step(applied, next);
        obs.set(next);
        if (result.terminated) break;
      }
    }
  } finally {
    env.dispose();
  }
  return { x: Float64Array.from(states), u: Float64Array.from(forces) };
}
