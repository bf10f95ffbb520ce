// Compiled from src/loop/clock.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../src/loop/clock.ts", import.meta.url).href;

// src/loop/clock.ts
import { Worker } from "node:worker_threads";
import { Observable } from "rxjs";
import { withoutMemoryReducer } from "../runtime/heap.js";
import { describePriority, restoreThreadNice, setThreadNice } from "./priority.js";
import { WakeLead } from "./timing.js";
function createHandshake() {
  return { busy: false, lateTick: false, stopRequested: false, complete() {
  } };
}
function virtualClock(record, handshake, timing) {
  return new Observable((subscriber) => {
    let k = 0;
    let running = false;
    let cancelled = false;
    const yieldEvery = 256;
    const run = () => {
      if (running || cancelled) return;
      running = true;
      while (!handshake.busy) {
        if (handshake.stopRequested || k >= timing.maxTicks) {
          running = false;
          subscriber.complete();
          return;
        }
        record.tick = k;
        record.deadline = k * timing.periodSeconds;
        record.periodError = 0;
        handshake.busy = true;
        k++;
        subscriber.next(record);
        if (k % yieldEvery === 0 && !handshake.busy) {
          running = false;
          setImmediate(run);
          return;
        }
      }
      running = false;
    };
    handshake.complete = () => {
      handshake.busy = false;
      if (!running) run();
    };
    setImmediate(run);
    return () => {
      cancelled = true;
    };
  });
}
var armSlot = 0;
var wakeSlot = 1;
var stopSlot = 2;
var minLeadMs = 0.05;
var clockWorkerUrl = new URL("./clock-worker.mjs", __sourceUrl);
var spinCell = new Int32Array(new SharedArrayBuffer(4));
var spinStride = 256;
var spinFineMs = 0.01;
function spinUntil(deadlineMs) {
  let now = performance.now();
  while (deadlineMs - now > spinFineMs) {
    for (let i = 0; i < spinStride; i++) Atomics.load(spinCell, 0);
    now = performance.now();
  }
  while (now < deadlineMs) now = performance.now();
  return now;
}
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
var ClockThread = class _ClockThread {
  control;
  wakeAtCell;
  hrOffsetMs = hrtimeOffsetMs();
  worker;
  stopped = false;
  /** Resolves with the thread's nice value, or why it could not be raised, once it runs. */
  ready;
  /** What `ready` resolved with; undefined until the thread runs. */
  niceness;
  /** Resolves when the thread has ended. */
  exited;
  /** `nice`: the priority the thread asks for (only ever raised). */
  constructor(nice) {
    const shared = new SharedArrayBuffer(24);
    this.control = new Int32Array(shared, 0, 4);
    this.wakeAtCell = new Float64Array(shared, 16, 1);
    withoutMemoryReducer();
    this.worker = new Worker(clockWorkerUrl, { workerData: { buffer: shared, nice } });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once("message", (niceness) => {
        this.niceness = niceness;
        resolve(niceness);
      });
      this.worker.once("error", reject);
    });
    this.exited = new Promise((resolve) => this.worker.once("exit", () => resolve()));
  }
  /**
   * Starts a clock thread and resolves once it runs. A new thread takes tens of ms to start (a few
   * hundred on a busy machine), so a run starts its thread before the robot is activated: the first
   * deadline then already has the thread's precision, and no watchdog waits for the start.
   */
  static async start(nice) {
    const thread = new _ClockThread(nice);
    try {
      await thread.ready;
    } catch (error) {
      thread.stop();
      throw error;
    }
    return thread;
  }
  /** Called when the thread fails or exits before `stop()`. */
  onFailure(listener) {
    this.worker.once("error", listener);
    this.worker.once("exit", (code) => {
      if (!this.stopped) listener(new Error(`the loop's clock thread exited (code ${code})`));
    });
  }
  /**
   * Resolves at (or, when the machine is slow to wake this thread, after) `wakeAtMs` on this
   * thread's `performance.now()`. One wake-up at a time: a new `arm` replaces the previous one.
   */
  arm(wakeAtMs) {
    const seen = Atomics.load(this.control, wakeSlot);
    const waiting = Atomics.waitAsync(this.control, wakeSlot, seen);
    this.wakeAtCell[0] = wakeAtMs + this.hrOffsetMs;
    Atomics.add(this.control, armSlot, 1);
    Atomics.notify(this.control, armSlot);
    return waiting.async ? waiting.value : Promise.resolve();
  }
  /** Lets the thread end; a pending `arm` never resolves. */
  stop() {
    if (this.stopped) return;
    this.stopped = true;
    Atomics.store(this.control, stopSlot, 1);
    Atomics.add(this.control, armSlot, 1);
    Atomics.notify(this.control, armSlot);
  }
};
function realtimeClock(record, handshake, timing, clockThread) {
  return new Observable((subscriber) => {
    const periodMs = timing.periodSeconds * 1e3;
    const maxLeadMs = Math.min(timing.spinSeconds * 1e3, periodMs / 2);
    const lead = new WakeLead(Math.min(minLeadMs, maxLeadMs), maxLeadMs);
    const nice = timing.nice ?? 0;
    const priority = setThreadNice(nice);
    let t0 = 0;
    let k = 0;
    let deadlineMs = 0;
    let wakeAtMs = 0;
    let done = false;
    const release = () => {
      if (done) return;
      done = true;
      clockThread.stop();
      restoreThreadNice(priority);
    };
    const finish = () => {
      if (!(handshake.stopRequested || k >= timing.maxTicks)) return false;
      if (handshake.busy) return false;
      release();
      subscriber.complete();
      return true;
    };
    const fail = (error) => {
      if (done) return;
      release();
      subscriber.error(error);
    };
    const arm = () => {
      deadlineMs = t0 + k * periodMs;
      wakeAtMs = deadlineMs - lead.ms;
      clockThread.arm(wakeAtMs).then(onWake, fail);
    };
    const onWake = () => {
      if (done || finish()) return;
      lead.record(performance.now() - wakeAtMs);
      const now = spinUntil(deadlineMs);
      const overslept = Math.floor((now - deadlineMs) / periodMs);
      if (overslept > 0) {
        k += overslept;
        deadlineMs += overslept * periodMs;
        timing.onMiss(record, overslept);
      }
      const tickDeadlineMs = deadlineMs;
      k++;
      if (handshake.busy) {
        handshake.lateTick = true;
        timing.onMiss(record, 1);
        arm();
        return;
      }
      record.tick = k - 1;
      record.deadline = (tickDeadlineMs - t0) / 1e3;
      record.periodError = (now - tickDeadlineMs) / 1e3;
      handshake.busy = true;
      handshake.lateTick = false;
      arm();
      subscriber.next(record);
    };
    handshake.complete = () => {
      handshake.busy = false;
      if (handshake.stopRequested || k >= timing.maxTicks) finish();
    };
    clockThread.onFailure(fail);
    timing.onStart?.(describePriority(priority, clockThread.niceness ?? "the clock thread has not started"));
    t0 = performance.now() + lead.ms + 1;
    arm();
    return release;
  });
}
export {
  ClockThread,
  createHandshake,
  realtimeClock,
  virtualClock
};
