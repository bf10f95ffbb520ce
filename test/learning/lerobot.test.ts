import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { type FileMetaData, parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { main } from '../../app/cli/main.ts';
import { datasetTaskOf, pairOfTask } from '../../app/loop/task.ts';
import type { RobotInfo } from '../../src/core/robot.ts';
import { signal } from '../../src/core/spec.ts';
import { createTickRecord } from '../../src/core/tick.ts';
import { parseContract, resolveNormalizer } from '../../src/inference/contract.ts';
import { readLeRobotDataset, writeLeRobotDataset } from '../../src/learning/lerobot.ts';
import { type DatasetTask, type LogDataset, loadLogDataset } from '../../src/learning/log-dataset.ts';
import {
  float32VectorColumn,
  fromParquet,
  int64Column,
  stringListColumn,
  toParquet,
} from '../../src/learning/parquet.ts';
import { McapTickLogger } from '../../src/logging/tick-logger.ts';
import { SafetyFlag } from '../../src/safety/types.ts';

/**
 * LeRobotDataset v3 export and import on a dataset built from a real run log: the stock MuJoCo
 * cartpole (the "real" side of the gravity-gap task) pushed by a sinusoid until the pole falls, the
 * safety latch holding it for three ticks, reset, again; written by the tick logger and turned into
 * a dataset by `tether dataset build`. Every Parquet file is read back with hyparquet, a Parquet
 * implementation independent of the writer (Arrow's Rust one), and the Arrow schema stored in the
 * files with Arrow's JavaScript implementation.
 */

const section = { kind: 'mujoco-gap', model: 'cartpole', task: 'balance', gap: 'gravity', strength: 2 };
const origin = { what: 'test task', baseDir: process.cwd() };

let dir: string;
let config: string;
let datasetFile: string;
let exported: string;
let dataset: LogDataset;
let task: DatasetTask;

async function recordRun(file: string): Promise<void> {
  const pair = await pairOfTask(section, origin);
  const env = await pair.real(0);
  const O = env.observation.signals.length;
  const A = env.action.signals.length;
  // The environment steps in the learner's units; the robot is commanded in its own (N), as logged.
  const map = pair.actionMap[0]!;
  const robot: RobotInfo = {
    name: 'cartpole-stock',
    transport: 'sim',
    observation: env.observation,
    action: {
      signals: [signal(map.name, map.unit, map.offset - map.scale, map.offset + map.scale)],
      mode: 'torque',
      safe: [map.offset],
    },
    capabilities: { minRateHz: 1, maxRateHz: 1000, lockStep: true, features: [] },
  };
  const logger = await McapTickLogger.open(file, {
    robot,
    controller: 'push',
    config: { task: section },
    rateHz: Number((1 / env.dt).toPrecision(12)),
  });
  const record = createTickRecord(O, A);
  const obs = new Float64Array(O);
  const learnerAction = new Float64Array(A);
  env.reset(obs, 1);
  let latched = 0;
  let seed = 2;
  for (let t = 0; t < 400; t++) {
    record.tick = t;
    record.deadline = t * env.dt;
    record.observation.set(obs);
    const push = latched > 0 ? 0 : 0.3 * map.scale * (Math.sin(t / 6) + 0.5 * Math.sin(1.7 * t));
    record.action[0] = push;
    record.command[0] = push;
    record.safetyFlags = latched > 0 ? SafetyFlag.estop : 0;
    logger.writeTick(record);
    if (latched > 0) {
      if (--latched === 0) env.reset(obs, seed++);
      continue;
    }
    learnerAction[0] = (push - map.offset) / map.scale;
    if (env.step(learnerAction, obs).terminated) latched = 3;
  }
  await logger.close();
  env.dispose?.();
}

function quietly(): { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  return { out: () => out, err: () => err };
}

async function tether(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = quietly();
  const code = await main(['node', 'tether', ...args]);
  vi.restoreAllMocks();
  process.exitCode = undefined;
  return { code, out: io.out(), err: io.err() };
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tether-lerobot-'));
  const log = path.join(dir, 'run.mcap');
  await recordRun(log);
  config = path.join(dir, 'task.yaml');
  writeFileSync(config, stringify({ environment: section }));
  datasetFile = path.join(dir, 'dataset.json');
  const built = await tether('dataset', 'build', log, '-o', datasetFile);
  expect(built.code, built.err).toBe(0);
  dataset = await loadLogDataset(datasetFile);
  task = await datasetTaskOf(section, origin);
  exported = path.join(dir, 'lerobot');
  const run = await tether('dataset', 'export', datasetFile, '--format', 'lerobot', '-o', exported);
  expect(run.code, run.err).toBe(0);
  expect(run.out).toMatch(/lerobot v3: \d+ frames in \d+ episodes at 50 fps/);
}, 120_000);

