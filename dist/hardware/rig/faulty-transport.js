// Compiled from hardware/rig/faulty-transport.ts by `npm run build`: edit the source, not this file.

// hardware/rig/faulty-transport.ts
import {
  BufferRing
} from "../link/transport.js";
import { MessageType, maxMessageSize } from "../protocol/messages.js";
var FaultyTransport = class {
  constructor(inner, rng) {
    this.inner = inner;
    this.rng = rng;
    inner.wireTap = (bytes, length) => this.corrupt(bytes, length);
  }
  inner;
  rng;
  faults = { dropState: 0, dropCommand: 0, delayMs: 0, corrupt: 0, frozen: false };
  traffic = {
    statesDropped: 0,
    commandsDropped: 0,
    framesCorrupted: 0,
    statesDelayed: 0
  };
  delayed = new BufferRing(1024, maxMessageSize);
  get description() {
    return this.inner.description;
  }
  get connected() {
    return this.inner.connected;
  }
  get counters() {
    return this.inner.counters;
  }
  open() {
    return this.inner.open();
  }
  close() {
    return this.inner.close();
  }
  onStatus(listener) {
    this.inner.onStatus(listener);
  }
  onMessage(listener) {
    this.inner.onMessage((message, length) => {
      const f = this.faults;
      if (f.frozen) return;
      if (message[1] === MessageType.command && f.dropCommand > 0 && this.rng.uniform() < f.dropCommand) {
        this.traffic.commandsDropped++;
        return;
      }
      listener(message, length);
    });
  }
  send(type, message, length) {
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
  corrupt(bytes, length) {
    const p = this.faults.corrupt;
    if (p === 0 || length === 0 || this.rng.uniform() >= p) return;
    const at = Math.floor(this.rng.uniform() * length);
    bytes[at] = bytes[at] ^ 1 + Math.floor(this.rng.uniform() * 255);
    this.traffic.framesCorrupted++;
  }
};
export {
  FaultyTransport
};
