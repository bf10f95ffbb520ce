import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type LyapunovModel, type NeuralModelJson, parseModel } from '../../src/verification/model.ts';

export const fixturePath = (name: string): string =>
  fileURLToPath(new URL(`../../controllers/hybrid/models/yang2024/${name}.json`, import.meta.url));

export interface TestVector {
  readonly x: number[];
  readonly V: number;
  readonly u: number;
  readonly x_next: number[];
  readonly V_next: number;
}

/** The raw JSON (fresh copy each call, so tests may mutate it). */
export function rawFixture(
  name: 'pendulum_u6' | 'pendulum_u075',
): NeuralModelJson & { test_vectors: TestVector[] } {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8'));
}

export function fixture(name: 'pendulum_u6' | 'pendulum_u075'): LyapunovModel {
  return parseModel(rawFixture(name), name);
}

/**
 * A verification box (state, then uncertainty) of relative width 10^logWidth in every dimension,
 * placed at `centre` (fractions of the room left) inside B × the uncertainty intervals.
 */
export function boxIn(
  model: LyapunovModel,
  centre: readonly number[],
  logWidth: number,
): { lo: Float64Array; hi: Float64Array } {
  const n = model.stateDim;
  const dims = n + model.uncertainty.length;
  const lo = new Float64Array(dims);
  const hi = new Float64Array(dims);
  for (let i = 0; i < dims; i++) {
    const [l, u] =
      i < n
        ? [model.spec.boxLo[i]!, model.spec.boxUp[i]!]
        : [model.uncertainty[i - n]!.lo, model.uncertainty[i - n]!.up];
    const w = (u - l) * 10 ** logWidth;
    const c = l + w / 2 + centre[i]! * (u - l - w);
    lo[i] = c - w / 2;
    hi[i] = c + w / 2;
  }
  return { lo, hi };
}
