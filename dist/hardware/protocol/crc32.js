// Compiled from hardware/protocol/crc32.ts by `npm run build`: edit the source, not this file.

// hardware/protocol/crc32.ts
var table = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 3988292384 ^ c >>> 1 : c >>> 1;
  table[n] = c >>> 0;
}
function crc32(bytes, start = 0, end = bytes.length) {
  let crc = 4294967295;
  for (let i = start; i < end; i++) crc = table[(crc ^ bytes[i]) & 255] ^ crc >>> 8;
  return (crc ^ 4294967295) >>> 0;
}
export {
  crc32
};
