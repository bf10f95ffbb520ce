import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LyapunovModel, parseModel } from './model.ts';

/** Reads a model JSON file; errors name the file. */
export function loadModel(path: string): LyapunovModel {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new RangeError(
      `model ${path}: cannot read it as JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return parseModel(raw, `model ${path}`);
}

/** Repository root, from this file's location. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The published Yang et al. 2024 models live beside the repository when available. */
export function anchorsDir(): string | undefined {
  const dir = join(repoRoot, '..', 'shared', 'anchors', 'yang2024');
  return existsSync(dir) ? dir : undefined;
}
