import { getPriority, setPriority } from 'node:os';

/**
 * The nice value a real-time loop asks for (its own thread and its clock thread): −10 unless
 * `TETHER_LOOP_NICE` says otherwise. A thread already at that priority or higher is left alone, so
 * TETHER_LOOP_NICE=0 never changes anything in a process started at nice 0. Lowering a nice value
 * needs CAP_SYS_NICE or an RLIMIT_NICE (`ulimit -e`) that allows it; without either the loop still
 * runs, at the priority it was started with, and says so.
 */
export function requestedNice(): number {
  const text = process.env['TETHER_LOOP_NICE'];
  if (text === undefined || text.trim() === '') return -10;
  const nice = Number(text);
  if (!Number.isInteger(nice) || nice < -20 || nice > 19)
    throw new Error(`TETHER_LOOP_NICE: expected an integer from -20 to 19, got '${text}'`);
  return nice;
}

export interface PriorityChange {
  /** The nice value of the calling thread before the change. */
  readonly before: number;
  /** What was asked for; equal to `before` when nothing needed changing. */
  readonly requested: number;
  /** Undefined when the change took effect (or none was asked for); otherwise why it did not. */
  readonly refused: string | undefined;
}

/** Raises the calling thread's priority to `nice` (Linux keeps one per thread); never lowers it, never throws. */
export function setThreadNice(nice: number): PriorityChange {
  const before = getPriority();
  if (nice >= before) return { before, requested: before, refused: undefined };
  try {
    setPriority(nice);
    return { before, requested: nice, refused: undefined };
  } catch (error) {
    return { before, requested: nice, refused: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Raises the priority of another process we started (its main thread: Linux keeps a nice value per
 * thread), e.g. a rig that must not be starved by the loop or the loop by it; never lowers it,
 * never throws.
 */
export function setProcessNice(pid: number, nice: number): PriorityChange {
  const before = getPriority(pid);
  if (nice >= before) return { before, requested: before, refused: undefined };
  try {
    setPriority(pid, nice);
    return { before, requested: nice, refused: undefined };
  } catch (error) {
    return { before, requested: nice, refused: error instanceof Error ? error.message : String(error) };
  }
}

/** One line on a change made by setThreadNice or setProcessNice, for `who` (e.g. 'rig'). */
export function describeChange(who: string, change: PriorityChange): string {
  if (change.refused !== undefined)
    return (
      `${who} priority: NOT raised, it runs at nice ${change.before} (asked for ${change.requested}: ` +
      `${change.refused}); raising it needs CAP_SYS_NICE or ulimit -e ≥ ${20 - change.requested}`
    );
  return change.requested === change.before
    ? `${who} priority: nice ${change.before}`
    : `${who} priority: nice ${change.requested} (raised from ${change.before})`;
}

/** Puts the calling thread back where `change` found it (raising a nice value is always allowed). */
export function restoreThreadNice(change: PriorityChange): void {
  if (change.refused !== undefined || change.requested === change.before) return;
  try {
    setPriority(change.before);
  } catch {
    // Only a process that dropped privileges in between could refuse; it keeps the higher priority.
  }
}

/**
 * One line for the run's events: what priority the loop and its clock thread run at, and why.
 * `clockThread` is the clock thread's nice value, or why it could not be raised.
 */
export function describePriority(main: PriorityChange, clockThread: number | string): string {
  const refused = main.refused ?? (typeof clockThread === 'string' ? clockThread : undefined);
  if (refused === undefined) {
    const changed = main.requested !== main.before ? ` (raised from ${main.before})` : '';
    return `loop priority: nice ${main.requested}${changed}, clock thread nice ${clockThread}`;
  }
  return (
    `loop priority: NOT raised, the loop runs at nice ${main.before} (asked for ${main.requested}: ${refused}); ` +
    `raising it needs CAP_SYS_NICE or ulimit -e ≥ ${20 - main.requested}`
  );
}
