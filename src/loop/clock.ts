import { Worker } from 'node:worker_threads';
import { Observable } from 'rxjs';
import type { TickRecord } from '../core/tick.ts';
import { withoutMemoryReducer } from '../runtime/heap.ts';
import { describePriority, restoreThreadNice, setThreadNice } from './priority.ts';
import { WakeLead } from './timing.ts';

/** Shared between the clock and the pipeline's last stage; one per run. */
export interface ClockHandshake {
  /** True from a tick's emission until its pipeline finishes (async controllers keep it set). */
  busy: boolean;
  /** Set by the clock when a deadline passed while `busy`: the late tick's command is dropped. */
  lateTick: boolean;
  /** Set by anyone (Ctrl-C, duration); the clock completes after the tick in flight. */
  stopRequested: boolean;
  /** Called by the pipeline's last stage. */
  complete(): void;
}

export interface ClockTiming {
  readonly periodSeconds: number;
  readonly spinSeconds: number;
  /** Stop after this many ticks (Infinity = until stopped). */
  readonly maxTicks: number;
  /** Called when a deadline passes with the previous tick still running, or the timer overslept. */
  readonly onMiss: (record: TickRecord, missedNow: number) => void;
  /** Nice value the real-time clock asks for, for the loop's thread and its own (0: leave it). */
  readonly nice?: number;
  /** Called once the real-time clock runs, with one line on the priority it got. */
  readonly onStart?: (priority: string) => void;
}

export function createHandshake(): ClockHandshake {
  return { busy: false, lateTick: false, stopRequested: false, complete() {} };
}

