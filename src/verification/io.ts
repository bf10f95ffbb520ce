import { readFileSync } from 'node:fs';
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