function bytesOf(file: string): ArrayBuffer {
  const b = readFileSync(file);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

async function rows(file: string): Promise<Record<string, unknown>[]> {
  return parquetReadObjects({ file: bytesOf(file) });
}

function metadataOf(file: string): FileMetaData {
  return parquetMetadata(bytesOf(file));
}

/** The Arrow schema a Parquet file carries (`ARROW:schema`), decoded by Arrow's JavaScript reader. */
function arrowTypes(file: string): Record<string, string> {
  const entry = metadataOf(file).key_value_metadata?.find((k) => k.key === 'ARROW:schema');
  expect(entry, `${file}: ARROW:schema`).toBeDefined();
  const schema = tableFromIPC(Buffer.from(entry!.value!, 'base64')).schema;
  return Object.fromEntries(schema.fields.map((f) => [f.name, String(f.type)]));
}

/** Statistics recomputed here, from the rows hyparquet read. */
function stats(values: number[][]) {
  const n = values.length;
  const width = values[0]!.length;
  const mean = Array.from({ length: width }, (_, k) => values.reduce((s, v) => s + v[k]!, 0) / n);
  const std = mean.map((m, k) => Math.sqrt(values.reduce((s, v) => s + (v[k]! - m) ** 2, 0) / n));
  const min = mean.map((_, k) => Math.min(...values.map((v) => v[k]!)));
  const max = mean.map((_, k) => Math.max(...values.map((v) => v[k]!)));
  return { mean, std, min, max, count: [n] };
}

function expectClose(actual: readonly number[], expected: readonly number[], tolerance = 1e-9): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(Math.abs(a - expected[i]!), `[${i}] ${a} vs ${expected[i]}`).toBeLessThanOrEqual(
      tolerance * Math.max(1, Math.abs(expected[i]!)),
    );
  });
}

const column = (data: Record<string, unknown>[], key: string): number[][] =>
  data.map((r) => {
    const v = r[key];
    return Array.isArray(v) ? v.map(Number) : [Number(v)];
  });

