/**
 * Fitted Q evaluation (Le, Voloshin & Yue 2019, "Batch Policy Learning under Constraints"): the
 * value of a policy π estimated from transitions another policy collected, without running π.
 *
 *   Q_0 = 0;   Q_k = argmin_Q Σ (Q(s, a) − [r + γ(1 − d)·Q_{k−1}(s′, π(s′))])²
 *   Ĵ(π) = mean over episode starts s_0 of Q_K(s_0, π(s_0))
 *
 * Each iteration fits the network (warm-started from the previous one) for a few minibatch steps
 * against targets frozen at the start of the iteration. The estimate is the discounted value of
 * the first K steps at most, so compare policies with one FQE configuration, never against returns
 * measured another way. The interval is over the episode starts (the spread of Q(s_0, π(s_0))), not
 * the fit's own uncertainty; `bootstrap` refits on episodes drawn with replacement for the latter.
 */
import { Rng } from '../core/rng.ts';
import { Adam, adamDefaults } from './adam.ts';
import { cpuEngine } from './cpu-engine.ts';
import type { Engine, Mlp } from './engine.ts';
import type { LogDataset } from './log-dataset.ts';
import { concatRows } from './tensor-ops.ts';

/** A deterministic policy on rows of observations, writing actions in the dataset's (learner) units. */
export type BatchPolicy = (obs: Float64Array, rows: number, out: Float64Array) => void;

export interface FqeOptions {
  readonly gamma: number;
  readonly hidden: readonly number[];
  readonly iterations: number;
  readonly stepsPerIteration: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  /** Refits on resampled episodes for an interval of the fit itself (0: none). */
  readonly bootstrap: number;
  readonly engine?: Engine;
}

export const fqeDefaults: FqeOptions = {
  gamma: 0.97,
  hidden: [64, 64],
  iterations: 60,
  stepsPerIteration: 40,
  batchSize: 256,
  learningRate: 1e-3,
  seed: 0,
  bootstrap: 0,
};

export interface FqeResult {
  /** Ĵ(π): mean discounted value from the episode starts. */
  readonly estimate: number;
  /** 95 % interval of the mean over episode starts (normal approximation). */
  readonly ci95: readonly [number, number];
  /** 2.5 / 97.5 % of the bootstrap refits, when `bootstrap` > 0. */
  readonly bootstrap?: readonly [number, number];
  readonly starts: number;
  readonly transitions: number;
  /** Mean squared TD error of the last iteration (the fit's residual). */
  readonly residual: number;
  readonly gamma: number;
}

/** Σ γ^t r_t of each episode of the data, from its first transition: the behaviour's own values. */
export function observedDiscountedReturns(data: LogDataset, gamma: number): number[] {
  const sums = new Array<number>(data.episodes.length).fill(0);
  const steps = new Array<number>(data.episodes.length).fill(0);
  for (let r = 0; r < data.size; r++) {
    const e = data.episode[r]!;
    sums[e]! += gamma ** steps[e]! * data.reward[r]!;
    steps[e]!++;
  }
  return sums;
}

export function fittedQEvaluation(
  data: LogDataset,
  policy: BatchPolicy,
  options: Partial<FqeOptions> = {},
): FqeResult {
  const o: FqeOptions = { ...fqeDefaults, ...options };
  if (data.size === 0) throw new Error('fitted Q evaluation needs transitions; the held-out set is empty');
  const main = fitQ(data, policy, o, new Rng(o.seed));
  let bootstrap: [number, number] | undefined;
  if (o.bootstrap > 0) {
    const rng = new Rng(o.seed + 1);
    const estimates: number[] = [];
    const n = data.episodes.length;
    for (let b = 0; b < o.bootstrap; b++) {
      const draw = Array.from({ length: n }, () => rng.int(n));
      estimates.push(fitQ(resample(data, draw), policy, o, rng.fork()).estimate);
    }
    estimates.sort((a, b) => a - b);
    const at = (q: number) =>
      estimates[Math.min(estimates.length - 1, Math.max(0, Math.round(q * (estimates.length - 1))))]!;
    bootstrap = [at(0.025), at(0.975)];
  }
  return { ...main, ...(bootstrap ? { bootstrap } : {}) };
}

