import { describe, expect, it } from 'vitest';
import { generateRiverLog } from '../../sim/river/log.ts';
import { riverPair } from '../../sim/river/pair.ts';
import { riverDefaults } from '../../sim/river/river.ts';
import { Rng } from '../../src/core/rng.ts';
import { cpuEngine } from '../../src/learning/cpu-engine.ts';
import { h2oDefaults } from '../../src/learning/h2o.ts';
import { createTfjsEngine } from '../../src/learning/tfjs-engine.ts';
import { Trainer } from '../../src/learning/trainer.ts';

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
    const river = { ...riverDefaults, current: 1.2 };
    const log = generateRiverLog(river, { episodes: 20, headingNoise: 0.7, randomFraction: 0.2, seed: 3 });
    const engine = await createTfjsEngine();
    const run = async () => {
      const t = await Trainer.create(
        {
          algorithm: 'h2o',
          seed: 2,
          updates: 60,
          chunk: 30,
          startSteps: 100,
          numEnvs: 2,
          evalEvery: 30,
          evalEpisodes: 2,
          engine,
          hyperparameters: {
            ...h2oDefaults,
            hidden: [16, 16],
            discriminatorHidden: [16, 16],
            realBatch: 32,
            simBatch: 32,
            discriminatorBatch: 32,
            uSamples: 4,
          },
        },
        riverPair(river),
        log,
      );
      while (!t.done) t.runChunk();
      return {
        curve: t.history.map((h) => h.realReturn),
        actor: Array.from(t.learner.stateArrays()['actor']!),
      };
    };
    const a = await run();
    const b = await run();
    expect(b.curve).toEqual(a.curve);
    expect(b.actor).toEqual(a.actor);
  });
});