describe('LeRobotDataset v3 export', () => {
  it('writes info.json, stats.json, tasks, episodes and frames that an independent reader reads as LeRobot declares them', async () => {
    const O = dataset.obsSize;
    const A = dataset.actSize;
    expect(dataset.episodes.length).toBeGreaterThan(2);
    const info = JSON.parse(readFileSync(path.join(exported, 'meta/info.json'), 'utf8'));
    expect(info).toMatchObject({
      codebase_version: 'v3.0',
      robot_type: 'cartpole-stock',
      total_episodes: dataset.episodes.length,
      total_frames: dataset.size,
      total_tasks: 1,
      chunks_size: 1000,
      fps: 50,
      splits: { train: `0:${dataset.episodes.length}` },
      data_path: 'data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet',
      video_path: null,
    });
    expect(info.features['observation.state']).toEqual({
      dtype: 'float32',
      shape: [O],
      names: task.observation,
      fps: 50,
    });
    expect(info.features.action.names).toEqual(task.actionMap.map((a) => a.name));
    expect(info.features['next.done']).toMatchObject({ dtype: 'bool', shape: [1] });
    for (const key of ['frame_index', 'episode_index', 'index', 'task_index'])
      expect(info.features[key]).toMatchObject({ dtype: 'int64', shape: [1], names: null });

    // Frames: the Parquet types and the Arrow types LeRobot's features become.
    const dataFile = path.join(exported, 'data/chunk-000/file-000.parquet');
    const schema = metadataOf(dataFile).schema;
    const element = (name: string) => schema.find((e) => e.name === name);
    expect(element('observation.state')?.converted_type).toBe('LIST');
    const leaf = schema[schema.findIndex((e) => e.name === 'observation.state') + 2];
    expect([leaf?.name, leaf?.type]).toEqual(['item', 'FLOAT']);
    expect(element('timestamp')?.type).toBe('FLOAT');
    expect(element('next.reward')?.type).toBe('FLOAT');
    expect(element('next.done')?.type).toBe('BOOLEAN');
    for (const key of ['frame_index', 'episode_index', 'index', 'task_index'])
      expect(element(key)?.type, key).toBe('INT64');
    const types = arrowTypes(dataFile);
    expect(types['observation.state']).toBe(`FixedSizeList[${O}]<Float32>`);
    expect(types.action).toBe(`FixedSizeList[${A}]<Float32>`);
    expect(types['next.observation.state']).toBe(`FixedSizeList[${O}]<Float32>`);
    expect(types.timestamp).toBe('Float32');
    expect(types.index).toBe('Int64');
    expect(types['next.done']).toBe('Bool');
    const hf = metadataOf(dataFile).key_value_metadata?.find((k) => k.key === 'huggingface');
    expect(JSON.parse(hf!.value!).info.features['observation.state']).toEqual({
      feature: { dtype: 'float32', _type: 'Value' },
      length: O,
      _type: 'Sequence',
    });

    const frames = await rows(dataFile);
    expect(frames).toHaveLength(dataset.size);
    const map = task.actionMap[0]!;
    frames.forEach((f, i) => {
      // One frame per transition, episodes in order (the build wrote them that way).
      expect(Number(f['index'])).toBe(i);
      expect(Number(f['episode_index'])).toBe(dataset.episode[i]);
      expect((f['observation.state'] as number[])[0]).toBe(Math.fround(dataset.obs[i * O]!));
      expect((f['next.observation.state'] as number[])[1]).toBe(Math.fround(dataset.nextObs[i * O + 1]!));
      expect((f['action'] as number[])[0]).toBe(Math.fround(map.scale * dataset.act[i]! + map.offset));
      expect(f['next.reward']).toBe(Math.fround(dataset.reward[i]!));
      expect(f['next.done']).toBe(dataset.terminated[i] === 1);
      expect(f['timestamp']).toBe(Math.fround(Number(f['frame_index']) / 50));
    });
    // Episode boundaries: frame_index restarts at 0 exactly where episode_index changes.
    for (let i = 1; i < frames.length; i++) {
      const same = frames[i]!['episode_index'] === frames[i - 1]!['episode_index'];
      expect(Number(frames[i]!['frame_index'])).toBe(same ? Number(frames[i - 1]!['frame_index']) + 1 : 0);
    }
    // The terminal flag marks the falls: the last frame of each episode that ended terminated.
    const doneEpisodes = dataset.episodes.filter((e) => e.end === 'terminated').length;
    expect(frames.filter((f) => f['next.done'] === true)).toHaveLength(doneEpisodes);
    expect(doneEpisodes).toBeGreaterThan(0);

    // stats.json against statistics recomputed from the frames hyparquet read.
    const written = JSON.parse(readFileSync(path.join(exported, 'meta/stats.json'), 'utf8'));
    for (const key of [
      'observation.state',
      'action',
      'next.observation.state',
      'next.reward',
      'timestamp',
      'frame_index',
      'index',
    ]) {
      const expected = stats(column(frames, key));
      for (const stat of ['mean', 'std', 'min', 'max'] as const)
        expectClose(written[key][stat], expected[stat], 1e-9);
      expect(written[key].count).toEqual([dataset.size]);
    }
    expect(written['next.done'].mean[0]).toBeCloseTo(doneEpisodes / dataset.size, 12);

    // Episodes metadata: lengths, where the frames are, the task, per-episode stats.
    const episodes = await rows(path.join(exported, 'meta/episodes/chunk-000/file-000.parquet'));
    expect(episodes).toHaveLength(dataset.episodes.length);
    episodes.forEach((e, k) => {
      const from = frames.findIndex((f) => Number(f['episode_index']) === k);
      const length = dataset.episodes[k]!.transitions;
      expect(Number(e['episode_index'])).toBe(k);
      expect(Number(e['length'])).toBe(length);
      expect(Number(e['dataset_from_index'])).toBe(from);
      expect(Number(e['dataset_to_index'])).toBe(from + length);
      expect(Number(e['data/chunk_index'])).toBe(0);
      expect(Number(e['data/file_index'])).toBe(0);
      expect(e['tasks']).toEqual([task.name]);
      const own = stats(column(frames.slice(from, from + length), 'observation.state'));
      expectClose((e['stats/observation.state/max'] as number[]).map(Number), own.max);
      expectClose((e['stats/observation.state/mean'] as number[]).map(Number), own.mean);
      expect((e['stats/observation.state/count'] as unknown[]).map(Number)).toEqual([length]);
    });

    // Tasks: a pandas frame indexed by the task text.
    const tasksFile = path.join(exported, 'meta/tasks.parquet');
    expect((await rows(tasksFile)).map((r) => [r['task'], Number(r['task_index'])])).toEqual([
      [task.name, 0],
    ]);
    const pandas = metadataOf(tasksFile).key_value_metadata?.find((k) => k.key === 'pandas');
    expect(JSON.parse(pandas!.value!).index_columns).toEqual(['task']);
  });

  it('imports back as the same transitions, episodes and provenance', async () => {
    const out = path.join(dir, 'round-trip.json');
    const run = await tether('dataset', 'import', exported, '--format', 'lerobot', '-o', out);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(
      /reward from next\.reward, terminal from next\.done, s′ from next\.observation\.state/,
    );
    expect(run.out).toMatch(/episode provenance from meta\/tether\.json/);
    const back = await loadLogDataset(out);
    expect(back.size).toBe(dataset.size);
    expect(Array.from(back.episode)).toEqual(Array.from(dataset.episode));
    expect(back.episodes).toEqual(dataset.episodes);
    expect(back.report).toEqual(dataset.report);
    expect(Array.from(back.terminated)).toEqual(Array.from(dataset.terminated));
    const f32 = (x: Float64Array) => Array.from(x, Math.fround);
    // Float32 in the files: the round trip is exact to float32 (actions through the action map).
    expectClose(Array.from(back.obs), f32(dataset.obs), 1e-7);
    expectClose(Array.from(back.nextObs), f32(dataset.nextObs), 1e-7);
    expectClose(Array.from(back.reward), f32(dataset.reward), 1e-7);
    expectClose(Array.from(back.act), Array.from(dataset.act), 1e-6);
  });

  it('splits frames into several data files by whole episodes and reads them back in order', async () => {
    const out = path.join(dir, 'split');
    const written = await writeLeRobotDataset(out, dataset, task, { dataFileSizeInMb: 2e-3 });
    const dataFiles = written.files.filter((f) => f.startsWith('data/'));
    expect(dataFiles.length).toBeGreaterThan(1);
    const episodes = await rows(path.join(out, 'meta/episodes/chunk-000/file-000.parquet'));
    let total = 0;
    for (const [i, file] of dataFiles.entries()) {
      const frames = await rows(path.join(out, file));
      const held = episodes.filter((e) => Number(e['data/file_index']) === i);
      // A file holds whole episodes, and the global indices run on across files.
      expect(frames.length).toBe(held.reduce((n, e) => n + Number(e['length']), 0));
      expect(Number(frames[0]!['index'])).toBe(total);
      expect(Number(held[0]!['dataset_from_index'])).toBe(total);
      total += frames.length;
    }
    expect(total).toBe(dataset.size);
    const { dataset: back, summary } = await readLeRobotDataset(out, task);
    expect(summary.dataFiles).toBe(dataFiles.length);
    expect(Array.from(back.episode)).toEqual(Array.from(dataset.episode));
    expectClose(Array.from(back.obs), Array.from(dataset.obs, Math.fround), 1e-7);
  });

  it('refuses to write into a folder that is not empty', async () => {
    const run = await tether('dataset', 'export', datasetFile, '--format', 'lerobot', '-o', exported);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/lerobot: not empty; export into a new folder/);
    const csv = await tether('dataset', 'export', datasetFile, '--format', 'csv', '-o', path.join(dir, 'x'));
    expect(csv.err).toMatch(/--format: expected lerobot, got 'csv'/);
  });
});

