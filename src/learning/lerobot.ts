/**
 * LeRobotDataset v3: a Tether dataset written in the layout LeRobot reads, and a LeRobot dataset read
 * back as Tether transitions.
 *
 *   meta/info.json                          codebase_version v3.0, fps, features, path templates, totals
 *   meta/stats.json                         mean, std, min, max and count of every numeric feature
 *   meta/tasks.parquet                      task text → task_index (a pandas frame indexed by task)
 *   meta/episodes/chunk-000/file-000.parquet  one row per episode: length, tasks, where its frames are,
 *                                           its own stats (stats/<feature>/<stat>)
 *   data/chunk-CCC/file-FFF.parquet         one row per frame
 *   meta/tether.json                        Tether's provenance (task, episodes, report); LeRobot
 *                                           ignores it
 *
 * One frame per transition, as LeRobot's reinforcement-learning buffer reads a dataset: the frame's
 * `observation.state` is s, `action` the command the robot received (robot units: the task's action
 * map applied, so `stats.json` is the normaliser of a policy trained on it), `next.reward` r,
 * `next.done` whether s′ is terminal (a fall; an episode cut for another reason ends without it, as
 * LeRobot has no truncation flag), and `next.observation.state` s′, which LeRobot's policies ignore
 * (it is not an `observation.*` key) and which keeps the last transition of each episode whole.
 *
 * A dataset from elsewhere needs only `observation.state` and `action`: s′ is then the next frame's
 * state (the last frame of an episode, without a successor, is dropped and counted), the reward the
 * task's (computed from s, the command and s′) when there is no `next.reward`, the terminal flag the
 * task's when there is no `next.done`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Table } from 'apache-arrow';
import type { DatasetReport, DatasetTask, EpisodeRecord, LogDataset, LogReport } from './log-dataset.ts';
import {
  boolColumn,
  booleans,
  type Column,
  float32Column,
  float32VectorColumn,
  fromParquet,
  int64Column,
  numberListColumn,
  numbers,
  stringColumn,
  stringListColumn,
  toParquet,
  vectors,
} from './parquet.ts';

export const LEROBOT_CODEBASE_VERSION = 'v3.0';
/** LeRobot's defaults: files per chunk folder, megabytes per data and video file. */
const CHUNKS_SIZE = 1000;
const DATA_FILES_SIZE_IN_MB = 100;
const VIDEO_FILES_SIZE_IN_MB = 500;
const DATA_PATH = 'data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet';
const INFO = 'meta/info.json';
const STATS = 'meta/stats.json';
const TASKS = 'meta/tasks.parquet';
const EPISODES_DIR = 'meta/episodes';
const TETHER = 'meta/tether.json';
const TETHER_FORMAT = 'tether.lerobot/1';

const STATE = 'observation.state';
const ACTION = 'action';
const NEXT_STATE = 'next.observation.state';
const REWARD = 'next.reward';
const DONE = 'next.done';

/** A LeRobot dataset that cannot be written or read, naming the file, the key and what was expected. */
export class LeRobotError extends Error {
  override name = 'LeRobotError';
}

/** The part of a task that names a dataset's columns: signals, action map, rate, name and spec. */
export type LeRobotTask = Pick<DatasetTask, 'name' | 'spec' | 'observation' | 'actionMap' | 'rateHz'>;

/** A LeRobot feature as `info.json` declares it. */
interface Feature {
  readonly dtype: 'float32' | 'int64' | 'bool';
  readonly shape: readonly number[];
  readonly names: readonly string[] | null;
  readonly fps: number;
}

/** mean, std (population), min and max per dimension, and the number of frames. */
export interface FeatureStats {
  readonly mean: number[];
  readonly std: number[];
  readonly min: number[];
  readonly max: number[];
  readonly count: [number];
}

