// Compiled from hardware/protocol/cobs.ts by `npm run build`: edit the source, not this file.

// hardware/protocol/cobs.ts
function cobsMaxEncodedLength(length) {
  return length + Math.ceil(length / 254) + 1;
}
function cobsEncode(src, length, dst, offset = 0) {
  let codeIndex = offset;
  let write = offset + 1;
  let code = 1;
  for (let read = 0; read < length; read++) {
    const byte = src[read];
    if (byte === 0) {
      dst[codeIndex] = code;
      codeIndex = write++;
      code = 1;
      continue;
    }
    dst[write++] = byte;
    code++;
    if (code === 255) {
      dst[codeIndex] = code;
      codeIndex = write++;
      code = 1;
    }
  }
  dst[codeIndex] = code;
  return write;
}
function cobsDecode(src, length, dst) {
  let read = 0;
  let write = 0;
  while (read < length) {
    const code = src[read];
    if (code === 0 || read + code > length) return -1;
    read++;
    for (let i = 1; i < code; i++) {
      const byte = src[read++];
      if (byte === 0) return -1;
      dst[write++] = byte;
    }
    if (code !== 255 && read < length) dst[write++] = 0;
  }
  return write;
}
export {
  cobsDecode,
  cobsEncode,
  cobsMaxEncodedLength
};
