import { describe, expect, it } from 'vitest';
import { PolicyController, type PolicyOptions } from '../../controllers/policies/policy-controller.ts';
import type { ControllerContext } from '../../src/core/controller.ts';
import { EventBuffer } from '../../src/core/events.ts';
import { signal } from '../../src/core/spec.ts';
import { type ContractInput, parseContract } from '../../src/inference/contract.ts';
import { randomMlp } from '../../src/inference/mlp.ts';
import { mlpToOnnx } from '../../src/inference/onnx/build.ts';
import { encodeModel, type OnnxNode } from '../../src/inference/onnx/model.ts';

const dt = 0.02;

function context(): ControllerContext & { events: EventBuffer } {
  return {
    // `z` is not read by the contracts below.
    observation: { signals: [signal('x', '1'), signal('y', '1'), signal('z', '1')] },
    action: { signals: [signal('u', '1'), signal('v', '1')], mode: 'torque', safe: [0.5, -0.5] },
    dt,
    events: new EventBuffer(),
  };
}

/** obs [batch, 2] → one element-wise op → actions [batch, declared]. */
function onnx(node: Omit<OnnxNode, 'inputs' | 'outputs'>, inputs: string[], declared = 2): Uint8Array {
  return encodeModel({
    irVersion: 8,
    opsets: [{ domain: '', version: 17 }],
    producerName: 'test',
    producerVersion: '0',
    docString: '',
    metadata: {},
    graph: {
      name: 'g',
      nodes: [{ ...node, inputs, outputs: ['actions'] }],
      initializers: [],
      inputs: [{ name: 'obs', elemType: 1, shape: ['batch', 2] }],
      outputs: [{ name: 'actions', elemType: 1, shape: ['batch', declared] }],
    },
  });
}

const contract = (extra: Partial<ContractInput> = {}) =>
  parseContract({
    format: 'tether-policy/1',
    policy_rate_hz: 1 / dt,
    observations: [{ name: 'xy', signals: ['x', 'y'] }],
    actions: { signals: ['u', 'v'] },
    ...extra,
  });

async function controller(
  model: Uint8Array,
  options: Partial<PolicyOptions> = {},
  extra: Partial<ContractInput> = {},
): Promise<{ c: PolicyController; ctx: ReturnType<typeof context> }> {
  const c = new PolicyController(
    { model, contract: contract(extra), baseDir: '.' },
    { backend: 'ort', device: 'cpu', fallback: 'hold', budget_fraction: 0.5, ...options },
  );
  const ctx = context();
  await c.configure(ctx);
  c.reset(Float64Array.of(1, 1));
  return { c, ctx };
}

const step = async (c: PolicyController, obs: number[], t = 0): Promise<number[]> => {
  const action = new Float64Array(2);
  await c.update(Float64Array.from(obs), t, action);
  return Array.from(action);
};

