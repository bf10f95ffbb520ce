// Compiled from hardware/link/serial-transport.ts by `npm run build`: edit the source, not this file.

// hardware/link/serial-transport.ts
import { readSync, writeSync } from "node:fs";
import { autoDetect } from "@serialport/bindings-cpp";
import { encodeFrame, FrameDecoder, maxFrameSize } from "../protocol/framing.js";
import { maxMessageSize } from "../protocol/messages.js";
import { portLockHolders } from "./port-holder.js";
import {
  createLinkCounters
} from "./transport.js";
var pollReadable = 1;
var pollWritable = 2;
var readChunkBytes = 16 * 1024;
var SerialTransport = class {
  constructor(options) {
    this.options = options;
    this.description = `serial ${options.path} @ ${options.baudRate}`;
    this.backlog = new Uint8Array(Math.max(maxFrameSize, options.maxBacklogBytes ?? 64 * 1024));
    this.decoder = new FrameDecoder((message, length) => {
      this.linkCounters.received++;
      const listeners = this.messageListeners;
      for (let i = 0; i < listeners.length; i++) listeners[i](message, length);
    });
  }
  options;
  description;
  linkCounters = createLinkCounters();
  port;
  decoder;
  scratch = new Uint8Array(maxMessageSize + 4);
  frame = new Uint8Array(maxFrameSize);
  incoming = new Uint8Array(readChunkBytes);
  /** Bytes the port has not taken yet: `backlog[backlogStart, backlogEnd)`. */
  backlog;
  backlogStart = 0;
  backlogEnd = 0;
  /** Asks the open port's poller to flush the backlog once the port can take more. */
  waitUntilWritable;
  closing = false;
  reconnectTimer;
  messageListeners = [];
  statusListeners = [];
  wireTap;
  isConnected = false;
  get counters() {
    const f = this.decoder.counters;
    this.linkCounters.crcErrors = f.crcErrors;
    this.linkCounters.framingErrors = f.cobsErrors + f.oversize;
    return this.linkCounters;
  }
  get connected() {
    return this.isConnected;
  }
  onMessage(listener) {
    this.messageListeners.push(listener);
  }
  onStatus(listener) {
    this.statusListeners.push(listener);
  }
  async open() {
    this.closing = false;
    try {
      await this.openPort();
    } catch (error) {
      if (/Cannot lock port/.test(messageOf(error))) throw new Error(heldMessage(this.options.path));
      throw new Error(`cannot open serial port ${this.options.path}: ${messageOf(error)}${await portHint()}`);
    }
  }
  async close() {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    const port = this.port;
    this.port = void 0;
    this.waitUntilWritable = void 0;
    this.isConnected = false;
    if (port?.isOpen) await port.close().catch(() => void 0);
  }
  send(_type, message, length) {
    const port = this.port;
    if (!this.isConnected || port === void 0 || port.fd === null) {
      this.linkCounters.sendDropped++;
      return false;
    }
    const frame = this.frame;
    const frameLength = encodeFrame(message, length, this.scratch, frame);
    this.wireTap?.(frame, frameLength);
    if (this.backlogEnd > this.backlogStart) {
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
  writeNow(port, bytes, from, to) {
    try {
      return writeSync(port.fd, bytes, from, to - from);
    } catch (error) {
      if (isWouldBlock(error)) return 0;
      this.lost(port, `port went away (${messageOf(error)})`);
      return -1;
    }
  }
  /** Appends `bytes[from, to)` to the backlog; false (nothing queued) when it would not fit. */
  enqueue(bytes, from, to) {
    const size = to - from;
    const queued = this.backlogEnd - this.backlogStart;
    if (queued + size > this.backlog.length) return false;
    if (this.backlogEnd + size > this.backlog.length) {
      this.backlog.copyWithin(0, this.backlogStart, this.backlogEnd);
      this.backlogStart = 0;
      this.backlogEnd = queued;
    }
    const backlog = this.backlog;
    for (let i = from, at = this.backlogEnd; i < to; i++, at++) backlog[at] = bytes[i];
    this.backlogEnd += size;
    return true;
  }
  /** Writes what the backlog holds; waits for the port again while some is left. */
  flushBacklog(port) {
    const written = this.writeNow(port, this.backlog, this.backlogStart, this.backlogEnd);
    if (written < 0) return;
    this.backlogStart += written;
    if (this.backlogStart === this.backlogEnd) this.backlogStart = this.backlogEnd = 0;
    else this.waitUntilWritable?.();
  }
  /** Reads until the port is empty. */
  drain(port) {
    const incoming = this.incoming;
    for (; ; ) {
      let count;
      try {
        count = readSync(port.fd, incoming, 0, incoming.length, null);
      } catch (readError) {
        if (isWouldBlock(readError)) return;
        this.lost(port, `port went away (${messageOf(readError)})`);
        return;
      }
      if (count === 0) {
        this.lost(port, "port went away (end of file)");
        return;
      }
      this.decoder.push(incoming, count);
      if (count < incoming.length) return;
    }
  }
  async openPort() {
    const binding = autoDetect();
    const port = await binding.open({ path: this.options.path, baudRate: this.options.baudRate });
    if (port.poller === void 0) {
      await port.close().catch(() => void 0);
      throw new Error(`serial links need a POSIX serial port (Linux or macOS); ${process.platform} has none`);
    }
    this.port = port;
    this.backlogStart = this.backlogEnd = 0;
    this.decoder.clear();
    let writableWanted = false;
    const pollBoth = () => port.poller.poll(pollReadable | (writableWanted ? pollWritable : 0));
    const onReadable = (error) => {
      if (this.port !== port) return;
      if (error !== null) {
        this.lost(port, `port went away (${error.message})`);
        return;
      }
      this.drain(port);
      if (this.port !== port) return;
      port.poller.once("readable", onReadable);
      if (writableWanted) pollBoth();
    };
    const onWritable = (error) => {
      writableWanted = false;
      if (this.port === port && error === null) this.flushBacklog(port);
    };
    this.waitUntilWritable = () => {
      if (writableWanted) return;
      writableWanted = true;
      port.poller.once("writable", onWritable);
      pollBoth();
    };
    port.poller.once("readable", onReadable);
    this.setConnected(true, "port open");
  }
  lost(port, reason) {
    if (this.port !== port) return;
    this.port = void 0;
    this.waitUntilWritable = void 0;
    if (port.isOpen) port.close().catch(() => void 0);
    this.linkCounters.disconnects++;
    this.setConnected(false, reason);
    this.scheduleReconnect();
  }
  scheduleReconnect() {
    if (this.closing) return;
    this.reconnectTimer = setTimeout(() => {
      this.openPort().then(
        () => this.linkCounters.reconnects++,
        () => this.scheduleReconnect()
      );
    }, this.options.reconnectMs);
  }
  setConnected(connected, reason) {
    this.isConnected = connected;
    for (const listener of this.statusListeners) listener(connected, reason);
  }
};
function isWouldBlock(error) {
  const code = error.code;
  return code === "EAGAIN" || code === "EWOULDBLOCK" || code === "EINTR";
}
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}
function heldMessage(path) {
  const holders = portLockHolders(path).map(
    (h) => `pid ${h.pid}${h.command === "" ? "" : `: ${h.command.length > 160 ? `${h.command.slice(0, 157)}...` : h.command}`}`
  );
  const who = holders.length > 0 ? ` (${holders.join("; ")})` : "";
  return `serial port ${path} is held by another process${who}: the OS lock lets one process at a time use a serial port, so no other runtime or rig command can reach this rig while it runs; stop it first`;
}
async function portHint() {
  try {
    const ports = await autoDetect().list();
    if (ports.length === 0) return " (no serial ports found)";
    return ` (available: ${ports.map((p) => p.path).join(", ")})`;
  } catch (error) {
    return ` (cannot list serial ports here: ${messageOf(error)})`;
  }
}
export {
  SerialTransport,
  portHint
};