/** Statistics of rows `from`..`to` of a column of `width` values per row. */
export function featureStats(values: ArrayLike<number>, width: number, from = 0, to?: number): FeatureStats {
  const end = to ?? values.length / width;
  const n = end - from;
  const mean = new Array<number>(width).fill(0);
  const min = new Array<number>(width).fill(Number.POSITIVE_INFINITY);
  const max = new Array<number>(width).fill(Number.NEGATIVE_INFINITY);
  for (let r = from; r < end; r++)
    for (let k = 0; k < width; k++) {
      const v = values[r * width + k]!;
      mean[k]! += v;
      if (v < min[k]!) min[k] = v;
      if (v > max[k]!) max[k] = v;
    }
  for (let k = 0; k < width; k++) mean[k]! /= n;
  // Two passes: the variance of float32 values around a large mean loses nothing this way.
  const variance = new Array<number>(width).fill(0);
  for (let r = from; r < end; r++)
    for (let k = 0; k < width; k++) variance[k]! += (values[r * width + k]! - mean[k]!) ** 2;
  return { mean, std: variance.map((v) => Math.sqrt(v / n)), min, max, count: [n] };
}

export interface LeRobotExportOptions {
  /** Start a new data file once one holds this many megabytes (LeRobot's default 100). */
  readonly dataFileSizeInMb?: number;
  /** Folder the task section's relative paths resolve against, recorded for the import. */
  readonly taskBaseDir?: string;
}

/** What an export wrote. */
export interface LeRobotExport {
  readonly dir: string;
  readonly frames: number;
  readonly episodes: number;
  readonly fps: number;
  /** Paths relative to `dir`. */
  readonly files: readonly string[];
}

function chunkFile(template: string, chunk: number, file: number): string {
  const pad = (n: number) => String(n).padStart(3, '0');
  return template.replace('{chunk_index:03d}', pad(chunk)).replace('{file_index:03d}', pad(file));
}

/** Hugging Face `datasets` features of the data columns, as the library writes them beside a table. */
function huggingFaceFeatures(features: Record<string, Feature>): string {
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(features)) {
    const value = { dtype: f.dtype, _type: 'Value' };
    out[key] = f.shape[0] === 1 ? value : { feature: value, length: f.shape[0], _type: 'Sequence' };
  }
  return JSON.stringify({ info: { features: out } });
}

/** pandas' description of a frame indexed by `task` with one column `task_index`. */
const TASKS_PANDAS_METADATA = JSON.stringify({
  index_columns: ['task'],
  column_indexes: [
    {
      name: null,
      field_name: null,
      pandas_type: 'unicode',
      numpy_type: 'object',
      metadata: { encoding: 'UTF-8' },
    },
  ],
  columns: [
    {
      name: 'task_index',
      field_name: 'task_index',
      pandas_type: 'int64',
      numpy_type: 'int64',
      metadata: null,
    },
    { name: 'task', field_name: 'task', pandas_type: 'unicode', numpy_type: 'object', metadata: null },
  ],
  creator: { library: 'tether', version: '1' },
  pandas_version: '2.2.3',
});

/**
 * Writes `dataset` as a LeRobotDataset v3 in `dir` (which must be new or empty: nothing is
 * overwritten). Observations, commands, rewards and s′ are stored as float32, as LeRobot declares them.
 */
