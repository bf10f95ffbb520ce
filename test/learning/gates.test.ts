import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEnv } from '../../sim/envs/index.ts';
import { normalizingMap } from '../../sim/gaps/pair.ts';
import { signal } from '../../src/core/spec.ts';
import { loadContract, parseContract } from '../../src/inference/contract.ts';
import { fittedQEvaluation, observedDiscountedReturns } from '../../src/learning/fqe.ts';
import {
  actionsGate,
  batchPolicyOf,
  contractGate,
  fqeCompare,
  gatesDefaults,
  simGate,
} from '../../src/learning/gates.ts';
import type { LogDataset } from '../../src/learning/log-dataset.ts';

/**
 * A 1-D chain whose values are known: s′ = s + a, reward 1 while |s′| < 1, terminal outside.
 * Episodes start at s = 0 and took a = +0.25 (behaviour); a policy that pushes by 0.25 leaves after
 * 4 steps (value 1 + γ + γ² + γ³ with the last step's reward 0), one that stays at 0 never leaves.
 */
function chain(episodes: number, gamma = 0.9): LogDataset {
  const obs: number[] = [];
  const act: number[] = [];
  const reward: number[] = [];
  const next: number[] = [];
  const terminated: number[] = [];
  const episode: number[] = [];
  for (let e = 0; e < episodes; e++) {
    // Mixed behaviour so that both actions are covered in every state.
    for (let k = 0; k < 16; k++) {
      const s = -0.75 + 0.25 * (k % 8);
      const a = k < 8 ? 0.25 : 0;
      const n = s + a;
      obs.push(s);
      act.push(a);
      next.push(n);
      const out = Math.abs(n) >= 1;
      reward.push(out ? 0 : 1);
      terminated.push(out ? 1 : 0);
      episode.push(e);
    }
  }
  void gamma;
  // Every episode's first row starts at s = 0 for the estimate.
  for (let e = 0; e < episodes; e++) {
    const first = e * 16;
    obs[first] = 0;
    next[first] = act[first]!;
    reward[first] = 1;
    terminated[first] = 0;
  }
  return {
    size: reward.length,
    obsSize: 1,
    actSize: 1,
    obs: Float64Array.from(obs),
    act: Float64Array.from(act),
    reward: Float64Array.from(reward),
    nextObs: Float64Array.from(next),
    terminated: Float64Array.from(terminated),
    episode: Int32Array.from(episode),
    episodes: Array.from({ length: episodes }, (_, e) => ({
      id: `chain#${e}`,
      log: 'chain',
      run: undefined,
      robot: undefined,
      controllers: ['behaviour'],
      hashes: [],
      firstTick: 0,
      lastTick: 15,
      transitions: 16,
      return: 0,
      start: 'log-start' as const,
      end: 'end-of-log' as const,
    })),
    report: {
      task: 'chain',
      logs: [],
      ticks: 0,
      transitions: reward.length,
      episodes,
      ends: { terminated: 0, latched: 0, 'tick-gap': 0, horizon: 0, 'end-of-log': episodes, 'non-finite': 0 },
      dropped: {
        latchedTicks: 0,
        nonFiniteTicks: 0,
        afterTerminalTicks: 0,
        missingTicks: 0,
        shortEpisodes: 0,
      },
    },
  };
}

const push = (value: number) => (_obs: Float64Array, rows: number, out: Float64Array) =>
  out.fill(value, 0, rows);

