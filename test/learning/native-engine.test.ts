import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { cpuEngine } from '../../src/learning/cpu-engine.ts';
import { Activation, DenseMlp } from '../../src/learning/dense-mlp.ts';
import type { Mlp, MlpSpec } from '../../src/learning/engine.ts';
import { createNativeEngine, NativeEngineUnavailable } from '../../src/learning/native-engine.ts';
import { trainTinyH2o } from '../support/tiny-h2o.ts';

/**
 * The native engine (C, float32 SIMD, compiled here) against the float64 TypeScript oracle: same
 * initialisation, and forward and backward within float32 rounding, on shapes that exercise every
 * tile edge (rows not a multiple of the 8-row panel, widths not a multiple of the SIMD panel).
 */

const engine = createNativeEngine();

/** |native − oracle| within float32 rounding of a sum of `terms` products. */
function expectClose(actual: Float64Array, expected: Float64Array, terms: number): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  const tolerance = 4e-7 * Math.sqrt(terms) * Math.max(scale, 1);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThanOrEqual(tolerance);
}

function compare(spec: MlpSpec, rows: number, seed: number): void {
  const oracle = cpuEngine.createMlp(spec, new Rng(seed));
  const native = engine.createMlp(spec, new Rng(seed));
  expect(Array.from(native.params)).toEqual(Array.from(oracle.params));
  const rng = new Rng(seed + 1);
  const x = Float64Array.from({ length: rows * spec.inputSize }, () => rng.normal());
  const g = Float64Array.from({ length: rows * spec.outputSize }, () => rng.normal());
  const run = (net: Mlp) => {
    const pass = net.createPass(rows);
    const y = Float64Array.from(net.forward(pass, x, rows));
    const dx = new Float64Array(rows * spec.inputSize);
    net.zeroGrad();
    net.backward(pass, g, dx, true);
    // A second backward accumulates: the gradients double.
    net.backward(pass, g, null, true);
    return { y, dx, grads: Float64Array.from(net.grads) };
  };
  const a = run(oracle);
  const b = run(native);
  const widest = Math.max(spec.inputSize, ...spec.hidden, rows);
  expectClose(b.y, a.y, widest);
  expectClose(b.dx, a.dx, widest);
  expectClose(b.grads, a.grads, widest);
}

