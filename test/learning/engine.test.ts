import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { Adam } from '../../src/learning/adam.ts';
import { cpuEngine } from '../../src/learning/cpu-engine.ts';
import type { Mlp, MlpSpec } from '../../src/learning/engine.ts';
import { TanhGaussianHead } from '../../src/learning/tanh-gaussian.ts';

/** L = Σ c ⊙ f(x): a loss with a known output gradient c, to compare backprop with finite differences. */
function loss(net: Mlp, x: Float64Array, rows: number, c: Float64Array): number {
  const out = net.forward(net.createPass(rows), x, rows);
  let sum = 0;
  for (let i = 0; i < rows * net.spec.outputSize; i++) sum += c[i]! * out[i]!;
  return sum;
}

describe('ts-cpu engine', () => {
  const hidden: [string, Pick<MlpSpec, 'activation' | 'negativeSlope'>][] = [
    ['relu', { activation: 'relu' }],
    ['tanh', { activation: 'tanh' }],
    ['leaky relu', { activation: 'relu', negativeSlope: 0.01 }],
  ];
  for (const [name, activation] of hidden) {
    it(`back-propagates exact gradients (${name}, odd sizes)`, () => {
      const rng = new Rng(3);
      const net = cpuEngine.createMlp({ inputSize: 5, hidden: [7, 6], outputSize: 3, ...activation }, rng);
      const rows = 5;
      const x = Float64Array.from({ length: rows * 5 }, () => rng.normal());
      const c = Float64Array.from({ length: rows * 3 }, () => rng.normal());
      const pass = net.createPass(rows);
      net.forward(pass, x, rows);
      const gradInput = new Float64Array(rows * 5);
      net.zeroGrad();
      net.backward(pass, c, gradInput, true);
      const h = 1e-6;
      for (let i = 0; i < net.params.length; i += 7) {
        const keep = net.params[i]!;
        net.params[i] = keep + h;
        const up = loss(net, x, rows, c);
        net.params[i] = keep - h;
        const down = loss(net, x, rows, c);
        net.params[i] = keep;
        expect(net.grads[i]!).toBeCloseTo((up - down) / (2 * h), 5);
      }
      for (let i = 0; i < x.length; i++) {
        const keep = x[i]!;
        x[i] = keep + h;
        const up = loss(net, x, rows, c);
        x[i] = keep - h;
        const down = loss(net, x, rows, c);
        x[i] = keep;
        expect(gradInput[i]!).toBeCloseTo((up - down) / (2 * h), 5);
      }
    });
  }

  it('leaves parameter gradients alone when only the input gradient is asked for', () => {
    const rng = new Rng(4);
    const net = cpuEngine.createMlp({ inputSize: 3, hidden: [4], outputSize: 1, activation: 'relu' }, rng);
    const pass = net.createPass(2);
    net.forward(pass, Float64Array.of(1, 2, 3, -1, 0, 1), 2);
    net.zeroGrad();
    net.backward(pass, Float64Array.of(1, 1), new Float64Array(6), false);
    expect(net.grads.every((g) => g === 0)).toBe(true);
  });

  it('initialises the last layer with the requested small Xavier gain and zero bias', () => {
    const net = cpuEngine.createMlp(
      { inputSize: 4, hidden: [256], outputSize: 1, activation: 'relu', outputGain: 0.01 },
      new Rng(1),
    );
    const last = net.params.subarray(4 * 256 + 256);
    const bound = 0.01 * Math.sqrt(6 / 257);
    for (let i = 0; i < 256; i++) expect(Math.abs(last[i]!)).toBeLessThanOrEqual(bound);
    expect(last[256]).toBe(0);
  });

  it('rejects non-integer layer sizes with the sizes it got', () => {
    expect(() =>
      cpuEngine.createMlp({ inputSize: 2, hidden: [0], outputSize: 1, activation: 'relu' }, new Rng(1)),
    ).toThrow(/positive integers, got \[2,0,1\]/);
  });

  it('Adam moves a quadratic to its minimum', () => {
    const p = Float64Array.of(3, -2);
    const g = new Float64Array(2);
    const adam = new Adam(p, g, { lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    for (let i = 0; i < 2000; i++) {
      g[0] = 2 * (p[0]! - 1);
      g[1] = 2 * (p[1]! + 0.5);
      adam.step();
    }
    expect(p[0]).toBeCloseTo(1, 3);
    expect(p[1]).toBeCloseTo(-0.5, 3);
  });
});

describe('tanh-Gaussian head', () => {
  it('matches finite differences of a·c + k·log π with respect to the net output and m, o', () => {
    const A = 2;
    const rows = 3;
    const rng = new Rng(11);
    const out = Float64Array.from({ length: rows * 2 * A }, () => 0.5 * rng.normal());
    const scale = Float64Array.of(0.8, -0.7);
    const c = Float64Array.from({ length: rows * A }, () => rng.normal());
    const k = Float64Array.from({ length: rows }, () => rng.normal());
    const head = new TanhGaussianHead(A, rows);
    const objective = (): number => {
      head.sample(out, rows, scale, new Rng(5));
      let s = 0;
      for (let i = 0; i < rows * A; i++) s += c[i]! * head.action[i]!;
      for (let r = 0; r < rows; r++) s += k[r]! * head.logProb[r]!;
      return s;
    };
    objective();
    const gradOut = new Float64Array(rows * 2 * A);
    const gradScale = new Float64Array(2);
    head.backward(c, k, rows, gradOut, gradScale);
    const h = 1e-6;
    const check = (arr: Float64Array, i: number, analytic: number) => {
      const keep = arr[i]!;
      arr[i] = keep + h;
      const up = objective();
      arr[i] = keep - h;
      const down = objective();
      arr[i] = keep;
      expect(analytic).toBeCloseTo((up - down) / (2 * h), 4);
    };
    for (let i = 0; i < out.length; i++) check(out, i, gradOut[i]!);
    check(scale, 0, gradScale[0]!);
    check(scale, 1, gradScale[1]!);
  });
});
