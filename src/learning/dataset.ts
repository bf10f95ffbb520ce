import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ReplayBuffer } from './replay.ts';
import { type RewardFunction, type Transitions, toTransitions } from './transitions.ts';

/**
 * Real datasets: fixed sets of transitions to learn from, stored either as an MCAP log from the
 * runtime (rewards recomputed by the environment's reward function, since the runtime logs no
 * reward) or as the columnar JSON file below, which is what the river-crossing real logs ship in:
 *
 *   { "format": "tether.transitions/1", "observationSize": O, "actionSize": A, "size": N,
 *     "observations": [N·O numbers, row-major], "actions": [N·A], "rewards": [N],
 *     "nextObservations": [N·O], "terminated": [N numbers, 0 or 1], "meta": { ... optional } }
 *
 * The file's keys predate the in-memory names (`Transitions`: obs, act, reward, nextObs,
 * terminated); they stay as they are so committed datasets keep loading.
 */
export const COLUMNAR_FORMAT = 'tether.transitions/1';

/** Throws a message naming the source and what was expected, before any training starts. */
export function validateDataset(
  dataset: Transitions,
  expected: { obsSize: number; actSize: number },
  source: string,
): void {
  if (dataset.size === 0) throw new Error(`dataset ${source} is empty: expected at least one transition`);
  if (dataset.obsSize !== expected.obsSize || dataset.actSize !== expected.actSize) {
    throw new Error(
      `dataset ${source} has observations of size ${dataset.obsSize} and actions of size ` +
        `${dataset.actSize}, but the environment expects ${expected.obsSize} and ${expected.actSize}`,
    );
  }
  const columns: [string, Float64Array, number][] = [
    ['obs', dataset.obs, dataset.obsSize],
    ['act', dataset.act, dataset.actSize],
    ['reward', dataset.reward, 1],
    ['nextObs', dataset.nextObs, dataset.obsSize],
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

export async function loadDataset(path: string, rewardOf?: RewardFunction): Promise<Transitions> {
  const extension = extname(path).toLowerCase();
  if (extension === '.mcap') return loadMcap(path, rewardOf);
  if (extension === '.json') return parseColumnar(JSON.parse(await readFile(path, 'utf8')), path);
  throw new Error(
    `dataset ${path}: unknown format '${extension}', expected .json (${COLUMNAR_FORMAT}) or .mcap`,
  );
}

export function parseColumnar(raw: unknown, source: string): Transitions {
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
    obsSize: integer('observationSize'),
    actSize: integer('actionSize'),
    size: integer('size'),
    obs: column('observations'),
    act: column('actions'),
    reward: column('rewards'),
    nextObs: column('nextObservations'),
    terminated: column('terminated'),
    ...(typeof meta === 'object' && meta !== null ? { meta: meta as Record<string, unknown> } : {}),
  };
}

export async function saveColumnar(path: string, dataset: Transitions, digits = 6): Promise<void> {
  const round = (x: Float64Array): number[] => Array.from(x, (v) => Number(v.toFixed(digits)));
  const body = {
    format: COLUMNAR_FORMAT,
    observationSize: dataset.obsSize,
    actionSize: dataset.actSize,
    size: dataset.size,
    meta: dataset.meta ?? {},
    observations: round(dataset.obs),
    actions: round(dataset.act),
    rewards: round(dataset.reward),
    nextObservations: round(dataset.nextObs),
    terminated: Array.from(dataset.terminated),
  };
  await writeFile(path, `${JSON.stringify(body)}\n`);
}

async function loadMcap(path: string, rewardOf?: RewardFunction): Promise<Transitions> {
  if (rewardOf === undefined) {
    throw new Error(
      `dataset ${path}: MCAP logs carry no reward; this environment has no reward function to recompute it`,
    );
  }
  // Loaded on demand: only MCAP datasets need the log reader (and @mcap/core).
  const { readLog } = await import('../logging/reader.ts');
  return toTransitions(await readLog(path), rewardOf);
}

/** Copies a dataset into a replay buffer of exactly its size (the offline half of every batch). */
export function datasetToBuffer(dataset: Transitions): ReplayBuffer {
  const buffer = new ReplayBuffer(dataset.size, dataset.obsSize, dataset.actSize);
  for (let i = 0; i < dataset.size; i++) {
    buffer.add(dataset.obs, dataset.act, dataset.reward[i]!, dataset.nextObs, dataset.terminated[i] === 1, i);
  }
  return buffer;
}
