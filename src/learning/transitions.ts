/**
 * Transitions (s, a, r, s′, terminated): the one layout that learning data has from a logged run or
 * a dataset file to the replay buffer and its minibatches. Columns are row-major Float64Arrays, so
 * a row of one store copies into another without renaming or converting anything.
 *
 * `terminated` follows the environment's `EnvStep`: 1 when s′ ended the episode inside the MDP (no
 * bootstrapping from it); an episode cut by a time limit, a gap or the end of a log is not
 * terminated and bootstraps.
 */

import type { TetherLog } from '../logging/reader.ts';
import { SafetyFlag } from '../safety/types.ts';

/** The columns every transition store shares (a dataset, the replay buffer, a minibatch). */
export interface TransitionColumns {
  readonly obsSize: number;
  readonly actSize: number;
  /** Row-major, rows × obsSize. */
  readonly obs: Float64Array;
  /** Row-major, rows × actSize. */
  readonly act: Float64Array;
  readonly reward: Float64Array;
  readonly nextObs: Float64Array;
  /** 1 where s′ is terminal, else 0. */
  readonly terminated: Float64Array;
}

/** A fixed set of `size` transitions, e.g. a real-robot log to learn from. */
export interface Transitions extends TransitionColumns {
  readonly size: number;
  /** Where the data came from (file, generator settings); kept through save and load. */
  readonly meta?: Record<string, unknown>;
}

/** The first `rows` transitions of a store, as views (nothing is copied). */
export function firstRows(columns: TransitionColumns, rows: number): Transitions {
  const O = columns.obsSize;
  const A = columns.actSize;
  return {
    size: rows,
    obsSize: O,
    actSize: A,
    obs: columns.obs.subarray(0, rows * O),
    act: columns.act.subarray(0, rows * A),
    reward: columns.reward.subarray(0, rows),
    nextObs: columns.nextObs.subarray(0, rows * O),
    terminated: columns.terminated.subarray(0, rows),
  };
}

/** Transitions built from a logged run, with where each one sits in the log. */
export interface LoggedTransitions extends Transitions {
  /** Tick number of s, to find the transition in the log. */
  readonly tick: Float64Array;
  /**
   * 1 when the next transition does not continue from s′ (terminated, dropped ticks, the end of
   * the log or the seam to the next log): episode boundaries.
   */
  readonly segmentEnd: Uint8Array;
}

/** Reward of one transition, for sources (MCAP logs) that do not record one. */
export type RewardFunction = (obs: Float64Array, act: Float64Array, nextObs: Float64Array) => number;

export interface TransitionOptions {
  /**
   * `command` (default): what the robot actually received after the safety layer, the right
   * action for learning dynamics. `proposal`: what the controller asked for.
   */
  readonly action?: 'command' | 'proposal';
}

const latched = SafetyFlag.fault | SafetyFlag.estop;

function allFinite(values: Float64Array, from: number, length: number): boolean {
  for (let i = from; i < from + length; i++) if (!Number.isFinite(values[i]!)) return false;
  return true;
}

/**
 * Turns the ticks of a logged run into transitions. A transition joins two consecutive ticks i and
 * i+1 (tick numbers differ by exactly one, so ticks the logger dropped never fake a successor).
 * Ticks the safety layer had latched (fault or e-stop) are not under the controller's authority and
 * start no transition; reaching one terminates the episode. Rows with a non-finite observation or
 * action are skipped. The log carries no reward, so `rewardOf` computes it from (s, a, s′).
 */
