import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { riverReferences } from '../../sim/river/dp.ts';
import { generateRiverLog } from '../../sim/river/log.ts';
import { riverPair } from '../../sim/river/pair.ts';
import { inGapRegion, riverDefaults } from '../../sim/river/river.ts';
import { Rng } from '../../src/core/rng.ts';
import { exportPolicy } from '../../src/inference/export.ts';
import { loadPolicy } from '../../src/inference/load.ts';
import { cpuEngine } from '../../src/learning/cpu-engine.ts';
import { datasetToBuffer } from '../../src/learning/dataset.ts';
import { trainedPolicyExport } from '../../src/learning/deployment.ts';
import { H2oAgent, h2oDefaults, naiveMixDefaults } from '../../src/learning/h2o.ts';
import { sacDefaults } from '../../src/learning/sac.ts';
import { td3bcDefaults } from '../../src/learning/td3bc.ts';
import { Trainer, type TrainerOptions } from '../../src/learning/trainer.ts';

const river = { ...riverDefaults, current: 1.2 };
const log = generateRiverLog(river, { episodes: 40, headingNoise: 0.7, randomFraction: 0.2, seed: 3 });
const small = [16, 16] as const;

const schedule = { seed: 1, chunk: 50, startSteps: 200, numEnvs: 2, evalEvery: 50, evalEpisodes: 2 };
const hybrid = {
  hidden: small,
  discriminatorHidden: small,
  realBatch: 32,
  simBatch: 32,
  discriminatorBatch: 32,
  uSamples: 4,
  rewardScale: 5,
};

function options(algorithm: 'h2o' | 'naive-mix' | 'td3bc', updates: number): TrainerOptions {
  if (algorithm === 'td3bc') {
    const hyperparameters = { ...td3bcDefaults, hidden: small, batchSize: 64, rewardScale: 5 };
    return { ...schedule, updates, algorithm, hyperparameters };
  }
  const defaults = algorithm === 'h2o' ? h2oDefaults : naiveMixDefaults;
  return { ...schedule, updates, algorithm, hyperparameters: { ...defaults, ...hybrid } };
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
    const card = await exportPolicy(dir, trainedPolicyExport(t, { test: true }));
    // The river's learner commands m/s directly: the contract maps its [-1, 1] 1:1.
    expect(card.contract.content.actions).toMatchObject({ unit: 'm/s', scale: 1, offset: 0, clip: [-1, 1] });
    const policy = await loadPolicy(path.join(dir, card.onnx.file));
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

  it("SAC's own update gives bit-identically what H2O's gave with no real rows (benchmarks carry over)", async () => {
    // Before `algorithm: sac` ran sac.ts `sacUpdate`, it ran H2O's update with the gap terms off.
    const sac = {
      ...sacDefaults,
      hidden: small,
      batchSize: 32,
      backupEntropy: false,
      criticOutputGain: 0.01,
    };
    const viaH2o = { ...naiveMixDefaults, hidden: small, realBatch: 0, simBatch: 32 };
    const pair = riverPair(river);
    const own = await Trainer.create(
      { ...options('h2o', 100), algorithm: 'sac', hyperparameters: sac },
      pair,
      null,
    );
    const old = await Trainer.create(
      { ...options('h2o', 100), algorithm: 'naive-mix', hyperparameters: viaH2o },
      pair,
      log,
    );
    for (const t of [own, old]) while (!t.done) t.runChunk();
    expect(own.history).not.toHaveLength(0);
    expect(own.history.map((h) => h.realReturn)).toEqual(old.history.map((h) => h.realReturn));
    for (const [name, array] of Object.entries(own.learner.stateArrays())) {
      expect(Array.from(array), name).toEqual(Array.from(old.learner.stateArrays()[name]!));
    }
  });

  it('SAC in the simulator learns to beat a random policy on the river', async () => {
    const t = await Trainer.create(
      {
        ...schedule,
        updates: 1500,
        evalEvery: 1500,
        algorithm: 'sac',
        hyperparameters: {
          ...sacDefaults,
          hidden: small,
          rewardScale: 5,
          backupEntropy: false,
          criticOutputGain: 0.01,
        },
      },
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
        hidden: [8, 8],
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
