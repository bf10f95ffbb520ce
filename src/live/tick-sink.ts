/**
 * The live view's tick sink: every k-th tick is copied into a small shared ring (the MCAP logger's
 * slot layout, src/logging/tick-ring.ts) that the publisher thread drains on its own timer.
 * `writeTick` copies numbers and never waits: a full ring (the publisher behind) drops the tick and
 * counts it. Before `attach` and after `detach` it does nothing.
 */
import type { TickRecord } from '../core/tick.ts';
import { createTickRingBuffers, type TickRingBuffers, TickRingProducer } from '../logging/tick-ring.ts';
import type { TickSink } from '../loop/control-loop.ts';

export class LiveTickSink implements TickSink {
  private producer: TickRingProducer | undefined;
  private every = 1;
  private countdown = 0;

  /**
   * Starts copying every `every`-th tick into a fresh ring; returns its shared memory, for a
   * TickRingConsumer on the publisher's thread.
   */
  attach(
    shape: { observationSize: number; actionSize: number },
    every: number,
    capacity = 256,
  ): TickRingBuffers {
    const buffers = createTickRingBuffers({ capacity, ...shape });
    this.producer = new TickRingProducer(buffers);
    this.every = Math.max(1, Math.round(every));
    this.countdown = 0;
    return buffers;
  }

  detach(): void {
    this.producer = undefined;
  }

  /** Ticks dropped because the ring was full. */
  get dropped(): number {
    return this.producer?.dropped ?? 0;
  }

  writeTick(record: TickRecord): void {
    const producer = this.producer;
    if (producer === undefined) return;
    if (--this.countdown > 0) return;
    this.countdown = this.every;
    producer.push(record);
  }
}
