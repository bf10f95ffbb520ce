// Compiled from hardware/link/transport.ts by `npm run build`: edit the source, not this file.

// hardware/link/transport.ts
function createLinkCounters() {
  return {
    sent: 0,
    sendDropped: 0,
    received: 0,
    crcErrors: 0,
    framingErrors: 0,
    decodeErrors: 0,
    disconnects: 0,
    reconnects: 0
  };
}
var BufferRing = class {
  buffers;
  next = 0;
  constructor(slots, size) {
    this.buffers = Array.from({ length: slots }, () => Buffer.alloc(size));
  }
  take() {
    const buffer = this.buffers[this.next];
    this.next = (this.next + 1) % this.buffers.length;
    return buffer;
  }
};
export {
  BufferRing,
  createLinkCounters
};