describe('fitted Q evaluation', () => {
  it('recovers the values of two policies from data neither of them collected', () => {
    const data = chain(8);
    const options = {
      gamma: 0.9,
      hidden: [32, 32],
      iterations: 40,
      stepsPerIteration: 60,
      batchSize: 64,
      learningRate: 3e-3,
    };
    const leaving = fittedQEvaluation(data, push(0.25), options);
    const staying = fittedQEvaluation(data, push(0), options);
    // Pushing: rewards 1, 1, 1 then 0 at the wall → 1 + 0.9 + 0.81 = 2.71. Staying: 1/(1 − 0.9) = 10,
    // of which 40 iterations reach 1 − 0.9^40 ≈ 98.5 %.
    expect(leaving.estimate).toBeGreaterThan(2.71 - 0.4);
    expect(leaving.estimate).toBeLessThan(2.71 + 0.4);
    expect(staying.estimate).toBeGreaterThan(8.5);
    expect(staying.estimate).toBeLessThan(10.5);
    expect(staying.starts).toBe(8);
    expect(fqeCompare(data, push(0.25), push(0), { ...gatesDefaults.fqe, ...options }).passed).toBe(false);
    expect(fqeCompare(data, push(0), push(0.25), { ...gatesDefaults.fqe, ...options }).passed).toBe(true);
    expect(observedDiscountedReturns(data, 0.9)).toHaveLength(8);
  });

  it('gives a bootstrap interval over episodes when asked', () => {
    const result = fittedQEvaluation(chain(6), push(0), {
      gamma: 0.8,
      iterations: 15,
      stepsPerIteration: 30,
      batchSize: 64,
      bootstrap: 3,
    });
    expect(result.bootstrap).toBeDefined();
    expect(result.bootstrap![0]).toBeLessThanOrEqual(result.bootstrap![1]);
  });
});

describe('gates', () => {
  const repo = path.join(import.meta.dirname, '../..');
  const simPolicy = path.join(repo, 'configs/loop/sim-policy');

  it("checks the candidate's contract against the robot and the task's action map", async () => {
    const env = await createEnv('cartpole', { task: 'balance' });
    const map = normalizingMap(env.action);
    const contract = loadContract(path.join(simPolicy, 'policy.contract.yaml'));
    expect(contractGate(contract, env, map)).toMatchObject({
      passed: true,
      detail: 'fits the robot and the task',
    });
    // The contract exported before action maps existed: ±1 N for a ±20 N actuator.
    const weak = parseContract({ ...contract, actions: { ...contract.actions, scale: 1, unit: 'N' } });
    const check = contractGate(weak, env, map);
    expect(check.passed).toBe(false);
    expect(check.detail).toContain('the policy could use only 5 % of it');
    expect(check.detail).toContain(
      "action 'cart.force': the contract maps the policy by 1·a + 0, the task trained it under 20·a + 0",
    );
    // Another robot: the arm's signals.
    const arm = {
      observation: { signals: [signal('shoulder.pos', 'rad')] },
      action: { signals: [signal('shoulder.torque', 'Nm', -5, 5)], mode: 'torque' as const, safe: [0] },
    };
    expect(contractGate(contract, arm, map).passed).toBe(false);
    env.dispose();
  });

  it('refuses non-finite or pinned actions on the real states, compares sim returns, and refuses certified modes', () => {
    const data = chain(2);
    const nan = (_o: Float64Array, rows: number, out: Float64Array) => out.fill(Number.NaN, 0, rows);
    expect(actionsGate(nan, data, gatesDefaults.actions)).toMatchObject({
      passed: false,
      detail: '32 non-finite actions on 32 real states',
    });
    expect(actionsGate(push(1), data, { maxSaturation: 0.9 }).passed).toBe(false);
    expect(actionsGate(push(0.5), data, { maxSaturation: 0.9 }).passed).toBe(true);
    expect(simGate(100, 250, { episodes: 5, minReturnRatio: 0.8 }).passed).toBe(false);
    expect(simGate(240, 250, { episodes: 5, minReturnRatio: 0.8 }).passed).toBe(true);
    // Negative returns (a reach): keeping 0.8 of −30 allows a loss of 6, down to −36.
    expect(simGate(-35, -30, { episodes: 5, minReturnRatio: 0.8 }).passed).toBe(true);
    expect(simGate(-37, -30, { episodes: 5, minReturnRatio: 0.8 }).passed).toBe(false);
    expect(simGate(-37, -30, { episodes: 5, minReturnRatio: 0.8 }).detail).toContain('-36.00');
  });

  it('runs the exported file itself: the shipped policy as a batch policy', () => {
    const bytes = new Uint8Array(readFileSync(path.join(simPolicy, 'policy.onnx')));
    const policy = batchPolicyOf(bytes, 4, 1);
    const out = new Float64Array(2);
    policy(Float64Array.of(0, 0.1, 0, 0, 0, -0.1, 0, 0), 2, out);
    // Tilted right → push right (LQR sign), in the learner's [−1, 1].
    expect(out[0]!).toBeGreaterThan(0);
    expect(out[1]!).toBeLessThan(0);
    expect(Math.abs(out[0]!)).toBeLessThan(1);
  });
});
