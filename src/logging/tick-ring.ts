/**
 * A single-producer single-consumer ring of tick slots in a SharedArrayBuffer. The control loop
 * (producer) copies each TickRecord into a free slot; the writer worker (consumer) copies slots out
 * and encodes them. When the ring is full the producer drops the tick and counts it: logging must
 * never make a real-time loop wait (a virtual-time run may ask to wait instead: `push(record, waitMs)`).
 *
 * The counters are free-running 32-bit integers; capacity is a power of two so `counter & mask`
 * stays correct across wrap-around, and `(write - read) | 0` is the fill level.
 */
import type { TickRecord } from '../core/tick.ts';

/** Scalar fields at the start of each slot; vectors follow. */
export const SlotField = {
  tick: 0,
  deadline: 1,
  periodError: 2,
  computeTime: 3,
  observationTime: 4,
  safetyFlags: 5,
  mode: 6,
  missedDeadlines: 7,
  controller: 8,
} as const;
export const slotHeaderSize = 9;

const WRITE = 0;
const READ = 1;
/** Ticks the producer dropped, and events its logger lost: shared so the writer can log them live. */
const DROPPED = 2;
const LOST_EVENTS = 3;
/** Set (1) by the consumer when it stops for good (failed), so a waiting producer stops waiting. */
const CONSUMER_FAILED = 4;
const controlSize = 5;
/** A waiting producer re-checks the consumer's failure flag this often (ms). */
const waitSliceMs = 250;

export interface TickRingShape {
  readonly capacity: number;
  readonly observationSize: number;
  readonly actionSize: number;
}

/** What the worker receives to attach to the same memory. */
export interface TickRingBuffers extends TickRingShape {
  readonly control: SharedArrayBuffer;
  readonly slots: SharedArrayBuffer;
}

export function slotSize(shape: TickRingShape): number {
  return slotHeaderSize + shape.observationSize + 2 * shape.actionSize;
}

export function createTickRingBuffers(shape: TickRingShape): TickRingBuffers {
  const { capacity } = shape;
  if (
    !Number.isInteger(capacity) ||
    capacity < 2 ||
    (capacity & (capacity - 1)) !== 0 ||
    capacity > 1 << 24
  ) {
    throw new RangeError(`tick ring capacity must be a power of two in [2, 2^24], got ${capacity}`);
  }
  return {
    ...shape,
    control: new SharedArrayBuffer(controlSize * Int32Array.BYTES_PER_ELEMENT),
    slots: new SharedArrayBuffer(capacity * slotSize(shape) * Float64Array.BYTES_PER_ELEMENT),
  };
}

/** Smallest power of two holding `seconds` of ticks at `rateHz` (at least 256). */
export function ringCapacityFor(rateHz: number, seconds: number): number {
  const wanted = Math.max(256, Math.ceil(rateHz * seconds));
  return Math.min(1 << 24, 2 ** Math.ceil(Math.log2(wanted)));
}

export class TickRingProducer {
  private readonly control: Int32Array;
  private readonly slots: Float64Array;
  private readonly mask: number;
  private readonly stride: number;
  private readonly observationSize: number;
  private readonly actionSize: number;
  /** Local copy of the write counter; only this thread writes it. */
  private written = 0;
  /** The consumer position at which a full ring last waited in vain (NaN: never). */
  private stalledAt = Number.NaN;
  /** Ticks dropped (ring full); the consumer reads the same count from shared memory. */
  dropped = 0;
  /** Events lost by the producer's owner (the logger), shared the same way. */
  lostEvents = 0;

  constructor(buffers: TickRingBuffers) {
    this.control = new Int32Array(buffers.control);
    this.slots = new Float64Array(buffers.slots);
    this.mask = buffers.capacity - 1;
    this.stride = slotSize(buffers);
    this.observationSize = buffers.observationSize;
    this.actionSize = buffers.actionSize;
    this.written = Atomics.load(this.control, WRITE);
  }

  /** Ticks published but not yet taken by the consumer. */
  backlog(): number {
    return (this.written - Atomics.load(this.control, READ)) | 0;
  }

  /** Counts a tick that never entered the ring, where the consumer sees it too. */
  countDrop(): void {
    this.dropped++;
    Atomics.store(this.control, DROPPED, this.dropped);
  }

  /** Counts an event that was not logged, where the consumer sees it too. */
  countLostEvent(): void {
    this.lostEvents++;
    Atomics.store(this.control, LOST_EVENTS, this.lostEvents);
  }

