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

export async function verifyRegion(
  model: LyapunovModel,
  region: readonly Box[],
  options: BabOptions,
  parallel: ParallelOptions = {},
): Promise<BabOutcome> {
  const workers = parallel.workers ?? availableParallelism();
  const keepVerified = parallel.keepVerified ?? false;
  if (workers <= 0) return new BranchAndBound(model, options).run(region, keepVerified);

  const tasks = splitRegion(region, workers * (parallel.tasksPerWorker ?? 16));
  const stats = emptyStats();
  const verifiedBoxes: Box[] = [];
  const unknownBoxes: Box[] = [];
  let next = 0;
  let done = 0;
  const pool = Array.from({ length: Math.min(workers, tasks.length) }, () => new Worker(bootstrap));
  try {
    return await new Promise<BabOutcome>((resolve, reject) => {
      const finish = (outcome: BabOutcome) => resolve(outcome);
      const feed = (w: Worker) => {
        if (next < tasks.length) {
          const id = next++;
          w.postMessage({ type: 'task', id, box: tasks[id] });
        }
      };
      for (const w of pool) {
        w.on('error', reject);
        w.on('message', (message: { type: 'ready' } | { type: 'result'; outcome: BabOutcome }) => {
          if (message.type === 'ready') return feed(w);
          const o = message.outcome;
          mergeStats(stats, o.stats);
          if (o.verifiedBoxes) verifiedBoxes.push(...o.verifiedBoxes);
          unknownBoxes.push(...o.unknownBoxes);
          if (o.status === 'counterexample') {
            return finish({
              status: 'counterexample',
              stats,
              unknownBoxes,
              ...(o.counterexample ? { counterexample: o.counterexample } : {}),
            });
          }
          if (++done === tasks.length) {
            const status: BabStatus = stats.unknown > 0 ? 'unknown' : 'verified';
            return finish(
              keepVerified ? { status, stats, verifiedBoxes, unknownBoxes } : { status, stats, unknownBoxes },
            );
          }
          feed(w);
        });
        w.postMessage({ type: 'init', model: model.source, options, keepVerified });
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
