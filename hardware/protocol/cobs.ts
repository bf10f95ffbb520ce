/**
 * Consistent Overhead Byte Stuffing (Cheshire & Baker, 1999). Removes every 0x00 from a block so
 * that 0x00 can delimit frames on a byte stream: a receiver that joins mid-stream or loses bytes
 * resynchronises at the next 0x00. Overhead is at most one byte per 254 plus one.
 */

/** Largest encoded size of `length` input bytes (without the trailing 0x00 delimiter). */
export function cobsMaxEncodedLength(length: number): number {
  return length + Math.ceil(length / 254) + 1;
}

/**
 * Encodes `src[0, length)` into `dst` starting at `offset`; returns the index after the last encoded
 * byte. `dst` must hold `cobsMaxEncodedLength(length)` bytes from `offset`.
 */
export function cobsEncode(src: Uint8Array, length: number, dst: Uint8Array, offset = 0): number {
  let codeIndex = offset;
  let write = offset + 1;
  let code = 1;
  for (let read = 0; read < length; read++) {
    const byte = src[read]!;
    if (byte === 0) {
      dst[codeIndex] = code;
      codeIndex = write++;
      code = 1;
      continue;
    }
    dst[write++] = byte;
    code++;
    if (code === 0xff) {
      dst[codeIndex] = code;
      codeIndex = write++;
      code = 1;
    }
  }
  dst[codeIndex] = code;
  return write;
}

/**
 * Decodes `src[0, length)` (one frame, delimiter removed) into `dst`; returns the decoded length or
 * -1 if the block is not valid COBS (a zero byte inside, or a code that runs past the end).
 * `dst` may be `src` itself: decoding never writes ahead of reading.
 */
export function cobsDecode(src: Uint8Array, length: number, dst: Uint8Array): number {
  let read = 0;
  let write = 0;
  while (read < length) {
    const code = src[read]!;
    if (code === 0 || read + code > length) return -1;
    read++;
    for (let i = 1; i < code; i++) {
      const byte = src[read++]!;
      if (byte === 0) return -1;
      dst[write++] = byte;
    }
    if (code !== 0xff && read < length) dst[write++] = 0;
  }
  return write;
}
