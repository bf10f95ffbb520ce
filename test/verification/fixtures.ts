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