/** Ticks every `periodSeconds` of virtual time, as fast as the pipeline allows. */
export function virtualClock(
  record: TickRecord,
  handshake: ClockHandshake,
  timing: ClockTiming,
): Observable<TickRecord> {
  return new Observable<TickRecord>((subscriber) => {
    let k = 0;
    let running = false;
    let cancelled = false;
    // Yield to the event loop now and then so signals, sockets and timers are still served.
    const yieldEvery = 256;
    const run = (): void => {
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

/** Slots of the clock thread's shared memory; clock-worker.mjs mirrors them. */
const armSlot = 0;
const wakeSlot = 1;
const stopSlot = 2;
/** The lead never drops below this: the wake-up itself and the handler take some tens of µs. */
const minLeadMs = 0.05;
const clockWorkerUrl = new URL('./clock-worker.mjs', import.meta.url);

/** What the busy-wait reads between clock reads: an Atomics.load allocates nothing. */
const spinCell = new Int32Array(new SharedArrayBuffer(4));
/**
 * About 2 µs of Atomics.load between clock reads. On Node 20 each performance.now() call boxes its
 * result: a busy-wait reading it back to back allocated about 250 kB per ms (a scavenge every few
 * ms of waiting, 644 in 2 s); with this stride it was 36.
 */
const spinStride = 256;
/** Closer than this to the deadline, the busy-wait reads the clock on every turn. */
const spinFineMs = 0.01;

/** Busy-waits until `deadlineMs` on performance.now(); returns the time it saw last. */
function spinUntil(deadlineMs: number): number {
  let now = performance.now();
  while (deadlineMs - now > spinFineMs) {
    for (let i = 0; i < spinStride; i++) Atomics.load(spinCell, 0);
    now = performance.now();
  }
  while (now < deadlineMs) now = performance.now();
  return now;
}

/** process.hrtime in ms = performance.now() + this; the clock thread has another time origin. */
function hrtimeOffsetMs(): number {
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

/**
 * A thread that only sleeps and signals (clock-worker.mjs): `arm(t)` asks it to wake this thread at
 * `performance.now() = t`. It sleeps on a futex, which has microsecond resolution, and the wake-up
 * arrives through `Atomics.waitAsync`, which interrupts the event loop's poll at once. A libuv timer
 * instead has millisecond resolution and fires only after the callbacks ahead of it.
 */
export class ClockThread {
  private readonly control: Int32Array;
  private readonly wakeAtCell: Float64Array;
  private readonly hrOffsetMs = hrtimeOffsetMs();
  private readonly worker: Worker;
  private stopped = false;
  /** Resolves with the thread's nice value, or why it could not be raised, once it runs. */
  readonly ready: Promise<number | string>;
  /** What `ready` resolved with; undefined until the thread runs. */
  niceness: number | string | undefined;
  /** Resolves when the thread has ended. */
  readonly exited: Promise<void>;

  /** `nice`: the priority the thread asks for (only ever raised). */
  constructor(nice: number) {
    const shared = new SharedArrayBuffer(24);
    this.control = new Int32Array(shared, 0, 4);
    this.wakeAtCell = new Float64Array(shared, 16, 1);
    // A clock whose thread pauses for a compacting GC does not tick (runtime/heap.ts).
    withoutMemoryReducer();
    this.worker = new Worker(clockWorkerUrl, { workerData: { buffer: shared, nice } });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', (niceness: number | string) => {
        this.niceness = niceness;
        resolve(niceness);
      });
      this.worker.once('error', reject);
    });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
  }

  /**
   * Starts a clock thread and resolves once it runs. A new thread takes tens of ms to start (a few
   * hundred on a busy machine), so a run starts its thread before the robot is activated: the first
   * deadline then already has the thread's precision, and no watchdog waits for the start.
   */
  static async start(nice: number): Promise<ClockThread> {
    const thread = new ClockThread(nice);
    try {
      await thread.ready;
    } catch (error) {
      thread.stop();
      throw error;
    }
    return thread;
  }

  /** Called when the thread fails or exits before `stop()`. */
  onFailure(listener: (error: Error) => void): void {
    this.worker.once('error', listener);
    this.worker.once('exit', (code) => {
      if (!this.stopped) listener(new Error(`the loop's clock thread exited (code ${code})`));
    });
  }

  /**
   * Resolves at (or, when the machine is slow to wake this thread, after) `wakeAtMs` on this
   * thread's `performance.now()`. One wake-up at a time: a new `arm` replaces the previous one.
   */
  arm(wakeAtMs: number): Promise<unknown> {
    const seen = Atomics.load(this.control, wakeSlot);
    // Wait first, then arm: the clock thread cannot signal before the wait is registered.
    const waiting = Atomics.waitAsync(this.control, wakeSlot, seen);
    this.wakeAtCell[0] = wakeAtMs + this.hrOffsetMs;
    Atomics.add(this.control, armSlot, 1);
    Atomics.notify(this.control, armSlot);
    return waiting.async ? waiting.value : Promise.resolve();
  }

  /** Lets the thread end; a pending `arm` never resolves. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    Atomics.store(this.control, stopSlot, 1);
    Atomics.add(this.control, armSlot, 1);
    Atomics.notify(this.control, armSlot);
  }
}

/**
 * Ticks on absolute deadlines t0 + k·period of the wall clock. A dedicated clock thread
 * (clock-worker.mjs) sleeps on a futex until a lead before each deadline and wakes the loop through
 * `Atomics.waitAsync`, which interrupts the event loop's poll at once (a libuv timer only has
 * millisecond resolution and fires only after the callbacks ahead of it). The loop then busy-waits
 * to the deadline. The lead follows how late wake-ups actually come on this machine (WakeLead),
 * between 50 µs and `spinSeconds` (at most half a period), so the busy-wait costs only what the
 * machine's wake-up jitter demands. Between wake-ups the event loop serves sockets and serial ports.
 * `clockThread` is a running thread (`ClockThread.start`, asked for `timing.nice`); the clock owns it
 * from here and stops it when it completes. The loop's own thread asks for `nice` too; `onStart` gets
 * one line saying whether both got it.
 */
export function realtimeClock(
  record: TickRecord,
  handshake: ClockHandshake,
  timing: ClockTiming,
  clockThread: ClockThread,
): Observable<TickRecord> {
  return new Observable<TickRecord>((subscriber) => {
    const periodMs = timing.periodSeconds * 1000;
    const maxLeadMs = Math.min(timing.spinSeconds * 1000, periodMs / 2);
    const lead = new WakeLead(Math.min(minLeadMs, maxLeadMs), maxLeadMs);
    const nice = timing.nice ?? 0;
    const priority = setThreadNice(nice);
    let t0 = 0;
    let k = 0;
    let deadlineMs = 0;
    let wakeAtMs = 0;
    let done = false;

    const release = (): void => {
      if (done) return;
      done = true;
      clockThread.stop();
      restoreThreadNice(priority);
    };

    const finish = (): boolean => {
      if (!(handshake.stopRequested || k >= timing.maxTicks)) return false;
      if (handshake.busy) return false; // wait for the tick in flight
      release();
      subscriber.complete();
      return true;
    };

    const fail = (error: unknown): void => {
      if (done) return;
      release();
      subscriber.error(error);
    };

    /** Asks the clock thread for a wake-up `lead` before deadline k. */
    const arm = (): void => {
      deadlineMs = t0 + k * periodMs;
      wakeAtMs = deadlineMs - lead.ms;
      clockThread.arm(wakeAtMs).then(onWake, fail);
    };

    const onWake = (): void => {
      if (done || finish()) return;
      lead.record(performance.now() - wakeAtMs);
      // The last stretch is a busy-wait: no sleep comes back on time to the microsecond.
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
      record.deadline = (tickDeadlineMs - t0) / 1000;
      record.periodError = (now - tickDeadlineMs) / 1000;
      handshake.busy = true;
      handshake.lateTick = false;
      // Armed at the start of the tick, so the clock thread sleeps while the tick runs.
      arm();
      subscriber.next(record);
    };

    handshake.complete = () => {
      handshake.busy = false;
      if (handshake.stopRequested || k >= timing.maxTicks) finish();
    };
    clockThread.onFailure(fail);
    timing.onStart?.(describePriority(priority, clockThread.niceness ?? 'the clock thread has not started'));
    t0 = performance.now() + lead.ms + 1;
    arm();
    return release;
  });
}
