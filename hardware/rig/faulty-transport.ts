import type { Rng } from '../../src/core/rng.ts';
import {
  BufferRing,
  type LinkCounters,
  type MessageListener,
  type StatusListener,
  type Transport,
} from '../link/transport.ts';
import { MessageType, maxMessageSize } from '../protocol/messages.ts';

/** What the fault injector may currently do to traffic; all off by default. */
export interface TrafficFaults {
  dropState: number;
  dropCommand: number;
  delayMs: number;
  corrupt: number;
  /** Firmware hung: nothing goes out, nothing incoming is processed. */
  frozen: boolean;
}

export interface TrafficCounters {
  statesDropped: number;
  commandsDropped: number;
  framesCorrupted: number;
  statesDelayed: number;
}

/**
 * Wraps the rig's real transport and misbehaves on purpose: drops, delays and (on the wire, after the
 * CRC) corrupts frames, or goes silent. The runtime on the other side must survive all of it.
 */
export class FaultyTransport implements Transport {
  readonly faults: TrafficFaults = { dropState: 0, dropCommand: 0, delayMs: 0, corrupt: 0, frozen: false };
  readonly traffic: TrafficCounters = {
    statesDropped: 0,
    commandsDropped: 0,
    framesCorrupted: 0,
    statesDelayed: 0,
  };
  private readonly delayed = new BufferRing(1024, maxMessageSize);

  constructor(
    readonly inner: Transport,
    private readonly rng: Rng,
  ) {
    inner.wireTap = (bytes, length) => this.corrupt(bytes, length);
  }

  get description(): string {
    return this.inner.description;
  }
  get connected(): boolean {
    return this.inner.connected;
  }
  get counters(): LinkCounters {
    return this.inner.counters;
  }
  open(): Promise<void> {
    return this.inner.open();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  onStatus(listener: StatusListener): void {
    this.inner.onStatus(listener);
  }

  onMessage(listener: MessageListener): void {
    this.inner.onMessage((message, length) => {
      const f = this.faults;
      if (f.frozen) return;
      // The type byte sits at offset 1 of every message.
      if (message[1] === MessageType.command && f.dropCommand > 0 && this.rng.uniform() < f.dropCommand) {
        this.traffic.commandsDropped++;
        return;
      }
      listener(message, length);
    });
  }

  send(type: number, message: Uint8Array, length: number): boolean {
    const f = this.faults;
    if (f.frozen) return true;
    if (type === MessageType.state) {
      if (f.dropState > 0 && this.rng.uniform() < f.dropState) {
        this.traffic.statesDropped++;
        return true;
      }
      if (f.delayMs > 0) {
        const copy = this.delayed.take();
        copy.set(message.subarray(0, length));
        this.traffic.statesDelayed++;
        setTimeout(() => this.inner.send(type, copy, length), f.delayMs);
        return true;
      }
    }
    return this.inner.send(type, message, length);
  }

  private corrupt(bytes: Uint8Array, length: number): void {
    const p = this.faults.corrupt;
    if (p === 0 || length === 0 || this.rng.uniform() >= p) return;
    const at = Math.floor(this.rng.uniform() * length);
    bytes[at] = bytes[at]! ^ (1 + Math.floor(this.rng.uniform() * 255));
    this.traffic.framesCorrupted++;
  }
}
