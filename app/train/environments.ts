import path from 'node:path';
import { type EnvironmentPair, toLearnerActions } from '../../src/core/environment.ts';
import { loadDataset } from '../../src/learning/dataset.ts';
import type { TrainConfig } from '../../src/learning/train-config.ts';
import type { Transitions } from '../../src/learning/transitions.ts';
import { environmentPlugins } from '../plugins.ts';

/** The (simulator, real) pair a training config names, made by its environment plugin. */
export async function environmentPairOf(config: TrainConfig): Promise<EnvironmentPair> {
  const { kind, options } = config.environment;
  const plugin = environmentPlugins.find((p) => p.kind === kind);
  if (plugin === undefined) throw new Error(`${config.file}: environment: unknown kind '${kind}'`);
  return plugin.create(options, { baseDir: path.dirname(config.file) });
}

/**
 * The config's real log (null for sim-only SAC). A run log (.mcap) records the robot's commands and
 * no reward, so the pair recomputes the rewards and its action map turns the commands into the
 * learner's action units; a columnar log is already in those units and carries its rewards.
 */
export async function realDatasetOf(config: TrainConfig, pair: EnvironmentPair): Promise<Transitions | null> {
  if (config.dataset === undefined) return null;
  const dataset = await loadDataset(config.dataset, pair.reward);
  if (path.extname(config.dataset).toLowerCase() === '.mcap') toLearnerActions(pair.actionMap, dataset.act);
  return dataset;
}