export function toTransitions(
  log: Pick<TetherLog, 'path' | 'ticks'>,
  rewardOf: RewardFunction,
  options: TransitionOptions = {},
): LoggedTransitions {
  const t = log.ticks;
  if (t.count === 0) {
    throw new Error(
      `log ${log.path} has no ticks, so there are no transitions to build ` +
        '(the run stopped before its first tick, or a crash lost the only chunk)',
    );
  }
  const n = t.observationSize;
  const m = t.actionSize;
  const source = options.action === 'proposal' ? t.action : t.command;
  const rows: number[] = [];
  for (let i = 0; i + 1 < t.count; i++) {
    if (t.tick[i + 1] !== t.tick[i]! + 1) continue;
    if (t.safetyFlags[i]! & latched) continue;
    if (!allFinite(t.observation, i * n, n) || !allFinite(source, i * m, m)) continue;
    if (!allFinite(t.observation, (i + 1) * n, n)) continue;
    rows.push(i);
  }
  if (rows.length === 0) {
    throw new Error(
      `log ${log.path} has ${t.count} ticks but no usable transition: expected two consecutive ticks ` +
        'with finite observations and actions, not latched by a fault or e-stop',
    );
  }
  const size = rows.length;
  const obs = new Float64Array(size * n);
  const act = new Float64Array(size * m);
  const reward = new Float64Array(size);
  const nextObs = new Float64Array(size * n);
  const terminated = new Float64Array(size);
  const tick = new Float64Array(size);
  const segmentEnd = new Uint8Array(size);
  rows.forEach((i, k) => {
    obs.set(t.observation.subarray(i * n, (i + 1) * n), k * n);
    act.set(source.subarray(i * m, (i + 1) * m), k * m);
    nextObs.set(t.observation.subarray((i + 1) * n, (i + 2) * n), k * n);
    reward[k] = rewardOf(
      obs.subarray(k * n, (k + 1) * n),
      act.subarray(k * m, (k + 1) * m),
      nextObs.subarray(k * n, (k + 1) * n),
    );
    terminated[k] = t.safetyFlags[i + 1]! & latched ? 1 : 0;
    tick[k] = t.tick[i]!;
  });
  for (let k = 0; k < size; k++) {
    const continues = k + 1 < size && tick[k + 1] === tick[k]! + 1 && terminated[k] === 0;
    segmentEnd[k] = continues ? 0 : 1;
  }
  return {
    size,
    obsSize: n,
    actSize: m,
    obs,
    act,
    reward,
    nextObs,
    terminated,
    tick,
    segmentEnd,
    meta: { source: log.path },
  };
}

/** Joins the transitions of several logs (e.g. one log per real-robot episode) into one dataset. */
export function concatTransitions(parts: readonly LoggedTransitions[]): LoggedTransitions {
  const first = parts[0];
  if (!first) throw new Error('concatTransitions needs at least one set of transitions');
  const { obsSize: n, actSize: m } = first;
  parts.forEach((part, i) => {
    if (part.obsSize !== n || part.actSize !== m) {
      throw new Error(
        `transitions ${i} have ${part.obsSize} observations and ${part.actSize} actions, ` +
          `expected ${n} and ${m} like the first: logs of different robots cannot be joined`,
      );
    }
  });
  const join = <T extends Float64Array | Uint8Array>(
    pick: (t: LoggedTransitions) => T,
    make: (size: number) => T,
  ): T => {
    const out = make(parts.reduce((size, part) => size + pick(part).length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(pick(part), at);
      at += pick(part).length;
    }
    return out;
  };
  const floats = (pick: (t: LoggedTransitions) => Float64Array) =>
    join(pick, (size) => new Float64Array(size));
  const segmentEnd = join(
    (t) => t.segmentEnd,
    (size) => new Uint8Array(size),
  );
  // The last transition of each part ends a segment: the next part is another run.
  let end = 0;
  for (const part of parts) {
    end += part.size;
    segmentEnd[end - 1] = 1;
  }
  return {
    size: end,
    obsSize: n,
    actSize: m,
    obs: floats((t) => t.obs),
    act: floats((t) => t.act),
    reward: floats((t) => t.reward),
    nextObs: floats((t) => t.nextObs),
    terminated: floats((t) => t.terminated),
    tick: floats((t) => t.tick),
    segmentEnd,
    meta: { sources: parts.map((part) => part.meta?.['source']) },
  };
}
