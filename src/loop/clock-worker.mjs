// The deadline clock's thread. It does nothing but wait and signal, so no callback of the main
// event loop (a socket read, a log flush, a GC of the main heap) can delay its wake-up. Plain
// JavaScript, no TypeScript loader: the thread must start in milliseconds.
//
// Shared memory (the layout is mirrored in clock.ts):
//   Int32 [0] arm    bumped by the loop when it sets a new wake time or asks the thread to stop
//   Int32 [1] wake   bumped and notified by this thread at the wake time (the loop waits on it)
//   Int32 [2] stop   1: leave
//   Float64 [2] (byte 16) wakeAt   when to bump `wake`, ms on the monotonic clock (process.hrtime)
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

const armSlot = 0;
const wakeSlot = 1;
const stopSlot = 2;
const control = new Int32Array(workerData.buffer, 0, 4);
const times = new Float64Array(workerData.buffer, 16, 1);
/** performance.now() + origin = process.hrtime in ms: each thread has its own time origin. */
const origin = hrtimeOffsetMs();

function hrtimeOffsetMs() {
  let best = Number.POSITIVE_INFINITY;
  let offset = 0;
  for (let i = 0; i < 5; i++) {
    const before = performance.now();
    const hr = Number(process.hrtime.bigint()) / 1e6;
    const after = performance.now();
    if (after - before < best) {
      best = after - before;
      offset = hr - (before + after) / 2;
    }
  }
  return offset;
}

// Linux keeps a nice value per thread (pid 0 is this thread), and a new thread starts with its
// creator's. Only ever raised; refused without CAP_SYS_NICE or a large enough RLIMIT_NICE.
// Reports the nice value the thread runs at, or why it could not be raised.
let priority;
try {
  if (workerData.nice < getPriority(0)) setPriority(0, workerData.nice);
  priority = getPriority(0);
} catch (error) {
  priority = error instanceof Error ? error.message : String(error);
}
parentPort.postMessage(priority);

let seen = 0;
for (;;) {
  Atomics.wait(control, armSlot, seen);
  seen = Atomics.load(control, armSlot);
  if (Atomics.load(control, stopSlot) === 1) break;
  const wakeAt = times[0] - origin;
  let rearmed = false;
  for (;;) {
    const left = wakeAt - performance.now();
    if (left <= 0) break;
    // A new arm (an earlier stop, a re-armed deadline) interrupts the wait.
    if (Atomics.wait(control, armSlot, seen, left) !== 'timed-out') {
      rearmed = true;
      break;
    }
  }
  if (rearmed) {
    // Handle the new arm from the top: it may be a stop or a new wake time.
    seen = Atomics.load(control, armSlot) - 1;
    continue;
  }
  Atomics.add(control, wakeSlot, 1);
  Atomics.notify(control, wakeSlot);
}