export async function writeLeRobotDataset(
  dir: string,
  dataset: LogDataset,
  task: LeRobotTask,
  options: LeRobotExportOptions = {},
): Promise<LeRobotExport> {
  const O = dataset.obsSize;
  const A = dataset.actSize;
  if (task.observation.length !== O || task.actionMap.length !== A)
    throw new LeRobotError(
      `the dataset has observations of size ${O} and actions of size ${A}, the task ${task.name} ${task.observation.length} and ${task.actionMap.length}`,
    );
  const fps = Math.round(task.rateHz);
  if (Math.abs(fps - task.rateHz) > 1e-9 * task.rateHz)
    throw new LeRobotError(
      `the task ${task.name} runs at ${task.rateHz} Hz; LeRobot's info.json keeps a whole number of frames per second`,
    );
  if (existsSync(dir) && (await readdir(dir)).length > 0)
    throw new LeRobotError(`${dir}: not empty; export into a new folder (nothing is overwritten)`);

  // Frames in episode order; every episode's rows, in the order the dataset holds them.
  const rowsOf: number[][] = dataset.episodes.map(() => []);
  for (let r = 0; r < dataset.size; r++) rowsOf[dataset.episode[r]!]!.push(r);
  const empty = rowsOf.findIndex((rows) => rows.length === 0);
  if (empty >= 0)
    throw new LeRobotError(
      `episode ${dataset.episodes[empty]!.id} has no transitions; LeRobot has no empty episodes`,
    );
  const N = dataset.size;
  const state = new Float32Array(N * O);
  const nextState = new Float32Array(N * O);
  const action = new Float32Array(N * A);
  const reward = new Float32Array(N);
  const done: boolean[] = new Array(N);
  const timestamp = new Float32Array(N);
  const frameIndex = new Float64Array(N);
  const episodeIndex = new Float64Array(N);
  const index = new Float64Array(N);
  const from: number[] = [];
  let f = 0;
  rowsOf.forEach((rows, k) => {
    from.push(f);
    rows.forEach((r, i) => {
      state.set(dataset.obs.subarray(r * O, (r + 1) * O), f * O);
      nextState.set(dataset.nextObs.subarray(r * O, (r + 1) * O), f * O);
      for (let j = 0; j < A; j++) {
        const map = task.actionMap[j]!;
        action[f * A + j] = map.scale * dataset.act[r * A + j]! + map.offset;
      }
      reward[f] = dataset.reward[r]!;
      done[f] = dataset.terminated[r]! !== 0;
      timestamp[f] = i / fps;
      frameIndex[f] = i;
      episodeIndex[f] = k;
      index[f] = f;
      f++;
    });
  });
  from.push(N);

  const vector = (names: readonly string[]): Feature => ({
    dtype: 'float32',
    shape: [names.length],
    names,
    fps,
  });
  const scalar = (dtype: Feature['dtype']): Feature => ({ dtype, shape: [1], names: null, fps });
  const features: Record<string, Feature> = {
    [STATE]: vector(task.observation),
    [ACTION]: vector(task.actionMap.map((a) => a.name)),
    [NEXT_STATE]: vector(task.observation),
    [REWARD]: scalar('float32'),
    [DONE]: scalar('bool'),
    timestamp: scalar('float32'),
    frame_index: scalar('int64'),
    episode_index: scalar('int64'),
    index: scalar('int64'),
    task_index: scalar('int64'),
  };
  const doneNumbers = Float64Array.from(done, Number);
  const numeric: Record<string, { values: ArrayLike<number>; width: number }> = {
    [STATE]: { values: state, width: O },
    [ACTION]: { values: action, width: A },
    [NEXT_STATE]: { values: nextState, width: O },
    [REWARD]: { values: reward, width: 1 },
    [DONE]: { values: doneNumbers, width: 1 },
    timestamp: { values: timestamp, width: 1 },
    frame_index: { values: frameIndex, width: 1 },
    episode_index: { values: episodeIndex, width: 1 },
    index: { values: index, width: 1 },
    task_index: { values: new Float64Array(N), width: 1 },
  };

  // Data files: whole episodes, a new file once the current one is full.
  const limit = (options.dataFileSizeInMb ?? DATA_FILES_SIZE_IN_MB) * 1024 * 1024;
  const frameBytes = 4 * (2 * O + A) + 4 + 4 + 1 + 4 * 8;
  const placement: { chunk: number; file: number }[] = [];
  const fileRanges: { chunk: number; file: number; from: number; to: number }[] = [];
  let chunk = 0;
  let file = 0;
  for (let k = 0; k < rowsOf.length; k++) {
    let current = fileRanges.at(-1);
    const bytes = (from[k + 1]! - from[k]!) * frameBytes;
    if (current && (current.to - current.from) * frameBytes + bytes > limit) {
      if (file === CHUNKS_SIZE - 1) {
        chunk++;
        file = 0;
      } else file++;
      current = undefined;
    }
    if (!current) {
      current = { chunk, file, from: from[k]!, to: from[k]! };
      fileRanges.push(current);
    }
    current.to = from[k + 1]!;
    placement.push({ chunk, file });
  }

  const written: string[] = [];
  const put = async (relative: string, bytes: Uint8Array | string) => {
    const target = path.join(dir, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, bytes);
    written.push(relative);
  };

  const hfMetadata = new Map([['huggingface', huggingFaceFeatures(features)]]);
  for (const range of fileRanges) {
    const { from: a, to: b } = range;
    const columns: Column[] = [
      float32VectorColumn(STATE, state.slice(a * O, b * O), O),
      float32VectorColumn(ACTION, action.slice(a * A, b * A), A),
      float32VectorColumn(NEXT_STATE, nextState.slice(a * O, b * O), O),
      float32Column(REWARD, reward.slice(a, b)),
      boolColumn(DONE, done.slice(a, b)),
      float32Column('timestamp', timestamp.slice(a, b)),
      int64Column('frame_index', frameIndex.subarray(a, b)),
      int64Column('episode_index', episodeIndex.subarray(a, b)),
      int64Column('index', index.subarray(a, b)),
      int64Column('task_index', new Float64Array(b - a)),
    ];
    await put(chunkFile(DATA_PATH, range.chunk, range.file), toParquet(columns, hfMetadata));
  }

  const stats: Record<string, FeatureStats> = {};
  for (const [key, { values, width }] of Object.entries(numeric)) stats[key] = featureStats(values, width);

  const E = rowsOf.length;
  const episodeColumns: Column[] = [
    int64Column(
      'episode_index',
      rowsOf.map((_, k) => k),
    ),
    stringListColumn(
      'tasks',
      rowsOf.map(() => [task.name]),
    ),
    int64Column(
      'length',
      rowsOf.map((rows) => rows.length),
    ),
    int64Column(
      'data/chunk_index',
      placement.map((p) => p.chunk),
    ),
    int64Column(
      'data/file_index',
      placement.map((p) => p.file),
    ),
    int64Column('dataset_from_index', from.slice(0, E)),
    int64Column('dataset_to_index', from.slice(1)),
    int64Column('meta/episodes/chunk_index', new Float64Array(E)),
    int64Column('meta/episodes/file_index', new Float64Array(E)),
  ];
  for (const [key, { values, width }] of Object.entries(numeric)) {
    const perEpisode = rowsOf.map((_, k) => featureStats(values, width, from[k]!, from[k + 1]!));
    for (const stat of ['min', 'max', 'mean', 'std', 'count'] as const)
      episodeColumns.push(
        numberListColumn(
          `stats/${key}/${stat}`,
          perEpisode.map((s) => s[stat]),
          stat === 'count',
        ),
      );
  }
  await put(`${EPISODES_DIR}/chunk-000/file-000.parquet`, toParquet(episodeColumns, new Map()));
  await put(
    TASKS,
    toParquet(
      [int64Column('task_index', [0]), stringColumn('task', [task.name])],
      new Map([['pandas', TASKS_PANDAS_METADATA]]),
    ),
  );
  const info = {
    codebase_version: LEROBOT_CODEBASE_VERSION,
    robot_type: dataset.episodes.find((e) => e.robot !== undefined)?.robot ?? null,
    total_episodes: E,
    total_frames: N,
    total_tasks: 1,
    chunks_size: CHUNKS_SIZE,
    data_files_size_in_mb: options.dataFileSizeInMb ?? DATA_FILES_SIZE_IN_MB,
    video_files_size_in_mb: VIDEO_FILES_SIZE_IN_MB,
    fps,
    splits: { train: `0:${E}` },
    data_path: DATA_PATH,
    video_path: null,
    features,
  };
  await put(INFO, `${JSON.stringify(info, null, 4)}\n`);
  await put(STATS, `${JSON.stringify(stats, null, 4)}\n`);
  await put(
    TETHER,
    `${JSON.stringify(
      {
        format: TETHER_FORMAT,
        task: task.spec ?? task.name,
        ...(options.taskBaseDir === undefined ? {} : { taskBaseDir: options.taskBaseDir }),
        actionMap: task.actionMap,
        meta: dataset.meta ?? {},
        report: dataset.report,
        episodes: dataset.episodes,
      },
      null,
      2,
    )}\n`,
  );
  return { dir, frames: N, episodes: E, fps, files: written };
}

