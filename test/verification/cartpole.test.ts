import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModel, rigWithDelay, variants } from '../../controllers/hybrid/cartpole/make.ts';
import { SimData } from '../../sim/data.ts';
import { SimModel } from '../../sim/model.ts';
import { loadContract } from '../../src/inference/contract.ts';
import { createBounder, createBoxBounds } from '../../src/verification/bounds.ts';
import { certify, inspectCertificate, statementOf } from '../../src/verification/certificate.ts';
import { ForwardModel } from '../../src/verification/forward.ts';
import { loadModel } from '../../src/verification/io.ts';
import { type LyapunovModel, modelHashes, parseModel, searchDim } from '../../src/verification/model.ts';
import { expressPolicy } from '../../src/verification/policy.ts';
import { provedPositiveDefinite } from '../../src/verification/quadratic-bounds.ts';
import { boxIn } from './fixtures.ts';

const models = fileURLToPath(new URL('../../controllers/hybrid/models/cartpole/', import.meta.url));
const shipped = (name: string) => {
  const model = loadModel(`${models}${name}.json`);
  const cert = JSON.parse(readFileSync(`${models}${name}.cert.json`, 'utf8'));
  return { model, cert };
};

/**
 * The model with an ONNX policy as its controller: the bundled tanh balance policy, or the learners'
 * ReLU network with a tanh output.
 */
function withPolicy(model: LyapunovModel, policy: 'tanh' | 'relu'): LyapunovModel {
  const [dir, onnx, contract] =
    policy === 'tanh'
      ? ['controllers/policies/examples/cartpole', 'cartpole-balance.onnx', 'cartpole-balance.contract.yaml']
      : ['configs/loop/sim-policy', 'policy.onnx', 'policy.contract.yaml'];
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const expressed = expressPolicy(
    new Uint8Array(readFileSync(`${root}${dir}/${onnx}`)),
    loadContract(`${root}${dir}/${contract}`),
    model,
  );
  if (!expressed.ok) throw new Error(expressed.reason);
  return parseModel({ ...model.source, controller: expressed.controller }, `${model.name} with ${onnx}`);
}

/**
 * The model with an input delay of `seconds` covered (uncertainty.input_delay) and assumed; with
 * `within`, the previous command within that of the current one (previous_command_within).
 */
function withDelay(model: LyapunovModel, seconds: number, within?: number): LyapunovModel {
  const s = model.source;
  return parseModel(
    {
      ...s,
      uncertainty: {
        ...(s.uncertainty ?? {}),
        input_delay: seconds,
        ...(within === undefined ? {} : { previous_command_within: within }),
      },
      assumptions: { ...s.assumptions!, delay: seconds },
    },
    `${model.name} with an input delay of ${seconds} s${within === undefined ? '' : ` within ${within}`}`,
  );
}

/** Cart-pole states (x, θ, ẋ, θ̇) inside the verification box. */
const states = fc.tuple(
  fc.double({ min: -2, max: 2, noNaN: true }),
  fc.double({ min: -0.8, max: 0.8, noNaN: true }),
  fc.double({ min: -4, max: 4, noNaN: true }),
  fc.double({ min: -6, max: 6, noNaN: true }),
);

/** MuJoCo's cartpole from state x through segments of [command, physics steps]; the state after. */
function mujocoPeriod(data: SimData, x: readonly number[], segments: readonly [number, number][]): number[] {
  data.reset();
  data.qpos[0] = x[0]!;
  data.qpos[1] = x[1]!;
  data.qvel[0] = x[2]!;
  data.qvel[1] = x[3]!;
  for (const [command, steps] of segments) {
    data.data.ctrl[0] = command;
    data.step(steps);
  }
  return [data.qpos[0]!, data.qpos[1]!, data.qvel[0]!, data.qvel[1]!];
}

