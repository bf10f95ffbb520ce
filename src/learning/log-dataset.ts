/**
 * Logs are datasets: the ticks of one or more run logs (MCAP) become one transition dataset for a
 * task, with where every episode came from and what was kept and dropped.
 *
 * A log records observations and the commands the robot received, no reward and no episode
 * boundaries; the task supplies them (`DatasetTask`: reward, terminal condition, action map, the
 * signals it expects, its rate and horizon). Episodes are cut, never joined across anything that
 * broke the robot's trajectory:
 *
 *   - a latched stretch (e-stop, fault, a safety limit): no transition starts on a latched tick; the
 *     transition into one ends the episode (terminated when the task says s′ is terminal — a fall —
 *     else truncated, e.g. an operator or the loop's episode reset);
 *   - a gap in the tick sequence (the logger dropped ticks, the run restarted): no transition spans it;
 *   - a non-finite observation or command: the tick is dropped;
 *   - the task's terminal condition without a latch: the episode ends and the ticks until the next
 *     latch, gap or end of log are dropped (a fallen pole is not part of the task);
 *   - the task's horizon: a longer stretch is cut into episodes of at most that many transitions.
 *
 * Actions are stored in the learner's units (the task's action map inverted), rewards computed from
 * the command in robot units, so a dataset is directly the real half of an H2O batch.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { ActionMapEntry } from '../core/environment.ts';
import type { LoggedEvent, TetherLog } from '../logging/reader.ts';
import { SafetyFlag } from '../safety/types.ts';
import { COLUMNAR_FORMAT, parseColumnar } from './dataset.ts';
import type { RewardFunction, Transitions } from './transitions.ts';

/** What a log cannot tell by itself: the task its ticks were an attempt at. */
export interface DatasetTask {
  /** E.g. `mujoco-gap: cartpole balance`. */
  readonly name: string;
  /** The task section it was made from (environment kind and options), kept as provenance. */
  readonly spec?: unknown;
  /** Observation signals, in order, that a log must record. */
  readonly observation: readonly string[];
  /** Per action signal: robot command = scale · learner action + offset, in `unit`. */
  readonly actionMap: readonly ActionMapEntry[];
  /** Control rate of the task, Hz: a log at another rate has other dynamics. */
  readonly rateHz: number;
  /** Reward of (s, command in robot units, s′). */
  readonly reward: RewardFunction;
  /** s′ ends the episode inside the task (a fall); omitted: only latches end episodes. */
  readonly terminated?: ((next: Float64Array) => boolean) | undefined;
  /** Longest episode, transitions; omitted: episodes end only at cuts. */
  readonly horizon?: number | undefined;
}

export type EpisodeStart = 'log-start' | 'after-latch' | 'after-gap' | 'after-horizon' | 'after-drop';
export type EpisodeEnd = 'terminated' | 'latched' | 'tick-gap' | 'horizon' | 'end-of-log' | 'non-finite';

/** Where one episode came from. */
export interface EpisodeRecord {
  /** `<log file name>#<k>`: unique within a dataset built from distinct log files. */
  readonly id: string;
  readonly log: string;
  /** When the run started (log metadata). */
  readonly run: string | undefined;
  /** The robot that produced it (the rig's name in its HELLO). */
  readonly robot: string | undefined;
  /** Controllers (policy versions) that acted during the episode, in order of appearance. */
  readonly controllers: readonly string[];
  /** Their policy hashes where the log names them (install and version events). */
  readonly hashes: readonly string[];
  readonly firstTick: number;
  readonly lastTick: number;
  readonly transitions: number;
  /** Undiscounted return under the task's reward. */
  readonly return: number;
  readonly start: EpisodeStart;
  readonly end: EpisodeEnd;
}