async function readJson(file: string, what: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new LeRobotError(`${file}: not found; ${what}`);
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Error('expected a JSON object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new LeRobotError(`${file}: ${(error as Error).message}`);
  }
}

/** The task section a Tether export recorded (`meta/tether.json`) and its base folder, if there is one. */
export async function recordedLeRobotTask(
  dir: string,
): Promise<{ section: unknown; baseDir: unknown } | undefined> {
  const file = path.join(dir, TETHER);
  if (!existsSync(file)) return undefined;
  const tether = await readJson(file, 'Tether writes it on export');
  if (tether['format'] !== TETHER_FORMAT) return undefined;
  return { section: tether['task'], baseDir: tether['taskBaseDir'] };
}

/** `chunk-*\/file-*.parquet` under `root`, in LeRobot's order. */
async function chunkFiles(root: string): Promise<string[]> {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  for (const chunk of (await readdir(root)).filter((c) => /^chunk-\d+$/.test(c)).sort())
    for (const file of (await readdir(path.join(root, chunk)))
      .filter((f) => /^file-\d+\.parquet$/.test(f))
      .sort())
      out.push(path.join(root, chunk, file));
  return out;
}

async function readTable(file: string): Promise<Table> {
  try {
    return fromParquet(new Uint8Array(await readFile(file)));
  } catch (error) {
    throw new LeRobotError(`${file}: not a readable Parquet file (${(error as Error).message})`);
  }
}