describe('cart-pole dynamics in the verifier', () => {
  it('one control period reproduces MuJoCo`s cartpole (10 Euler steps of 2 ms, force held) to 1e-12', async () => {
    const model = parseModel(await buildModel(variants.sim, 100), 'cartpole');
    const f = new ForwardModel(model);
    const sim = await SimModel.load('cartpole');
    const data = new SimData(sim);
    const out = new Float64Array(4);
    try {
      fc.assert(
        fc.property(states, fc.double({ min: -20, max: 20, noNaN: true }), (x, u) => {
          const mj = mujocoPeriod(data, x, [[u, 10]]);
          f.stepOpenLoop(x, u, out);
          for (let i = 0; i < 4; i++) expect(out[i]).toBeCloseTo(mj[i]!, 12);
        }),
        { numRuns: 200, seed: 11 },
      );
    } finally {
      data.dispose();
      sim.dispose();
    }
  });

  it('with an input delay of 2 physics steps, one period is MuJoCo`s 2 steps with the previous command, then 8 with the new one', async () => {
    const model = withDelay(parseModel(await buildModel(variants.sim, 100), 'cartpole'), 0.004);
    const delayed = model.uncertainty.findIndex((d) => d.kind === 'delayed-command');
    expect(model.uncertainty[delayed]).toMatchObject({ steps: 2, lo: -20, up: 20 });
    const f = new ForwardModel(model);
    const undelayed = new ForwardModel(parseModel(await buildModel(variants.sim, 100), 'cartpole'));
    const sim = await SimModel.load('cartpole');
    const data = new SimData(sim);
    const out = new Float64Array(4);
    const plain = new Float64Array(4);
    try {
      fc.assert(
        fc.property(
          states,
          fc.double({ min: -20, max: 20, noNaN: true }),
          fc.double({ min: -20, max: 20, noNaN: true }),
          (x, previous, u) => {
            const mj = mujocoPeriod(data, x, [
              [previous, 2],
              [u, 8],
            ]);
            f.uncertain[delayed] = previous;
            f.stepOpenLoop(x, u, out);
            for (let i = 0; i < 4; i++) expect(out[i]).toBeCloseTo(mj[i]!, 12);
            // The delay is seen: 4 ms of another force moves the cart measurably.
            undelayed.stepOpenLoop(x, u, plain);
            if (Math.abs(previous - u) > 1) expect(Math.abs(plain[2]! - out[2]!)).toBeGreaterThan(1e-3);
          },
        ),
        { numRuns: 200, seed: 12 },
      );
    } finally {
      data.dispose();
      sim.dispose();
    }
  });

  const cases = [
    ['cartpole_lqr', undefined, 0],
    ['cartpole_lqr_rig', undefined, 0],
    ['cartpole_lqr', 'tanh', 0],
    ['cartpole_lqr_rig', 'tanh', 0],
    ['cartpole_lqr_rig', 'relu', 0],
    ['cartpole_lqr', undefined, 0.004],
    ['cartpole_lqr_rig', undefined, 0.002],
    ['cartpole_lqr_rig', undefined, 0.002, 4],
  ] as const;
  for (const [name, policy, delay, within] of cases) {
    const label = `${policy === undefined ? name : `${name} with the ${policy} policy as its controller`}${delay > 0 ? ` and an input delay of ${delay} s` : ''}${within === undefined ? '' : `, the previous command within ${within} N`}`;
    it(`${label}: linear (second-order) and interval bounds contain sampled V, g, V(x⁺) and x⁺`, () => {
      const base = policy === undefined ? shipped(name).model : withPolicy(shipped(name).model, policy);
      const model = delay > 0 ? withDelay(base, delay, within) : base;
      const dims = searchDim(model);
      const f = new ForwardModel(model);
      const next = new Float64Array(4);
      for (const method of ['linear', 'ibp'] as const) {
        const bounder = createBounder(model, method);
        const out = createBoxBounds(4, dims);
        let checked = 0;
        fc.assert(
          fc.property(
            fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: dims, maxLength: dims }),
            fc.double({ min: -4, max: -0.3, noNaN: true }),
            fc.array(
              fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: dims, maxLength: dims }),
              {
                minLength: 1,
                maxLength: 10,
              },
            ),
            (centre, logWidth, points) => {
              const { lo, hi } = boxIn(model, centre, logWidth);
              if (!bounder.bound(lo, hi, Number.POSITIVE_INFINITY, out)) return;
              for (const p of points) {
                const x = Array.from(lo, (l, i) => l + p[i]! * (hi[i]! - l));
                f.stepClosedLoop(x, next);
                const v = f.value(x);
                expect(v).toBeGreaterThanOrEqual(out.vLo - 1e-12 * (1 + v));
                expect(v).toBeLessThanOrEqual(out.vUp + 1e-12 * (1 + v));
                expect(f.decrease(x)).toBeLessThanOrEqual(out.gUp + 1e-12 * (1 + v));
                expect(f.value(next)).toBeLessThanOrEqual(out.vnUp + 1e-12 * (1 + v));
                for (let i = 0; i < 4; i++) {
                  expect(next[i]).toBeGreaterThanOrEqual(out.xnLo[i]! - 1e-12);
                  expect(next[i]).toBeLessThanOrEqual(out.xnHi[i]! + 1e-12);
                }
                checked++;
              }
            },
          ),
          { numRuns: 300, seed: 5 },
        );
        expect(checked).toBeGreaterThan(300);
      }
    });
  }

  it('the positive-definiteness test agrees with the eigenvalues and errs towards "not proved"', () => {
    const s = new Float64Array(16);
    expect(provedPositiveDefinite(Float64Array.of(2, 1, 1, 2), 2, s)).toBe(true);
    expect(provedPositiveDefinite(Float64Array.of(1, 1, 1, 1), 2, s)).toBe(false); // singular
    expect(provedPositiveDefinite(Float64Array.of(1, 2, 2, 1), 2, s)).toBe(false); // indefinite
    expect(provedPositiveDefinite(Float64Array.of(1, 0, 0, 1e-20), 2, s)).toBe(false); // within the shift
  });
});

