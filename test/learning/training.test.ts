import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { riverReferences } from '../../sim/river/dp.ts';
import { generateRiverLog } from '../../sim/river/log.ts';
import { riverPair } from '../../sim/river/pair.ts';
import { inGapRegion, riverDefaults } from '../../sim/river/river.ts';
import { Rng } from '../../src/core/rng.ts';
import { loadPolicy } from '../../src/inference/load.ts';
import { cpuEngine } from '../../src/learning/cpu-engine.ts';
import { datasetToBuffer } from '../../src/learning/dataset.ts';
import { exportPolicy } from '../../src/learning/export.ts';
import { H2oAgent, h2oDefaults, sacSimDefaults } from '../../src/learning/h2o.ts';
import { td3bcDefaults } from '../../src/learning/td3bc.ts';
import { Trainer, type TrainerOptions } from '../../src/learning/trainer.ts';

const river = { ...riverDefaults, current: 1.2 };
const log = generateRiverLog(river, { episodes: 40, headingNoise: 0.7, randomFraction: 0.2, seed: 3 });
const small = [16, 16] as const;

function options(algorithm: TrainerOptions['algorithm'], updates: number): TrainerOptions {
  return {
    algorithm,
    seed: 1,
    updates,
    chunk: 50,
    startSteps: 200,
    numEnvs: 2,
    evalEvery: 50,
    evalEpisodes: 2,
    h2o: {
      ...h2oDefaults,
      sac: { ...h2oDefaults.sac, hidden: small },
      discriminatorHidden: small,
      realBatch: 32,
      simBatch: 32,
      discriminatorBatch: 32,
      uSamples: 4,
      rewardScale: 5,
    },
    td3bc: { ...td3bcDefaults, hidden: small, batchSize: 64, rewardScale: 5 },
  };
}

describe('river crossing references', () => {
  it('recomputes the specification’s DP references at C0 = 1.2', () => {
    const refs = riverReferences(river, 100);
    expect(refs.optimal).toBeGreaterThan(-8);
    expect(refs.optimal).toBeLessThan(-6.8);
    expect(refs.simOptimalOnReal).toBeGreaterThan(-40);
    expect(refs.simOptimalOnReal).toBeLessThan(-36);
    expect(refs.random).toBeGreaterThan(-71);
    expect(refs.random).toBeLessThan(-68);
  }, 180_000);
});

