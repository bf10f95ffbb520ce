import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerEntry } from '../runtime/entry-points.ts';
import {
  type BabOptions,
  type BabOutcome,
  type BabStats,
  type BabStatus,
  BranchAndBound,
  CONTROL_ABORT,
  CONTROL_VISITED,
  emptyStats,
  mergeStats,
  regionVolume,
  type StopReason,
} from './bab.ts';
import type { Box, LyapunovModel } from './model.ts';

/**
 * Parallel branch-and-bound: the region is cut into a grid of tasks which worker threads pull
 * from a queue, so a hard corner of the box does not leave the other threads idle. The threads of
 * one run share a small SharedArrayBuffer: the first confirmed counterexample raises its abort
 * flag, and every thread adds its box count, so the box budget holds for the run as a whole.
 */

export interface Progress {
  /** Boxes visited so far, all threads. */
  readonly visited: number;
  /** Share of the region's volume decided so far (verified or outside the level set), all threads. */
  readonly decided: number;
  readonly elapsedSeconds: number;
  /** Tasks of a run on worker threads; both 0 for a run in the calling thread, which has none. */
  readonly tasksDone: number;
  readonly tasks: number;
}

/** How often progress is reported when a caller does not say (ms). */
export const defaultProgressMs = 2000;

export interface ParallelOptions {
  /** Worker threads; 0 runs in the calling thread. Defaults to the number of cores. */
  readonly workers?: number;
  /** Tasks per worker to balance the load. */
  readonly tasksPerWorker?: number;
  readonly keepVerified?: boolean;
  /** Reuse these worker threads instead of starting new ones. */
  readonly pool?: VerifierPool;
  /** Called about every `progressMs` (default `defaultProgressMs`) while a run lasts. */
  readonly onProgress?: ((p: Progress) => void) | undefined;
  readonly progressMs?: number;
}

/** The outcome plus the boxes actually searched (the tasks), for the cover proof. */
export interface RegionOutcome extends BabOutcome {
  readonly searched: readonly Box[];
}

/**
 * Splits every region box into roughly equal pieces so that about `count` tasks result. Only the
 * first `splitDims` axes (the state) are cut: a task then holds every parameter of the uncertainty
 * box, so no state region is searched once per parameter slice, and a model with many uncertainty
 * dimensions still gets a grid of tasks over its state.
 */
export function splitRegion(
  region: readonly Box[],
  count: number,
  splitDims = Number.POSITIVE_INFINITY,
): Box[] {
  const volumes = region.map((b) => b.lo.reduce((v, l, i) => v * Math.max(b.up[i]! - l, 1e-300), 1));
  const total = volumes.reduce((a, b) => a + b, 0);
  const out: Box[] = [];
  region.forEach((box, k) => {
    const n = box.lo.length;
    const wide = box.lo.map((l, i) => i < splitDims && box.up[i]! > l);
    const nWide = Math.max(1, wide.filter(Boolean).length);
    const pieces = Math.max(1, Math.round((count * volumes[k]!) / total));
    const perAxis = Math.max(1, Math.round(pieces ** (1 / nWide)));
    const steps = wide.map((w) => (w ? perAxis : 1));
    const index = new Array<number>(n).fill(0);
    for (;;) {
      const lo = box.lo.map((l, i) => l + ((box.up[i]! - l) * index[i]!) / steps[i]!);
      const up = box.lo.map((l, i) =>
        index[i] === steps[i]! - 1 ? box.up[i]! : l + ((box.up[i]! - l) * (index[i]! + 1)) / steps[i]!,
      );
      out.push({ lo, up });
      let d = 0;
      while (d < n && ++index[d]! === steps[d]!) index[d++] = 0;
      if (d === n) break;
    }
  });
  return out;
}

const bootstrap = workerEntry(import.meta, './worker.ts', './worker-bootstrap.mjs');

type WorkerMessage =
  | { type: 'ready'; run: number }
  | { type: 'result'; run: number; id: number; outcome: BabOutcome };

function newControl(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(8 * Int32Array.BYTES_PER_ELEMENT));
}

/**
 * Worker threads kept across verification runs (a bisection runs a dozen): starting a worker
 * compiles the TypeScript sources, which costs more than a short proof. Runs are numbered so a
 * result still in flight from an aborted run is ignored.
 */
export class VerifierPool {
  private readonly workers: Worker[];
  private run = 0;
  private running = false;

  constructor(readonly size: number = availableParallelism()) {
    if (!(size >= 1)) throw new RangeError(`verifier pool needs at least one worker, got ${size}`);
    this.workers = Array.from({ length: size }, () => new Worker(bootstrap));
  }

