import path from 'node:path';
import { riverPair } from '../../sim/river/pair.ts';
import { loadDataset } from '../../src/learning/dataset.ts';
import { riverConfigOf, type TrainConfig } from '../../src/learning/train-config.ts';
import type { EnvironmentPair } from '../../src/learning/trainer.ts';
import type { Transitions } from '../../src/learning/transitions.ts';

/** The (simulator, real) pair a training config names. */
export async function environmentPairOf(config: TrainConfig): Promise<EnvironmentPair> {
  switch (config.environment.kind) {
    case 'river-crossing':
      return riverPair(riverConfigOf(config));
    case 'mujoco-gap': {
      const { mujocoGapPair } = await import('../../sim/gaps/pair.ts');
      return mujocoGapPair(config.environment);
    }
  }
}

/** Loads the config's real log (null for sim-only SAC), resolving its path against the config file. */
export async function realDatasetOf(config: TrainConfig): Promise<Transitions | null> {
  if (config.dataset === undefined) return null;
  const file = path.resolve(config.baseDir, config.dataset);
  const rewardOf =
    config.environment.kind === 'river-crossing'
      ? (() => {
          const river = riverConfigOf(config);
          return (_obs: Float64Array, _action: Float64Array, next: Float64Array) =>
            -Math.hypot(next[0]! - river.goalX, next[1]! - river.goalY);
        })()
      : undefined;
  try {
    return await loadDataset(file, rewardOf);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`dataset ${file} does not exist`);
    throw error;
  }
}