  /**
   * Copies the record into the next free slot and wakes the consumer; returns false (and counts)
   * when the ring is full. With `waitMs > 0` a full ring blocks this thread until the consumer
   * frees a slot, for at most `waitMs` without progress, and not at all once the consumer said it
   * failed (only for virtual-time runs, where waiting misses no deadline).
   * Reads no clock: in Node 20 `performance.now()` and `Date.now()` box their result, so the
   * wait is counted in slices and the consumer stamps the wall-clock time when it takes the slot.
   */
  push(record: TickRecord, waitMs = 0): boolean {
    let read = Atomics.load(this.control, READ);
    if (((this.written - read) | 0) > this.mask && waitMs > 0 && read !== this.stalledAt) {
      let waited = 0;
      while (
        Atomics.load(this.control, READ) === read &&
        Atomics.load(this.control, CONSUMER_FAILED) === 0 &&
        waited < waitMs
      ) {
        Atomics.wait(this.control, READ, read, waitSliceMs);
        waited += waitSliceMs;
      }
      read = Atomics.load(this.control, READ);
      // A consumer that took nothing for waitMs is stalled (or gone): wait for it again only once it
      // has moved, so a dead writer costs one wait, not one per tick.
      if (((this.written - read) | 0) > this.mask) this.stalledAt = read;
    }
    if (((this.written - read) | 0) > this.mask) {
      this.countDrop();
      return false;
    }
    const slots = this.slots;
    const base = (this.written & this.mask) * this.stride;
    slots[base + SlotField.tick] = record.tick;
    slots[base + SlotField.deadline] = record.deadline;
    slots[base + SlotField.periodError] = record.periodError;
    slots[base + SlotField.computeTime] = record.computeTime;
    slots[base + SlotField.observationTime] = record.observationTime;
    slots[base + SlotField.safetyFlags] = record.safetyFlags;
    slots[base + SlotField.mode] = record.mode;
    slots[base + SlotField.missedDeadlines] = record.missedDeadlines;
    slots[base + SlotField.controller] = record.controller;
    const n = this.observationSize;
    const m = this.actionSize;
    let at = base + slotHeaderSize;
    for (let i = 0; i < n; i++) slots[at + i] = record.observation[i]!;
    at += n;
    for (let i = 0; i < m; i++) slots[at + i] = record.action[i]!;
    at += m;
    for (let i = 0; i < m; i++) slots[at + i] = record.command[i]!;
    // The store publishes the slot: the consumer loads WRITE before reading slot memory.
    this.written = (this.written + 1) | 0;
    Atomics.store(this.control, WRITE, this.written);
    Atomics.notify(this.control, WRITE);
    return true;
  }
}

export class TickRingConsumer {
  readonly control: Int32Array;
  private readonly slots: Float64Array;
  private readonly mask: number;
  readonly stride: number;
  private consumed: number;

  constructor(buffers: TickRingBuffers) {
    this.control = new Int32Array(buffers.control);
    this.slots = new Float64Array(buffers.slots);
    this.mask = buffers.capacity - 1;
    this.stride = slotSize(buffers);
    this.consumed = Atomics.load(this.control, READ);
  }

  /** Slots published but not yet taken. */
  available(): number {
    return (Atomics.load(this.control, WRITE) - this.consumed) | 0;
  }

  /** Ticks the producer dropped so far. */
  dropped(): number {
    return Atomics.load(this.control, DROPPED);
  }

  /** Events the producer's owner lost so far. */
  lostEvents(): number {
    return Atomics.load(this.control, LOST_EVENTS);
  }

  /** Copies the oldest slot into `out` (length = stride) and frees it; false when empty. */
  take(out: Float64Array): boolean {
    if (this.available() <= 0) return false;
    const base = (this.consumed & this.mask) * this.stride;
    out.set(this.slots.subarray(base, base + this.stride));
    this.consumed = (this.consumed + 1) | 0;
    Atomics.store(this.control, READ, this.consumed);
    Atomics.notify(this.control, READ);
    return true;
  }

  /** Resolves when the producer publishes a slot not yet taken, on `wake`, or after `timeoutMs`. */
  async waitForData(timeoutMs: number): Promise<void> {
    const result = Atomics.waitAsync(this.control, WRITE, this.consumed, timeoutMs);
    if (result.async) await result.value;
  }

  /** Says the consumer has stopped for good: a producer waiting for space stops waiting and drops. */
  fail(): void {
    Atomics.store(this.control, CONSUMER_FAILED, 1);
    Atomics.notify(this.control, READ);
  }

  /** Wakes a pending `waitForData` (e.g. when a close request or an event arrives). */
  wake(): void {
    Atomics.notify(this.control, WRITE);
  }
}
