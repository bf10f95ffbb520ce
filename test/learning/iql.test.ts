import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';
import { cpuEngine } from '../../src/learning/cpu-engine.ts';
import { layerOffsets, type Mlp } from '../../src/learning/engine.ts';
import { IqlAgent, type IqlConfig, type IqlStats, iqlDefaults } from '../../src/learning/iql.ts';
import { ReplayBuffer } from '../../src/learning/replay.ts';

// IQL on the float64 TypeScript engine (the oracle engine), on logs small enough to know the answer.

/** One state (s = 0) and five logged actions, each ending its episode. */
const banditActions = [-1, -0.5, 0, 0.5, 1];
function banditLog(): ReplayBuffer {
  const log = new ReplayBuffer(banditActions.length, 1, 1);
  const zero = new Float64Array([0]);
  for (const a of banditActions) log.add(zero, new Float64Array([a]), 0, zero, true);
  return log;
}

/** Q̄_1(s, a) = 2·relu(a + 1), Q̄_2(s, a) = 3: their minimum over the logged actions is 0, 1, 2, 3, 3. */
const banditQMin = banditActions.map((a) => Math.min(2 * Math.max(a + 1, 0), 3));

function setLinearCritic(net: Mlp, slopeA: number, bias: number): void {
  const [first, last] = layerOffsets(net.spec);
  net.params.fill(0);
  // Hidden unit 0 = relu(0·s + 1·a + 1); the output is slopeA times it plus bias.
  net.params[first!.weight + 1] = 1;
  net.params[first!.bias] = 1;
  net.params[last!.weight] = slopeA;
  net.params[last!.bias] = bias;
}

/** An agent on the bandit log whose critics are the fixed functions above (learning rate ~0). */
function banditAgent(overrides: Partial<IqlConfig>, seed = 1): IqlAgent {
  const config = { ...iqlDefaults, hidden: [8], batchSize: 64, criticLr: 1e-12, tau: 1e-12, ...overrides };
  const agent = new IqlAgent(cpuEngine, 1, 1, config, banditLog(), new Rng(seed));
  for (const net of [agent.q[0], agent.qTarget[0]]) setLinearCritic(net, 2, 0);
  for (const net of [agent.q[1], agent.qTarget[1]]) setLinearCritic(net, 0, 3);
  return agent;
}