describe('the shipped cart-pole certificates', () => {
  const variantOf = {
    cartpole_lqr: variants.sim,
    cartpole_lqr_rig: variants.rig,
    cartpole_lqr_rig_delay: rigWithDelay,
  };
  for (const name of ['cartpole_lqr', 'cartpole_lqr_rig', 'cartpole_lqr_rig_delay'] as const) {
    it(`${name}: checks against its model, and the model is what make.ts builds (the run-time LQR gain)`, async () => {
      const { model, cert } = shipped(name);
      const checked = inspectCertificate(model, cert);
      expect(checked.rho).toBe(model.spec.rho);
      expect(cert.result).toBe('verified');
      const rebuilt = await buildModel(variantOf[name], model.spec.rho);
      expect(rebuilt).toEqual(JSON.parse(readFileSync(`${models}${name}.json`, 'utf8')));
    });
  }

  it('a small level verifies in seconds, and a raised one is refuted with a counterexample', async () => {
    const model = parseModel(await buildModel(variants.sim, 20), 'cartpole small');
    const small = await certify(model, { workers: 2 });
    expect(small.certificate.result).toBe('verified');
    expect(small.certificate.holeCheck.result).toBe('verified');
    const raised = await certify(model, { rho: 400, workers: 2 });
    expect(raised.certificate.result).toBe('counterexample');
    const f = new ForwardModel(model);
    const x = raised.certificate.counterexample!.x;
    expect(f.value(x)).toBeLessThanOrEqual(400);
    expect(Math.max(f.decrease(x), f.boxExcess(x))).toBeGreaterThan(0);
  });
});

