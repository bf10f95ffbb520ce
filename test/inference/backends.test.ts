import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { createKernelPolicy } from '../../src/inference/backends/kernel.ts';
import { compileChain, UnsupportedGraphError } from '../../src/inference/chain.ts';
import { loadPolicy } from '../../src/inference/load.ts';
import { randomMlp } from '../../src/inference/mlp.ts';
import { mlpToOnnx, mlpToOnnxModel } from '../../src/inference/onnx/build.ts';
import { decodeModel, encodeModel, OnnxDataType, type OnnxModel } from '../../src/inference/onnx/model.ts';
import type { Policy } from '../../src/inference/policy.ts';

const models = {
  small: mlpToOnnx({
    ...randomMlp([17, 256, 256, 6], 'tanh', 1),
    normalizer: {
      mean: Float32Array.from({ length: 17 }, (_, i) => i / 17),
      std: Float32Array.from({ length: 17 }, (_, i) => 0.5 + i / 10),
    },
  }),
  locomotion: mlpToOnnx(randomMlp([480, 512, 256, 128, 29], 'elu', 2)),
};

const opened: Policy[] = [];
afterAll(async () => {
  for (const p of opened) await p.dispose();
});

async function open(model: Uint8Array, options: Parameters<typeof loadPolicy>[1]): Promise<Policy> {
  const p = await loadPolicy(model, { warmup: 2, ...options });
  opened.push(p);
  return p;
}

function randomInputs(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.range(-3, 3));
}

/** |a − b| ≤ 1e-5 · max(1, |b|) element-wise; returns the worst ratio to the tolerance. */
function worst(a: Float32Array, b: Float32Array): number {
  let w = 0;
  for (let i = 0; i < b.length; i++)
    w = Math.max(w, Math.abs(a[i]! - b[i]!) / (1e-5 * Math.max(1, Math.abs(b[i]!))));
  return w;
}

