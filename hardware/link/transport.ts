/**
 * A Transport carries protocol messages (header + body, docs/protocol.md) between host and rig.
 * The serial transport frames them with CRC + COBS; the MQTT transport publishes them with a CRC,
 * one message per MQTT publish. Both ends (host robot and emulated rig) use the same interface.
 */

export interface LinkCounters {
  /** Messages handed to the medium. */
  sent: number;
  /** Messages not sent: link down or the outgoing backlog full. */
  sendDropped: number;
  /** Messages received with a valid CRC. */
  received: number;
  crcErrors: number;
  /** Framing errors: invalid COBS, oversize frames, payloads too short or too long. */
  framingErrors: number;
  /** Messages with a valid CRC that the decoder rejected (bad version, type, length, values). */
  decodeErrors: number;
  disconnects: number;
  reconnects: number;
}

export function createLinkCounters(): LinkCounters {
  return {
    sent: 0,
    sendDropped: 0,
    received: 0,
    crcErrors: 0,
    framingErrors: 0,
    decodeErrors: 0,
    disconnects: 0,
    reconnects: 0,
  };
}

export type MessageListener = (message: Uint8Array, length: number) => void;
/** `connected` false = the link went down (port closed, broker lost, peer's last will). */
export type StatusListener = (connected: boolean, reason: string) => void;

export interface Transport {
  /** e.g. `serial /dev/pts/3 @ 1000000` or `mqtt mqtt://127.0.0.1:1883 tether/cartpole`. */
  readonly description: string;
  readonly connected: boolean;
  readonly counters: LinkCounters;
  /** Resolves once the link is up; rejects with a message naming the port or broker if it cannot be. */
  open(): Promise<void>;
  close(): Promise<void>;
  /**
   * Sends one message of `type`. The transport copies what it needs before returning, so the caller
   * may reuse `message` at once. Never blocks; returns false if the message was dropped.
   */
  send(type: number, message: Uint8Array, length: number): boolean;
  onMessage(listener: MessageListener): void;
  onStatus(listener: StatusListener): void;
  /**
   * Fault injection only (the emulated rig): sees every outgoing frame as it goes on the wire, after
   * CRC and framing, and may change bytes in place.
   */
  wireTap?: ((bytes: Uint8Array, length: number) => void) | undefined;
}

/**
 * Fixed ring of outgoing buffers: the medium may hold a buffer until it is written, so the sender
 * cycles through `slots` of them instead of allocating one per message.
 */
export class BufferRing {
  private readonly buffers: Buffer[];
  private next = 0;
  constructor(slots: number, size: number) {
    this.buffers = Array.from({ length: slots }, () => Buffer.alloc(size));
  }
  take(): Buffer {
    const buffer = this.buffers[this.next]!;
    this.next = (this.next + 1) % this.buffers.length;
    return buffer;
  }
}