export interface LogReport {
  readonly log: string;
  readonly ticks: number;
  readonly transitions: number;
  readonly episodes: number;
  /** Ticks the safety layer had latched (no controller authority). */
  readonly latchedTicks: number;
  readonly nonFiniteTicks: number;
  /** Ticks after a terminal state and before the next reset. */
  readonly afterTerminalTicks: number;
  /** Tick numbers missing from the sequence (dropped by the logger or lost in a crash). */
  readonly missingTicks: number;
  readonly gaps: number;
  /** Episodes shorter than `minTransitions`, dropped with their transitions. */
  readonly shortEpisodes: number;
  readonly shortEpisodeTransitions: number;
  readonly truncatedFile: boolean;
}

export interface DatasetReport {
  readonly task: string;
  readonly logs: readonly LogReport[];
  readonly ticks: number;
  readonly transitions: number;
  readonly episodes: number;
  /** Episodes by how they ended. */
  readonly ends: Readonly<Record<EpisodeEnd, number>>;
  readonly dropped: {
    readonly latchedTicks: number;
    readonly nonFiniteTicks: number;
    readonly afterTerminalTicks: number;
    readonly missingTicks: number;
    readonly shortEpisodes: number;
  };
}

/** A dataset built from logs: transitions, the episode each belongs to, provenance and report. */
export interface LogDataset extends Transitions {
  /** Index into `episodes` of every transition. */
  readonly episode: Int32Array;
  readonly episodes: readonly EpisodeRecord[];
  readonly report: DatasetReport;
}

export interface BuildOptions {
  /** Episodes with fewer transitions are dropped (and reported). Default 1. */
  readonly minTransitions?: number;
}

/** Raised when a log cannot serve the task at all (another robot, rate or contract). */
export class DatasetError extends Error {
  override name = 'DatasetError';
}

const latchFlags = SafetyFlag.estop | SafetyFlag.fault;

/**
 * Controller index → name and policy hash, from the log's controller list, `installed` events
 * (hot-swapped versions) and version events (`data.controller` + `data.hash`).
 */
export function controllerVersions(log: Pick<TetherLog, 'controllers' | 'events'>): {
  names: string[];
  hashes: Map<string, string>;
} {
  const names = [...log.controllers];
  const hashes = new Map<string, string>();
  for (const e of log.events as readonly LoggedEvent[]) {
    const d = e.data;
    if (d === undefined) continue;
    if (typeof d['installed'] === 'string' && typeof d['index'] === 'number') {
      names[d['index']] = d['installed'];
    }
    const named = typeof d['installed'] === 'string' ? d['installed'] : d['controller'];
    if (typeof named === 'string' && typeof d['hash'] === 'string') hashes.set(named, d['hash']);
  }
  return { names, hashes };
}

/** Refuses a log that is not a recording of the task: other signals, units, command mode or rate. */
export function checkLogAgainstTask(
  log: Pick<TetherLog, 'path' | 'robot' | 'rateHz'>,
  task: DatasetTask,
): void {
  const robot = log.robot;
  if (robot === undefined)
    throw new DatasetError(
      `${log.path}: the log names no robot (no metadata), so it cannot be checked against ${task.name}`,
    );
  const observed = robot.observation.signals.map((s) => s.name);
  const problems: string[] = [];
  if (observed.join(',') !== task.observation.join(','))
    problems.push(`observations [${observed.join(', ')}], the task expects [${task.observation.join(', ')}]`);
  const actions = robot.action.signals;
  const expected = task.actionMap.map((a) => a.name);
  if (actions.map((s) => s.name).join(',') !== expected.join(','))
    problems.push(
      `actions [${actions.map((s) => s.name).join(', ')}], the task expects [${expected.join(', ')}]`,
    );
  else
    actions.forEach((s, i) => {
      const unit = task.actionMap[i]!.unit;
      if (s.unit !== unit)
        problems.push(`action '${s.name}' in ${s.unit}, the task's action map is in ${unit}`);
    });
  if (log.rateHz !== undefined && Math.abs(log.rateHz - task.rateHz) > 1e-6 * task.rateHz)
    problems.push(`a control rate of ${log.rateHz} Hz, the task runs at ${task.rateHz} Hz`);
  if (problems.length > 0)
    throw new DatasetError(
      `${log.path}: robot '${robot.name}' recorded ${problems.join('; ')}: this log is not a recording of ${task.name}`,
    );
}