interface InfoJson {
  codebase_version: string;
  fps: number;
  features: Record<string, { shape: number[]; names: string[] | null }>;
}

/** A copy of the export as a dataset from elsewhere: only the columns LeRobot's recorder writes. */
async function foreignCopy(name: string): Promise<string> {
  const out = path.join(dir, name);
  mkdirSync(path.join(out, 'meta/episodes/chunk-000'), { recursive: true });
  mkdirSync(path.join(out, 'data/chunk-000'), { recursive: true });
  for (const file of ['meta/episodes/chunk-000/file-000.parquet', 'meta/tasks.parquet'])
    writeFileSync(path.join(out, file), readFileSync(path.join(exported, file)));
  const info = JSON.parse(readFileSync(path.join(exported, 'meta/info.json'), 'utf8'));
  for (const key of ['next.observation.state', 'next.reward', 'next.done']) delete info.features[key];
  writeFileSync(path.join(out, 'meta/info.json'), JSON.stringify(info));
  const table = fromParquet(
    new Uint8Array(readFileSync(path.join(exported, 'data/chunk-000/file-000.parquet'))),
  );
  const keep = [
    'observation.state',
    'action',
    'timestamp',
    'frame_index',
    'episode_index',
    'index',
    'task_index',
  ];
  const columns = keep.map((name) => ({ name, data: table.getChild(name)!.data[0]! }));
  writeFileSync(path.join(out, 'data/chunk-000/file-000.parquet'), toParquet(columns, new Map()));
  return out;
}

