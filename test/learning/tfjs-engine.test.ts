import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { cpuEngine } from '../../src/learning/cpu-engine.ts';
import { createTfjsEngine } from '../../src/learning/tfjs-engine.ts';
import { trainTinyH2o } from '../support/tiny-h2o.ts';

describe('tfjs-wasm engine', () => {
  const cases = [
    ['explicit', undefined],
    ['flags', undefined],
    ['explicit', 0.01],
  ] as const;
  for (const [transposes, negativeSlope] of cases) {
    const name = `${transposes} transposes${negativeSlope === undefined ? '' : ', leaky relu'}`;
    it(`matches the TypeScript engine's forward and backward (${name})`, async () => {
      const engine = await createTfjsEngine({ transposes });
      expect(engine.name).toMatch(/^tfjs-wasm/);
      const spec = {
        inputSize: 5,
        hidden: [16, 12],
        outputSize: 3,
        activation: 'relu' as const,
        ...(negativeSlope === undefined ? {} : { negativeSlope }),
      };
      const a = cpuEngine.createMlp(spec, new Rng(9));
      const b = engine.createMlp(spec, new Rng(9));
      expect(Array.from(b.params)).toEqual(Array.from(a.params));
      const rows = 7;
      const rng = new Rng(1);
      const x = Float64Array.from({ length: rows * 5 }, () => rng.normal());
      const g = Float64Array.from({ length: rows * 3 }, () => rng.normal());
      const pa = a.createPass(rows);
      const pb = b.createPass(rows);
      const ya = a.forward(pa, x, rows);
      const yb = b.forward(pb, x, rows);
      for (let i = 0; i < rows * 3; i++) expect(yb[i]!).toBeCloseTo(ya[i]!, 4);
      const dxa = new Float64Array(rows * 5);
      const dxb = new Float64Array(rows * 5);
      a.backward(pa, g, dxa, true);
      b.backward(pb, g, dxb, true);
      for (let i = 0; i < a.grads.length; i++) expect(b.grads[i]!).toBeCloseTo(a.grads[i]!, 4);
      for (let i = 0; i < dxa.length; i++) expect(dxb[i]!).toBeCloseTo(dxa[i]!, 4);
    });
  }
});

describe('training on the tfjs engine', () => {
  it('is reproducible for a seed (two H2O runs on the river give the same curve)', async () => {
    const engine = await createTfjsEngine();
    const a = await trainTinyH2o(engine, 60, 30);
    const b = await trainTinyH2o(engine, 60, 30);
    expect(b.curve).toEqual(a.curve);
    expect(Array.from(b.actor)).toEqual(Array.from(a.actor));
  });
});
