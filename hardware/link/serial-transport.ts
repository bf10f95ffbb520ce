import { SerialPort } from 'serialport';
import { encodeFrame, FrameDecoder, maxFrameSize } from '../protocol/framing.ts';
import { maxMessageSize } from '../protocol/messages.ts';
import {
  BufferRing,
  createLinkCounters,
  type LinkCounters,
  type MessageListener,
  type StatusListener,
  type Transport,
} from './transport.ts';

/** Outgoing frame buffers: 128 frames is 256 ms of states at 500 Hz, more than any useful backlog. */
const ringSlots = 128;

export interface SerialTransportOptions {
  /** Device path, e.g. /dev/ttyACM0 or the host end of a socat pty pair. */
  readonly path: string;
  readonly baudRate: number;
  /** Delay between reopen attempts after the port went away. */
  readonly reconnectMs: number;
  /** Bytes queued but not yet written above which new messages are dropped instead of buffered. */
  readonly maxBacklogBytes?: number;
}

/**
 * Serial transport over `serialport`. A closed or failing port is reopened every `reconnectMs`
 * until `close()`; bytes in flight at that moment are lost and counted as framing errors at worst.
 */
export class SerialTransport implements Transport {
  readonly description: string;
  private readonly linkCounters: LinkCounters = createLinkCounters();
  private port: SerialPort | undefined;
  private readonly decoder: FrameDecoder;
  private readonly scratch = new Uint8Array(maxMessageSize + 4);
  private readonly ring = new BufferRing(ringSlots, maxFrameSize);
  /**
   * Frames handed to the port and not yet written. The port keeps a reference to each frame's
   * buffer until it is written, so at most `ringSlots` may be in flight: one more would reuse a
   * queued buffer and put the newer frame on the wire twice (and the older one not at all).
   */
  private inFlight = 0;
  private readonly written = (): void => {
    if (this.inFlight > 0) this.inFlight--;
  };
  private readonly messageListeners: MessageListener[] = [];
  private readonly statusListeners: StatusListener[] = [];
  wireTap: ((bytes: Uint8Array, length: number) => void) | undefined;
  private isConnected = false;
  private closing = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly maxBacklog: number;

  constructor(private readonly options: SerialTransportOptions) {
    this.description = `serial ${options.path} @ ${options.baudRate}`;
    this.maxBacklog = options.maxBacklogBytes ?? 64 * 1024;
    this.decoder = new FrameDecoder((message, length) => {
      this.linkCounters.received++;
      const listeners = this.messageListeners;
      for (let i = 0; i < listeners.length; i++) listeners[i]!(message, length);
    });
  }

  get counters(): LinkCounters {
    const f = this.decoder.counters;
    this.linkCounters.crcErrors = f.crcErrors;
    this.linkCounters.framingErrors = f.cobsErrors + f.oversize;
    return this.linkCounters;
  }

  get connected(): boolean {
    return this.isConnected;
  }

  onMessage(listener: MessageListener): void {
    this.messageListeners.push(listener);
  }

  onStatus(listener: StatusListener): void {
    this.statusListeners.push(listener);
  }

  async open(): Promise<void> {
    this.closing = false;
    try {
      await this.openPort();
    } catch (error) {
      throw new Error(`cannot open serial port ${this.options.path}: ${messageOf(error)}${await portHint()}`);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    const port = this.port;
    this.port = undefined;
    this.isConnected = false;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  send(_type: number, message: Uint8Array, length: number): boolean {
    const port = this.port;
    if (
      !this.isConnected ||
      port === undefined ||
      port.writableLength > this.maxBacklog ||
      this.inFlight >= ringSlots
    ) {
      this.linkCounters.sendDropped++;
      return false;
    }
    const frame = this.ring.take();
    const frameLength = encodeFrame(message, length, this.scratch, frame);
    this.wireTap?.(frame, frameLength);
    this.inFlight++;
    port.write(frame.subarray(0, frameLength), this.written);
    this.linkCounters.sent++;
    return true;
  }

  private openPort(): Promise<void> {
    return new Promise((resolve, reject) => {
      const port = new SerialPort({
        path: this.options.path,
        baudRate: this.options.baudRate,
        autoOpen: false,
      });
      port.open((error) => {
        if (error) {
          reject(error);
          return;
        }
        this.port = port;
        this.inFlight = 0;
        this.decoder.clear();
        port.on('data', (chunk: Buffer) => this.decoder.push(chunk));
        port.on('close', () => this.lost(port, 'port closed'));
        port.on('error', (e) => this.lost(port, messageOf(e)));
        this.setConnected(true, 'port open');
        resolve();
      });
    });
  }

  private lost(port: SerialPort, reason: string): void {
    if (this.port !== port) return;
    this.port = undefined;
    if (port.isOpen) port.close(() => undefined);
    this.linkCounters.disconnects++;
    this.setConnected(false, reason);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closing) return;
    this.reconnectTimer = setTimeout(() => {
      this.openPort().then(
        () => this.linkCounters.reconnects++,
        () => this.scheduleReconnect(),
      );
    }, this.options.reconnectMs);
  }

  private setConnected(connected: boolean, reason: string): void {
    this.isConnected = connected;
    for (const listener of this.statusListeners) listener(connected, reason);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Port discovery needs udev, which containers often lack; say so instead of failing obscurely. */
export async function portHint(): Promise<string> {
  try {
    const ports = await SerialPort.list();
    if (ports.length === 0) return ' (no serial ports found)';
    return ` (available: ${ports.map((p) => p.path).join(', ')})`;
  } catch (error) {
    return ` (cannot list serial ports here: ${messageOf(error)})`;
  }
}
