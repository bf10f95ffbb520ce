/**
 * rsl_rl's recurrent export: `obs`, `h_in`, `c_in` → `actions`, `h_out`, `c_out` (an LSTM before the
 * actor MLP, opset 11, batch 1). The controller feeds the state back every policy step and zeroes it
 * on reset; checked against a plain TypeScript LSTM.
 */
import { describe, expect, it } from 'vitest';
import { PolicyController } from '../../controllers/policies/policy-controller.ts';
import { EventBuffer } from '../../src/core/events.ts';
import { Rng } from '../../src/core/rng.ts';
import type { ActionSpec, VectorSpec } from '../../src/core/spec.ts';
import { signal } from '../../src/core/spec.ts';
import { parseContract } from '../../src/inference/contract.ts';
import { encodeModel, OnnxDataType, type OnnxModel } from '../../src/inference/onnx/model.ts';

const n = 3;
const hidden = 4;
const m = 2;

interface Weights {
  W: Float32Array; // [4H × n], gates i, o, f, c (ONNX order)
  R: Float32Array; // [4H × H]
  B: Float32Array; // [8H]: Wb then Rb
  Wo: Float32Array; // [m × H]
  bo: Float32Array;
}

function weights(seed: number): Weights {
  const rng = new Rng(seed);
  const r = (k: number, s = 0.5) => Float32Array.from({ length: k }, () => rng.range(-s, s));
  return {
    W: r(4 * hidden * n),
    R: r(4 * hidden * hidden),
    B: r(8 * hidden, 0.2),
    Wo: r(m * hidden),
    bo: r(m, 0.1),
  };
}

/** The graph torch.onnx writes for rsl_rl's recurrent actor (LSTM, then a linear actor head). */
function lstmModel(w: Weights): Uint8Array {
  const f = (name: string, dims: number[], data: Float32Array) => ({
    name,
    dims,
    dataType: OnnxDataType.float,
    data,
  });
  const model: OnnxModel = {
    irVersion: 6,
    opsets: [{ domain: '', version: 11 }],
    producerName: 'test',
    producerVersion: '0',
    docString: '',
    metadata: {},
    graph: {
      name: 'recurrent',
      nodes: [
        {
          opType: 'Unsqueeze',
          inputs: ['obs'],
          outputs: ['x'],
          attributes: { axes: { type: 'ints', value: [0] } },
        },
        {
          opType: 'LSTM',
          inputs: ['x', 'W', 'R', 'B', '', 'h_in', 'c_in'],
          outputs: ['y', 'h_out', 'c_out'],
          attributes: { hidden_size: { type: 'int', value: hidden } },
        },
        {
          opType: 'Squeeze',
          inputs: ['y'],
          outputs: ['y2'],
          attributes: { axes: { type: 'ints', value: [0, 1] } },
        },
        {
          opType: 'Gemm',
          inputs: ['y2', 'Wo', 'bo'],
          outputs: ['actions'],
          attributes: { transB: { type: 'int', value: 1 } },
        },
      ],
      initializers: [
        f('W', [1, 4 * hidden, n], w.W),
        f('R', [1, 4 * hidden, hidden], w.R),
        f('B', [1, 8 * hidden], w.B),
        f('Wo', [m, hidden], w.Wo),
        f('bo', [m], w.bo),
      ],
      inputs: [
        { name: 'obs', elemType: OnnxDataType.float, shape: [1, n] },
        { name: 'h_in', elemType: OnnxDataType.float, shape: [1, 1, hidden] },
        { name: 'c_in', elemType: OnnxDataType.float, shape: [1, 1, hidden] },
      ],
      outputs: [
        { name: 'actions', elemType: OnnxDataType.float, shape: [1, m] },
        { name: 'h_out', elemType: OnnxDataType.float, shape: [1, 1, hidden] },
        { name: 'c_out', elemType: OnnxDataType.float, shape: [1, 1, hidden] },
      ],
    },
  };
  return encodeModel(model);
}

