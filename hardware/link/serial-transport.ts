import { readSync, writeSync } from 'node:fs';
import { autoDetect, type DarwinPortBinding, type LinuxPortBinding } from '@serialport/bindings-cpp';
import { encodeFrame, FrameDecoder, maxFrameSize } from '../protocol/framing.ts';
import { maxMessageSize } from '../protocol/messages.ts';
import { portLockHolders } from './port-holder.ts';
import {
  createLinkCounters,
  type LinkCounters,
  type MessageListener,
  type StatusListener,
  type Transport,
} from './transport.ts';

export interface SerialTransportOptions {
  /** Device path, e.g. /dev/ttyACM0 or the host end of a socat pty pair. */
  readonly path: string;
  readonly baudRate: number;
  /** Delay between reopen attempts after the port went away. */
  readonly reconnectMs: number;
  /** Bytes queued but not yet written above which new messages are dropped instead of buffered. */
  readonly maxBacklogBytes?: number;
}

/** A POSIX port: its file descriptor (opened non-blocking) and the poller that says when it is ready. */
type PosixPort = LinuxPortBinding | DarwinPortBinding;

/** The poller's event bits (libuv's UV_READABLE and UV_WRITABLE). */
const pollReadable = 1;
const pollWritable = 2;

/** Bytes one read takes from the port: a few dozen frames. */
const readChunkBytes = 16 * 1024;

/**
 * Serial transport on a POSIX serial port (Linux, macOS). Every byte is read and written on the
 * calling thread: the port is non-blocking, a readiness poller on the event loop says when to read
 * (until the port is empty) and when a backed-up port can take more, and `send` writes the frame
 * with one `write(2)` at once. Nothing waits for libuv's thread pool: beside two CPU hogs a read
 * through the pool took 100–480 ms to come back while the port filled up, and the rig's states went
 * stale although every process on the path was on time (docs/architecture.md, the demo-load
 * figures). A frame the port cannot take at once is queued whole, up to `maxBacklogBytes`; beyond that
 * new frames are dropped and counted, never sent in part. A closed or failing port is reopened every
 * `reconnectMs` until `close()`; bytes in flight at that moment are lost and counted as framing errors
 * at worst.
 */
export class SerialTransport implements Transport {
  readonly description: string;
  private readonly linkCounters: LinkCounters = createLinkCounters();
  private port: PosixPort | undefined;
  private readonly decoder: FrameDecoder;
  private readonly scratch = new Uint8Array(maxMessageSize + 4);
  private readonly frame = new Uint8Array(maxFrameSize);
  private readonly incoming = new Uint8Array(readChunkBytes);
  /** Bytes the port has not taken yet: `backlog[backlogStart, backlogEnd)`. */
  private readonly backlog: Uint8Array;
  private backlogStart = 0;
  private backlogEnd = 0;
  /** Asks the open port's poller to flush the backlog once the port can take more. */
  private waitUntilWritable: (() => void) | undefined;
  private closing = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly messageListeners: MessageListener[] = [];
  private readonly statusListeners: StatusListener[] = [];
  wireTap: ((bytes: Uint8Array, length: number) => void) | undefined;
  private isConnected = false;

  constructor(private readonly options: SerialTransportOptions) {
    this.description = `serial ${options.path} @ ${options.baudRate}`;
    this.backlog = new Uint8Array(Math.max(maxFrameSize, options.maxBacklogBytes ?? 64 * 1024));
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
      if (/Cannot lock port/.test(messageOf(error))) throw new Error(heldMessage(this.options.path));
      throw new Error(`cannot open serial port ${this.options.path}: ${messageOf(error)}${await portHint()}`);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    const port = this.port;
    this.port = undefined;
    this.waitUntilWritable = undefined;
    this.isConnected = false;
    if (port?.isOpen) await port.close().catch(() => undefined);
  }

  send(_type: number, message: Uint8Array, length: number): boolean {
    const port = this.port;
    if (!this.isConnected || port === undefined || port.fd === null) {
      this.linkCounters.sendDropped++;
      return false;
    }
    const frame = this.frame;
    const frameLength = encodeFrame(message, length, this.scratch, frame);
    this.wireTap?.(frame, frameLength);
    if (this.backlogEnd > this.backlogStart) {
      // Backed up: queue behind what is waiting, so frames leave whole and in order.
      if (!this.enqueue(frame, 0, frameLength)) {
        this.linkCounters.sendDropped++;
        return false;
      }
    } else {
      const written = this.writeNow(port, frame, 0, frameLength);
      if (written < 0) {
        this.linkCounters.sendDropped++;
        return false;
      }
      if (written < frameLength) {
        this.enqueue(frame, written, frameLength);
        this.waitUntilWritable?.();
      }
    }
    this.linkCounters.sent++;
    return true;
  }

  /** Writes what the port takes now: the byte count (0 when it is full), or -1 when the port failed. */
  private writeNow(port: PosixPort, bytes: Uint8Array, from: number, to: number): number {
    try {
      return writeSync(port.fd!, bytes, from, to - from);
    } catch (error) {
      if (isWouldBlock(error)) return 0;
      this.lost(port, `port went away (${messageOf(error)})`);
      return -1;
    }
  }