function finiteRow(values: Float64Array, row: number, width: number): boolean {
  for (let i = row * width; i < (row + 1) * width; i++) if (!Number.isFinite(values[i]!)) return false;
  return true;
}

/** Builds one dataset from logs (in order), with episode provenance and the kept/dropped report. */
export function buildLogDataset(
  logs: readonly TetherLog[],
  task: DatasetTask,
  options: BuildOptions = {},
): LogDataset {
  if (logs.length === 0) throw new DatasetError('no logs given: a dataset needs at least one run log');
  const minTransitions = Math.max(1, options.minTransitions ?? 1);
  const O = task.observation.length;
  const A = task.actionMap.length;
  const obs: number[] = [];
  const act: number[] = [];
  const reward: number[] = [];
  const nextObs: number[] = [];
  const terminated: number[] = [];
  const episodeOf: number[] = [];
  const episodes: EpisodeRecord[] = [];
  const reports: LogReport[] = [];
  const fileNames = new Set<string>();

  for (const log of logs) {
    checkLogAgainstTask(log, task);
    const t = log.ticks;
    const base = log.path.split('/').at(-1) ?? log.path;
    let name = base;
    for (let k = 2; fileNames.has(name); k++) name = `${base}(${k})`;
    fileNames.add(name);
    const { names, hashes } = controllerVersions(log);
    let latchedTicks = 0;
    let nonFiniteTicks = 0;
    let afterTerminalTicks = 0;
    let missingTicks = 0;
    let gaps = 0;
    let shortEpisodes = 0;
    let shortEpisodeTransitions = 0;
    let logTransitions = 0;
    let logEpisodes = 0;

    // The open episode: rows appended to the columns from `openAt`.
    let openAt = -1;
    let openStart: EpisodeStart = 'log-start';
    let nextStart: EpisodeStart = 'log-start';
    let openFirstTick = 0;
    let openReturn = 0;
    let openControllers: string[] = [];
    let skippingAfterTerminal = false;

    const close = (end: EpisodeEnd, lastTick: number): void => {
      if (openAt < 0) return;
      const rows = reward.length - openAt;
      if (rows < minTransitions) {
        shortEpisodes++;
        shortEpisodeTransitions += rows;
        for (const column of [obs, nextObs]) column.length = openAt * O;
        act.length = openAt * A;
        reward.length = openAt;
        terminated.length = openAt;
        episodeOf.length = openAt;
      } else {
        episodes.push({
          id: `${name}#${logEpisodes}`,
          log: log.path,
          run: log.startedAt,
          robot: log.robot?.name,
          controllers: openControllers,
          hashes: openControllers.map((c) => hashes.get(c)).filter((h): h is string => h !== undefined),
          firstTick: openFirstTick,
          lastTick,
          transitions: rows,
          return: openReturn,
          start: openStart,
          end,
        });
        logEpisodes++;
        logTransitions += rows;
      }
      openAt = -1;
    };

    const scratchCommand = new Float64Array(A);
    for (let i = 0; i < t.count; i++) {
      const latched = (t.safetyFlags[i]! & latchFlags) !== 0;
      if (latched) {
        latchedTicks++;
        skippingAfterTerminal = false;
        nextStart = 'after-latch';
        continue;
      }
      if (skippingAfterTerminal) {
        afterTerminalTicks++;
        if (i + 1 < t.count && t.tick[i + 1] !== t.tick[i]! + 1) {
          skippingAfterTerminal = false;
          missingTicks += t.tick[i + 1]! - t.tick[i]! - 1;
          gaps++;
          nextStart = 'after-gap';
        }
        continue;
      }
      if (!finiteRow(t.observation, i, O) || !finiteRow(t.command, i, A)) {
        nonFiniteTicks++;
        close('non-finite', t.tick[i]!);
        nextStart = 'after-drop';
        continue;
      }
      if (i + 1 >= t.count) {
        close('end-of-log', t.tick[i]!);
        continue;
      }
      if (t.tick[i + 1] !== t.tick[i]! + 1) {
        close('tick-gap', t.tick[i]!);
        missingTicks += Math.max(0, t.tick[i + 1]! - t.tick[i]! - 1);
        gaps++;
        nextStart = 'after-gap';
        continue;
      }
      if (!finiteRow(t.observation, i + 1, O)) {
        close('non-finite', t.tick[i]!);
        nextStart = 'after-drop';
        continue;
      }
      if (openAt < 0) {
        openAt = reward.length;
        openStart = nextStart;
        openFirstTick = t.tick[i]!;
        openReturn = 0;
        openControllers = [];
      }
      const controller = names[t.controller[i]!] ?? `#${t.controller[i]}`;
      if (!openControllers.includes(controller)) openControllers.push(controller);
      const s = t.observation.subarray(i * O, (i + 1) * O);
      const next = t.observation.subarray((i + 1) * O, (i + 2) * O);
      scratchCommand.set(t.command.subarray(i * A, (i + 1) * A));
      const r = task.reward(s, scratchCommand, next);
      const nextLatched = (t.safetyFlags[i + 1]! & latchFlags) !== 0;
      const isTerminal = task.terminated ? task.terminated(next) : nextLatched;
      for (let k = 0; k < O; k++) obs.push(s[k]!);
      for (let k = 0; k < O; k++) nextObs.push(next[k]!);
      for (let k = 0; k < A; k++) {
        const map = task.actionMap[k]!;
        act.push((scratchCommand[k]! - map.offset) / map.scale);
      }
      reward.push(r);
      terminated.push(isTerminal ? 1 : 0);
      episodeOf.push(episodes.length);
      openReturn += r;
      const rows = reward.length - openAt;
      if (isTerminal) {
        close('terminated', t.tick[i]!);
        // Unless the next tick is latched (the usual case: the safety limit caught the fall), the
        // ticks that follow are off the task until something resets the robot.
        if (!nextLatched) skippingAfterTerminal = true;
        nextStart = 'after-latch';
      } else if (nextLatched) {
        close('latched', t.tick[i]!);
      } else if (task.horizon !== undefined && rows >= task.horizon) {
        close('horizon', t.tick[i]!);
        nextStart = 'after-horizon';
      }
    }
    close('end-of-log', t.count > 0 ? t.tick[t.count - 1]! : 0);
    reports.push({
      log: log.path,
      ticks: t.count,
      transitions: logTransitions,
      episodes: logEpisodes,
      latchedTicks,
      nonFiniteTicks,
      afterTerminalTicks,
      missingTicks,
      gaps,
      shortEpisodes,
      shortEpisodeTransitions,
      truncatedFile: log.truncated,
    });
  }

  const size = reward.length;
  const ends = { terminated: 0, latched: 0, 'tick-gap': 0, horizon: 0, 'end-of-log': 0, 'non-finite': 0 };
  for (const e of episodes) ends[e.end]++;
  const sum = (pick: (r: LogReport) => number) => reports.reduce((n, r) => n + pick(r), 0);
  const report: DatasetReport = {
    task: task.name,
    logs: reports,
    ticks: sum((r) => r.ticks),
    transitions: size,
    episodes: episodes.length,
    ends,
    dropped: {
      latchedTicks: sum((r) => r.latchedTicks),
      nonFiniteTicks: sum((r) => r.nonFiniteTicks),
      afterTerminalTicks: sum((r) => r.afterTerminalTicks),
      missingTicks: sum((r) => r.missingTicks),
      shortEpisodes: sum((r) => r.shortEpisodes),
    },
  };
  if (size === 0) {
    const detail = reports
      .map(
        (r) =>
          `${r.log}: ${r.ticks} ticks, ${r.latchedTicks} latched, ${r.nonFiniteTicks} non-finite, ${r.shortEpisodes} episodes shorter than ${minTransitions}`,
      )
      .join('; ');
    throw new DatasetError(`no episode of ${task.name} in these logs (${detail})`);
  }
  return {
    size,
    obsSize: O,
    actSize: A,
    obs: Float64Array.from(obs),
    act: Float64Array.from(act),
    reward: Float64Array.from(reward),
    nextObs: Float64Array.from(nextObs),
    terminated: Float64Array.from(terminated),
    episode: Int32Array.from(episodeOf),
    episodes,
    report,
    meta: { task: task.spec ?? task.name, actions: 'learner units (the task action map inverted)' },
  };
}