describe('an input delay in the model file', () => {
  const rig = () => shipped('cartpole_lqr_rig').model;
  type Editable = { uncertainty: { input_delay?: number }; assumptions: { delay: number } };
  const edit = (change: (json: Editable) => void) => {
    const json = structuredClone(rig().source) as unknown as Editable;
    change(json);
    return () => parseModel(json, 'rig.json');
  };

  it('becomes a delayed-command dimension over the actuator range, named in the statement and the uncertainty hash', () => {
    const model = withDelay(rig(), 0.002);
    const dim = model.uncertainty.at(-1)!;
    // The estimate error is folded into the force disturbance, so the delayed command's range
    // widens by the command shift Σ|K_i|·0.0025.
    const k = model.controller.net.layers[0]!.weight;
    const shift = k.reduce((s, w) => s + Math.abs(w) * 0.0025, 0);
    expect(dim).toMatchObject({ kind: 'delayed-command', name: 'force', delay: 0.002, steps: 2 });
    expect(dim.up).toBeGreaterThanOrEqual(20 + shift);
    expect(dim.up).toBeLessThan(20 + shift + 1e-12);
    expect(dim.lo).toBe(-dim.up);
    expect(statementOf(model, 100)).toContain(
      `delayed-command force in [${dim.lo}, ${dim.up}] (the command applied, in place of the controller's, during the first 2 physics steps of each period: an input delay of 0.002 s)`,
    );
    const [plain, delayed] = [modelHashes(rig()), modelHashes(model)];
    expect(delayed.uncertainty).not.toBe(plain.uncertainty);
    expect(delayed.assumptions).not.toBe(plain.assumptions);
    expect({ ...delayed, uncertainty: '', assumptions: '' }).toEqual({
      ...plain,
      uncertainty: '',
      assumptions: '',
    });
  });

  it('refuses a delay that is not a whole number of physics steps, or longer than a period', () => {
    const expected = (d: number) =>
      `rig.json: uncertainty.input_delay ${d} s: expected a whole number of physics steps of dynamics.dt / dynamics.substeps = 0.02/20 s, at most dynamics.dt 0.02 s`;
    for (const d of [0.0015, 0.021, 0.04])
      expect(
        edit((j) => {
          j.uncertainty.input_delay = d;
        }),
      ).toThrow(expected(d));
    expect(
      edit((j) => {
        j.uncertainty.input_delay = 0.02;
      })().uncertainty.at(-1),
    ).toMatchObject({ steps: 20 });
  });

  it('refuses assumptions that claim a delay the uncertainty does not cover', () => {
    expect(
      edit((j) => {
        j.assumptions.delay = 0.002;
      }),
    ).toThrow(
      'rig.json: assumptions.delay 0.002 s is not covered: uncertainty.input_delay is 0 s (expected assumptions.delay <= uncertainty.input_delay)',
    );
    expect(
      edit((j) => {
        j.uncertainty.input_delay = 0.002;
        j.assumptions.delay = 0.003;
      }),
    ).toThrow('assumptions.delay 0.003 s is not covered: uncertainty.input_delay is 0.002 s');
    expect(
      edit((j) => {
        j.uncertainty.input_delay = 0.002;
        j.assumptions.delay = 0.001;
      })().assumptions?.delay,
    ).toBe(0.001);
  });

  it('refuses an input delay on a plant other than the cart-pole', () => {
    const pendulum = loadModel(
      fileURLToPath(new URL('../../controllers/hybrid/models/yang2024/pendulum_u6.json', import.meta.url)),
    );
    expect(() =>
      parseModel({ ...pendulum.source, uncertainty: { input_delay: 0.01 } }, 'pendulum_u6.json'),
    ).toThrow(
      'pendulum_u6.json: uncertainty.parameters, force_disturbance and input_delay are supported for the cartpole dynamics only',
    );
  });

  it('the rig`s LQR with its 2 ms delay is refuted: a previous command anywhere in ±20 N outweighs the decrease', async () => {
    const { previous_command_within: _, ...anywhere } = rigWithDelay.uncertainty!;
    // At the rig certificate's inner level 25: the falsifier's first counterexample lies at V = 35.
    const model = parseModel(
      await buildModel({ ...rigWithDelay, innerLevel: 25, uncertainty: anywhere }, 150),
      'cartpole_lqr_rig_delay',
    );
    const dim = model.uncertainty.at(-1)!;
    expect(dim.kind).toBe('delayed-command');
    expect(dim.up).toBeCloseTo(20.161, 3);
    const { certificate } = await certify(model, { workers: 1 });
    expect(certificate.result).toBe('counterexample');
    const x = certificate.counterexample!.x;
    const f = new ForwardModel(model);
    expect(f.value(x)).toBeLessThanOrEqual(150);
    expect(f.value(x)).toBeGreaterThanOrEqual(model.spec.innerLevel);
    expect(f.decrease(x)).toBeGreaterThan(0);
    // The same state and plant with the previous command equal to the current one: V decreases.
    const same = [...x];
    same[same.length - 1] = f.control(x);
    expect(f.decrease(same)).toBeLessThan(0);
  });
});