/** How an import made its transitions, for the user to see. */
export interface LeRobotImportSummary {
  readonly frames: number;
  readonly transitions: number;
  readonly episodes: number;
  readonly dataFiles: number;
  readonly reward: 'next.reward' | 'the task reward';
  readonly terminal: 'next.done' | 'the task terminal condition' | 'none';
  readonly nextObservation: 'next.observation.state' | 'the next frame';
  /** Last frames of episodes, which have no successor when s′ is not stored. */
  readonly droppedLastFrames: number;
  /** Episodes left without a transition (a single frame without s′). */
  readonly droppedEpisodes: number;
  /** Episode provenance restored from a Tether export's `meta/tether.json`. */
  readonly provenance: boolean;
}

/** The names a feature declares: a list, or `{ motors: [...] }` as older datasets wrote. */
function featureNames(feature: Record<string, unknown>): string[] | undefined {
  const names = feature['names'];
  if (Array.isArray(names)) return names.map(String);
  if (typeof names === 'object' && names !== null) {
    const lists = Object.values(names).filter(Array.isArray);
    if (lists.length === 1) return (lists[0] as unknown[]).map(String);
  }
  return undefined;
}

/**
 * Reads a LeRobotDataset v3 in `dir` as transitions of `task`: the state and action features must
 * have the task's sizes and, where they are named, its signal names; commands are turned back into
 * the learner's units by the task's action map.
 */
