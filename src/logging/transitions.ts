/**
 * Turns a logged run into (s, a, s', done) arrays for learning from real-robot data.
 *
 * A transition joins two consecutive ticks i and i+1 (tick numbers differ by exactly one, so
 * ticks the logger dropped never fake a successor). Ticks the safety layer had latched (fault or
 * e-stop) are not under the controller's authority and start no transition; reaching one ends the
 * episode (`done`). Rows with a non-finite observation or action are skipped.
 */
import { SafetyFlag } from '../safety/types.ts';
import type { TetherLog } from './reader.ts';

export interface Transitions {
  readonly count: number;
  readonly observationSize: number;
  readonly actionSize: number;
  /** Row-major, `count × observationSize`. */
  readonly observations: Float64Array;
  /** Row-major, `count × actionSize`. */
  readonly actions: Float64Array;
  readonly nextObservations: Float64Array;
  /** 1 when s' is terminal: the safety layer latched a fault or e-stop on the next tick. */
  readonly dones: Uint8Array;
  /** 1 when the next transition does not continue from s' (terminal, dropped ticks, end of log). */
  readonly segmentEnds: Uint8Array;
  /** Tick number of s, to find the transition in the log. */
  readonly ticks: Float64Array;
}

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

export function toTransitions(
  log: Pick<TetherLog, 'path' | 'ticks'>,
  options: TransitionOptions = {},
): Transitions {
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
  const count = rows.length;
  const observations = new Float64Array(count * n);
  const actions = new Float64Array(count * m);
  const nextObservations = new Float64Array(count * n);
  const dones = new Uint8Array(count);
  const segmentEnds = new Uint8Array(count);
  const ticks = new Float64Array(count);
  rows.forEach((i, k) => {
    observations.set(t.observation.subarray(i * n, (i + 1) * n), k * n);
    actions.set(source.subarray(i * m, (i + 1) * m), k * m);
    nextObservations.set(t.observation.subarray((i + 1) * n, (i + 2) * n), k * n);
    dones[k] = t.safetyFlags[i + 1]! & latched ? 1 : 0;
    ticks[k] = t.tick[i]!;
  });
  for (let k = 0; k < count; k++) {
    const continues = k + 1 < count && ticks[k + 1] === ticks[k]! + 1 && dones[k] === 0;
    segmentEnds[k] = continues ? 0 : 1;
  }
  return {
    count,
    observationSize: n,
    actionSize: m,
    observations,
    actions,
    nextObservations,
    dones,
    segmentEnds,
    ticks,
  };
}

/** Joins the transitions of several logs (e.g. one log per real-robot episode) into one dataset. */
export function concatTransitions(parts: readonly Transitions[]): Transitions {
  const first = parts[0];
  if (!first) throw new Error('concatTransitions needs at least one set of transitions');
  const { observationSize: n, actionSize: m } = first;
  parts.forEach((part, i) => {
    if (part.observationSize !== n || part.actionSize !== m) {
      throw new Error(
        `transitions ${i} have ${part.observationSize} observations and ${part.actionSize} actions, ` +
          `expected ${n} and ${m} like the first: logs of different robots cannot be joined`,
      );
    }
  });
  const join = <T extends Float64Array | Uint8Array>(
    pick: (t: Transitions) => T,
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
  const segmentEnds = join(
    (t) => t.segmentEnds,
    (size) => new Uint8Array(size),
  );
  // The last transition of each part ends a segment: the next part is another run.
  let end = 0;
  for (const part of parts) {
    end += part.count;
    segmentEnds[end - 1] = 1;
  }
  return {
    count: end,
    observationSize: n,
    actionSize: m,
    observations: join(
      (t) => t.observations,
      (size) => new Float64Array(size),
    ),
    actions: join(
      (t) => t.actions,
      (size) => new Float64Array(size),
    ),
    nextObservations: join(
      (t) => t.nextObservations,
      (size) => new Float64Array(size),
    ),
    dones: join(
      (t) => t.dones,
      (size) => new Uint8Array(size),
    ),
    segmentEnds,
    ticks: join(
      (t) => t.ticks,
      (size) => new Float64Array(size),
    ),
  };
}
