import { parentPort } from 'node:worker_threads';
import { type BabOptions, BranchAndBound } from './bab.ts';
import type { Box } from './model.ts';
import { parseModel } from './model.ts';

/** Worker side of the parallel verifier: receives the model once, then boxes to prove. */

export interface WorkerInit {
  readonly type: 'init';
  readonly run: number;
  readonly model: unknown;
  readonly options: BabOptions;
  readonly keepVerified: boolean;
  /** Shared abort flag and box counter of the run (see bab.ts). */
  readonly control: SharedArrayBuffer;
  /** One float64 per worker: the volume decided so far in its current task (for progress). */
  readonly inFlight: SharedArrayBuffer;
  readonly slot: number;
}

export interface WorkerTask {
  readonly type: 'task';
  readonly run: number;
  readonly id: number;
  readonly box: Box;
}

let engine: BranchAndBound | undefined;
let keep = false;
let control: Int32Array | undefined;
let inFlight: Float64Array | undefined;
let slot = 0;
/** Publishes the current task's decided volume at each of the engine's checkpoints. */
const publish = (stats: { verifiedVolume: number; outsideVolume: number }): void => {
  inFlight![slot] = stats.verifiedVolume + stats.outsideVolume;
};

parentPort!.on('message', (message: WorkerInit | WorkerTask) => {
  if (message.type === 'init') {
    engine = new BranchAndBound(parseModel(message.model, 'worker model'), message.options);
    keep = message.keepVerified;
    control = new Int32Array(message.control);
    inFlight = new Float64Array(message.inFlight);
    slot = message.slot;
    parentPort!.postMessage({ type: 'ready', run: message.run });
    return;
  }
  if (!engine) throw new Error('verifier worker got a task before its model');
  // The parent clears the slot when it merges the result, so no report counts a task twice.
  const outcome = engine.run([message.box], keep, control, publish);
  parentPort!.postMessage({ type: 'result', run: message.run, id: message.id, outcome });
});