export async function readLeRobotDataset(
  dir: string,
  task: DatasetTask,
): Promise<{ dataset: LogDataset; summary: LeRobotImportSummary }> {
  const infoFile = path.join(dir, INFO);
  const info = await readJson(infoFile, `a LeRobot v3 dataset has ${INFO} (is ${dir} the dataset's root?)`);
  const version = info['codebase_version'];
  if (typeof version !== 'string' || !/^v3\./.test(version))
    throw new LeRobotError(
      `${infoFile}: codebase_version: expected "${LEROBOT_CODEBASE_VERSION}", got ${JSON.stringify(version)} (convert older datasets with LeRobot's v2.1 → v3.0 converter)`,
    );
  const fps = info['fps'];
  if (typeof fps !== 'number' || !(fps > 0))
    throw new LeRobotError(`${infoFile}: fps: expected a positive number, got ${JSON.stringify(fps)}`);
  if (Math.abs(fps - task.rateHz) > 1e-6 * task.rateHz)
    throw new LeRobotError(`${infoFile}: fps: ${fps}, but the task ${task.name} runs at ${task.rateHz} Hz`);
  const features = info['features'];
  if (typeof features !== 'object' || features === null)
    throw new LeRobotError(`${infoFile}: features: expected an object of feature declarations`);
  const declared = features as Record<string, Record<string, unknown>>;
  const O = task.observation.length;
  const A = task.actionMap.length;
  const checkVector = (key: string, names: readonly string[], what: string): void => {
    const feature = declared[key];
    if (feature === undefined)
      throw new LeRobotError(
        `${infoFile}: features.${key}: missing; the task ${task.name} needs ${what} [${names.join(', ')}] there`,
      );
    const shape = feature['shape'];
    if (!Array.isArray(shape) || shape.length !== 1 || shape[0] !== names.length)
      throw new LeRobotError(
        `${infoFile}: features.${key}.shape: expected [${names.length}] (${what} [${names.join(', ')}] of ${task.name}), got ${JSON.stringify(shape)}`,
      );
    if (!['float32', 'float64'].includes(String(feature['dtype'])))
      throw new LeRobotError(
        `${infoFile}: features.${key}.dtype: expected float32 or float64, got ${JSON.stringify(feature['dtype'])}`,
      );
    const declaredNames = featureNames(feature);
    if (declaredNames !== undefined && declaredNames.join('\u0000') !== names.join('\u0000'))
      throw new LeRobotError(
        `${infoFile}: features.${key}.names: [${declaredNames.join(', ')}], but ${task.name} has ${what} [${names.join(', ')}]: this dataset is not a recording of the task`,
      );
  };
  checkVector(STATE, task.observation, 'the observations');
  checkVector(
    ACTION,
    task.actionMap.map((a) => a.name),
    'the action signals',
  );
  const hasNext = declared[NEXT_STATE] !== undefined;
  if (hasNext) checkVector(NEXT_STATE, task.observation, 'the observations');
  const hasReward = declared[REWARD] !== undefined;
  const hasDone = declared[DONE] !== undefined;

  const episodeFiles = await chunkFiles(path.join(dir, EPISODES_DIR));
  if (episodeFiles.length === 0)
    throw new LeRobotError(
      `${path.join(dir, EPISODES_DIR)}: no chunk-*/file-*.parquet; a LeRobot v3 dataset lists its episodes there`,
    );
  const dataFiles = await chunkFiles(path.join(dir, 'data'));
  if (dataFiles.length === 0)
    throw new LeRobotError(
      `${path.join(dir, 'data')}: no chunk-*/file-*.parquet (info.json's data_path is ${JSON.stringify(info['data_path'])})`,
    );

  // Episode lengths as the metadata declares them.
  const declaredLength = new Map<number, { length: number; file: string }>();
  for (const file of episodeFiles) {
    const table = await readTable(file);
    const column = (name: string) => {
      const vector = table.getChild(name);
      if (vector === null) throw new LeRobotError(`${file}: no column '${name}'`);
      const values = numbers(vector);
      if (typeof values === 'string') throw new LeRobotError(`${file}: column '${name}': ${values}`);
      return values;
    };
    const episodeIndex = column('episode_index');
    const length = column('length');
    for (let i = 0; i < episodeIndex.length; i++)
      declaredLength.set(episodeIndex[i]!, { length: length[i]!, file });
  }

  // Frames of every data file, in order.
  const parts: {
    state: Float64Array;
    action: Float64Array;
    next?: Float64Array;
    reward?: Float64Array;
    done?: Float64Array;
    episode: Float64Array;
    frame: Float64Array;
    file: string;
  }[] = [];
  for (const file of dataFiles) {
    const table = await readTable(file);
    const get = <T>(name: string, read: (v: NonNullable<ReturnType<Table['getChild']>>) => T | string): T => {
      const vector = table.getChild(name);
      if (vector === null) throw new LeRobotError(`${file}: no column '${name}' (info.json declares it)`);
      const values = read(vector);
      if (typeof values === 'string') throw new LeRobotError(`${file}: column '${name}': ${values}`);
      return values;
    };
    const part = {
      state: get(STATE, (v) => vectors(v, O)),
      action: get(ACTION, (v) => vectors(v, A)),
      episode: get('episode_index', numbers),
      frame: get('frame_index', numbers),
      file,
      ...(hasNext ? { next: get(NEXT_STATE, (v) => vectors(v, O)) } : {}),
      ...(hasReward ? { reward: get(REWARD, numbers) } : {}),
      ...(hasDone ? { done: get(DONE, (v) => (String(v.type) === 'Bool' ? booleans(v) : numbers(v))) } : {}),
    };
    for (const [key, values] of [
      [STATE, part.state],
      [ACTION, part.action],
      [NEXT_STATE, part.next],
      [REWARD, part.reward],
    ] as const) {
      const bad = values?.findIndex((v) => !Number.isFinite(v)) ?? -1;
      if (bad >= 0)
        throw new LeRobotError(
          `${file}: column '${key}': row ${Math.floor(bad / (values!.length / part.episode.length))} holds a non-finite value`,
        );
    }
    parts.push(part);
  }

  const obs: number[] = [];
  const act: number[] = [];
  const rewards: number[] = [];
  const nextObs: number[] = [];
  const terminated: number[] = [];
  const episodeOf: number[] = [];
  const built: {
    index: number;
    frames: number;
    transitions: number;
    first: number;
    last: number;
    return: number;
    terminated: boolean;
  }[] = [];
  const seen = new Set<number>();
  const command = new Float64Array(A);
  let frames = 0;
  let droppedLastFrames = 0;
  let droppedEpisodes = 0;
  let open: (typeof built)[number] | undefined;
  let openFile = '';
  const closeEpisode = () => {
    if (!open) return;
    const declaredEpisode = declaredLength.get(open.index);
    if (declaredEpisode === undefined)
      throw new LeRobotError(
        `${openFile}: episode ${open.index} is not listed in ${path.join(dir, EPISODES_DIR)}`,
      );
    if (declaredEpisode.length !== open.frames)
      throw new LeRobotError(
        `${declaredEpisode.file}: episode ${open.index}: length ${declaredEpisode.length}, but the data holds ${open.frames} frames`,
      );
    if (open.transitions === 0) droppedEpisodes++;
    else built.push(open);
    open = undefined;
  };
  for (const part of parts) {
    const rows = part.episode.length;
    for (let i = 0; i < rows; i++) {
      frames++;
      const e = part.episode[i]!;
      if (open === undefined || open.index !== e) {
        closeEpisode();
        if (seen.has(e))
          throw new LeRobotError(
            `${part.file}: episode ${e} resumes at row ${i} after another episode; its frames must be contiguous`,
          );
        seen.add(e);
        open = {
          index: e,
          frames: 0,
          transitions: 0,
          first: part.frame[i]!,
          last: part.frame[i]!,
          return: 0,
          terminated: false,
        };
        openFile = part.file;
      } else if (part.frame[i] !== open.last + 1)
        throw new LeRobotError(
          `${part.file}: episode ${e}: frame_index goes from ${open.last} to ${part.frame[i]} at row ${i}; frames must be consecutive`,
        );
      open.frames++;
      open.last = part.frame[i]!;
      const s = part.state.subarray(i * O, (i + 1) * O);
      let next: Float64Array;
      if (part.next) next = part.next.subarray(i * O, (i + 1) * O);
      else if (i + 1 < rows && part.episode[i + 1] === e)
        next = part.state.subarray((i + 1) * O, (i + 2) * O);
      else {
        // The episode's last frame in this file has no successor here (LeRobot keeps an episode in one file).
        droppedLastFrames++;
        continue;
      }
      command.set(part.action.subarray(i * A, (i + 1) * A));
      const r = part.reward ? part.reward[i]! : task.reward(s, command, next);
      const isTerminal = part.done ? part.done[i]! !== 0 : (task.terminated?.(next) ?? false);
      for (let k = 0; k < O; k++) obs.push(s[k]!);
      for (let k = 0; k < O; k++) nextObs.push(next[k]!);
      for (let k = 0; k < A; k++) {
        const map = task.actionMap[k]!;
        act.push((command[k]! - map.offset) / map.scale);
      }
      rewards.push(r);
      terminated.push(isTerminal ? 1 : 0);
      episodeOf.push(built.length);
      open.transitions++;
      open.return += r;
      open.terminated = isTerminal;
    }
  }
  closeEpisode();
  const missing = [...declaredLength.keys()].filter((e) => !seen.has(e));
  if (missing.length > 0)
    throw new LeRobotError(
      `${declaredLength.get(missing[0]!)!.file}: episodes ${missing.slice(0, 5).join(', ')} are listed but have no frames in ${path.join(dir, 'data')}`,
    );
  if (rewards.length === 0)
    throw new LeRobotError(
      `${dir}: no transitions (${frames} frames, each episode's last one has no successor)`,
    );

  // Provenance: a Tether export's own records when they describe these very episodes.
  const tetherFile = path.join(dir, TETHER);
  const tether = existsSync(tetherFile)
    ? await readJson(tetherFile, 'Tether writes it on export')
    : undefined;
  const recorded =
    tether?.['format'] === TETHER_FORMAT ? (tether['episodes'] as EpisodeRecord[] | undefined) : undefined;
  const provenance =
    Array.isArray(recorded) &&
    recorded.length === built.length &&
    recorded.every((rec, k) => rec.transitions === built[k]!.transitions);
  const source = { format: 'lerobot', codebase_version: version, dir };
  let episodes: EpisodeRecord[];
  let report: DatasetReport;
  if (provenance) {
    episodes = recorded;
    report = tether!['report'] as DatasetReport;
  } else {
    const robot = typeof info['robot_type'] === 'string' ? info['robot_type'] : undefined;
    const base = path.basename(path.resolve(dir));
    episodes = built.map((b) => ({
      id: `${base}#${b.index}`,
      log: dir,
      run: undefined,
      robot,
      controllers: [],
      hashes: [],
      firstTick: b.first,
      lastTick: b.last,
      transitions: b.transitions,
      return: b.return,
      start: 'log-start',
      end: b.terminated ? 'terminated' : 'end-of-log',
    }));
    const ends = { terminated: 0, latched: 0, 'tick-gap': 0, horizon: 0, 'end-of-log': 0, 'non-finite': 0 };
    for (const e of episodes) ends[e.end]++;
    const log: LogReport = {
      log: dir,
      ticks: frames,
      transitions: rewards.length,
      episodes: episodes.length,
      latchedTicks: 0,
      nonFiniteTicks: 0,
      afterTerminalTicks: 0,
      missingTicks: 0,
      gaps: 0,
      shortEpisodes: droppedEpisodes,
      shortEpisodeTransitions: 0,
      truncatedFile: false,
    };
    report = {
      task: task.name,
      logs: [log],
      ticks: frames,
      transitions: rewards.length,
      episodes: episodes.length,
      ends,
      dropped: {
        latchedTicks: 0,
        nonFiniteTicks: 0,
        afterTerminalTicks: 0,
        missingTicks: 0,
        shortEpisodes: droppedEpisodes,
      },
    };
  }
  const recordedMeta = provenance ? ((tether!['meta'] as Record<string, unknown> | undefined) ?? {}) : {};
  const dataset: LogDataset = {
    size: rewards.length,
    obsSize: O,
    actSize: A,
    obs: Float64Array.from(obs),
    act: Float64Array.from(act),
    reward: Float64Array.from(rewards),
    nextObs: Float64Array.from(nextObs),
    terminated: Float64Array.from(terminated),
    episode: Int32Array.from(episodeOf),
    episodes,
    report,
    meta: {
      task: task.spec ?? task.name,
      actions: 'learner units (the task action map inverted)',
      ...recordedMeta,
      source,
    },
  };
  return {
    dataset,
    summary: {
      frames,
      transitions: rewards.length,
      episodes: episodes.length,
      dataFiles: dataFiles.length,
      reward: hasReward ? 'next.reward' : 'the task reward',
      terminal: hasDone ? 'next.done' : task.terminated ? 'the task terminal condition' : 'none',
      nextObservation: hasNext ? 'next.observation.state' : 'the next frame',
      droppedLastFrames,
      droppedEpisodes,
      provenance,
    },
  };
}