/** Marks a columnar transitions file that also carries episodes, provenance and the report. */
export const DATASET_KIND = 'tether.dataset/1';

/** Writes a dataset as columnar JSON (`tether.transitions/1`) with its episodes in `meta`. */
export async function saveLogDataset(path: string, dataset: LogDataset): Promise<void> {
  const round = (x: Float64Array): number[] => Array.from(x, (v) => Number(v.toPrecision(9)));
  const body = {
    format: COLUMNAR_FORMAT,
    observationSize: dataset.obsSize,
    actionSize: dataset.actSize,
    size: dataset.size,
    meta: {
      ...dataset.meta,
      kind: DATASET_KIND,
      created: new Date().toISOString(),
      report: dataset.report,
      episodes: dataset.episodes,
    },
    episode: Array.from(dataset.episode),
    observations: round(dataset.obs),
    actions: round(dataset.act),
    rewards: round(dataset.reward),
    nextObservations: round(dataset.nextObs),
    terminated: Array.from(dataset.terminated),
  };
  await writeFile(path, `${JSON.stringify(body)}\n`);
}

/** Reads a dataset written by `saveLogDataset` (episodes and report included). */
export async function loadLogDataset(path: string): Promise<LogDataset> {
  const raw = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  const transitions = parseColumnar(raw, path);
  const meta = (transitions.meta ?? {}) as Record<string, unknown>;
  if (meta['kind'] !== DATASET_KIND || !Array.isArray(raw['episode'])) {
    throw new Error(
      `${path}: a transitions file without episodes (meta.kind ${JSON.stringify(meta['kind'])}, expected "${DATASET_KIND}"); build one with tether dataset build`,
    );
  }
  const episode = Int32Array.from(raw['episode'] as number[]);
  if (episode.length !== transitions.size)
    throw new Error(`${path}: episode has ${episode.length} entries, expected ${transitions.size}`);
  return {
    ...transitions,
    episode,
    episodes: meta['episodes'] as EpisodeRecord[],
    report: meta['report'] as DatasetReport,
  };
}

