// The stamp that ties dist/ to the TypeScript it was compiled from: the path and a sha256 of every
// input of the build, and one sha256 over them all. `npm run build` writes it; bin/tether.mjs
// checks it before using dist/, so an edited tree never runs stale JavaScript. Plain JavaScript,
// loaded before any TypeScript loader.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the build writes the stamp, relative to the package root. */
export const stampPath = 'dist/build-stamp.json';

/** The sha256 of one file's content, hex. */
export function hashContent(content) {
  return createHash('sha256').update(content).digest('hex');
}

/** One sha256 over the path, length and content of every `[file, content]`, hex. */
export function hashContents(entries) {
  const hash = createHash('sha256');
  for (const [file, content] of entries) hash.update(`${file}\0${content.length}\0`).update(content);
  return hash.digest('hex');
}

function* readAll(root, files) {
  for (const file of files) yield [file, readFileSync(join(root, file))];
}

/**
 * Whether dist/ was compiled from the files as they are now: one pass hashing every input the
 * stamp lists (about 1.6 MB; the launcher's whole cost). Returns `{ fresh: true }` or
 * `{ fresh: false, reason }`, the reason in words for the person waiting on a slower start.
 */
export function checkStamp(root) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, stampPath), 'utf8'));
  } catch {
    return { fresh: false, reason: 'dist/ has not been built' };
  }
  const inputs = Object.entries(stamp.inputs ?? {});
  const files = inputs.map(([file]) => file);
  try {
    if (files.length > 0 && hashContents(readAll(root, files)) === stamp.hash) return { fresh: true };
  } catch {
    // An input is gone: named below.
  }
  // Not fresh: find the first input that differs, to say why.
  for (const [file, hash] of inputs) {
    let content;
    try {
      content = readFileSync(join(root, file));
    } catch {
      return { fresh: false, reason: `dist/ was built with ${file}, which is gone` };
    }
    if (hashContent(content) !== hash)
      return { fresh: false, reason: `${file} changed since dist/ was built` };
  }
  return { fresh: false, reason: `${stampPath} does not match its inputs` };
}