describe('trainer', () => {
  it('is deterministic for a seed (H2O, same returns and parameters twice)', async () => {
    const run = async () => {
      const t = await Trainer.create(options('h2o', 100), riverPair(river), log);
      while (!t.done) t.runChunk();
      return {
        history: t.history.map((h) => h.realReturn),
        actor: Array.from(t.learner.stateArrays()['actor']!),
      };
    };
    const a = await run();
    const b = await run();
    expect(b.history).toEqual(a.history);
    expect(b.actor).toEqual(a.actor);
  });

  it('resumes offline training from a checkpoint bit-identically (TD3+BC)', async () => {
    const straight = await Trainer.create(options('td3bc', 200), riverPair(river), log);
    while (!straight.done) straight.runChunk();

    const dir = mkdtempSync(path.join(tmpdir(), 'tether-ckpt-'));
    const file = path.join(dir, 'checkpoint.json');
    const first = await Trainer.create(options('td3bc', 200), riverPair(river), log);
    first.runChunk();
    first.runChunk();
    await first.saveCheckpoint(file);
    const resumed = await Trainer.create(options('td3bc', 200), riverPair(river), log);
    await resumed.loadCheckpoint(file);
    expect(resumed.updatesDone).toBe(100);
    while (!resumed.done) resumed.runChunk();
    expect(Array.from(resumed.learner.stateArrays()['actor']!)).toEqual(
      Array.from(straight.learner.stateArrays()['actor']!),
    );
    expect(resumed.history.map((h) => h.realReturn)).toEqual(straight.history.map((h) => h.realReturn));
  });

  it('restores every H2O array from a checkpoint and refuses one from another algorithm', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tether-ckpt-'));
    const file = path.join(dir, 'checkpoint.json');
    const a = await Trainer.create(options('h2o', 100), riverPair(river), log);
    a.runChunk();
    await a.saveCheckpoint(file);
    const b = await Trainer.create(options('h2o', 100), riverPair(river), log);
    await b.loadCheckpoint(file);
    for (const [name, array] of Object.entries(a.learner.stateArrays())) {
      expect(Array.from(b.learner.stateArrays()[name]!), name).toEqual(Array.from(array));
    }
    const other = await Trainer.create(options('naive-mix', 100), riverPair(river), log);
    await expect(other.loadCheckpoint(file)).rejects.toThrow(/is for h2o seed 1, not naive-mix seed 1/);
  });

  it('exports an ONNX actor that ONNX Runtime runs to the same deterministic action', async () => {
    const t = await Trainer.create(options('h2o', 50), riverPair(river), log);
    t.runChunk();
    const dir = mkdtempSync(path.join(tmpdir(), 'tether-export-'));
    const { onnx } = await exportPolicy(t, dir);
    const policy = await loadPolicy(onnx);
    try {
      const obs = Float64Array.of(0.3, -0.2);
      const expected = new Float64Array(2);
      t.learner.act(obs, 1, expected, null);
      const out = new Float32Array(2);
      await policy.act(Float32Array.from(obs), out);
      expect(out[0]).toBeCloseTo(expected[0]!, 5);
      expect(out[1]).toBeCloseTo(expected[1]!, 5);
    } finally {
      await policy.dispose();
    }
  });

  it('SAC in the simulator learns to beat a random policy on the river', async () => {
    const o = options('sac', 1500);
    const t = await Trainer.create(
      { ...o, h2o: { ...o.h2o, ...sacSimDefaults, sac: o.h2o.sac, rewardScale: 5 }, evalEvery: 1500 },
      riverPair({ ...river, current: 0 }),
      null,
    );
    while (!t.done) t.runChunk();
    // Random scores about −69; heading to the goal in the current-free river scores about −7.
    expect(t.history.at(-1)!.realReturn).toBeGreaterThan(-40);
  });
});

describe('H2O discriminators', () => {
  it('learn lower importance weights inside the current than outside', () => {
    // Same behaviour policy on both sides, so the only difference is the dynamics.
    const real = datasetToBuffer(
      generateRiverLog(river, { episodes: 60, headingNoise: 0.7, randomFraction: 0.2, seed: 5 }),
    );
    const simLog = generateRiverLog(
      { ...river, current: 0 },
      { episodes: 60, headingNoise: 0.7, randomFraction: 0.2, seed: 6 },
    );
    const sim = datasetToBuffer(simLog);
    const agent = new H2oAgent(
      cpuEngine,
      2,
      2,
      {
        ...h2oDefaults,
        sac: { ...h2oDefaults.sac, hidden: [8, 8] },
        discriminatorHidden: [32, 32],
        discriminatorNoise: 0.02,
        discriminatorBatch: 128,
        discriminatorLr: 1e-3,
        realBatch: 16,
        simBatch: 16,
      },
      real,
      sim,
      new Rng(2),
    );
    const rng = new Rng(4);
    const step = (agent as unknown as { discriminatorStep(r: Rng): number }).discriminatorStep.bind(agent);
    for (let i = 0; i < 1500; i++) step(rng);
    const w = new Float64Array(16);
    let inside = 0;
    let nInside = 0;
    let outside = 0;
    let nOutside = 0;
    for (let start = 0; start + 16 <= sim.size; start += 16) {
      agent.importanceWeights(
        sim.obs.subarray(start * 2),
        sim.act.subarray(start * 2),
        sim.nextObs.subarray(start * 2),
        16,
        w,
      );
      for (let j = 0; j < 16; j++) {
        if (inGapRegion(sim.obs[(start + j) * 2]!, sim.obs[(start + j) * 2 + 1]!, river)) {
          inside += w[j]!;
          nInside += 1;
        } else {
          outside += w[j]!;
          nOutside += 1;
        }
      }
    }
    expect(nInside).toBeGreaterThan(20);
    expect(inside / nInside).toBeLessThan(0.85 * (outside / nOutside));
  });
});
