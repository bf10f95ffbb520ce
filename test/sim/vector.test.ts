import { describe, expect, it } from 'vitest';
import { createEnv } from '../../sim/envs/index.ts';
import { VectorEnv } from '../../sim/vector.ts';

describe('vector runner', () => {
  it('matches single-thread stepping bit for bit, including auto-resets', async () => {
    const numEnvs = 3;
    const vector = await VectorEnv.create('cartpole', { numEnvs, workers: 2, seed: 40 });
    const singles = await Promise.all(Array.from({ length: numEnvs }, () => createEnv('cartpole')));
    try {
      const o = vector.observation.signals.length;
      const a = vector.action.signals.length;
      const obs = singles.map(() => new Float64Array(o));
      await vector.reset(40);
      for (const [i, env] of singles.entries()) env.reset(obs[i]!, 40 + i);
      let episodesEnded = 0;
      for (let k = 0; k < 200; k++) {
        for (let i = 0; i < numEnvs; i++) vector.views.actions[i * a] = 15 * Math.sin(0.3 * k + i);
        if (k % 2 === 0) await vector.step();
        else vector.stepSync();
        for (let i = 0; i < numEnvs; i++) {
          const result = singles[i]!.step(vector.views.actions.subarray(i * a, i * a + a), obs[i]!);
          expect(vector.views.rewards[i]).toBe(result.reward);
          expect(vector.views.terminated[i]).toBe(result.terminated ? 1 : 0);
          expect(Array.from(vector.views.finalObservations.subarray(i * o, i * o + o))).toEqual(
            Array.from(obs[i]!),
          );
          if (result.terminated || result.truncated) {
            episodesEnded++;
            singles[i]!.reset(obs[i]!);
          }
          expect(Array.from(vector.views.observations.subarray(i * o, i * o + o))).toEqual(
            Array.from(obs[i]!),
          );
        }
      }
      expect(episodesEnded).toBeGreaterThan(0);
    } finally {
      await vector.close();
      for (const env of singles) env.dispose();
    }
  });

  it('rejects an unknown model before starting workers', async () => {
    await expect(VectorEnv.create('cartpol', { numEnvs: 2 })).rejects.toThrow(/known models: pendulum/);
  });

  it('rejects an unknown task before starting workers', async () => {
    await expect(VectorEnv.create('cartpole', { numEnvs: 2, task: 'juggle' })).rejects.toThrow(
      /unknown task 'juggle'/,
    );
  });
});
