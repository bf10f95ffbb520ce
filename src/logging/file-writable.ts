import type { FileHandle } from 'node:fs/promises';
import type { IWritable } from '@mcap/core';

/**
 * An MCAP writer's sink on an open file: writes each buffer whole (a write to a regular file may
 * still be short, e.g. when the disk fills up: finish it or fail, never leave a torn record) and
 * counts the position the writer asks for.
 */
export function fileWritable(file: FileHandle, path: string): IWritable {
  let position = 0n;
  return {
    position: () => position,
    write: async (buffer: Uint8Array) => {
      for (let offset = 0; offset < buffer.byteLength; ) {
        const { bytesWritten } = await file.write(buffer, offset, buffer.byteLength - offset);
        if (bytesWritten === 0) throw new Error(`wrote 0 of ${buffer.byteLength - offset} bytes to ${path}`);
        offset += bytesWritten;
      }
      position += BigInt(buffer.byteLength);
    },
  };
}
