import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  type BabOptions,
  type BabOutcome,
  type BabStatus,
  BranchAndBound,
  emptyStats,
  mergeStats,
} from './bab.ts';
import type { Box, LyapunovModel } from './model.ts';

/**
 * Parallel branch-and-bound: the region is cut into a grid of tasks which worker threads pull
 * from a queue, so a hard corner of the box does not leave the other threads idle. The first
 * confirmed counterexample stops everything.
 */

export interface ParallelOptions {
  /** Worker threads; 0 runs in the calling thread. Defaults to the number of cores. */
  readonly workers?: number;
  /** Tasks per worker to balance the load. */
  readonly tasksPerWorker?: number;
  readonly keepVerified?: boolean;
  /** Reuse these worker threads instead of starting new ones. */
  readonly pool?: VerifierPool;
}

/** Splits every region box into roughly equal pieces so that about `count` tasks result. */
export function splitRegion(region: readonly Box[], count: number): Box[] {
  const volumes = region.map((b) => b.lo.reduce((v, l, i) => v * (b.up[i]! - l), 1));
  const total = volumes.reduce((a, b) => a + b, 0);
  const out: Box[] = [];
  region.forEach((box, k) => {
    const n = box.lo.length;
    const pieces = Math.max(1, Math.round((count * volumes[k]!) / total));
    const perAxis = Math.max(1, Math.round(pieces ** (1 / n)));
    const index = new Array<number>(n).fill(0);
    for (;;) {
      const lo = box.lo.map((l, i) => l + ((box.up[i]! - l) * index[i]!) / perAxis);
      const up = box.lo.map((l, i) =>
        index[i] === perAxis - 1 ? box.up[i]! : l + ((box.up[i]! - l) * (index[i]! + 1)) / perAxis,
      );
      out.push({ lo, up });
      let d = 0;
      while (d < n && ++index[d]! === perAxis) index[d++] = 0;
      if (d === n) break;
    }
  });
  return out;
}

const bootstrap = new URL('./worker-bootstrap.mjs', import.meta.url);

type WorkerMessage = { type: 'ready'; run: number } | { type: 'result'; run: number; outcome: BabOutcome };

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
  ): Promise<BabOutcome> {
    if (this.running) throw new Error('verifier pool: one run at a time');
    this.running = true;
    const run = ++this.run;
    const tasks = splitRegion(region, this.size * tasksPerWorker);
    const stats = emptyStats();
    const verifiedBoxes: Box[] = [];
    const unknownBoxes: Box[] = [];
    let next = 0;
    let done = 0;
    const listeners: [Worker, (m: WorkerMessage) => void, (e: Error) => void][] = [];
    try {
      return await new Promise<BabOutcome>((resolve, reject) => {
        const feed = (w: Worker) => {
          if (next < tasks.length) {
            const id = next++;
            w.postMessage({ type: 'task', run, id, box: tasks[id] });
          }
        };
        for (const w of this.workers) {
          const onMessage = (message: WorkerMessage) => {
            if (message.run !== run) return;
            if (message.type === 'ready') return feed(w);
            const o = message.outcome;
            mergeStats(stats, o.stats);
            if (o.verifiedBoxes) verifiedBoxes.push(...o.verifiedBoxes);
            unknownBoxes.push(...o.unknownBoxes);
            if (o.status === 'counterexample') {
              return resolve({
                status: 'counterexample',
                stats,
                unknownBoxes,
                ...(o.counterexample ? { counterexample: o.counterexample } : {}),
              });
            }
            if (++done === tasks.length) {
              const status: BabStatus = stats.unknown > 0 ? 'unknown' : 'verified';
              return resolve(
                keepVerified
                  ? { status, stats, verifiedBoxes, unknownBoxes }
                  : { status, stats, unknownBoxes },
              );
            }
            feed(w);
          };
          w.on('message', onMessage);
          w.on('error', reject);
          listeners.push([w, onMessage, reject]);
          w.postMessage({ type: 'init', run, model: model.source, options, keepVerified });
        }
      });
    } finally {
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
): Promise<BabOutcome> {
  const keepVerified = parallel.keepVerified ?? false;
  if (parallel.pool)
    return parallel.pool.verify(model, region, options, keepVerified, parallel.tasksPerWorker);
  const workers = parallel.workers ?? availableParallelism();
  if (workers <= 0) return new BranchAndBound(model, options).run(region, keepVerified);
  const pool = new VerifierPool(workers);
  try {
    return await pool.verify(model, region, options, keepVerified, parallel.tasksPerWorker);
  } finally {
    await pool.dispose();
  }
}