describe('LeRobotDataset v3 import', () => {
  it('takes a dataset from elsewhere: s′ from the next frame, reward and terminal from the task', async () => {
    const foreign = await foreignCopy('foreign');
    const noTask = await tether(
      'dataset',
      'import',
      foreign,
      '--format',
      'lerobot',
      '-o',
      path.join(dir, 'f.json'),
    );
    expect(noTask.code).toBe(1);
    expect(noTask.err).toMatch(/no task section recorded; pass --task/);
    const out = path.join(dir, 'foreign.json');
    const run = await tether(
      'dataset',
      'import',
      foreign,
      '--format',
      'lerobot',
      '--task',
      config,
      '-o',
      out,
    );
    expect(run.code, run.err).toBe(0);
    const E = dataset.episodes.length;
    expect(run.out).toMatch(new RegExp(`${dataset.size - E} transitions in ${E} episodes; ${E} last frames`));
    expect(run.out).toMatch(
      /reward from the task reward, terminal from the task terminal condition, s′ from the next frame/,
    );
    const back = await loadLogDataset(out);
    // Every transition but each episode's last, recomputed from float32 states and commands.
    const kept: number[] = [];
    for (let r = 0; r < dataset.size; r++)
      if (r + 1 < dataset.size && dataset.episode[r + 1] === dataset.episode[r]) kept.push(r);
    expect(back.size).toBe(kept.length);
    const O = dataset.obsSize;
    kept.forEach((r, i) => {
      expect(back.reward[i]).toBeCloseTo(dataset.reward[r]!, 4);
      expect(back.terminated[i]).toBe(dataset.terminated[r]);
      // The dataset file keeps 9 significant digits: exactly enough to give the float32 back.
      expect(Math.fround(back.nextObs[i * O + 2]!)).toBe(Math.fround(dataset.nextObs[r * O + 2]!));
    });
    expect(back.episodes[0]!.id).toBe('foreign#0');
  });

  it('refuses what is not a LeRobot v3 dataset of the task, naming the file, the key and what was expected', async () => {
    const broken = async (name: string, edit: (info: InfoJson) => void) => {
      const out = await foreignCopy(name);
      const file = path.join(out, 'meta/info.json');
      const info = JSON.parse(readFileSync(file, 'utf8')) as InfoJson;
      edit(info);
      writeFileSync(file, JSON.stringify(info));
      return out;
    };
    const message = async (folder: string) =>
      readLeRobotDataset(folder, task).then(
        () => 'accepted',
        (error: Error) => error.message,
      );
    const O = task.observation.length;
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    expect(await message(empty)).toMatch(
      /empty\/meta\/info\.json: not found; a LeRobot v3 dataset has meta\/info\.json/,
    );
    expect(await message(await broken('v21', (i) => (i.codebase_version = 'v2.1')))).toMatch(
      /info\.json: codebase_version: expected "v3\.0", got "v2\.1"/,
    );
    expect(
      await message(await broken('shape', (i) => (i.features['observation.state']!.shape = [O + 1]))),
    ).toMatch(
      new RegExp(
        `info\\.json: features\\.observation\\.state\\.shape: expected \\[${O}\\] \\(the observations`,
      ),
    );
    expect(
      await message(await broken('names', (i) => (i.features['action']!.names = ['shoulder.torque']))),
    ).toMatch(
      /features\.action\.names: \[shoulder\.torque\], but .* has the action signals \[.*\]: this dataset is not a recording of the task/,
    );
    expect(await message(await broken('fps', (i) => (i.fps = 30)))).toMatch(
      /info\.json: fps: 30, but the task .* runs at 50 Hz/,
    );
    expect(await message(await broken('no-action', (i) => delete i.features['action']))).toMatch(
      /features\.action: missing; the task .* needs the action signals/,
    );

    const lengths = await foreignCopy('lengths');
    const episodes = await rows(path.join(lengths, 'meta/episodes/chunk-000/file-000.parquet'));
    writeFileSync(
      path.join(lengths, 'meta/episodes/chunk-000/file-000.parquet'),
      toParquet(
        [
          int64Column(
            'episode_index',
            episodes.map((e) => Number(e['episode_index'])),
          ),
          int64Column(
            'length',
            episodes.map((e, k) => Number(e['length']) + (k === 1 ? 1 : 0)),
          ),
          stringListColumn(
            'tasks',
            episodes.map(() => ['x']),
          ),
        ],
        new Map(),
      ),
    );
    expect(await message(lengths)).toMatch(
      new RegExp(
        `file-000\\.parquet: episode 1: length ${Number(episodes[1]!['length']) + 1}, but the data holds ${Number(episodes[1]!['length'])} frames`,
      ),
    );

    const noColumn = await foreignCopy('no-column');
    const frames = await rows(path.join(noColumn, 'data/chunk-000/file-000.parquet'));
    writeFileSync(
      path.join(noColumn, 'data/chunk-000/file-000.parquet'),
      toParquet(
        [
          float32VectorColumn(
            'observation.state',
            Float32Array.from(frames.flatMap((f) => f['observation.state'] as number[])),
            O,
          ),
          int64Column(
            'episode_index',
            frames.map((f) => Number(f['episode_index'])),
          ),
          int64Column(
            'frame_index',
            frames.map((f) => Number(f['frame_index'])),
          ),
        ],
        new Map(),
      ),
    );
    expect(await message(noColumn)).toMatch(
      /data\/chunk-000\/file-000\.parquet: no column 'action' \(info\.json declares it\)/,
    );

    rmSync(path.join(noColumn, 'meta/episodes'), { recursive: true });
    expect(await message(noColumn)).toMatch(/meta\/episodes: no chunk-\*\/file-\*\.parquet/);
    expect(existsSync(path.join(exported, 'meta/episodes'))).toBe(true);
  });
});

