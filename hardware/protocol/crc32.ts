/**
 * CRC-32/ISO-HDLC (the zlib / Ethernet CRC): reflected polynomial 0xEDB88320, initial value and final
 * XOR 0xFFFFFFFF. Check value: crc32("123456789") = 0xCBF43926. Table-driven, one table of 256 words,
 * the same algorithm as `tether_crc32` in hardware/firmware/tether_protocol.c.
 */
const table = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  table[n] = c >>> 0;
}

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
