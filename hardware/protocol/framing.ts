/**
 * Byte-stream framing: frame = COBS(message || CRC-32 little-endian) || 0x00.
 * The receiver resynchronises at every 0x00, so a corrupt, truncated or partial frame costs exactly
 * that frame: it is counted and dropped, and the next one decodes normally.
 */
import { cobsDecode, cobsEncode, cobsMaxEncodedLength } from './cobs.ts';
import { crc32 } from './crc32.ts';
import { maxMessageSize } from './messages.ts';

export const crcSize = 4;
/** Largest frame on the wire, delimiter included. */
export const maxFrameSize = cobsMaxEncodedLength(maxMessageSize + crcSize) + 1;

export interface FrameCounters {
  frames: number;
  crcErrors: number;
  cobsErrors: number;
  oversize: number;
  /** Zero-length frames (two delimiters in a row): harmless, a sender may use them to resync. */
  empty: number;
}

export function createFrameCounters(): FrameCounters {
  return { frames: 0, crcErrors: 0, cobsErrors: 0, oversize: 0, empty: 0 };
}

/** Appends the CRC of `message[0, length)` after it; `message` must have 4 spare bytes. Returns the new length. */
export function appendCrc(message: Uint8Array, length: number): number {
  const crc = crc32(message, 0, length);
  message[length] = crc & 0xff;
  message[length + 1] = (crc >>> 8) & 0xff;
  message[length + 2] = (crc >>> 16) & 0xff;
  message[length + 3] = (crc >>> 24) & 0xff;
  return length + crcSize;
}

/** Returns the message length without its CRC, or -1 if the CRC does not match. */
export function checkCrc(bytes: Uint8Array, length: number): number {
  if (length < crcSize) return -1;
  const body = length - crcSize;
  const expected =
    (bytes[body]! | (bytes[body + 1]! << 8) | (bytes[body + 2]! << 16) | (bytes[body + 3]! << 24)) >>> 0;
  return crc32(bytes, 0, body) === expected ? body : -1;
}

/**
 * Encodes one message into a wire frame. `scratch` holds maxMessageSize + 4 bytes and receives the
 * message with its CRC; `frame` holds maxFrameSize bytes. Returns the frame length.
 */
export function encodeFrame(
  message: Uint8Array,
  length: number,
  scratch: Uint8Array,
  frame: Uint8Array,
): number {
  if (scratch !== message) scratch.set(message.subarray(0, length));
  const withCrc = appendCrc(scratch, length);
  const end = cobsEncode(scratch, withCrc, frame, 0);
  frame[end] = 0;
  return end + 1;
}

/**
 * Incremental frame decoder with a fixed buffer: feed it chunks as they arrive; it calls `onMessage`
 * with each verified message (a view valid only during the call).
 */
export class FrameDecoder {
  readonly counters: FrameCounters = createFrameCounters();
  private readonly buffer = new Uint8Array(maxFrameSize);
  private length = 0;
  /** Set after an overflow: skip bytes until the next delimiter. */
  private discarding = false;

  constructor(private readonly onMessage: (message: Uint8Array, length: number) => void) {}

  /** Feeds `chunk[0, length)` (the whole chunk by default). */
  push(chunk: Uint8Array, length = chunk.length): void {
    for (let i = 0; i < length; i++) {
      const byte = chunk[i]!;
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
  clear(): void {
    this.length = 0;
    this.discarding = false;
  }

  private finishFrame(): void {
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
}
