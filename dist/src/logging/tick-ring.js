// Compiled from src/logging/tick-ring.ts by `npm run build`: edit the source, not this file.

// src/logging/tick-ring.ts
var SlotField = {
  tick: 0,
  deadline: 1,
  periodError: 2,
  computeTime: 3,
  observationTime: 4,
  safetyFlags: 5,
  mode: 6,
  missedDeadlines: 7,
  controller: 8
};
var slotHeaderSize = 9;
var WRITE = 0;
var READ = 1;
var DROPPED = 2;
var LOST_EVENTS = 3;
var CONSUMER_FAILED = 4;
var controlSize = 5;
var waitSliceMs = 250;
function slotSize(shape) {
  return slotHeaderSize + shape.observationSize + 2 * shape.actionSize;
}
function createTickRingBuffers(shape) {
  const { capacity } = shape;
  if (!Number.isInteger(capacity) || capacity < 2 || (capacity & capacity - 1) !== 0 || capacity > 1 << 24) {
    throw new RangeError(`tick ring capacity must be a power of two in [2, 2^24], got ${capacity}`);
  }
  return {
    ...shape,
    control: new SharedArrayBuffer(controlSize * Int32Array.BYTES_PER_ELEMENT),
    slots: new SharedArrayBuffer(capacity * slotSize(shape) * Float64Array.BYTES_PER_ELEMENT)
  };
}
function ringCapacityFor(rateHz, seconds) {
  const wanted = Math.max(256, Math.ceil(rateHz * seconds));
  return Math.min(1 << 24, 2 ** Math.ceil(Math.log2(wanted)));
}
var TickRingProducer = class {
  control;
  slots;
  mask;
  stride;
  observationSize;
  actionSize;
  /** Local copy of the write counter; only this thread writes it. */
  written = 0;
  /** The consumer position at which a full ring last waited in vain (NaN: never). */
  stalledAt = Number.NaN;
  /** Ticks dropped (ring full); the consumer reads the same count from shared memory. */
  dropped = 0;
  /** Events lost by the producer's owner (the logger), shared the same way. */
  lostEvents = 0;
  constructor(buffers) {
    this.control = new Int32Array(buffers.control);
    this.slots = new Float64Array(buffers.slots);
    this.mask = buffers.capacity - 1;
    this.stride = slotSize(buffers);
    this.observationSize = buffers.observationSize;
    this.actionSize = buffers.actionSize;
    this.written = Atomics.load(this.control, WRITE);
  }
  /** Ticks published but not yet taken by the consumer. */
  backlog() {
    return this.written - Atomics.load(this.control, READ) | 0;
  }
  /** Counts a tick that never entered the ring, where the consumer sees it too. */
  countDrop() {
    this.dropped++;
    Atomics.store(this.control, DROPPED, this.dropped);
  }
  /** Counts an event that was not logged, where the consumer sees it too. */
  countLostEvent() {
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
  push(record, waitMs = 0) {
    let read = Atomics.load(this.control, READ);
    if ((this.written - read | 0) > this.mask && waitMs > 0 && read !== this.stalledAt) {
      let waited = 0;
      while (Atomics.load(this.control, READ) === read && Atomics.load(this.control, CONSUMER_FAILED) === 0 && waited < waitMs) {
        Atomics.wait(this.control, READ, read, waitSliceMs);
        waited += waitSliceMs;
      }
      read = Atomics.load(this.control, READ);
      if ((this.written - read | 0) > this.mask) this.stalledAt = read;
    }
    if ((this.written - read | 0) > this.mask) {
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
    for (let i = 0; i < n; i++) slots[at + i] = record.observation[i];
    at += n;
    for (let i = 0; i < m; i++) slots[at + i] = record.action[i];
    at += m;
    for (let i = 0; i < m; i++) slots[at + i] = record.command[i];
    this.written = this.written + 1 | 0;
    Atomics.store(this.control, WRITE, this.written);
    Atomics.notify(this.control, WRITE);
    return true;
  }
};
var TickRingConsumer = class {
  control;
  slots;
  mask;
  stride;
  consumed;
  constructor(buffers) {
    this.control = new Int32Array(buffers.control);
    this.slots = new Float64Array(buffers.slots);
    this.mask = buffers.capacity - 1;
    this.stride = slotSize(buffers);
    this.consumed = Atomics.load(this.control, READ);
  }
  /** Slots published but not yet taken. */
  available() {
    return Atomics.load(this.control, WRITE) - this.consumed | 0;
  }
  /** Ticks the producer dropped so far. */
  dropped() {
    return Atomics.load(this.control, DROPPED);
  }
  /** Events the producer's owner lost so far. */
  lostEvents() {
    return Atomics.load(this.control, LOST_EVENTS);
  }
  /** Copies the oldest slot into `out` (length = stride) and frees it; false when empty. */
  take(out) {
    if (this.available() <= 0) return false;
    const base = (this.consumed & this.mask) * this.stride;
    out.set(this.slots.subarray(base, base + this.stride));
    this.consumed = this.consumed + 1 | 0;
    Atomics.store(this.control, READ, this.consumed);
    Atomics.notify(this.control, READ);
    return true;
  }
  /** Resolves when the producer publishes a slot not yet taken, on `wake`, or after `timeoutMs`. */
  async waitForData(timeoutMs) {
    const result = Atomics.waitAsync(this.control, WRITE, this.consumed, timeoutMs);
    if (result.async) await result.value;
  }
  /** Says the consumer has stopped for good: a producer waiting for space stops waiting and drops. */
  fail() {
    Atomics.store(this.control, CONSUMER_FAILED, 1);
    Atomics.notify(this.control, READ);
  }
  /** Wakes a pending `waitForData` (e.g. when a close request or an event arrives). */
  wake() {
    Atomics.notify(this.control, WRITE);
  }
};
export {
  SlotField,
  TickRingConsumer,
  TickRingProducer,
  createTickRingBuffers,
  ringCapacityFor,
  slotHeaderSize,
  slotSize
};
