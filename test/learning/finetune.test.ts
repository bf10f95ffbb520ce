import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mujocoGapPair } from '../../sim/gaps/pair.ts';
import { riverPair } from '../../sim/river/pair.ts';
import { riverDefaults } from '../../sim/river/river.ts';
import { Rng } from '../../src/core/rng.ts';
import { createKernelPolicy } from '../../src/inference/backends/kernel.ts';
import { compileChain } from '../../src/inference/chain.ts';
import { type MlpPolicy, randomMlp } from '../../src/inference/mlp.ts';
import { mlpToOnnx } from '../../src/inference/onnx/build.ts';
import { decodeModel } from '../../src/inference/onnx/model.ts';
import { actorFromOnnx } from '../../src/learning/init.ts';
import { algorithms } from '../../src/learning/learner.ts';
import { Trainer, type TrainerOptions } from '../../src/learning/trainer.ts';
import type { Transitions } from '../../src/learning/transitions.ts';

/** A deployed-style actor: [normaliser] → 2×8 ReLU → tanh, optionally scaled inside the graph. */
function actor(
  options: { normalizer?: boolean; scale?: number; hidden?: 'relu' | 'tanh'; sizes?: number[] } = {},
): MlpPolicy {
  const base = randomMlp(options.sizes ?? [2, 8, 8, 2], options.hidden ?? 'relu', 7);
  const layers = base.layers.map((l, i) =>
    i === base.layers.length - 1 ? { ...l, activation: 'tanh' as const } : l,
  );
  return {
    layers,
    ...(options.normalizer
      ? { normalizer: { mean: Float32Array.of(0.3, -0.2), std: Float32Array.of(0.5, 2) } }
      : {}),
    ...(options.scale
      ? {
          actionScale: {
            scale: Float32Array.of(options.scale, options.scale),
            offset: Float32Array.of(0, 0),
          },
        }
      : {}),
  };
}

const riverOptions = (algorithm: 'sac' | 'h2o' | 'td3bc' | 'iql', extra: object = {}): TrainerOptions =>
  ({
    algorithm,
    hyperparameters: algorithms[algorithm].hyperparameters.parse(
      algorithm === 'td3bc' || algorithm === 'iql'
        ? { hidden: [8, 8], batchSize: 16 }
        : {
            hidden: [8, 8],
            ...(algorithm === 'h2o'
              ? { discriminatorHidden: [8, 8], realBatch: 8, simBatch: 8, discriminatorBatch: 8 }
              : { batchSize: 16 }),
          },
    ),
    seed: 0,
    updates: 20,
    chunk: 10,
    startSteps: 32,
    numEnvs: 2,
    evalEvery: 10,
    evalEpisodes: 1,
    ...extra,
  }) as TrainerOptions;

function realLog(n = 64): Transitions {
  const rng = new Rng(3);
  const obs = Float64Array.from({ length: 2 * n }, () => rng.range(-0.5, 1.5));
  const act = Float64Array.from({ length: 2 * n }, () => rng.range(-1, 1));
  return {
    size: n,
    obsSize: 2,
    actSize: 2,
    obs,
    act,
    reward: Float64Array.from({ length: n }, (_, i) => -Math.abs(obs[2 * i]! - 1)),
    nextObs: obs.map((v, i) => v + 0.1 * act[i]!),
    terminated: new Float64Array(n),
  };
}

/** The trainer's deterministic action on `obs` rows. */
function actOf(trainer: Trainer, obs: Float64Array, rows: number): Float64Array {
  const out = new Float64Array(rows * 2);
  trainer.learner.act(obs, rows, out, null);
  return out;
}

/** The exported file's output on `obs` rows, through the kernel (what a robot would run). */
function kernelOf(bytes: Uint8Array, obs: Float64Array, rows: number): Float64Array {
  const kernel = createKernelPolicy(compileChain(decodeModel(bytes)));
  const out = new Float64Array(rows * 2);
  const input = new Float32Array(2);
  const output = new Float32Array(2);
  for (let r = 0; r < rows; r++) {
    input.set(obs.subarray(2 * r, 2 * r + 2));
    kernel.act(input, output);
    out.set(output, 2 * r);
  }
  return out;
}

const probe = Float64Array.from({ length: 20 }, (_, i) => Math.sin(i) * 1.3);

