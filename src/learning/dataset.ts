import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ReplayBuffer } from './replay.ts';

/**
 * A fixed log of real transitions (s, a, r, s', terminated) in columns. Stored on disk either as an
 * MCAP log from the runtime (rewards recomputed by the environment's reward function, since the
 * runtime logs no reward) or as the columnar JSON file below, which is what the river-crossing real
 * logs ship in:
 *
 *   { "format": "tether.transitions/1", "observationSize": O, "actionSize": A, "size": N,
 *     "observations": [N·O numbers, row-major], "actions": [N·A], "rewards": [N],
 *     "nextObservations": [N·O], "terminated": [N numbers, 0 or 1], "meta": { ... optional } }
 */
export interface TransitionDataset {
  readonly observationSize: number;
  readonly actionSize: number;
  readonly size: number;
  readonly observations: Float64Array;
  readonly actions: Float64Array;
  readonly rewards: Float64Array;
  readonly nextObservations: Float64Array;
  readonly terminated: Float64Array;
  readonly meta?: Record<string, unknown>;
}

export const COLUMNAR_FORMAT = 'tether.transitions/1';

/** Reward of one logged transition, for sources (MCAP) that do not record one. */
export type RewardFunction = (obs: Float64Array, action: Float64Array, nextObs: Float64Array) => number;

/** Throws a message naming the source and what was expected, before any training starts. */
export function validateDataset(
  dataset: TransitionDataset,
  expected: { observationSize: number; actionSize: number },
  source: string,
): void {
  if (dataset.size === 0) throw new Error(`dataset ${source} is empty: expected at least one transition`);
  if (dataset.observationSize !== expected.observationSize || dataset.actionSize !== expected.actionSize) {
    throw new Error(
      `dataset ${source} has observations of size ${dataset.observationSize} and actions of size ` +
        `${dataset.actionSize}, but the environment expects ${expected.observationSize} and ${expected.actionSize}`,
    );
  }
  const columns: [string, Float64Array, number][] = [
    ['observations', dataset.observations, dataset.observationSize],
    ['actions', dataset.actions, dataset.actionSize],
    ['rewards', dataset.rewards, 1],
    ['nextObservations', dataset.nextObservations, dataset.observationSize],
    ['terminated', dataset.terminated, 1],
  ];
  for (const [name, column, width] of columns) {
    if (column.length !== dataset.size * width) {
      throw new Error(
        `dataset ${source}: column ${name} has ${column.length} values, expected ${dataset.size} × ${width}`,
      );
    }
    for (let i = 0; i < column.length; i++) {
      if (!Number.isFinite(column[i]!)) {
        const row = Math.floor(i / width);
        throw new Error(
          `dataset ${source}: ${name} of transition ${row} is ${column[i]}, expected a finite number`,
        );
      }
    }
  }
}

export async function loadDataset(path: string, rewardOf?: RewardFunction): Promise<TransitionDataset> {
  const extension = extname(path).toLowerCase();
  if (extension === '.mcap') return loadMcap(path, rewardOf);
  if (extension === '.json') return parseColumnar(JSON.parse(await readFile(path, 'utf8')), path);
  throw new Error(
    `dataset ${path}: unknown format '${extension}', expected .json (${COLUMNAR_FORMAT}) or .mcap`,
  );
}

export function parseColumnar(raw: unknown, source: string): TransitionDataset {
  if (typeof raw !== 'object' || raw === null) throw new Error(`dataset ${source}: expected a JSON object`);
  const r = raw as Record<string, unknown>;
  if (r['format'] !== COLUMNAR_FORMAT) {
    throw new Error(
      `dataset ${source}: format is ${JSON.stringify(r['format'])}, expected "${COLUMNAR_FORMAT}"`,
    );
  }
  const integer = (key: string): number => {
    const value = r[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new Error(
        `dataset ${source}: ${key} must be a non-negative integer, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  };
  const column = (key: string): Float64Array => {
    const value = r[key];
    if (!Array.isArray(value)) throw new Error(`dataset ${source}: ${key} must be an array of numbers`);
    // JSON has no NaN: a null stands for a missing or non-finite value and is rejected by validation.
    return Float64Array.from(value, (v) => (typeof v === 'number' ? v : Number.NaN));
  };
  const meta = r['meta'];
  return {
    observationSize: integer('observationSize'),
    actionSize: integer('actionSize'),
    size: integer('size'),
    observations: column('observations'),
    actions: column('actions'),
    rewards: column('rewards'),
    nextObservations: column('nextObservations'),
    terminated: column('terminated'),
    ...(typeof meta === 'object' && meta !== null ? { meta: meta as Record<string, unknown> } : {}),
  };
}

export async function saveColumnar(path: string, dataset: TransitionDataset, digits = 6): Promise<void> {
  const round = (x: Float64Array): number[] => Array.from(x, (v) => Number(v.toFixed(digits)));
  const body = {
    format: COLUMNAR_FORMAT,
    observationSize: dataset.observationSize,
    actionSize: dataset.actionSize,
    size: dataset.size,
    meta: dataset.meta ?? {},
    observations: round(dataset.observations),
    actions: round(dataset.actions),
    rewards: round(dataset.rewards),
    nextObservations: round(dataset.nextObservations),
    terminated: Array.from(dataset.terminated),
  };
  await writeFile(path, `${JSON.stringify(body)}\n`);
}

async function loadMcap(path: string, rewardOf?: RewardFunction): Promise<TransitionDataset> {
  if (rewardOf === undefined) {
    throw new Error(
      `dataset ${path}: MCAP logs carry no reward; this environment has no reward function to recompute it`,
    );
  }
  const { readLog } = await import('../logging/reader.ts');
  const { toTransitions } = await import('../logging/transitions.ts');
  const t = toTransitions(await readLog(path));
  const O = t.observationSize;
  const A = t.actionSize;
  const rewards = new Float64Array(t.count);
  for (let i = 0; i < t.count; i++) {
    rewards[i] = rewardOf(
      t.observations.subarray(i * O, (i + 1) * O),
      t.actions.subarray(i * A, (i + 1) * A),
      t.nextObservations.subarray(i * O, (i + 1) * O),
    );
  }
  return {
    observationSize: O,
    actionSize: A,
    size: t.count,
    observations: t.observations,
    actions: t.actions,
    rewards,
    nextObservations: t.nextObservations,
    terminated: Float64Array.from(t.dones),
    meta: { source: path },
  };
}

/** Copies a dataset into a replay buffer of exactly its size (the offline half of every batch). */
export function datasetToBuffer(dataset: TransitionDataset): ReplayBuffer {
  const buffer = new ReplayBuffer(dataset.size, dataset.observationSize, dataset.actionSize);
  for (let i = 0; i < dataset.size; i++) {
    buffer.add(
      dataset.observations,
      dataset.actions,
      dataset.rewards[i]!,
      dataset.nextObservations,
      dataset.terminated[i] === 1,
      i,
    );
  }
  return buffer;
}
