import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createKernelPolicy } from '../../src/inference/backends/kernel.ts';
import { compileChain } from '../../src/inference/chain.ts';
import { type MlpPolicy, randomMlp } from '../../src/inference/mlp.ts';
import { mlpToOnnx, mlpToOnnxModel } from '../../src/inference/onnx/build.ts';
import { dataInputs, decodeModel, encodeModel, parameterCount } from '../../src/inference/onnx/model.ts';
import { ProtoDecodeError } from '../../src/inference/onnx/protobuf.ts';

/** Float64 reference of the exported graph, written out independently of every backend. */
function reference(mlp: MlpPolicy, x: Float32Array): number[] {
  let h = Array.from(x, (v, i) =>
    mlp.normalizer ? (v - mlp.normalizer.mean[i]!) / mlp.normalizer.std[i]! : v,
  );
  for (const l of mlp.layers) {
    const y: number[] = [];
    for (let o = 0; o < l.outSize; o++) {
      let s = l.bias[o]!;
      for (let i = 0; i < l.inSize; i++) s += l.weight[o * l.inSize + i]! * h[i]!;
      if (l.activation === 'relu') s = Math.max(0, s);
      else if (l.activation === 'tanh') s = Math.tanh(s);
      else if (l.activation === 'elu') s = s > 0 ? s : Math.expm1(s);
      y.push(s);
    }
    h = y;
  }
  if (mlp.actionScale) h = h.map((v, j) => v * mlp.actionScale!.scale[j]! + mlp.actionScale!.offset[j]!);
  if (mlp.actionClip) h = h.map((v) => Math.min(mlp.actionClip!.upper, Math.max(mlp.actionClip!.lower, v)));
  return h;
}

const policy = (): MlpPolicy => ({
  ...randomMlp([5, 16, 16, 3], 'elu', 7),
  normalizer: { mean: Float32Array.of(0.1, -0.2, 0.3, 0, 1), std: Float32Array.of(2, 0.5, 1, 3, 0.25) },
  actionScale: { scale: Float32Array.of(0.25, 0.5, 2), offset: Float32Array.of(0.1, -0.3, 0) },
  actionClip: { lower: -0.4, upper: 0.6 },
});

describe('ONNX encoder', () => {
  it('decodes what it encodes', () => {
    const model = mlpToOnnxModel(policy(), { metadata: { contract_sha256: 'abc' } });
    const decoded = decodeModel(encodeModel(model));
    expect(decoded.graph.nodes.map((n) => n.opType)).toEqual([
      'Sub',
      'Div',
      'Gemm',
      'Elu',
      'Gemm',
      'Elu',
      'Gemm',
      'Mul',
      'Add',
      'Clip',
    ]);
    expect(decoded.opsets).toEqual([{ domain: '', version: 17 }]);
    expect(decoded.metadata).toEqual({ contract_sha256: 'abc' });
    expect(decoded.graph.inputs).toEqual([{ name: 'obs', elemType: 1, shape: ['batch', 5] }]);
    const w = decoded.graph.initializers.find((t) => t.name === 'layer1.weight')!;
    expect(w.dims).toEqual([16, 16]);
    expect(Array.from(w.data!)).toEqual(Array.from(policy().layers[1]!.weight));
    expect(parameterCount(decoded.graph)).toBe(5 * 16 + 16 + 16 * 16 + 16 + 16 * 3 + 3 + 5 * 2 + 3 * 2 + 2);
  });

  it('runs in ONNX Runtime with the normaliser, scaling and clip baked in', async () => {
    const mlp = policy();
    const session = await ort.InferenceSession.create(mlpToOnnx(mlp));
    try {
      expect(session.inputNames).toEqual(['obs']);
      expect(session.outputNames).toEqual(['actions']);
      const batch = 16;
      const x = Float32Array.from({ length: batch * 5 }, (_, i) => Math.sin(i * 1.7) * 3);
      const out = await session.run({ obs: new ort.Tensor('float32', x, [batch, 5]) });
      const y = out['actions']!.data as Float32Array;
      let clipped = 0;
      for (let b = 0; b < batch; b++) {
        const expected = reference(mlp, x.subarray(b * 5, b * 5 + 5));
        for (let j = 0; j < 3; j++) {
          expect(Math.abs(y[b * 3 + j]! - expected[j]!)).toBeLessThan(1e-5);
          if (expected[j] === -0.4 || expected[j] === 0.6) clipped++;
        }
      }
      expect(clipped).toBeGreaterThan(0); // the inputs exercise the clip
    } finally {
      await session.release();
    }
  });

  it('treats initializers listed as graph inputs (older exporters) as weights, not inputs', async () => {
    const base = mlpToOnnxModel(randomMlp([3, 4, 2], 'relu', 2));
    const weight = base.graph.initializers[0]!;
    const model = {
      ...base,
      graph: {
        ...base.graph,
        inputs: [...base.graph.inputs, { name: weight.name, elemType: 1, shape: [...weight.dims] }],
      },
    };
    const decoded = decodeModel(encodeModel(model));
    expect(decoded.graph.inputs.map((i) => i.name)).toEqual(['obs', 'layer0.weight']);
    expect(dataInputs(decoded.graph).map((i) => i.name)).toEqual(['obs']);
    const kernel = createKernelPolicy(compileChain(decoded));
    expect(kernel.inputSize).toBe(3);
  });

  it('refuses bytes that are not a model', () => {
    expect(() => decodeModel(Uint8Array.of(0x0a, 0xff))).toThrow(ProtoDecodeError);
    expect(() => decodeModel(new TextEncoder().encode('hello'))).toThrow(
      /no graph|truncated|overruns|wire type/,
    );
  });
});