describe.each(Object.entries(models))('backends agree on the %s MLP', (_, model) => {
  it('within 1e-5 of the float64 oracle at batch 1 and batch 8', async () => {
    const oracle = createKernelPolicy(compileChain(decodeModel(model)), { mode: 'scalar' });
    const backends = [
      await open(model, { backend: 'ort' }),
      await open(model, { backend: 'tfjs' }),
      await open(model, { backend: 'kernel' }),
    ];
    expect(backends.map((b) => b.backend)).toEqual(['ort-cpu', 'tfjs-wasm', 'kernel-wasm-simd']);
    for (const batch of [1, 8]) {
      const x = randomInputs(batch * oracle.inputSize, batch);
      const expected = new Float32Array(batch * oracle.outputSize);
      oracle.act(x, expected, batch);
      expect(expected.some((v) => Math.abs(v) > 0.05)).toBe(true); // a dead network would agree trivially
      for (const b of backends) {
        const y = new Float32Array(batch * b.outputSize).fill(Number.NaN);
        await b.act(x, y, batch);
        expect(worst(y, expected), `${b.backend} batch ${batch}`).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('GPU requests fall back to the CPU here, saying why', () => {
  it('ONNX Runtime CUDA → CPU with the same result', async () => {
    const log: string[] = [];
    const gpu = await open(models.small, { backend: 'ort', device: 'cuda', log: (m) => log.push(m) });
    const cpu = await open(models.small, { backend: 'ort' });
    expect(gpu.backend).toBe('ort-cpu');
    expect(log.join('\n')).toMatch(/CUDA provider unavailable.*running on CPU/);
    const x = randomInputs(17, 3);
    const a = new Float32Array(6);
    const b = new Float32Array(6);
    await gpu.act(x, a);
    await cpu.act(x, b);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('ONNX Runtime WebGPU (bundled) → CPU with the same result where no GPU adapter exists', async () => {
    const log: string[] = [];
    const gpu = await open(models.small, { backend: 'ort', device: 'webgpu', log: (m) => log.push(m) });
    const cpu = await open(models.small, { backend: 'ort' });
    const x = randomInputs(17, 5);
    const a = new Float32Array(6);
    const b = new Float32Array(6);
    await gpu.act(x, a);
    await cpu.act(x, b);
    if (gpu.backend === 'ort-cpu') {
      // This machine (and CI): the provider is in the build, Dawn finds no adapter.
      expect(log.join('\n')).toMatch(
        /ONNX Runtime WebGPU provider unavailable \(bundled, but no usable GPU adapter here: .+\); running on CPU/,
      );
      expect(Array.from(a)).toEqual(Array.from(b));
    } else {
      // A machine with a GPU: the same numbers within float32 GPU rounding.
      expect(gpu.backend).toBe('ort-webgpu');
      expect(worst(a, b)).toBeLessThanOrEqual(100);
    }
  });

  it('TensorFlow.js node-gpu → wasm with the same result', async () => {
    const log: string[] = [];
    const gpu = await open(models.small, { backend: 'tfjs', device: 'cuda', log: (m) => log.push(m) });
    expect(gpu.backend).toBe('tfjs-wasm');
    expect(log.join('\n')).toMatch(/@tensorflow\/tfjs-node-gpu not installed.*running on wasm/);
    const nativeLog: string[] = [];
    const native = await open(models.small, {
      backend: 'tfjs',
      tfjsNative: true,
      log: (m) => nativeLog.push(m),
    });
    expect(native.backend).toBe('tfjs-wasm');
    expect(nativeLog.join('\n')).toMatch(/@tensorflow\/tfjs-node not installed.*running on wasm/);
    const cpu = await open(models.small, { backend: 'kernel' });
    const x = randomInputs(17, 4);
    const a = new Float32Array(6);
    const b = new Float32Array(6);
    await gpu.act(x, a);
    cpu.act(x, b);
    expect(worst(a, b)).toBeLessThanOrEqual(1);
  });
});

describe('chain compiler', () => {
  it('reads MatMul + Add graphs (weights stored [in × out]) the same way ONNX Runtime does', async () => {
    const base = mlpToOnnxModel(randomMlp([4, 8, 2], 'relu', 5));
    // Rewrite each Gemm(transB=1) as MatMul with a transposed weight followed by Add.
    const initializers = [...base.graph.initializers];
    const nodes = base.graph.nodes.flatMap((n) => {
      if (n.opType !== 'Gemm') return [n];
      const w = initializers.find((t) => t.name === n.inputs[1])!;
      const [out, inp] = w.dims as [number, number];
      const wt = new Float32Array(w.data!.length);
      for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) wt[i * out + o] = w.data![o * inp + i]!;
      initializers.push({ name: `${w.name}.t`, dims: [inp, out], dataType: OnnxDataType.float, data: wt });
      const mid = `${n.outputs[0]}_mm`;
      return [
        { opType: 'MatMul', inputs: [n.inputs[0]!, `${w.name}.t`], outputs: [mid] },
        { opType: 'Add', inputs: [mid, n.inputs[2]!], outputs: n.outputs },
      ];
    });
    const model: OnnxModel = { ...base, graph: { ...base.graph, nodes, initializers } };
    const bytes = encodeModel(model);
    const kernel = await open(bytes, { backend: 'kernel' });
    const ort = await open(bytes, { backend: 'ort' });
    const x = randomInputs(4, 9);
    const a = new Float32Array(2);
    const b = new Float32Array(2);
    kernel.act(x, a);
    await ort.act(x, b);
    expect(worst(a, b)).toBeLessThanOrEqual(1);
  });

  it('refuses graphs that are not a chain, naming the node', () => {
    const base = mlpToOnnxModel(randomMlp([4, 8, 2], 'relu', 5));
    const nodes = base.graph.nodes.map((n) =>
      n.opType === 'Relu' ? { ...n, opType: 'Softplus', name: 'act0' } : n,
    );
    expect(() => compileChain({ ...base, graph: { ...base.graph, nodes } })).toThrow(UnsupportedGraphError);
    expect(() => compileChain({ ...base, graph: { ...base.graph, nodes } })).toThrow(
      /act0.*Softplus.*not supported/,
    );
  });

  it('checks buffer sizes against the model', async () => {
    const kernel = await open(models.small, { backend: 'kernel' });
    expect(() => kernel.act(new Float32Array(16), new Float32Array(6))).toThrow(
      /input holds 16 floats, expected 1 × 17 for 'obs'/,
    );
  });
});
