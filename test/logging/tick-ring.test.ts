import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTickRecord } from '../../src/core/tick.ts';
import {
  createTickRingBuffers,
  ringCapacityFor,
  SlotField,
  slotHeaderSize,
  slotSize,
  TickRingConsumer,
  TickRingProducer,
} from '../../src/logging/tick-ring.ts';

describe('tick ring', () => {
  it('rejects capacities that are not powers of two', () => {
    expect(() => createTickRingBuffers({ capacity: 12, observationSize: 1, actionSize: 1 })).toThrow(
      /power of two in \[2, 2\^24\], got 12/,
    );
    expect(ringCapacityFor(1000, 4)).toBe(4096);
    expect(ringCapacityFor(10, 4)).toBe(256);
  });

  it('a producer that may wait for space does not wait for a consumer that failed', () => {
    const buffers = createTickRingBuffers({ capacity: 2, observationSize: 1, actionSize: 1 });
    const producer = new TickRingProducer(buffers);
    const consumer = new TickRingConsumer(buffers);
    const record = createTickRecord(1, 1);
    expect(producer.push(record, 60_000)).toBe(true);
    expect(producer.push(record, 60_000)).toBe(true);
    consumer.fail();
    // Full ring, failed consumer: dropped at once (a wait would take the whole minute).
    const started = performance.now();
    expect(producer.push(record, 60_000)).toBe(false);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(producer.dropped).toBe(1);
    // A slow consumer that frees a slot makes room, failed or not: the producer only waits when full.
    expect(consumer.take(new Float64Array(slotSize(buffers)))).toBe(true);
    expect(producer.push(record, 60_000)).toBe(true);
  });

  it('delivers ticks in order, drops only when full, and survives counter wrap-around', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: -40, max: 40 }),
        (log2Capacity, pattern, start) => {
          const capacity = 1 << log2Capacity;
          const buffers = createTickRingBuffers({ capacity, observationSize: 3, actionSize: 2 });
          // Start the free-running counters just below the 32-bit wrap.
          const control = new Int32Array(buffers.control);
          control[0] = control[1] = (0x7fffffff + start) | 0;
          const producer = new TickRingProducer(buffers);
          const consumer = new TickRingConsumer(buffers);
          const record = createTickRecord(3, 2);
          const out = new Float64Array(slotSize(buffers));
          let next = 0;
          let expected = 0;
          let pending = 0;
          let dropped = 0;
          // Alternate: push `count` ticks, then take half of what is pending.
          for (const count of pattern) {
            for (let i = 0; i < count; i++) {
              record.tick = next;
              record.observation[2] = next * 2;
              record.command[1] = -next;
              const accepted = producer.push(record);
              expect(accepted).toBe(pending < capacity);
              if (accepted) pending++;
              else dropped++;
              next++;
            }
            for (let take = Math.ceil(pending / 2); take > 0; take--) {
              expect(consumer.take(out)).toBe(true);
              pending--;
              // Ticks come out in order; a dropped tick is simply absent.
              expect(out[SlotField.tick]!).toBeGreaterThanOrEqual(expected);
              expected = out[SlotField.tick]! + 1;
              expect(out[slotHeaderSize + 2]).toBe(out[SlotField.tick]! * 2);
              expect(out[slotHeaderSize + 3 + 2 + 1]).toBe(-out[SlotField.tick]!);
            }
            expect(consumer.available()).toBe(pending);
            expect(producer.backlog()).toBe(pending);
          }
          expect(producer.dropped).toBe(dropped);
        },
      ),
      { numRuns: 300 },
    );
  });
});
