// Compiled from src/learning/fqe.ts by `npm run build`: edit the source, not this file.

// src/learning/fqe.ts
import { Rng } from "../core/rng.js";
import { Adam, adamDefaults } from "./adam.js";
import { cpuEngine } from "./cpu-engine.js";
import { concatRows } from "./tensor-ops.js";
var fqeDefaults = {
  gamma: 0.97,
  hidden: [64, 64],
  iterations: 60,
  stepsPerIteration: 40,
  batchSize: 256,
  learningRate: 1e-3,
  seed: 0,
  bootstrap: 0
};
function observedDiscountedReturns(data, gamma) {
  const sums = new Array(data.episodes.length).fill(0);
  const steps = new Array(data.episodes.length).fill(0);
  for (let r = 0; r < data.size; r++) {
    const e = data.episode[r];
    sums[e] += gamma ** steps[e] * data.reward[r];
    steps[e]++;
  }
  return sums;
}
function fittedQEvaluation(data, policy, options = {}) {
  const o = { ...fqeDefaults, ...options };
  if (data.size === 0) throw new Error("fitted Q evaluation needs transitions; the held-out set is empty");
  const main = fitQ(data, policy, o, new Rng(o.seed));
  let bootstrap;
  if (o.bootstrap > 0) {
    const rng = new Rng(o.seed + 1);
    const estimates = [];
    const n = data.episodes.length;
    for (let b = 0; b < o.bootstrap; b++) {
      const draw = Array.from({ length: n }, () => rng.int(n));
      estimates.push(fitQ(resample(data, draw), policy, o, rng.fork()).estimate);
    }
    estimates.sort((a, b) => a - b);
    const at = (q) => estimates[Math.min(estimates.length - 1, Math.max(0, Math.round(q * (estimates.length - 1))))];
    bootstrap = [at(0.025), at(0.975)];
  }
  return { ...main, ...bootstrap ? { bootstrap } : {} };
}
function fitQ(data, policy, o, rng) {
  const engine = o.engine ?? cpuEngine;
  const O = data.obsSize;
  const A = data.actSize;
  const n = data.size;
  const spec = { inputSize: O + A, hidden: o.hidden, outputSize: 1, activation: "relu" };
  const q = engine.createMlp(spec, rng);
  const frozen = engine.createMlp(spec, rng);
  const adam = new Adam(q.params, q.grads, { ...adamDefaults, lr: o.learningRate });
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
      const bootstrapValue = next === null ? 0 : next[r];
      target[r] = data.reward[r] + o.gamma * (1 - data.terminated[r]) * bootstrapValue;
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
        const e = out[i] - target[picked[i]];
        loss += e * e;
        grad[i] = 2 * e / rows;
      }
      q.backward(pass, grad, null, true);
      adam.step();
      residual = loss / rows;
    }
  }
  return { ...startValue(data, policy, q), transitions: n, residual, gamma: o.gamma };
}
function startValue(data, policy, q) {
  const O = data.obsSize;
  const A = data.actSize;
  const firstRow = /* @__PURE__ */ new Map();
  for (let r = 0; r < data.size; r++) if (!firstRow.has(data.episode[r])) firstRow.set(data.episode[r], r);
  const starts = [...firstRow.values()];
  const m = starts.length;
  const s0 = new Float64Array(m * O);
  for (let i = 0; i < m; i++) s0.set(data.obs.subarray(starts[i] * O, (starts[i] + 1) * O), i * O);
  const a0 = new Float64Array(m * A);
  policy(s0, m, a0);
  const input = new Float64Array(m * (O + A));
  concatRows(s0, O, a0, A, m, input);
  const values = q.forward(q.createPass(m), input, m);
  let mean = 0;
  for (let i = 0; i < m; i++) mean += values[i] / m;
  let variance = 0;
  for (let i = 0; i < m; i++) variance += (values[i] - mean) ** 2 / Math.max(1, m - 1);
  const half = 1.96 * Math.sqrt(variance / m);
  return { estimate: mean, ci95: [mean - half, mean + half], starts: m };
}
function resample(data, draw) {
  const rowsOf = /* @__PURE__ */ new Map();
  for (let r = 0; r < data.size; r++) {
    const e = data.episode[r];
    const list = rowsOf.get(e) ?? [];
    list.push(r);
    rowsOf.set(e, list);
  }
  const rows = [];
  const episode = [];
  draw.forEach((e, i) => {
    for (const r of rowsOf.get(e) ?? []) {
      rows.push(r);
      episode.push(i);
    }
  });
  const O = data.obsSize;
  const A = data.actSize;
  const pick = (column, width) => {
    const out = new Float64Array(rows.length * width);
    for (let i = 0; i < rows.length; i++)
      out.set(column.subarray(rows[i] * width, (rows[i] + 1) * width), i * width);
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
    episodes: draw.map((e) => data.episodes[e])
  };
}
export {
  fittedQEvaluation,
  fqeDefaults,
  observedDiscountedReturns
};