describe('LeRobot stats.json in a policy contract', () => {
  it('normalises by min and max (LeRobot MIN_MAX) as well as by mean and std', () => {
    const statsFile = path.join(exported, 'meta/stats.json');
    const stats = JSON.parse(readFileSync(statsFile, 'utf8'))['observation.state'];
    const contract = (mode: 'min_max' | 'mean_std') =>
      parseContract({
        format: 'tether-policy/1',
        policy_rate_hz: 50,
        observations: [{ name: 'state', signals: task.observation }],
        normalizer: { kind: 'lerobot_stats', path: 'stats.json', key: 'observation.state', mode },
        actions: { signals: task.actionMap.map((a) => a.name) },
      });
    const minMax = resolveNormalizer(contract('min_max'), path.dirname(statsFile))!;
    stats.min.forEach((lo: number, k: number) => {
      const hi = stats.max[k];
      const at = (x: number) => (x - minMax.mean[k]!) / minMax.std[k]!;
      expect(at(lo)).toBeCloseTo(-1, 6);
      expect(at(hi)).toBeCloseTo(1, 6);
      expect(at((lo + hi) / 2)).toBeCloseTo(0, 6);
      expect(at(0.25 * lo + 0.75 * hi)).toBeCloseTo((2 * (0.75 * (hi - lo))) / (hi - lo + 1e-8) - 1, 9);
    });
    const meanStd = resolveNormalizer(contract('mean_std'), path.dirname(statsFile))!;
    expect(Array.from(meanStd.mean)).toEqual(stats.mean);
    // The default stays mean and std, as contracts written before min_max expect.
    expect(contract('mean_std').normalizer).toMatchObject({ mode: 'mean_std' });
  });
});
