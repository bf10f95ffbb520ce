// The stamp that ties dist/ to the TypeScript it was compiled from: the path and a sha256 of every
// input of the build. `npm run build` writes it; bin/tether.mjs checks it before using dist/, so an
// edited tree never runs stale JavaScript. Plain JavaScript, loaded before any TypeScript loader.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the build writes the stamp, relative to the package root. */
export const stampPath = 'dist/build-stamp.json';

/** The sha256 of one input file, hex. Throws when the file cannot be read. */
export function hashFile(root, file) {
  return createHash('sha256')
    .update(readFileSync(join(root, file)))
    .digest('hex');
}

/**
 * Whether dist/ was compiled from the files as they are now. Reads every input the stamp lists
 * (about 1.6 MB) and stops at the first difference. Returns `{ fresh: true }` or
 * `{ fresh: false, reason }`, the reason in words for the person waiting on a slow start.
 */
export function checkStamp(root) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, stampPath), 'utf8'));
  } catch {
    return { fresh: false, reason: 'dist/ has not been built' };
  }
  for (const [file, hash] of Object.entries(stamp.inputs ?? {})) {
    let now;
    try {
      now = hashFile(root, file);
    } catch {
      return { fresh: false, reason: `dist/ was built with ${file}, which is gone` };
    }
    if (now !== hash) return { fresh: false, reason: `${file} changed since dist/ was built` };
  }
  return stamp.inputs ? { fresh: true } : { fresh: false, reason: `${stampPath} lists no inputs` };
}
