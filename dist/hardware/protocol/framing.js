// Compiled from hardware/protocol/framing.ts by `npm run build`: edit the source, not this file.

// hardware/protocol/framing.ts
import { cobsDecode, cobsEncode, cobsMaxEncodedLength } from "./cobs.js";
import { crc32 } from "./crc32.js";
import { maxMessageSize } from "./messages.js";
var crcSize = 4;
var maxFrameSize = cobsMaxEncodedLength(maxMessageSize + crcSize) + 1;
function createFrameCounters() {
  return { frames: 0, crcErrors: 0, cobsErrors: 0, oversize: 0, empty: 0 };
}
function appendCrc(message, length) {
  const crc = crc32(message, 0, length);
  message[length] = crc & 255;
  message[length + 1] = crc >>> 8 & 255;
  message[length + 2] = crc >>> 16 & 255;
  message[length + 3] = crc >>> 24 & 255;
  return length + crcSize;
}
function checkCrc(bytes, length) {
  if (length < crcSize) return -1;
  const body = length - crcSize;
  const expected = (bytes[body] | bytes[body + 1] << 8 | bytes[body + 2] << 16 | bytes[body + 3] << 24) >>> 0;
  return crc32(bytes, 0, body) === expected ? body : -1;
}
function encodeFrame(message, length, scratch, frame) {
  if (scratch !== message) scratch.set(message.subarray(0, length));
  const withCrc = appendCrc(scratch, length);
  const end = cobsEncode(scratch, withCrc, frame, 0);
  frame[end] = 0;
  return end + 1;
}
var FrameDecoder = class {
  constructor(onMessage) {
    this.onMessage = onMessage;
  }
  onMessage;
  counters = createFrameCounters();
  buffer = new Uint8Array(maxFrameSize);
  length = 0;
  /** Set after an overflow: skip bytes until the next delimiter. */
  discarding = false;
  /** Feeds `chunk[0, length)` (the whole chunk by default). */
  push(chunk, length = chunk.length) {
    for (let i = 0; i < length; i++) {
      const byte = chunk[i];
      if (byte !== 0) {
        if (this.discarding) continue;
        if (this.length === this.buffer.length) {
          this.counters.oversize++;
          this.discarding = true;
          this.length = 0;
          continue;
        }
        this.buffer[this.length++] = byte;
        continue;
      }
      if (this.discarding) {
        this.discarding = false;
        continue;
      }
      this.finishFrame();
    }
  }
  /** Drops a partial frame, e.g. after the port reopened. */
  clear() {
    this.length = 0;
    this.discarding = false;
  }
  finishFrame() {
    const encodedLength = this.length;
    this.length = 0;
    if (encodedLength === 0) {
      this.counters.empty++;
      return;
    }
    const decoded = cobsDecode(this.buffer, encodedLength, this.buffer);
    if (decoded < 0) {
      this.counters.cobsErrors++;
      return;
    }
    const messageLength = checkCrc(this.buffer, decoded);
    if (messageLength < 0) {
      this.counters.crcErrors++;
      return;
    }
    this.counters.frames++;
    this.onMessage(this.buffer, messageLength);
  }
};
export {
  FrameDecoder,
  appendCrc,
  checkCrc,
  crcSize,
  createFrameCounters,
  encodeFrame,
  maxFrameSize
};
