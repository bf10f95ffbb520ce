// Compiled from hardware/link/serial-transport.ts by `npm run build`: edit the source, not this file.

// hardware/link/serial-transport.ts
import { SerialPort } from "serialport";
import { encodeFrame, FrameDecoder, maxFrameSize } from "../protocol/framing.js";
import { maxMessageSize } from "../protocol/messages.js";
import {
  BufferRing,
  createLinkCounters
} from "./transport.js";
var ringSlots = 128;
var SerialTransport = class {
  constructor(options) {
    this.options = options;
    this.description = `serial ${options.path} @ ${options.baudRate}`;
    this.maxBacklog = options.maxBacklogBytes ?? 64 * 1024;
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
  ring = new BufferRing(ringSlots, maxFrameSize);
  /**
   * Frames handed to the port and not yet written. The port keeps a reference to each frame's
   * buffer until it is written, so at most `ringSlots` may be in flight: one more would reuse a
   * queued buffer and put the newer frame on the wire twice (and the older one not at all).
   */
  inFlight = 0;
  written = () => {
    if (this.inFlight > 0) this.inFlight--;
  };
  messageListeners = [];
  statusListeners = [];
  wireTap;
  isConnected = false;
  closing = false;
  reconnectTimer;
  maxBacklog;
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
      throw new Error(`cannot open serial port ${this.options.path}: ${messageOf(error)}${await portHint()}`);
    }
  }
  async close() {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    const port = this.port;
    this.port = void 0;
    this.isConnected = false;
    if (port?.isOpen) await new Promise((resolve) => port.close(() => resolve()));
  }
  send(_type, message, length) {
    const port = this.port;
    if (!this.isConnected || port === void 0 || port.writableLength > this.maxBacklog || this.inFlight >= ringSlots) {
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
  openPort() {
    return new Promise((resolve, reject) => {
      const port = new SerialPort({
        path: this.options.path,
        baudRate: this.options.baudRate,
        autoOpen: false
      });
      port.open((error) => {
        if (error) {
          reject(error);
          return;
        }
        this.port = port;
        this.inFlight = 0;
        this.decoder.clear();
        port.on("data", (chunk) => this.decoder.push(chunk));
        port.on("close", () => this.lost(port, "port closed"));
        port.on("error", (e) => this.lost(port, messageOf(e)));
        this.setConnected(true, "port open");
        resolve();
      });
    });
  }
  lost(port, reason) {
    if (this.port !== port) return;
    this.port = void 0;
    if (port.isOpen) port.close(() => void 0);
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
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}
async function portHint() {
  try {
    const ports = await SerialPort.list();
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
