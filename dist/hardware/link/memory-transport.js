// Compiled from hardware/link/memory-transport.ts by `npm run build`: edit the source, not this file.

// hardware/link/memory-transport.ts
import {
  createLinkCounters
} from "./transport.js";
var MemoryTransport = class _MemoryTransport {
  counters = createLinkCounters();
  description;
  peer;
  isOpen = false;
  messageListeners = [];
  statusListeners = [];
  constructor(name) {
    this.description = `memory ${name}`;
  }
  static pair() {
    const a = new _MemoryTransport("a");
    const b = new _MemoryTransport("b");
    a.peer = b;
    b.peer = a;
    return [a, b];
  }
  get connected() {
    return this.isOpen && this.peer?.isOpen === true;
  }
  async open() {
    this.isOpen = true;
    this.announce();
  }
  async close() {
    this.isOpen = false;
    this.announce();
  }
  send(_type, message, length) {
    const peer = this.peer;
    if (!this.connected || peer === void 0) {
      this.counters.sendDropped++;
      return false;
    }
    this.counters.sent++;
    peer.counters.received++;
    const listeners = peer.messageListeners;
    for (let i = 0; i < listeners.length; i++) listeners[i](message, length);
    return true;
  }
  onMessage(listener) {
    this.messageListeners.push(listener);
  }
  onStatus(listener) {
    this.statusListeners.push(listener);
  }
  announce() {
    for (const side of [this, this.peer]) {
      if (side === void 0) continue;
      const up = side.connected;
      for (const listener of side.statusListeners) listener(up, up ? "peer open" : "peer closed");
    }
  }
};
export {
  MemoryTransport
};