describe('policy controller fallbacks (same tick)', () => {
  const logModel = onnx({ opType: 'Log' }, ['obs']);

  it('holds the last good command on NaN/Inf output and on a NaN observation', async () => {
    const { c, ctx } = await controller(logModel);
    const good = await step(c, [1, 4]);
    expect(good[1]).toBeCloseTo(Math.log(4), 6);
    expect(await step(c, [-1, 2])).toEqual(good); // log(−1) = NaN
    expect(await step(c, [0, 2])).toEqual(good); // log(0) = −Inf
    expect(await step(c, [Number.NaN, 2, 0])).toEqual(good);
    expect(c.stats.fallbacks).toBe(3);
    expect(c.stats.inferences).toBe(3); // the NaN observation never reached the model
    expect(await step(c, [1, 4, Number.NaN])).toEqual(good); // NaN in a signal the policy does not read
    expect(c.stats.fallbacks).toBe(3);
    expect(c.stats.inferences).toBe(4);
    expect(ctx.events.events.map((e) => e.message)).toEqual([
      'policy output is NaN or infinite; fallback: hold',
      'policy output is NaN or infinite; fallback: hold',
      "non-finite observation 'x'; fallback: hold",
    ]);
    await c.dispose();
  });

  it('goes to the safe action, or poisons the proposal for the safety layer to latch (fault)', async () => {
    const safe = await controller(logModel, { fallback: 'safe' });
    await step(safe.c, [1, 1]);
    expect(await step(safe.c, [-1, 1])).toEqual([0.5, -0.5]);
    const fault = await controller(logModel, { fallback: 'fault' });
    expect((await step(fault.c, [-1, 1])).every(Number.isNaN)).toBe(true);
    expect(fault.ctx.events.events.at(-1)?.kind).toBe('fault');
    await safe.c.dispose();
    await fault.c.dispose();
  });

  it('treats a wrong-size output (a backend exception) as a failed inference', async () => {
    // Declares [batch, 2] but keeps only the entries ≤ 10 (ONNX Compress): fine at load and for small
    // inputs, one value short when an input exceeds 10, and ONNX Runtime then rejects the run.
    const wrong = encodeModel({
      irVersion: 8,
      opsets: [{ domain: '', version: 17 }],
      producerName: 'test',
      producerVersion: '0',
      docString: '',
      metadata: {},
      graph: {
        name: 'g',
        nodes: [
          { opType: 'LessOrEqual', inputs: ['obs', 'ten'], outputs: ['keep2d'] },
          { opType: 'Squeeze', inputs: ['keep2d'], outputs: ['keep'] },
          {
            opType: 'Compress',
            inputs: ['obs', 'keep'],
            outputs: ['actions'],
            attributes: { axis: { type: 'int', value: 1 } },
          },
        ],
        initializers: [{ name: 'ten', dims: [], dataType: 1, data: Float32Array.of(10) }],
        inputs: [{ name: 'obs', elemType: 1, shape: [1, 2] }],
        outputs: [{ name: 'actions', elemType: 1, shape: [1, 2] }],
      },
    });
    const { c, ctx } = await controller(wrong, { fallback: 'safe' });
    expect(await step(c, [1, 2])).toEqual([1, 2]);
    expect(await step(c, [11, 2])).toEqual([0.5, -0.5]);
    expect(ctx.events.events.at(-1)?.message).toMatch(/policy backend failed: .*shape.*fallback: safe/);
    await c.dispose();
  });

  it('counts inferences slower than the budget', async () => {
    const { c, ctx } = await controller(logModel, { budget_fraction: 1e-9 }); // 20 ps: every call is slow
    for (let i = 0; i < 3; i++) await step(c, [1, 1]);
    expect(c.stats.slow).toBe(3);
    expect(ctx.events.events.filter((e) => e.kind === 'deadline-miss')).toHaveLength(3);
    await c.dispose();
  });

  it('on a virtual clock counts slow inferences without warning about wall-clock budgets', async () => {
    const c = new PolicyController(
      { model: logModel, contract: contract(), baseDir: '.' },
      { backend: 'ort', device: 'cpu', fallback: 'hold', budget_fraction: 1e-9 },
    );
    const ctx = { ...context(), realtime: false };
    await c.configure(ctx);
    c.reset(Float64Array.of(1, 1));
    for (let i = 0; i < 3; i++) await step(c, [1, 1]);
    expect(c.stats.slow).toBe(3);
    expect(ctx.events.events.filter((e) => e.kind === 'deadline-miss')).toHaveLength(0);
    await c.dispose();
  });
});

describe('policy controller scheduling and checks', () => {
  it('runs the policy every `decimation` ticks and holds its command in between', async () => {
    const { c } = await controller(onnx({ opType: 'Identity' }, ['obs']), {}, { policy_rate_hz: 25 });
    const actions: number[][] = [];
    for (let t = 1; t <= 4; t++) actions.push(await step(c, [t, -t]));
    expect(actions).toEqual([
      [1, -1],
      [1, -1],
      [3, -3],
      [3, -3],
    ]);
    expect(c.stats.inferences).toBe(2);
    await c.dispose();
  });

  it('keeps sending the fallback on the ticks between policy steps', async () => {
    const { c } = await controller(
      onnx({ opType: 'Log' }, ['obs']),
      { fallback: 'safe' },
      { policy_rate_hz: 25 },
    );
    const good = await step(c, [1, 1]);
    expect(good).toEqual([0, 0]);
    await step(c, [1, 1]); // held
    expect(await step(c, [-1, 1])).toEqual([0.5, -0.5]); // policy step: log(−1) = NaN → safe
    expect(await step(c, [1, 1])).toEqual([0.5, -0.5]); // between steps: still safe
    expect(await step(c, [1, 1])).toEqual([0, 0]); // next policy step recovers
    await c.dispose();
  });

  it('refuses at configure a model whose input does not match the contract', async () => {
    const model = mlpToOnnx(randomMlp([3, 4, 2], 'relu', 1));
    const c = new PolicyController(
      { model, contract: contract(), baseDir: '.' },
      { backend: 'ort', device: 'cpu', fallback: 'hold', budget_fraction: 0.5 },
    );
    await expect(c.configure(context())).rejects.toThrow(
      "input 'obs': expected 2 features (xy 2×1), model has 3",
    );
  });

  it('runs the same contract on the synchronous kernel without a promise', async () => {
    const model = mlpToOnnx(randomMlp([2, 8, 2], 'tanh', 3));
    const { c } = await controller(model, { backend: 'kernel' });
    expect(c.backend).toBe('kernel-wasm-simd');
    const action = new Float64Array(2);
    expect(c.update(Float64Array.of(0.3, -0.2), 0, action)).toBeUndefined();
    const viaOrt = await controller(model);
    const ortAction = await step(viaOrt.c, [0.3, -0.2]);
    expect(ortAction[0]).toBeCloseTo(action[0]!, 5);
    expect(ortAction[1]).toBeCloseTo(action[1]!, 5);
    expect(action[0]).not.toBe(0);
    await c.dispose();
    await viaOrt.c.dispose();
  });
});
