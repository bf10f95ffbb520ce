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
  if (config.datasets.length === 0) return null;
  const parts: Transitions[] = [];
  for (const file of config.datasets) {
    const dataset = await loadDataset(file, pair.reward);
    if (path.extname(file).toLowerCase() === '.mcap') toLearnerActions(pair.actionMap, dataset.act);
    parts.push(dataset);
  }
  return parts.length === 1 ? parts[0]! : joinTransitions(parts, config.datasets);
}

/** Several datasets of one environment as one (rows in order); sizes must agree. */
function joinTransitions(parts: readonly Transitions[], files: readonly string[]): Transitions {
  const first = parts[0]!;
  parts.forEach((p, i) => {
    if (p.obsSize !== first.obsSize || p.actSize !== first.actSize)
      throw new Error(
        `dataset ${files[i]} has ${p.obsSize} observations and ${p.actSize} actions, ${files[0]} has ${first.obsSize} and ${first.actSize}`,
      );
  });
  const cat = (pick: (t: Transitions) => Float64Array) => {
    const out = new Float64Array(parts.reduce((n, p) => n + pick(p).length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(pick(p), at);
      at += pick(p).length;
    }
    return out;
  };
  return {
    size: parts.reduce((n, p) => n + p.size, 0),
    obsSize: first.obsSize,
    actSize: first.actSize,
    obs: cat((t) => t.obs),
    act: cat((t) => t.act),
    reward: cat((t) => t.reward),
    nextObs: cat((t) => t.nextObs),
    terminated: cat((t) => t.terminated),
    meta: { sources: [...files] },
  };
}