describe('fine-tuning starts from the deployed policy', () => {
  it('reads an exported actor (its normaliser folded into the first layer) into SAC, H2O, TD3+BC and IQL actors', async () => {
    const policy = actor({ normalizer: true });
    const bytes = mlpToOnnx(policy);
    const init = actorFromOnnx(bytes, 'deployed.onnx');
    expect(init.layers.map((l) => [l.inSize, l.outSize])).toEqual([
      [2, 8],
      [8, 8],
      [8, 2],
    ]);
    const expected = kernelOf(bytes, probe, 10);
    for (const algorithm of ['sac', 'h2o', 'td3bc', 'iql'] as const) {
      const trainer = await Trainer.create(
        riverOptions(algorithm),
        riverPair(riverDefaults),
        algorithm === 'sac' ? null : realLog(),
      );
      trainer.initializeActor(init, 0.2);
      const got = actOf(trainer, probe, 10);
      for (let i = 0; i < got.length; i++) expect(got[i]!).toBeCloseTo(expected[i]!, 5);
      // The exported candidate is the same function again.
      const again = kernelOf(mlpToOnnx(trainer.learner.actorPolicy()), probe, 10);
      for (let i = 0; i < got.length; i++) expect(again[i]!).toBeCloseTo(expected[i]!, 5);
      trainer.dispose();
    }
  });

  it('starts exploring at the chosen σ', async () => {
    const trainer = await Trainer.create(riverOptions('sac'), riverPair(riverDefaults), null);
    trainer.initializeActor(actorFromOnnx(mlpToOnnx(actor()), 'deployed.onnx'), 0.05);
    const obs = new Float64Array(128).fill(0.5);
    const mean = actOf(trainer, obs, 1);
    const samples = new Float64Array(128);
    const rng = new Rng(1);
    let sq = 0;
    for (let k = 0; k < 16; k++) {
      trainer.learner.act(obs, 64, samples, rng);
      for (let r = 0; r < 64; r++) sq += (samples[2 * r]! - mean[0]!) ** 2;
    }
    // σ 0.05 before the tanh, narrowed by its slope at the mean.
    const slope = 1 - mean[0]! ** 2;
    expect(Math.sqrt(sq / 1024)).toBeGreaterThan(0.04 * slope);
    expect(Math.sqrt(sq / 1024)).toBeLessThan(0.06 * slope);
    trainer.dispose();
  });

  it('refuses a policy it cannot continue from, saying why', async () => {
    const trainer = await Trainer.create(riverOptions('sac'), riverPair(riverDefaults), null);
    expect(() => actorFromOnnx(mlpToOnnx(actor({ scale: 20 })), 'scaled.onnx')).toThrow(
      /scaled\.onnx: cannot start fine-tuning from this policy: its output is scaled inside the model \(mul \[20, 20\]\)/,
    );
    expect(() =>
      trainer.initializeActor(actorFromOnnx(mlpToOnnx(actor({ hidden: 'tanh' })), 'tanh.onnx'), 0.1),
    ).toThrow(/its hidden activation is tanh, the learner's relu/);
    expect(() =>
      trainer.initializeActor(actorFromOnnx(mlpToOnnx(actor({ sizes: [2, 16, 2] })), 'small.onnx'), 0.1),
    ).toThrow(/its hidden layers are \[16\], the config's \[8, 8\] \(set options.hidden to match\)/);
    trainer.dispose();
  });

  it('starts H2O from a SAC checkpoint (actor, critics, targets) and warms the critics on the real data', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tether-finetune-'));
    const sac = await Trainer.create(riverOptions('sac'), riverPair(riverDefaults), null);
    while (!sac.done) sac.runChunk();
    const file = path.join(dir, 'checkpoint.json');
    await sac.saveCheckpoint(file);
    const h2o = await Trainer.create(riverOptions('h2o'), riverPair(riverDefaults), realLog());
    const copied = await h2o.initializeFromCheckpoint(file);
    expect(copied).toEqual(
      expect.arrayContaining(['actor', 'q1', 'q2', 'q1Target', 'q2Target', 'logStdScale']),
    );
    expect(copied).not.toContain('dSa');
    expect(Array.from(actOf(h2o, probe, 10))).toEqual(Array.from(actOf(sac, probe, 10)));
    // Critic warm-up: the critics fit the deployed actor's values on the real data; the actor stays.
    const before = actOf(h2o, probe, 10);
    const first = h2o.warmCritics(1)!;
    const last = h2o.warmCritics(300)!;
    expect(last['qLoss']!).toBeLessThan(first['qLoss']!);
    expect(Array.from(actOf(h2o, probe, 10))).toEqual(Array.from(before));
    const td3 = await Trainer.create(riverOptions('td3bc'), riverPair(riverDefaults), realLog());
    await expect(td3.initializeFromCheckpoint(file)).rejects.toThrow(/has no actor of this run's size/);
    expect(td3.warmCritics(5)).toBeNull();
    for (const t of [sac, h2o, td3]) t.dispose();
    expect(JSON.parse(readFileSync(file, 'utf8')).algorithm).toBe('sac');
  });

  it('fine-tunes the shipped sim-only cartpole policy without changing it before the first update', async () => {
    const pair = await mujocoGapPair({ model: 'cartpole', task: 'balance', gap: 'gravity', strength: 1 });
    const trainer = await Trainer.create(
      {
        ...riverOptions('sac'),
        hyperparameters: algorithms.sac.hyperparameters.parse({ hidden: [64, 64], batchSize: 32 }),
        startSteps: 40,
        startActions: 'policy',
      } as TrainerOptions,
      pair,
      null,
    );
    const onnx = readFileSync(path.join(import.meta.dirname, '../../configs/loop/sim-policy/policy.onnx'));
    trainer.initializeActor(actorFromOnnx(new Uint8Array(onnx), 'sim-policy'), 0.1);
    // The deployed policy balances the level simulator for the whole 10 s episode.
    expect(trainer.evaluate(1)).toBeGreaterThan(490);
    // SAC has no real data: it warms its critics on start steps taken by the deployed actor.
    expect(trainer.warmCritics(3)).not.toBeNull();
    trainer.dispose();
  });
});
