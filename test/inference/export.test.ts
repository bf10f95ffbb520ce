import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { selectTfjsBackend } from '../../src/inference/backends/tfjs.ts';
import { loadContract } from '../../src/inference/contract.ts';
import { canonicalJson, exportPolicy, mlpFromTfjs, sha256 } from '../../src/inference/export.ts';
import { loadPolicy } from '../../src/inference/load.ts';
import { randomMlp } from '../../src/inference/mlp.ts';
import { mlpToOnnx } from '../../src/inference/onnx/build.ts';
import { decodeModel } from '../../src/inference/onnx/model.ts';
import { fitMlp } from '../../src/learning/regression.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'tether-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('export of our own MLP policies', () => {
  it('writes ONNX + contract + model card that load back and agree', async () => {
    const mlp = {
      ...randomMlp([3, 16, 2], 'elu', 11),
      normalizer: { mean: Float32Array.of(1, 2, 3), std: Float32Array.of(0.5, 1, 2) },
      actionScale: { scale: Float32Array.of(0.25, 0.25), offset: Float32Array.of(0.1, -0.1) },
    };
    const trainingConfig = { lr: 3e-4, epochs: 10, nested: { b: 1, a: 2 } };
    const card = await exportPolicy(dir, {
      mlp,
      name: 'toy',
      description: 'a toy policy',
      contract: {
        format: 'tether-policy/1',
        policy_rate_hz: 50,
        observations: [{ name: 'q', signals: ['a', 'b', 'c'] }],
        normalizer: { kind: 'inside_model' },
        actions: { signals: ['u', 'v'] },
      },
      trainingConfig,
      metrics: { returnMean: 12.5 },
      created: '2026-01-01T00:00:00.000Z',
    });
    expect(card.roundTripError).toBeLessThanOrEqual(1e-5);
    expect(card.training.configSha256).toBe(
      sha256(canonicalJson({ nested: { a: 2, b: 1 }, epochs: 10, lr: 3e-4 })),
    );
    const bytes = readFileSync(path.join(dir, 'toy.onnx'));
    expect(sha256(bytes)).toBe(card.onnx.sha256);
    expect(decodeModel(bytes).metadata['training_config_sha256']).toBe(card.training.configSha256);
    const savedCard = JSON.parse(readFileSync(path.join(dir, 'toy.card.json'), 'utf8'));
    expect(savedCard.metrics).toEqual({ returnMean: 12.5 });
    const contract = loadContract(path.join(dir, 'toy.contract.yaml'));
    expect(contract.model).toBe('toy.onnx');

    const policy = await loadPolicy(path.join(dir, contract.model!), { backend: 'ort' });
    const y = new Float32Array(2);
    await policy.act(Float32Array.of(1, 2, 3), y); // the mean: normalised input is 0
    const h = mlp.layers[0]!.bias.map((b) => (b > 0 ? b : Math.expm1(b)));
    const l1 = mlp.layers[1]!;
    for (let j = 0; j < 2; j++) {
      let raw = l1.bias[j]!;
      for (let i = 0; i < 16; i++) raw += l1.weight[j * 16 + i]! * h[i]!;
      expect(y[j]).toBeCloseTo(raw * 0.25 + (j === 0 ? 0.1 : -0.1), 5);
    }
    await policy.dispose();
  });

  it('refuses to export when the contract does not fit the model', async () => {
    await expect(
      exportPolicy(dir, {
        mlp: randomMlp([3, 4, 2], 'relu', 1),
        name: 'bad',
        description: '',
        contract: {
          format: 'tether-policy/1',
          policy_rate_hz: 50,
          observations: [{ name: 'q', signals: ['a', 'b'] }],
          actions: { signals: ['u', 'v'] },
        },
        trainingConfig: {},
        metrics: {},
      }),
    ).rejects.toThrow("input 'obs': expected 2 features (q 2×1), model has 3");
  });

  it('exports TF.js Dense weights; ONNX Runtime reproduces model.predict', async () => {
    await selectTfjsBackend();
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [6],
          units: 12,
          activation: 'tanh',
          kernelInitializer: tf.initializers.randomNormal({ seed: 1 }),
        }),
        tf.layers.dense({
          units: 12,
          activation: 'elu',
          biasInitializer: tf.initializers.constant({ value: 0.1 }),
        }),
        tf.layers.dense({ units: 3 }),
      ],
    });
    const rng = new Rng(5);
    const x = Float32Array.from({ length: 4 * 6 }, () => rng.range(-1, 1));
    const expected = (model.predict(tf.tensor2d(x, [4, 6])) as tf.Tensor).dataSync();
    const policy = await loadPolicy(mlpToOnnx(mlpFromTfjs(model)), { backend: 'ort' });
    const y = new Float32Array(12);
    await policy.act(x, y, 4);
    for (let i = 0; i < 12; i++) expect(Math.abs(y[i]! - expected[i]!)).toBeLessThan(1e-5);
    await policy.dispose();
    model.dispose();
    const conv = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [2], units: 2, activation: 'softplus' })],
    });
    expect(() => mlpFromTfjs(conv)).toThrow("TF.js layer 0: activation 'softplus' is not exported");
  });
});

describe('MLP regression', () => {
  it('fits a nonlinear map, deterministically for a seed', () => {
    const rng = new Rng(3);
    const n = 512;
    const x = Float64Array.from({ length: n * 2 }, () => rng.range(-1, 1));
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(2 * x[2 * i]!) * x[2 * i + 1]!);
    const config = { hidden: [16, 16], epochs: 150, batchSize: 64, learningRate: 1e-2, seed: 4 };
    const a = fitMlp(x, y, 2, 1, config);
    const b = fitMlp(x, y, 2, 1, config);
    const variance = y.reduce((s, v) => s + v * v, 0) / n;
    expect(a.losses[0]).toBeGreaterThan(a.losses.at(-1)!);
    expect(a.losses.at(-1)!).toBeLessThan(0.05 * variance);
    expect(Array.from(a.mlp.layers[1]!.weight)).toEqual(Array.from(b.mlp.layers[1]!.weight));
  });
});