/** The τ-expectile of equally weighted values, in float64: the root of Σ |τ − 1(x < v)|·(x − v). */
function expectileOf(values: readonly number[], tau: number): number {
  const g = (v: number) => values.reduce((sum, x) => sum + (x >= v ? tau * (x - v) : (1 - tau) * (x - v)), 0);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (g(mid) > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** V(s = 0) averaged over the last updates of a run: Adam on minibatches keeps it moving a little. */
function fittedValue(agent: IqlAgent, updates: number, averageOver: number): number {
  const rng = new Rng(5);
  let sum = 0;
  for (let u = 0; u < updates; u++) {
    const stats = agent.update(rng);
    if (u >= updates - averageOver) sum += stats.meanV;
  }
  return sum / averageOver;
}

/** A small continuous log: a noisy point mass pushed by a, rewarded for staying near 0. */
function driftLog(size: number, seed: number): ReplayBuffer {
  const rng = new Rng(seed);
  const log = new ReplayBuffer(size, 2, 1);
  const s = new Float64Array([rng.range(-1, 1), rng.range(-1, 1)]);
  const next = new Float64Array(2);
  const a = new Float64Array(1);
  for (let i = 0; i < size; i++) {
    a[0] = Math.max(-1, Math.min(1, -0.5 * s[0]! + 0.5 * rng.normal()));
    next[0] = s[0]! + 0.1 * s[1]!;
    next[1] = s[1]! + 0.1 * a[0]! + 0.02 * rng.normal();
    const reward = -(next[0]! ** 2) - 0.1 * a[0]! ** 2;
    const terminated = Math.abs(next[0]!) > 1.5;
    log.add(s, a, reward, next, terminated);
    if (terminated || rng.uniform() < 0.05) {
      s[0] = rng.range(-1, 1);
      s[1] = rng.range(-1, 1);
    } else s.set(next);
  }
  return log;
}

const smallConfig: IqlConfig = { ...iqlDefaults, hidden: [32, 32], batchSize: 64 };

describe('IQL', () => {
  it('fits V to the expectile of the target critics: above their mean for τ 0.7, at it for τ 0.5', () => {
    const mean = banditQMin.reduce((a, b) => a + b, 0) / banditQMin.length;
    const upper = expectileOf(banditQMin, 0.7);
    expect(expectileOf(banditQMin, 0.5)).toBeCloseTo(mean, 10);
    expect(upper - mean).toBeGreaterThan(0.3);

    const at07 = banditAgent({ expectile: 0.7, valueLr: 3e-3 });
    const frozen = Float64Array.from(at07.qTarget[0].params);
    const v07 = fittedValue(at07, 1500, 300);
    const v05 = fittedValue(banditAgent({ expectile: 0.5, valueLr: 3e-3 }), 1500, 300);
    expect(Math.abs(v07 - upper)).toBeLessThan(0.05);
    expect(Math.abs(v05 - mean)).toBeLessThan(0.05);
    expect(v07 - v05).toBeGreaterThan(0.3);
    // The critics were held fixed, so V's target did not move under it.
    for (let i = 0; i < frozen.length; i++)
      expect(Math.abs(at07.qTarget[0].params[i]! - frozen[i]!)).toBeLessThan(1e-6);
  });

  it('weighs the actor by exp(β·(min Q̄ − V)), clipped at 100', () => {
    const agent = banditAgent({});
    // V(s) = 0.5 everywhere: advantages −0.5, 0.5, 1.5, 2.5, 2.5 at β = 3.
    agent.value.params.fill(0);
    const [last] = layerOffsets(agent.value.spec).slice(-1);
    agent.value.params[last!.bias] = 0.5;
    const rows = banditActions.length;
    const w = new Float64Array(rows);
    agent.advantageWeights(new Float64Array(rows), Float64Array.from(banditActions), rows, w);
    const expected = banditQMin.map((q) => Math.min(Math.exp(3 * (q - 0.5)), 100));
    for (let r = 0; r < rows; r++) expect(w[r]).toBeCloseTo(expected[r]!, 12);
    expect(w[2]).toBeGreaterThan(90);
    expect(w[2]).toBeLessThan(100);
    expect(Array.from(w.subarray(3))).toEqual([100, 100]);
  });

  it('lowers its critic loss over a few hundred updates on a small log', () => {
    const agent = new IqlAgent(cpuEngine, 2, 1, smallConfig, driftLog(400, 3), new Rng(2));
    const rng = new Rng(4);
    const losses: number[] = [];
    for (let u = 0; u < 400; u++) losses.push(agent.update(rng).qLoss);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const first = mean(losses.slice(0, 25));
    const last = mean(losses.slice(-25));
    expect(Number.isFinite(last)).toBe(true);
    expect(last).toBeLessThan(first / 3);
  });

  it('restores from its state arrays and scalars: the same actions, then the same updates', () => {
    const log = driftLog(300, 3);
    const trained = new IqlAgent(cpuEngine, 2, 1, smallConfig, log, new Rng(1));
    const rng = new Rng(7);
    for (let u = 0; u < 60; u++) trained.update(rng);
    const restored = new IqlAgent(cpuEngine, 2, 1, smallConfig, log, new Rng(99));
    const target = restored.stateArrays();
    const source = trained.stateArrays();
    expect(Object.keys(target).sort()).toEqual(Object.keys(source).sort());
    for (const [name, values] of Object.entries(source)) target[name]!.set(values);
    restored.loadScalars(trained.stateScalars());
    expect(restored.stateScalars()).toEqual(trained.stateScalars());

    const obs = Float64Array.from({ length: 20 }, (_, i) => Math.sin(i) * 1.3);
    const before = new Float64Array(10);
    const after = new Float64Array(10);
    trained.act(obs, 10, before);
    restored.act(obs, 10, after);
    expect(Array.from(after)).toEqual(Array.from(before));
    expect(new Set(before).size).toBeGreaterThan(1);

    const rngA = new Rng(11);
    const rngB = new Rng(11);
    for (let u = 0; u < 20; u++) expect(restored.update(rngB)).toEqual(trained.update(rngA));
    expect(Array.from(restored.actor.params)).toEqual(Array.from(trained.actor.params));
    expect(Array.from(restored.value.params)).toEqual(Array.from(trained.value.params));
  });

  it('is a pure function of its seed', () => {
    const log = driftLog(300, 3);
    const run = (seed: number) => {
      const rng = new Rng(seed);
      const agent = new IqlAgent(cpuEngine, 2, 1, smallConfig, log, rng);
      const updateRng = rng.fork();
      const stats: IqlStats[] = [];
      for (let u = 0; u < 100; u++) stats.push(agent.update(updateRng));
      const arrays = Object.fromEntries(
        Object.entries(agent.stateArrays()).map(([k, v]) => [k, Array.from(v)]),
      );
      return { stats, arrays };
    };
    const a = run(3);
    expect(run(3)).toEqual(a);
    expect(run(4).arrays['actor']).not.toEqual(a.arrays['actor']);
  });
});
