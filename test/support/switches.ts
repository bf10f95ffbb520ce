import type { TetherLog } from '../../src/logging/reader.ts';

/** Where the per-tick controller index changes: one entry per switch, with the tick it took effect. */
export function controllerChanges(
  log: TetherLog,
): { index: number; tick: number; time: number; to: string }[] {
  const t = log.ticks;
  const changes: { index: number; tick: number; time: number; to: string }[] = [];
  for (let i = 1; i < t.count; i++) {
    if (t.controller[i] !== t.controller[i - 1])
      changes.push({
        index: i,
        tick: t.tick[i]!,
        time: t.time[i]!,
        to: log.controllers[t.controller[i]!] ?? '?',
      });
  }
  return changes;
}

/** Largest |signal| over the log. */
export function maxAbs(log: TetherLog, signal: string): number {
  const t = log.ticks;
  const k = t.observationNames.indexOf(signal);
  if (k < 0) throw new Error(`no signal ${signal}`);
  let worst = 0;
  for (let i = 0; i < t.count; i++)
    worst = Math.max(worst, Math.abs(t.observation[i * t.observationSize + k]!));
  return worst;
}