function fitQ(data: LogDataset, policy: BatchPolicy, o: FqeOptions, rng: Rng): Omit<FqeResult, 'bootstrap'> {
  const engine = o.engine ?? cpuEngine;
  const O = data.obsSize;
  const A = data.actSize;
  const n = data.size;
  const spec = { inputSize: O + A, hidden: o.hidden, outputSize: 1, activation: 'relu' as const };
  const q = engine.createMlp(spec, rng);
  const frozen = engine.createMlp(spec, rng);
  const adam = new Adam(q.params, q.grads, { ...adamDefaults, lr: o.learningRate });
  // π(s′) for every transition, once: the policy does not change.
  const nextAct = new Float64Array(n * A);
  policy(data.nextObs, n, nextAct);
  const nextSa = new Float64Array(n * (O + A));
  concatRows(data.nextObs, O, nextAct, A, n, nextSa);
  const sa = new Float64Array(n * (O + A));
  concatRows(data.obs, O, data.act, A, n, sa);
  const target = new Float64Array(n);
  const evalPass = frozen.createPass(n);
  const rows = Math.min(o.batchSize, n);
  const pass = q.createPass(rows);
  const batch = new Float64Array(rows * (O + A));
  const picked = new Int32Array(rows);
  const grad = new Float64Array(rows);
  let residual = 0;
  for (let k = 0; k < o.iterations; k++) {
    frozen.params.set(q.params);
    const next = k === 0 ? null : frozen.forward(evalPass, nextSa, n);
    for (let r = 0; r < n; r++) {
      const bootstrapValue = next === null ? 0 : next[r]!;
      target[r] = data.reward[r]! + o.gamma * (1 - data.terminated[r]!) * bootstrapValue;
    }
    residual = 0;
    for (let step = 0; step < o.stepsPerIteration; step++) {
      for (let i = 0; i < rows; i++) {
        const r = rng.int(n);
        picked[i] = r;
        batch.set(sa.subarray(r * (O + A), (r + 1) * (O + A)), i * (O + A));
      }
      const out = q.forward(pass, batch, rows);
      let loss = 0;
      for (let i = 0; i < rows; i++) {
        const e = out[i]! - target[picked[i]!]!;
        loss += e * e;
        grad[i] = (2 * e) / rows;
      }
      q.backward(pass, grad, null, true);
      adam.step();
      residual = loss / rows;
    }
  }
  return { ...startValue(data, policy, q), transitions: n, residual, gamma: o.gamma };
}

function startValue(
  data: LogDataset,
  policy: BatchPolicy,
  q: Mlp,
): { estimate: number; ci95: [number, number]; starts: number } {
  const O = data.obsSize;
  const A = data.actSize;
  const firstRow = new Map<number, number>();
  for (let r = 0; r < data.size; r++) if (!firstRow.has(data.episode[r]!)) firstRow.set(data.episode[r]!, r);
  const starts = [...firstRow.values()];
  const m = starts.length;
  const s0 = new Float64Array(m * O);
  for (let i = 0; i < m; i++) s0.set(data.obs.subarray(starts[i]! * O, (starts[i]! + 1) * O), i * O);
  const a0 = new Float64Array(m * A);
  policy(s0, m, a0);
  const input = new Float64Array(m * (O + A));
  concatRows(s0, O, a0, A, m, input);
  const values = q.forward(q.createPass(m), input, m);
  let mean = 0;
  for (let i = 0; i < m; i++) mean += values[i]! / m;
  let variance = 0;
  for (let i = 0; i < m; i++) variance += (values[i]! - mean) ** 2 / Math.max(1, m - 1);
  const half = 1.96 * Math.sqrt(variance / m);
  return { estimate: mean, ci95: [mean - half, mean + half], starts: m };
}

/** The dataset with episodes drawn (with replacement) by `draw`. */
function resample(data: LogDataset, draw: readonly number[]): LogDataset {
  const rowsOf = new Map<number, number[]>();
  for (let r = 0; r < data.size; r++) {
    const e = data.episode[r]!;
    const list = rowsOf.get(e) ?? [];
    list.push(r);
    rowsOf.set(e, list);
  }
  const rows: number[] = [];
  const episode: number[] = [];
  draw.forEach((e, i) => {
    for (const r of rowsOf.get(e) ?? []) {
      rows.push(r);
      episode.push(i);
    }
  });
  const O = data.obsSize;
  const A = data.actSize;
  const pick = (column: Float64Array, width: number) => {
    const out = new Float64Array(rows.length * width);
    for (let i = 0; i < rows.length; i++)
      out.set(column.subarray(rows[i]! * width, (rows[i]! + 1) * width), i * width);
    return out;
  };
  return {
    ...data,
    size: rows.length,
    obs: pick(data.obs, O),
    act: pick(data.act, A),
    reward: pick(data.reward, 1),
    nextObs: pick(data.nextObs, O),
    terminated: pick(data.terminated, 1),
    episode: Int32Array.from(episode),
    episodes: draw.map((e) => data.episodes[e]!),
  };
}
