// Compiled from src/verification/parallel.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../src/verification/parallel.ts", import.meta.url).href;

// src/verification/parallel.ts
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { workerEntry } from "../runtime/entry-points.js";
import {
  BranchAndBound,
  CONTROL_ABORT,
  CONTROL_VISITED,
  emptyStats,
  mergeStats,
  regionVolume
} from "./bab.js";
var defaultProgressMs = 2e3;
function splitRegion(region, count, splitDims = Number.POSITIVE_INFINITY) {
  const volumes = region.map((b) => b.lo.reduce((v, l, i) => v * Math.max(b.up[i] - l, 1e-300), 1));
  const total = volumes.reduce((a, b) => a + b, 0);
  const out = [];
  region.forEach((box, k) => {
    const n = box.lo.length;
    const wide = box.lo.map((l, i) => i < splitDims && box.up[i] > l);
    const nWide = Math.max(1, wide.filter(Boolean).length);
    const pieces = Math.max(1, Math.round(count * volumes[k] / total));
    const perAxis = Math.max(1, Math.round(pieces ** (1 / nWide)));
    const steps = wide.map((w) => w ? perAxis : 1);
    const index = new Array(n).fill(0);
    for (; ; ) {
      const lo = box.lo.map((l, i) => l + (box.up[i] - l) * index[i] / steps[i]);
      const up = box.lo.map(
        (l, i) => index[i] === steps[i] - 1 ? box.up[i] : l + (box.up[i] - l) * (index[i] + 1) / steps[i]
      );
      out.push({ lo, up });
      let d = 0;
      while (d < n && ++index[d] === steps[d]) index[d++] = 0;
      if (d === n) break;
    }
  });
  return out;
}
var bootstrap = workerEntry(import.meta, "./worker.ts", "./worker-bootstrap.mjs");
function newControl() {
  return new Int32Array(new SharedArrayBuffer(8 * Int32Array.BYTES_PER_ELEMENT));
}
var VerifierPool = class {
  constructor(size = availableParallelism()) {
    this.size = size;
    if (!(size >= 1)) throw new RangeError(`verifier pool needs at least one worker, got ${size}`);
    this.workers = Array.from({ length: size }, () => new Worker(bootstrap));
  }
  size;
  workers;
  run = 0;
  running = false;
  async verify(model, region, options, keepVerified = false, tasksPerWorker = 16, progress) {
    if (this.running) throw new Error("verifier pool: one run at a time");
    this.running = true;
    const run = ++this.run;
    const tasks = splitRegion(region, this.size * tasksPerWorker, model.stateDim);
    const totalVolume = tasks.reduce((s, t) => s + regionVolume(model, t), 0);
    const control = newControl();
    const inFlight = new Float64Array(new SharedArrayBuffer(this.size * Float64Array.BYTES_PER_ELEMENT));
    const stats = emptyStats();
    const verifiedBoxes = [];
    const unknownBoxes = [];
    let stopped;
    let next = 0;
    let done = 0;
    const start = performance.now();
    const report = () => progress?.onProgress?.({
      visited: Atomics.load(control, CONTROL_VISITED),
      decided: decidedShare(
        stats,
        totalVolume,
        inFlight.reduce((a, b) => a + b, 0)
      ),
      elapsedSeconds: (performance.now() - start) / 1e3,
      tasksDone: done,
      tasks: tasks.length
    });
    const timer = progress?.onProgress ? setInterval(report, progress.progressMs ?? defaultProgressMs) : void 0;
    const listeners = [];
    try {
      const outcome = await new Promise((resolve, reject) => {
        const feed = (w) => {
          if (next < tasks.length) {
            const id = next++;
            w.postMessage({ type: "task", run, id, box: tasks[id] });
          }
        };
        for (const [slot, w] of this.workers.entries()) {
          const onMessage = (message) => {
            if (message.run !== run) return;
            if (message.type === "ready") return feed(w);
            const o = message.outcome;
            mergeStats(stats, o.stats);
            inFlight[slot] = 0;
            if (o.verifiedBoxes) verifiedBoxes.push(...o.verifiedBoxes);
            if (unknownBoxes.length < 1e3) unknownBoxes.push(...o.unknownBoxes.slice(0, 1e3));
            if (o.stopped && o.stopped !== "aborted") stopped ??= o.stopped;
            if (o.status === "counterexample") {
              Atomics.store(control, CONTROL_ABORT, 1);
              return resolve({
                status: "counterexample",
                stats,
                unknownBoxes,
                ...o.counterexample ? { counterexample: o.counterexample } : {}
              });
            }
            if (++done === tasks.length) {
              const status = stats.unknown > 0 ? "unknown" : "verified";
              return resolve({
                status,
                stats,
                unknownBoxes,
                ...keepVerified ? { verifiedBoxes } : {},
                ...stopped ? { stopped } : {}
              });
            }
            feed(w);
          };
          w.on("message", onMessage);
          w.on("error", reject);
          listeners.push([w, onMessage, reject]);
          w.postMessage({
            type: "init",
            run,
            model: model.source,
            options,
            keepVerified,
            control: control.buffer,
            inFlight: inFlight.buffer,
            slot
          });
        }
      });
      return { ...outcome, searched: tasks };
    } finally {
      if (timer) clearInterval(timer);
      for (const [w, onMessage, onError] of listeners) {
        w.off("message", onMessage);
        w.off("error", onError);
      }
      this.running = false;
    }
  }
  async dispose() {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
};
async function verifyRegion(model, region, options, parallel = {}) {
  const keepVerified = parallel.keepVerified ?? false;
  if (parallel.pool)
    return parallel.pool.verify(model, region, options, keepVerified, parallel.tasksPerWorker, parallel);
  const workers = parallel.workers ?? availableParallelism();
  if (workers <= 0) {
    const outcome = new BranchAndBound(model, options).run(
      region,
      keepVerified,
      void 0,
      inThreadProgress(model, region, parallel)
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
function decidedShare(stats, totalVolume, inFlight = 0) {
  return totalVolume > 0 ? Math.min(1, (stats.verifiedVolume + stats.outsideVolume + inFlight) / totalVolume) : 0;
}
function inThreadProgress(model, region, parallel) {
  const onProgress = parallel.onProgress;
  if (!onProgress) return void 0;
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
      elapsedSeconds: (now - start) / 1e3,
      tasksDone: 0,
      tasks: 0
    });
  };
}
export {
  VerifierPool,
  defaultProgressMs,
  splitRegion,
  verifyRegion
};
