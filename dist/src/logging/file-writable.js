// Compiled from src/logging/file-writable.ts by `npm run build`: edit the source, not this file.

// src/logging/file-writable.ts
function fileWritable(file, path) {
  let position = 0n;
  return {
    position: () => position,
    write: async (buffer) => {
      for (let offset = 0; offset < buffer.byteLength; ) {
        const { bytesWritten } = await file.write(buffer, offset, buffer.byteLength - offset);
        if (bytesWritten === 0) throw new Error(`wrote 0 of ${buffer.byteLength - offset} bytes to ${path}`);
        offset += bytesWritten;
      }
      position += BigInt(buffer.byteLength);
    }
  };
}
export {
  fileWritable
};
