import { describe, expect, it } from 'vitest';
import { mujocoGapPair } from '../../sim/gaps/pair.ts';
import type { Environment, EnvironmentPair } from '../../src/core/environment.ts';
import { algorithms } from '../../src/learning/learner.ts';
import { Trainer, type TrainerOptions } from '../../src/learning/trainer.ts';

/**
 * The MuJoCo gap pairs' morphology gaps (a joint the simulator thinks stronger, lighter bodies) on
 * the real physics, and the oracle's switch that makes a trainer collect on the real system.
 */

/** The cart's speed after `steps` full pushes from the same start, on one side of a pair. */
async function speedAfterPush(make: (seed: number) => Environment | Promise<Environment>, steps: number) {
  const env = await make(3);
  const obs = new Float64Array(env.observation.signals.length);
  env.reset(obs, 11);
  const push = Float64Array.of(1);
  for (let t = 0; t < steps; t++) env.step(push, obs);
  env.dispose?.();
  return obs[2]!; // cart.vel
}

describe('MuJoCo gap pairs', () => {
  it('a gear gap makes the simulated motor stronger than the real one, by the strength', async () => {
    const pair = await mujocoGapPair({ model: 'cartpole', task: 'balance', gap: 'gear', strength: 2 });
    const [sim, real] = [
      await speedAfterPush((s) => pair.sim(s), 3),
      await speedAfterPush((s) => pair.real(s), 3),
    ];
    expect(pair.name).toBe('cartpole(gear gap ×2)');
    expect(real).toBeGreaterThan(0);
    // Double the force on the same cart and pole: nearly double the speed after a short push.
    expect(sim / real).toBeGreaterThan(1.8);
    expect(sim / real).toBeLessThan(2.2);
  });

  it('a mass gap makes every simulated body lighter, so the same push moves it faster', async () => {
    const pair = await mujocoGapPair({ model: 'cartpole', task: 'balance', gap: 'mass' });
    const [sim, real] = [
      await speedAfterPush((s) => pair.sim(s), 3),
      await speedAfterPush((s) => pair.real(s), 3),
    ];
    expect(pair.name).toBe('cartpole(mass gap ×0.5)');
    expect(sim / real).toBeGreaterThan(1.8);
  });

  it('a trainer with onlineIn real collects on the real system and never builds a simulator (the oracle)', async () => {
    const pair = await mujocoGapPair({ model: 'cartpole', task: 'balance', gap: 'gear', strength: 2 });
    const made = { sim: 0, real: 0 };
    const counted: EnvironmentPair = {
      ...pair,
      sim: (seed) => {
        made.sim += 1;
        return pair.sim(seed);
      },
      real: (seed) => {
        made.real += 1;
        return pair.real(seed);
      },
    };
    const options = (onlineIn: 'simulator' | 'real'): TrainerOptions => ({
      algorithm: 'sac',
      hyperparameters: algorithms.sac.hyperparameters.parse({ hidden: [8, 8], batchSize: 16 }),
      seed: 0,
      updates: 4,
      chunk: 4,
      startSteps: 8,
      numEnvs: 2,
      onlineIn,
      evalEvery: 1000,
      evalEpisodes: 1,
    });
    const oracle = await Trainer.create(options('real'), counted, null);
    oracle.runChunk();
    expect(made).toEqual({ sim: 0, real: 3 }); // two collecting copies and the evaluation one
    expect(oracle.collected().size).toBeGreaterThanOrEqual(8);
    oracle.dispose();
    const usual = await Trainer.create(options('simulator'), counted, null);
    expect(made).toEqual({ sim: 2, real: 4 });
    usual.dispose();
  });
});