/** Joins datasets of one task (e.g. one per round) into one; episode indices are renumbered. */
export function mergeLogDatasets(parts: readonly LogDataset[]): LogDataset {
  const first = parts[0];
  if (first === undefined) throw new Error('mergeLogDatasets needs at least one dataset');
  for (const p of parts) {
    if (p.obsSize !== first.obsSize || p.actSize !== first.actSize)
      throw new DatasetError(
        `datasets of different shapes cannot be merged (${p.obsSize}/${p.actSize} vs ${first.obsSize}/${first.actSize})`,
      );
    if (p.report.task !== first.report.task)
      throw new DatasetError(
        `datasets of different tasks cannot be merged ('${p.report.task}' vs '${first.report.task}')`,
      );
  }
  const ids = new Set<string>();
  const episodes: EpisodeRecord[] = [];
  const episode: number[] = [];
  for (const p of parts) {
    const offset = episodes.length;
    for (const e of p.episodes) {
      if (ids.has(e.id)) throw new DatasetError(`episode ${e.id} appears in two of the datasets merged`);
      ids.add(e.id);
      episodes.push(e);
    }
    for (const k of p.episode) episode.push(k + offset);
  }
  const cat = (pick: (d: LogDataset) => Float64Array) => {
    const out = new Float64Array(parts.reduce((n, p) => n + pick(p).length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(pick(p), at);
      at += pick(p).length;
    }
    return out;
  };
  const sumOf = (pick: (r: DatasetReport) => number) => parts.reduce((n, p) => n + pick(p.report), 0);
  const ends = { terminated: 0, latched: 0, 'tick-gap': 0, horizon: 0, 'end-of-log': 0, 'non-finite': 0 };
  for (const e of episodes) ends[e.end]++;
  return {
    size: episode.length,
    obsSize: first.obsSize,
    actSize: first.actSize,
    obs: cat((d) => d.obs),
    act: cat((d) => d.act),
    reward: cat((d) => d.reward),
    nextObs: cat((d) => d.nextObs),
    terminated: cat((d) => d.terminated),
    episode: Int32Array.from(episode),
    episodes,
    report: {
      task: first.report.task,
      logs: parts.flatMap((p) => p.report.logs),
      ticks: sumOf((r) => r.ticks),
      transitions: episode.length,
      episodes: episodes.length,
      ends,
      dropped: {
        latchedTicks: sumOf((r) => r.dropped.latchedTicks),
        nonFiniteTicks: sumOf((r) => r.dropped.nonFiniteTicks),
        afterTerminalTicks: sumOf((r) => r.dropped.afterTerminalTicks),
        missingTicks: sumOf((r) => r.dropped.missingTicks),
        shortEpisodes: sumOf((r) => r.dropped.shortEpisodes),
      },
    },
    ...(first.meta ? { meta: first.meta } : {}),
  };
}

/** The transitions of the listed episodes (by index into `episodes`), renumbered. */
export function selectEpisodes(dataset: LogDataset, keep: readonly number[]): LogDataset {
  const chosen = new Map<number, number>();
  for (let i = 0; i < keep.length; i++) chosen.set(keep[i]!, i);
  const rows: number[] = [];
  for (let r = 0; r < dataset.size; r++) if (chosen.has(dataset.episode[r]!)) rows.push(r);
  const O = dataset.obsSize;
  const A = dataset.actSize;
  const pick = (column: Float64Array, width: number) => {
    const out = new Float64Array(rows.length * width);
    for (let i = 0; i < rows.length; i++)
      out.set(column.subarray(rows[i]! * width, (rows[i]! + 1) * width), i * width);
    return out;
  };
  const episodes = keep.map((k) => dataset.episodes[k]!);
  const ends = { terminated: 0, latched: 0, 'tick-gap': 0, horizon: 0, 'end-of-log': 0, 'non-finite': 0 };
  for (const e of episodes) ends[e.end]++;
  return {
    ...dataset,
    size: rows.length,
    obs: pick(dataset.obs, O),
    act: pick(dataset.act, A),
    reward: pick(dataset.reward, 1),
    nextObs: pick(dataset.nextObs, O),
    terminated: pick(dataset.terminated, 1),
    episode: Int32Array.from(rows, (r) => chosen.get(dataset.episode[r]!)!),
    episodes,
    report: { ...dataset.report, transitions: rows.length, episodes: episodes.length, ends },
  };
}

/**
 * Splits episodes into a training set and a held-out set (for off-policy evaluation) by a hash of
 * each episode's id: an episode stays on its side however the dataset grows round after round.
 */
export function splitHeldOut(
  dataset: LogDataset,
  fraction: number,
): { train: LogDataset; heldOut: LogDataset } {
  if (!(fraction >= 0 && fraction < 1))
    throw new RangeError(`held-out fraction must be in [0, 1), got ${fraction}`);
  const train: number[] = [];
  const heldOut: number[] = [];
  dataset.episodes.forEach((e, k) => {
    (idFraction(e.id) < fraction ? heldOut : train).push(k);
  });
  // Both sides need an episode once there are two: move the smallest-hash one over.
  if (fraction > 0 && heldOut.length === 0 && train.length > 1) {
    train.sort((a, b) => idFraction(dataset.episodes[a]!.id) - idFraction(dataset.episodes[b]!.id));
    heldOut.push(train.shift()!);
    train.sort((a, b) => a - b);
  }
  return { train: selectEpisodes(dataset, train), heldOut: selectEpisodes(dataset, heldOut) };
}

/**
 * A number in [0, 1) from a string, the same on every machine: FNV-1a, then MurmurHash3's finaliser
 * so that ids differing only in their last characters (`round-0.mcap#7`, `#8`) spread evenly.
 */
function idFraction(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}
