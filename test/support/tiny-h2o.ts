import { generateRiverLog } from '../../sim/river/log.ts';
import { riverPair } from '../../sim/river/pair.ts';
import { riverDefaults } from '../../sim/river/river.ts';
import type { Engine } from '../../src/learning/engine.ts';
import { h2oDefaults } from '../../src/learning/h2o.ts';
import { Trainer } from '../../src/learning/trainer.ts';

const river = { ...riverDefaults, current: 1.2 };
const log = generateRiverLog(river, { episodes: 20, headingNoise: 0.7, randomFraction: 0.2, seed: 3 });

/**
 * A small H2O run on the river crossing (16-16 nets, 32-row batches, seed 2) on `engine`: what the
 * engine tests compare across runs and engines. Evaluates every `evalEvery` updates (default: once).
 */
export async function trainTinyH2o(
  engine: Engine,
  updates: number,
  evalEvery = updates,
): Promise<{ curve: number[]; actor: Float64Array }> {
  const t = await Trainer.create(
    {
      algorithm: 'h2o',
      seed: 2,
      updates,
      chunk: evalEvery,
      startSteps: 100,
      numEnvs: 2,
      evalEvery,
      evalEpisodes: 2,
      engine,
      hyperparameters: {
        ...h2oDefaults,
        hidden: [16, 16],
        discriminatorHidden: [16, 16],
        realBatch: 32,
        simBatch: 32,
        discriminatorBatch: 32,
        uSamples: 4,
      },
    },
    riverPair(river),
    log,
  );
  while (!t.done) t.runChunk();
  return {
    curve: t.history.map((h) => h.realReturn),
    actor: Float64Array.from(t.learner.stateArrays()['actor']!),
  };
}
