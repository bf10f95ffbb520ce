import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CartpoleClfTrainer,
  defaultCartpoleClfConfig,
  realLeftEigenbasis,
} from '../../research/lyapunov/cartpole-clf.ts';
import { Rng } from '../../src/core/rng.ts';
import { certify } from '../../src/verification/certificate.ts';
import { ForwardModel } from '../../src/verification/forward.ts';
import { type ModelJson, parseModel } from '../../src/verification/model.ts';
import { tether } from '../support/cli.ts';

const models = join(import.meta.dirname, '..', '..', 'controllers', 'hybrid', 'models', 'cartpole');
const base = JSON.parse(readFileSync(join(models, 'cartpole_lqr.json'), 'utf8')) as ModelJson;
/** A tiny configuration: a few hundred iterations, small batches. */
const tiny = { ...defaultCartpoleClfConfig, iterations: 400, batch: 64, checkpointSamples: 4000 };

describe('cart-pole neural Lyapunov training (fixed LQR controller)', () => {
  it('finds a real basis that block-diagonalises a matrix with a complex pair', () => {
    // Eigenvalues 0.9 and 0.8 ± 0.1i, in a non-orthogonal basis.
    const t = [
      [1, 0.5, 0.2],
      [0, 1, 0.3],
      [0.4, 0, 1],
    ];
    const d = [
      [0.9, 0, 0],
      [0, 0.8, 0.1],
      [0, -0.1, 0.8],
    ];
    const a = multiply(multiply(t, d), invert3(t));
    const w = realLeftEigenbasis(a);
    const block = multiply(multiply(w, a), invert3(w));
    // One coordinate carries the real eigenvalue alone; the other two carry the pair.
    const r = [0, 1, 2].find((k) => Math.abs(block[k]![k]! - 0.9) < 1e-9)!;
    expect(r).toBeDefined();
    for (let k = 0; k < 3; k++)
      if (k !== r) {
        expect(Math.abs(block[r]![k]!)).toBeLessThan(1e-9);
        expect(Math.abs(block[k]![r]!)).toBeLessThan(1e-9);
      }
    const [p, q] = [0, 1, 2].filter((k) => k !== r) as [number, number];
    expect(block[p]![p]! + block[q]![q]!).toBeCloseTo(1.6, 9);
    expect(block[p]![p]! * block[q]![q]! - block[p]![q]! * block[q]![p]!).toBeCloseTo(0.65, 9);
  });

  it('starts from a V that decreases along the closed loop near x*, outside the hole', () => {
    const trainer = new CartpoleClfTrainer(base, { ...tiny, seed: 3 });
    const model = parseModel(trainer.toModel('init', 1));
    const f = new ForwardModel(model);
    const rng = new Rng(5);
    const next = new Float64Array(4);
    let worst = Number.NEGATIVE_INFINITY;
    for (let s = 0; s < 2000; s++) {
      const x = model.spec.boxUp.map((b) => 0.01 * b * rng.range(-1, 1));
      f.stepClosedLoop(x, next);
      worst = Math.max(worst, (f.value(next) - f.value(x)) / f.value(x));
    }
    // The slowest closed-loop mode shrinks by about 2 % per step.
    expect(worst).toBeLessThan(-0.005);
  });

  it('reduces the decrease violations on a fixed batch', () => {
    const trainer = new CartpoleClfTrainer(base, { ...tiny, seed: 1 });
    const rng = new Rng(9);
    const batch = 128;
    // States up to 40 % of B, where the polyhedral start does not decrease everywhere.
    const states = Float64Array.from(
      { length: batch * 4 },
      (_, k) => 0.4 * base.spec.box_up[k % 4]! * rng.range(-1, 1),
    );
    const first = trainer.step(states, batch);
    let last = first;
    for (let i = 0; i < 300; i++) last = trainer.step(states, batch);
    expect(first.violations).toBeGreaterThan(0);
    expect(last.loss).toBeLessThan(first.loss);
  });

  it('exports a model the verifier reads, and the verifier refutes a level that takes in B', async () => {
    const trainer = new CartpoleClfTrainer(base, { ...tiny, seed: 2 });
    trainer.train();
    const json = trainer.toModel('tiny', 1);
    const model = parseModel(json);
    // Controller, plant, box, κ and assumptions are the LQR model's, untouched.
    expect(json.controller).toEqual(base.controller);
    expect(json.dynamics).toEqual(base.dynamics);
    expect(json.assumptions).toEqual(base.assumptions);
    expect(json.spec.kappa).toBe(base.spec.kappa);
    expect(model.lyapunov.kind).toBe('neural');
    // A level above V at every corner of B: most of B is in it, and much of B falls or leaves B.
    const f = new ForwardModel(model);
    let corners = 0;
    for (let k = 0; k < 16; k++)
      corners = Math.max(corners, f.value(model.spec.boxUp.map((b, i) => ((k >> i) & 1 ? b : -b))));
    const rho = 1.01 * corners;
    const { certificate } = await certify(model, { rho, workers: 0, timeLimitSeconds: 30 });
    expect(certificate.result).toBe('counterexample');
    // The counterexample holds in float64 too: in the level set, and breaking the condition.
    const x = certificate.counterexample!.x;
    expect(f.value(x)).toBeLessThanOrEqual(rho);
    expect(Math.max(f.decrease(x), f.boxExcess(x))).toBeGreaterThanOrEqual(0);
  });

  it('tether verify reads the trained model and exits 2 with the counterexample', async () => {
    const trainer = new CartpoleClfTrainer(base, { ...tiny, seed: 2 });
    trainer.train();
    const dir = mkdtempSync(join(tmpdir(), 'tether-clf-'));
    const file = join(dir, 'cartpole_neural.json');
    writeFileSync(file, JSON.stringify(trainer.toModel('cartpole_neural_tiny', 1)));
    const model = parseModel(trainer.toModel('cartpole_neural_tiny', 1));
    const f = new ForwardModel(model);
    let corners = 0;
    for (let k = 0; k < 16; k++)
      corners = Math.max(corners, f.value(model.spec.boxUp.map((b, i) => ((k >> i) & 1 ? b : -b))));
    const run = await tether([
      'verify',
      file,
      '--rho',
      String(1.01 * corners),
      '--workers',
      '1',
      '--timeout',
      '30',
    ]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('cartpole_neural_tiny: COUNTEREXAMPLE');
    expect(run.stdout).not.toMatch(/VERIFIED/);
  });
});

function multiply(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}

function invert3(m: readonly (readonly number[])[]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m as number[][] as [number[], number[], number[]];
  const det = a! * (e! * i! - f! * h!) - b! * (d! * i! - f! * g!) + c! * (d! * h! - e! * g!);
  return [
    [(e! * i! - f! * h!) / det, (c! * h! - b! * i!) / det, (b! * f! - c! * e!) / det],
    [(f! * g! - d! * i!) / det, (a! * i! - c! * g!) / det, (c! * d! - a! * f!) / det],
    [(d! * h! - e! * g!) / det, (b! * g! - a! * h!) / det, (a! * e! - b! * d!) / det],
  ];
}
