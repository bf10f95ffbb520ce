/**
 * Summary statistics of a log, as printed by `tether log info`: timing percentiles, safety
 * interventions, events. Pure functions of a TetherLog.
 */
import type { LinkHealth } from '../core/link-health.ts';
import { SafetyFlag } from '../safety/types.ts';
import { MetadataName } from './layout.ts';
import type { LogChannel, TetherLog } from './reader.ts';

export interface Spread {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** The task outcome a run wrote into its summary record (src/loop/task-outcome.ts). */
export interface LoggedTaskOutcome {
  readonly task: string;
  readonly success: boolean;
  readonly verdict: string;
  readonly episodes: number;
  readonly falls: number;
  readonly returns: readonly number[];
  readonly meanReturn: number;
  readonly timeInLimits: number;
  readonly duration: number;
}

export interface LogReport {
  readonly path: string;
  readonly bytes: number;
  readonly truncated: boolean;
  readonly truncation: string | undefined;
  readonly chunks: number;
  readonly robot:
    | {
        readonly name: string;
        readonly transport: string;
        readonly observations: number;
        readonly actions: number;
      }
    | undefined;
  readonly controller: string | undefined;
  readonly startedAt: string | undefined;
  readonly nominalRateHz: number | undefined;
  readonly measuredRateHz: number | undefined;
  readonly ticks: number;
  /** Tick numbers missing between the first and last logged tick (dropped by the logger or lost). */
  readonly missingTicks: number;
  /**
   * Ticks the logger dropped: its close record's count, or, for a log cut short, its last
   * `/tether/logger` count (undefined in logs from before that channel).
   */
  readonly droppedTicks: number | undefined;
  /** Events the logger could not log, counted the same way. */
  readonly droppedEvents: number | undefined;
  /** Loop time the drop counts are as of when they come from a `/tether/logger` sample of a cut log. */
  readonly droppedAsOf: number | undefined;
  readonly incompleteTicks: number;
  readonly durationS: number;
  /** Seconds. */
  readonly periodError: Spread | undefined;
  readonly computeTime: Spread | undefined;
  readonly missedDeadlines: number;
  readonly safety: {
    readonly ticksWithInterventions: number;
    readonly byFlag: Readonly<Record<string, number>>;
  };
  readonly events: {
    readonly count: number;
    readonly byKind: Readonly<Record<string, number>>;
    /** Faults and e-stops, in order. */
    readonly faults: readonly {
      readonly time: number;
      readonly kind: string;
      readonly source: string;
      readonly message: string;
    }[];
  };
  readonly channels: readonly LogChannel[];
  /** The run's task outcome (`task` of the summary record), when the run config had a task. */
  readonly task: LoggedTaskOutcome | undefined;
  /**
   * The link's health at the last sample (robots behind a link), how many samples there were, and the
   * last session that owned the rig (the final sample, after the release, has none).
   */
  readonly link:
    | { readonly samples: number; readonly last: LinkHealth; readonly session: string | undefined }
    | undefined;
}

/** Nearest-rank percentiles of the finite values; undefined when there are none. */
export function spread(values: Float64Array): Spread | undefined {
  const sorted = values.filter(Number.isFinite).sort();
  if (sorted.length === 0) return undefined;
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  return { p50: rank(0.5), p99: rank(0.99), max: sorted[sorted.length - 1]! };
}

const flagNames = (Object.keys(SafetyFlag) as (keyof typeof SafetyFlag)[]).filter((f) => SafetyFlag[f] !== 0);

export function summarizeLog(log: TetherLog): LogReport {
  const t = log.ticks;
  const count = t.count;
  const durationS = count > 1 ? t.time[count - 1]! - t.time[0]! : 0;
  let missingTicks = 0;
  for (let i = 1; i < count; i++) missingTicks += Math.max(0, t.tick[i]! - t.tick[i - 1]! - 1);
  const byFlag: Record<string, number> = {};
  let ticksWithInterventions = 0;
  for (let i = 0; i < count; i++) {
    const flags = t.safetyFlags[i]!;
    if (flags === 0) continue;
    ticksWithInterventions++;
    for (const name of flagNames) if (flags & SafetyFlag[name]) byFlag[name] = (byFlag[name] ?? 0) + 1;
  }
  const byKind: Record<string, number> = {};
  for (const event of log.events) byKind[event.kind] = (byKind[event.kind] ?? 0) + 1;
  const span = count > 1 ? t.tick[count - 1]! - t.tick[0]! : 0;
  return {
    path: log.path,
    bytes: log.bytes,
    truncated: log.truncated,
    truncation: log.truncation,
    chunks: log.chunks,
    robot: log.robot && {
      name: log.robot.name,
      transport: log.robot.transport,
      observations: log.robot.observation.signals.length,
      actions: log.robot.action.signals.length,
    },
    controller: log.controller,
    startedAt: log.startedAt,
    nominalRateHz: log.rateHz,
    measuredRateHz: durationS > 0 ? span / durationS : undefined,
    ticks: count,
    missingTicks,
    droppedTicks: log.summary?.droppedTicks ?? log.logger?.droppedTicks,
    droppedEvents: log.logger?.droppedEvents,
    droppedAsOf: log.summary === undefined && log.logger !== undefined ? log.logger.time : undefined,
    incompleteTicks: log.incompleteTicks,
    durationS,
    periodError: spread(t.periodError),
    computeTime: spread(t.computeTime),
    missedDeadlines: count > 0 ? t.missedDeadlines[count - 1]! : 0,
    safety: { ticksWithInterventions, byFlag },
    events: {
      count: log.events.length,
      byKind,
      faults: log.events
        .filter((e) => e.kind === 'fault' || e.kind === 'estop')
        .map(({ time, kind, source, message }) => ({ time, kind, source, message })),
    },
    channels: log.channels,
    task: loggedTaskOutcome(log),
    link:
      log.link.length === 0
        ? undefined
        : {
            samples: log.link.length,
            last: log.link[log.link.length - 1]!.health,
            session: [...log.link].reverse().find((sample) => sample.health.session !== undefined)?.health
              .session,
          },
  };
}

function loggedTaskOutcome(log: TetherLog): LoggedTaskOutcome | undefined {
  const text = log.metadata.get(MetadataName.summary)?.['task'];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as LoggedTaskOutcome;
  } catch {
    return undefined;
  }
}