  async verify(
    model: LyapunovModel,
    region: readonly Box[],
    options: BabOptions,
    keepVerified = false,
    tasksPerWorker = 16,
    progress?: Pick<ParallelOptions, 'onProgress' | 'progressMs'>,
  ): Promise<RegionOutcome> {
    if (this.running) throw new Error('verifier pool: one run at a time');
    this.running = true;
    const run = ++this.run;
    const tasks = splitRegion(region, this.size * tasksPerWorker, model.stateDim);
    const totalVolume = tasks.reduce((s, t) => s + regionVolume(model, t), 0);
    const control = newControl();
    // Each worker's decided volume in the task it is on (finished tasks are in `stats`).
    const inFlight = new Float64Array(new SharedArrayBuffer(this.size * Float64Array.BYTES_PER_ELEMENT));
    const stats = emptyStats();
    const verifiedBoxes: Box[] = [];
    const unknownBoxes: Box[] = [];
    let stopped: StopReason | undefined;
    let next = 0;
    let done = 0;
    const start = performance.now();
    const report = () =>
      progress?.onProgress?.({
        visited: Atomics.load(control, CONTROL_VISITED),
        decided: decidedShare(
          stats,
          totalVolume,
          inFlight.reduce((a, b) => a + b, 0),
        ),
        elapsedSeconds: (performance.now() - start) / 1000,
        tasksDone: done,
        tasks: tasks.length,
      });
    const timer = progress?.onProgress
      ? setInterval(report, progress.progressMs ?? defaultProgressMs)
      : undefined;
    const listeners: [Worker, (m: WorkerMessage) => void, (e: Error) => void][] = [];
    try {
      const outcome = await new Promise<BabOutcome>((resolve, reject) => {
        const feed = (w: Worker) => {
          if (next < tasks.length) {
            const id = next++;
            w.postMessage({ type: 'task', run, id, box: tasks[id] });
          }
        };
        for (const [slot, w] of this.workers.entries()) {
          const onMessage = (message: WorkerMessage) => {
            if (message.run !== run) return;
            if (message.type === 'ready') return feed(w);
            const o = message.outcome;
            mergeStats(stats, o.stats);
            inFlight[slot] = 0;
            if (o.verifiedBoxes) verifiedBoxes.push(...o.verifiedBoxes);
            if (unknownBoxes.length < 1000) unknownBoxes.push(...o.unknownBoxes.slice(0, 1000));
            if (o.stopped && o.stopped !== 'aborted') stopped ??= o.stopped;
            if (o.status === 'counterexample') {
              Atomics.store(control, CONTROL_ABORT, 1);
              return resolve({
                status: 'counterexample',
                stats,
                unknownBoxes,
                ...(o.counterexample ? { counterexample: o.counterexample } : {}),
              });
            }
            if (++done === tasks.length) {
              const status: BabStatus = stats.unknown > 0 ? 'unknown' : 'verified';
              return resolve({
                status,
                stats,
                unknownBoxes,
                ...(keepVerified ? { verifiedBoxes } : {}),
                ...(stopped ? { stopped } : {}),
              });
            }
            feed(w);
          };
          w.on('message', onMessage);
          w.on('error', reject);
          listeners.push([w, onMessage, reject]);
          w.postMessage({
            type: 'init',
            run,
            model: model.source,
            options,
            keepVerified,
            control: control.buffer,
            inFlight: inFlight.buffer,
            slot,
          });
        }
      });
      return { ...outcome, searched: tasks };
    } finally {
      if (timer) clearInterval(timer);
      for (const [w, onMessage, onError] of listeners) {
        w.off('message', onMessage);
        w.off('error', onError);
      }
      this.running = false;
    }
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export async function verifyRegion(
  model: LyapunovModel,
  region: readonly Box[],
  options: BabOptions,
  parallel: ParallelOptions = {},
): Promise<RegionOutcome> {
  const keepVerified = parallel.keepVerified ?? false;
  if (parallel.pool)
    return parallel.pool.verify(model, region, options, keepVerified, parallel.tasksPerWorker, parallel);
  const workers = parallel.workers ?? availableParallelism();
  if (workers <= 0) {
    const outcome = new BranchAndBound(model, options).run(
      region,
      keepVerified,
      undefined,
      inThreadProgress(model, region, parallel),
    );
    return { ...outcome, searched: region };
  }
  const pool = new VerifierPool(workers);
  try {
    return await pool.verify(model, region, options, keepVerified, parallel.tasksPerWorker, parallel);
  } finally {
    await pool.dispose();
  }
}

/** Share of the region's volume decided (verified or outside the level set), plus `inFlight`. */
function decidedShare(stats: Readonly<BabStats>, totalVolume: number, inFlight = 0): number {
  return totalVolume > 0
    ? Math.min(1, (stats.verifiedVolume + stats.outsideVolume + inFlight) / totalVolume)
    : 0;
}

/**
 * Progress of a run in the calling thread: the engine calls back at its checkpoints, and a report
 * goes out once `progressMs` has passed since the last one.
 */
function inThreadProgress(
  model: LyapunovModel,
  region: readonly Box[],
  parallel: ParallelOptions,
): ((stats: Readonly<BabStats>) => void) | undefined {
  const onProgress = parallel.onProgress;
  if (!onProgress) return undefined;
  const every = parallel.progressMs ?? defaultProgressMs;
  const totalVolume = region.reduce((s, box) => s + regionVolume(model, box), 0);
  const start = performance.now();
  let last = start;
  return (stats) => {
    const now = performance.now();
    if (now - last < every) return;
    last = now;
    onProgress({
      visited: stats.visited,
      decided: decidedShare(stats, totalVolume),
      elapsedSeconds: (now - start) / 1000,
      tasksDone: 0,
      tasks: 0,
    });
  };
}