/** ONNX LSTM semantics (f = σ, g = h = tanh), one step, in float64. */
function referenceStep(
  w: Weights,
  x: number[],
  h: number[],
  c: number[],
): { a: number[]; h: number[]; c: number[] } {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const gate = (g: number, j: number) => {
    const row = g * hidden + j;
    let s = w.B[row]! + w.B[4 * hidden + row]!;
    for (let k = 0; k < n; k++) s += w.W[row * n + k]! * x[k]!;
    for (let k = 0; k < hidden; k++) s += w.R[row * hidden + k]! * h[k]!;
    return s;
  };
  const hNext: number[] = [];
  const cNext: number[] = [];
  for (let j = 0; j < hidden; j++) {
    const i = sig(gate(0, j));
    const o = sig(gate(1, j));
    const fg = sig(gate(2, j));
    const cc = Math.tanh(gate(3, j));
    cNext[j] = fg * c[j]! + i * cc;
    hNext[j] = o * Math.tanh(cNext[j]!);
  }
  const a = Array.from({ length: m }, (_, r) => {
    let s = w.bo[r]!;
    for (let k = 0; k < hidden; k++) s += w.Wo[r * hidden + k]! * hNext[k]!;
    return s;
  });
  return { a, h: hNext, c: cNext };
}

const observation: VectorSpec = { signals: ['a', 'b', 'c'].map((s) => signal(s, '1')) };
const action: ActionSpec = {
  signals: ['u', 'v'].map((s) => signal(s, 'N*m', -100, 100)),
  mode: 'torque',
  safe: [0, 0],
};
const contract = parseContract({
  format: 'tether-policy/1',
  policy_rate_hz: 50,
  observations: [{ name: 'state', signals: ['a', 'b', 'c'] }],
  actions: { signals: ['u', 'v'], scale: 50 },
});

describe('recurrent ONNX exports (rsl_rl h_in/c_in → h_out/c_out)', () => {
  it('feeds the state back every step, zeroes it on reset, and says so when it recognises the names', async () => {
    const w = weights(7);
    const events = new EventBuffer();
    const controller = new PolicyController(
      { model: lstmModel(w), contract, baseDir: '.' },
      { backend: 'ort', device: 'cpu', fallback: 'fault', budget_fraction: 1 },
    );
    await controller.configure({ observation, action, dt: 0.02, events });
    expect(
      events.events.some((e) => e.message.includes('recurrent export: state h_in → h_out, c_in → c_out')),
    ).toBe(true);
    const rng = new Rng(3);
    const inputs = Array.from({ length: 6 }, () => [rng.range(-1, 1), rng.range(-1, 1), rng.range(-1, 1)]);
    const out = new Float64Array(2);
    const run = async () => {
      const got: number[][] = [];
      controller.reset(Float64Array.from(inputs[0]!));
      for (const x of inputs) {
        await controller.update(Float64Array.from(x), 0, out);
        got.push(Array.from(out));
      }
      return got;
    };
    let h = new Array(hidden).fill(0);
    let c = new Array(hidden).fill(0);
    const expected = inputs.map((x) => {
      const step = referenceStep(w, x, h, c);
      h = step.h;
      c = step.c;
      return step.a.map((v) => 50 * v);
    });
    const first = await run();
    for (const [k, row] of first.entries())
      for (const [j, v] of row.entries()) expect(v).toBeCloseTo(expected[k]![j]!, 3);
    // The state carries: a stateless model would give the same output for the same input.
    expect(
      Math.abs(
        first[1]![0]! -
          referenceStep(w, inputs[1]!, new Array(hidden).fill(0), new Array(hidden).fill(0)).a[0]! * 50,
      ),
    ).toBeGreaterThan(1e-3);
    // After a reset the sequence starts from zero state again.
    const second = await run();
    for (const [k, row] of second.entries())
      for (const [j, v] of row.entries()) expect(v).toBeCloseTo(first[k]![j]!, 5);
    await controller.dispose();
  });

  it('refuses the chain backends for a recurrent model, and an undeclared extra input with a hint', async () => {
    const bytes = lstmModel(weights(1));
    const kernel = new PolicyController(
      { model: bytes, contract, baseDir: '.' },
      { backend: 'kernel', device: 'cpu', fallback: 'fault', budget_fraction: 1 },
    );
    await expect(
      kernel.configure({ observation, action, dt: 0.02, events: new EventBuffer() }),
    ).rejects.toThrow('a recurrent policy (h_in, c_in) runs on the ort backend only');
    const { checkContractAgainstModel } = await import('../../src/inference/contract.ts');
    expect(() =>
      checkContractAgainstModel(contract, {
        inputs: [
          { name: 'obs', shape: [1, 3] },
          { name: 'h_in', shape: [1, 1, 4] },
          { name: 'mystery', shape: [1, 2] },
        ],
        outputs: [{ name: 'actions', shape: [1, 2] }],
      }),
    ).toThrow(
      "input tensor 'h_in': the contract feeds ['obs'] only (a recurrent export: declare recurrent: [{ input: h_in, output: h_out }])",
    );
  });
});
