import {
  createLinkCounters,
  type LinkCounters,
  type MessageListener,
  type StatusListener,
  type Transport,
} from './transport.ts';

/**
 * Two transports joined in-process: what one sends, the other receives synchronously. Runs the full
 * encode/decode path without a medium, for running a rig in the same process as the runtime and as the
 * zero-latency baseline in the link benchmark.
 */
export class MemoryTransport implements Transport {
  readonly counters: LinkCounters = createLinkCounters();
  readonly description: string;
  private peer: MemoryTransport | undefined;
  private isOpen = false;
  private readonly messageListeners: MessageListener[] = [];
  private readonly statusListeners: StatusListener[] = [];

  private constructor(name: string) {
    this.description = `memory ${name}`;
  }

  static pair(): [MemoryTransport, MemoryTransport] {
    const a = new MemoryTransport('a');
    const b = new MemoryTransport('b');
    a.peer = b;
    b.peer = a;
    return [a, b];
  }

  get connected(): boolean {
    return this.isOpen && this.peer?.isOpen === true;
  }

  async open(): Promise<void> {
    this.isOpen = true;
    this.announce();
  }

  async close(): Promise<void> {
    this.isOpen = false;
    this.announce();
  }

  send(_type: number, message: Uint8Array, length: number): boolean {
    const peer = this.peer;
    if (!this.connected || peer === undefined) {
      this.counters.sendDropped++;
      return false;
    }
    this.counters.sent++;
    peer.counters.received++;
    const listeners = peer.messageListeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(message, length);
    return true;
  }

  onMessage(listener: MessageListener): void {
    this.messageListeners.push(listener);
  }

  onStatus(listener: StatusListener): void {
    this.statusListeners.push(listener);
  }

  private announce(): void {
    for (const side of [this, this.peer]) {
      if (side === undefined) continue;
      const up = side.connected;
      for (const listener of side.statusListeners) listener(up, up ? 'peer open' : 'peer closed');
    }
  }
}