describe('native training engine', () => {
  it('names the SIMD width it was compiled for', () => {
    expect(engine.name).toMatch(/^native-f32-simd(256|512)-1thread$/);
  });

  const cases: [string, MlpSpec, number][] = [
    ['relu, ragged tiles', { inputSize: 5, hidden: [19, 33], outputSize: 3, activation: 'relu' }, 7],
    ['tanh, one row', { inputSize: 17, hidden: [40], outputSize: 1, activation: 'tanh' }, 1],
    [
      'leaky relu, 9 rows',
      { inputSize: 3, hidden: [16, 12], outputSize: 2, activation: 'relu', negativeSlope: 0.01 },
      9,
    ],
    [
      'the SAC critic shape at batch 256',
      { inputSize: 23, hidden: [256, 256], outputSize: 1, activation: 'relu' },
      256,
    ],
  ];
  for (const [name, spec, rows] of cases) {
    it(`matches the float64 TypeScript engine's forward and backward (${name})`, () =>
      compare(spec, rows, 4));
  }

  it('shares a product between two threads with the same result as one', () => {
    const spec: MlpSpec = { inputSize: 23, hidden: [256, 256], outputSize: 1, activation: 'relu' };
    const results = [1, 2].map((threads) => {
      const net = createNativeEngine({ threads }).createMlp(spec, new Rng(6));
      const rng = new Rng(7);
      const x = Float64Array.from({ length: 77 * 23 }, () => rng.normal());
      const pass = net.createPass(77);
      const y = Float64Array.from(net.forward(pass, x, 77));
      const dx = new Float64Array(77 * 23);
      net.backward(
        pass,
        Float64Array.from({ length: 77 }, () => rng.normal()),
        dx,
        true,
      );
      return [...y, ...dx, ...net.grads];
    });
    // Each output is summed by one thread in the same order, so the threads change nothing.
    expect(results[1]).toEqual(results[0]);
  });

  it('lets a NaN through every layer instead of zeroing it in a ReLU (the oracle does the same)', () => {
    const spec: MlpSpec = { inputSize: 3, hidden: [9], outputSize: 2, activation: 'relu' };
    for (const net of [cpuEngine.createMlp(spec, new Rng(5)), engine.createMlp(spec, new Rng(5))]) {
      const pass = net.createPass(2);
      const y = net.forward(pass, Float64Array.of(0.1, Number.NaN, 0.3, 0.2, 0.1, 0.4), 2);
      expect(Number.isNaN(y[0]!) && Number.isNaN(y[1]!)).toBe(true);
      expect(Number.isFinite(y[2]!) && Number.isFinite(y[3]!)).toBe(true);
    }
  });

  it('refuses arrays shorter than the shapes say, instead of reading past them', () => {
    // The kernels' own checks, reached directly: the C code must throw, not touch foreign memory.
    const net = engine.createMlp(
      { inputSize: 4, hidden: [8], outputSize: 2, activation: 'relu' },
      new Rng(1),
    );
    const pass = net.createPass(4);
    expect(() => net.forward(pass, new Float64Array(3 * 4), 4)).toThrow(/x is shorter than rows×inSize/);
    if (!(net instanceof DenseMlp)) throw new Error('the native engine builds DenseMlp networks');
    const kernels = net.kernels;
    const w = new Float64Array(8 * 4);
    const relu = Activation.relu;
    const dx = new Float64Array(8);
    expect(() =>
      kernels.backwardInput(new Float64Array(16), 2, 8, w, 4, new Float64Array(7), dx, relu, 0),
    ).toThrow(/dx is shorter/);
    // The activation's output is read for its derivative, so it must be as long as dx.
    expect(() =>
      kernels.backwardInput(new Float64Array(16), 2, 8, w, 4, dx, new Float64Array(5), relu, 0),
    ).toThrow(/activated is shorter/);
    expect(() =>
      kernels.backwardInput(new Float64Array(16), 2, 8, w, 4, dx, dx, 7 as typeof relu, 0),
    ).toThrow(/activation must be/);
    expect(() =>
      kernels.forward(
        new Float32Array(8) as unknown as Float64Array,
        2,
        4,
        w,
        new Float64Array(8),
        8,
        new Float64Array(16),
        relu,
        0,
      ),
    ).toThrow(/x must be a Float64Array/);
  });

  it('refuses a cache folder that others may write, where a planted module would be loaded', () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'tether-native-'));
    chmodSync(cacheDir, 0o777);
    // Another name for the compiler: a build not already loaded in this process, so the folder is read.
    expect(() => createNativeEngine({ cacheDir, compiler: '/usr/bin/cc' })).toThrow(
      /is not this user's alone \(owner uid \d+, mode 777\)/,
    );
  });

  it('says why when it cannot be compiled, and what to install', () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'tether-native-'));
    expect(() => createNativeEngine({ compiler: '/nonexistent/cc', cacheDir })).toThrow(
      NativeEngineUnavailable,
    );
    expect(() => createNativeEngine({ compiler: '/nonexistent/cc', cacheDir })).toThrow(
      /could not be compiled with '\/nonexistent\/cc'.*install a C compiler/,
    );
  });

  it('trains reproducibly for a seed, and close to the oracle for the first updates (H2O on the river)', async () => {
    const a = await trainTinyH2o(engine, 60);
    const b = await trainTinyH2o(engine, 60);
    expect(b.curve).toEqual(a.curve);
    expect(Array.from(b.actor)).toEqual(Array.from(a.actor));
    // Two updates: float32 rounding has not yet been amplified by the data the policy collects.
    const oracle = await trainTinyH2o(cpuEngine, 2);
    const native = await trainTinyH2o(engine, 2);
    let worst = 0;
    for (let i = 0; i < oracle.actor.length; i++)
      worst = Math.max(worst, Math.abs(native.actor[i]! - oracle.actor[i]!));
    expect(worst).toBeLessThan(1e-4);
  });
});
