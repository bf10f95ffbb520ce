// Compiled from src/live/tick-sink.ts by `npm run build`: edit the source, not this file.

// src/live/tick-sink.ts
import { createTickRingBuffers, TickRingProducer } from "../logging/tick-ring.js";
var LiveTickSink = class {
  producer;
  every = 1;
  countdown = 0;
  /**
   * Starts copying every `every`-th tick into a fresh ring; returns its shared memory, for a
   * TickRingConsumer on the publisher's thread.
   */
  attach(shape, every, capacity = 256) {
    const buffers = createTickRingBuffers({ capacity, ...shape });
    this.producer = new TickRingProducer(buffers);
    this.every = Math.max(1, Math.round(every));
    this.countdown = 0;
    return buffers;
  }
  detach() {
    this.producer = void 0;
  }
  /** Ticks dropped because the ring was full. */
  get dropped() {
    return this.producer?.dropped ?? 0;
  }
  writeTick(record) {
    const producer = this.producer;
    if (producer === void 0) return;
    if (--this.countdown > 0) return;
    this.countdown = this.every;
    producer.push(record);
  }
};
export {
  LiveTickSink
};
