import { Observable } from 'rxjs';
import type { TickRecord } from '../core/tick.ts';

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
}

export function createHandshake(): ClockHandshake {
  return { busy: false, lateTick: false, stopRequested: false, complete() {} };
}

/** A futex to block on for sub-millisecond waits; nobody ever notifies it. */
const sleepCell = new Int32Array(new SharedArrayBuffer(4));
/** Atomics.wait overshoots by ~0.09 ms (p99 ~0.11 ms, timer slack); stop blocking this long before a deadline. */
const blockGuardMs = 0.25;

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

/**
 * Ticks on absolute deadlines t0 + k·period of the wall clock. It sleeps on a timer until
 * `spinSeconds` before the deadline (serving I/O meanwhile), then blocks on a futex until 0.25 ms
 * before it and busy-waits the rest, which removes the timer's jitter without burning a core.
 * One timer object is created and re-armed with `refresh()`, so steady state allocates nothing;
 * when the period leaves less than 1 ms to sleep, it yields with setImmediate instead.
 */
export function realtimeClock(
  record: TickRecord,
  handshake: ClockHandshake,
  timing: ClockTiming,
): Observable<TickRecord> {
  return new Observable<TickRecord>((subscriber) => {
    const periodMs = timing.periodSeconds * 1000;
    const spinMs = timing.spinSeconds * 1000;
    const sleepMs = Math.floor(periodMs - spinMs);
    const useTimer = sleepMs >= 1;
    const t0 = performance.now() + Math.max(1, timing.spinSeconds * 1000);
    let k = 0;
    let cancelled = false;
    let timer: NodeJS.Timeout | undefined;

    const finish = (): boolean => {
      if (!(handshake.stopRequested || k >= timing.maxTicks)) return false;
      if (handshake.busy) return false; // wait for the tick in flight
      if (timer) clearTimeout(timer);
      subscriber.complete();
      return true;
    };

    const fire = (): void => {
      if (cancelled || finish()) return;
      let deadlineMs = t0 + k * periodMs;
      let now = performance.now();
      const earlyMs = deadlineMs - now;
      if (earlyMs > spinMs) {
        // Woke before the spin window (libuv's cached loop time makes timers fire early): keep
        // serving I/O and come back.
        schedule(false);
        return;
      }
      // Block without burning CPU until just before the deadline, then busy-wait the last stretch.
      // performance.now() allocates a little on Node 20, so the busy-wait is kept short.
      if (earlyMs > blockGuardMs) Atomics.wait(sleepCell, 0, 0, earlyMs - blockGuardMs);
      now = performance.now();
      while (now < deadlineMs) now = performance.now();
      const overslept = Math.floor((now - deadlineMs) / periodMs);
      if (overslept > 0) {
        k += overslept;
        deadlineMs += overslept * periodMs;
        timing.onMiss(record, overslept);
      }
      if (handshake.busy) {
        handshake.lateTick = true;
        timing.onMiss(record, 1);
      } else {
        record.tick = k;
        record.deadline = (deadlineMs - t0) / 1000;
        record.periodError = (now - deadlineMs) / 1000;
        handshake.busy = true;
        handshake.lateTick = false;
        schedule(true);
        k++;
        subscriber.next(record);
        return;
      }
      k++;
      schedule(true);
    };

    // Re-arming at the start of a tick (≈ its deadline) makes the timer fire `sleepMs` later,
    // i.e. `spinSeconds` before the next deadline.
    const schedule = (atTickStart: boolean): void => {
      if (cancelled) return;
      if (useTimer && atTickStart) {
        if (timer) timer.refresh();
        else timer = setTimeout(fire, sleepMs);
      } else setImmediate(fire);
    };

    handshake.complete = () => {
      handshake.busy = false;
      if (handshake.stopRequested || k >= timing.maxTicks) finish();
    };
    setImmediate(fire);
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  });
}