  /** Appends `bytes[from, to)` to the backlog; false (nothing queued) when it would not fit. */
  private enqueue(bytes: Uint8Array, from: number, to: number): boolean {
    const size = to - from;
    const queued = this.backlogEnd - this.backlogStart;
    if (queued + size > this.backlog.length) return false;
    if (this.backlogEnd + size > this.backlog.length) {
      this.backlog.copyWithin(0, this.backlogStart, this.backlogEnd);
      this.backlogStart = 0;
      this.backlogEnd = queued;
    }
    const backlog = this.backlog;
    for (let i = from, at = this.backlogEnd; i < to; i++, at++) backlog[at] = bytes[i]!;
    this.backlogEnd += size;
    return true;
  }

  /** Writes what the backlog holds; waits for the port again while some is left. */
  private flushBacklog(port: PosixPort): void {
    const written = this.writeNow(port, this.backlog, this.backlogStart, this.backlogEnd);
    if (written < 0) return;
    this.backlogStart += written;
    if (this.backlogStart === this.backlogEnd) this.backlogStart = this.backlogEnd = 0;
    else this.waitUntilWritable?.();
  }

  /** Reads until the port is empty. */
  private drain(port: PosixPort): void {
    const incoming = this.incoming;
    for (;;) {
      let count: number;
      try {
        count = readSync(port.fd!, incoming, 0, incoming.length, null);
      } catch (readError) {
        if (isWouldBlock(readError)) return;
        this.lost(port, `port went away (${messageOf(readError)})`);
        return;
      }
      if (count === 0) {
        // A non-blocking tty with nothing to read says EAGAIN; 0 is the end of the port (hung up).
        this.lost(port, 'port went away (end of file)');
        return;
      }
      this.decoder.push(incoming, count);
      if (count < incoming.length) return;
    }
  }

  private async openPort(): Promise<void> {
    const binding = autoDetect();
    const port = (await binding.open({ path: this.options.path, baudRate: this.options.baudRate })) as
      | PosixPort
      | { poller?: undefined; close(): Promise<void> };
    if (port.poller === undefined) {
      await port.close().catch(() => undefined);
      throw new Error(`serial links need a POSIX serial port (Linux or macOS); ${process.platform} has none`);
    }
    this.port = port;
    this.backlogStart = this.backlogEnd = 0;
    this.decoder.clear();
    // One pair of handlers per opened port: a poller cancelled by its port's close calls back with an
    // error, which must not reach the port opened after it.
    // The binding's poller watches only the events of its latest `once` (it keeps the others in mind
    // but does not poll for them until one fires): a port waiting to write would stop being read,
    // and a host that died without reading left its rig deaf. So each wait asks for both.
    let writableWanted = false;
    const pollBoth = () => port.poller.poll(pollReadable | (writableWanted ? pollWritable : 0));
    const onReadable = (error: Error | null): void => {
      if (this.port !== port) return;
      if (error !== null) {
        this.lost(port, `port went away (${error.message})`);
        return;
      }
      this.drain(port);
      if (this.port !== port) return;
      port.poller.once('readable', onReadable);
      if (writableWanted) pollBoth();
    };
    const onWritable = (error: Error | null): void => {
      writableWanted = false;
      if (this.port === port && error === null) this.flushBacklog(port);
    };
    this.waitUntilWritable = () => {
      if (writableWanted) return;
      writableWanted = true;
      port.poller.once('writable', onWritable);
      pollBoth();
    };
    port.poller.once('readable', onReadable);
    this.setConnected(true, 'port open');
  }

  private lost(port: PosixPort, reason: string): void {
    if (this.port !== port) return;
    this.port = undefined;
    this.waitUntilWritable = undefined;
    if (port.isOpen) port.close().catch(() => undefined);
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

function isWouldBlock(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The OS lock refused the port: on serial this, not the session protocol, is what keeps a second
 * runtime off a rig that one already drives (docs/security.md). Names the holder where Linux says.
 */
function heldMessage(path: string): string {
  const holders = portLockHolders(path).map(
    (h) =>
      `pid ${h.pid}${h.command === '' ? '' : `: ${h.command.length > 160 ? `${h.command.slice(0, 157)}...` : h.command}`}`,
  );
  const who = holders.length > 0 ? ` (${holders.join('; ')})` : '';
  return `serial port ${path} is held by another process${who}: the OS lock lets one process at a time use a serial port, so no other runtime or rig command can reach this rig while it runs; stop it first`;
}

/** Port discovery needs udev, which containers often lack; say so instead of failing obscurely. */
export async function portHint(): Promise<string> {
  try {
    const ports = await autoDetect().list();
    if (ports.length === 0) return ' (no serial ports found)';
    return ` (available: ${ports.map((p) => p.path).join(', ')})`;
  } catch (error) {
    return ` (cannot list serial ports here: ${messageOf(error)})`;
  }
}
